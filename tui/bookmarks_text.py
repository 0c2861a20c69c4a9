"""The text of the bookmarks file: read with node positions, written back by splicing.

A reader edits this file by hand, so a write must change only the entry it means to change:
comments, order, quoting and values such as ``note: yes`` or ``tags: [no, on, 010]`` elsewhere
stay byte for byte. PyYAML does not keep comments, so instead of dumping the whole document
again, xref keeps the text it read and the composed node tree (every node knows where its
text starts and ends), and replaces only the spans that changed: one key of an entry, one whole
entry added or removed. The result is checked by loading it again; a layout the splicer does
not handle (a flow-style ``bookmarks: [{...}]`` list) falls back to a whole rewrite.

Reading uses libyaml (``CSafeLoader``) when PyYAML has it: the pure-Python parser took tens of
seconds on a 5 MB file. Constructors that turn scalars into numbers and dates are wrapped so an
impossible value (``created: 2026-02-30``) is a one-line error naming its line.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

FIELDS = ("id", "created", "article", "title", "path", "passage", "quote", "prefix", "suffix",
          "start", "end", "note", "tags")

# libyaml's parser and composer in C; the constructor (Python) is the same either way.
LOADER_BASE: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class Loader(LOADER_BASE):  # type: ignore[valid-type,misc]
    """``safe_load``'s loader, in C when available, with value errors tied to their line."""


def _with_line(construct: Callable[[Any, Node], Any]) -> Callable[[Any, Node], Any]:
    """A scalar constructor whose ``ValueError`` (a 30th of February, ``!!int x``) becomes a
    ``ConstructorError`` carrying the node's line, instead of a traceback."""

    def wrapped(loader: Any, node: Node) -> Any:
        try:
            return construct(loader, node)
        except (ValueError, OverflowError) as exc:
            raise yaml.constructor.ConstructorError(
                None, None, f"impossible value {node.value!r} ({exc})", node.start_mark
            ) from None

    return wrapped


for _tag, _fn in (("timestamp", yaml.SafeLoader.construct_yaml_timestamp),
                  ("int", yaml.SafeLoader.construct_yaml_int),
                  ("float", yaml.SafeLoader.construct_yaml_float)):
    Loader.add_constructor(f"tag:yaml.org,2002:{_tag}", _with_line(_fn))


def compose(text: str) -> Node | None:
    """The node tree, with positions; nothing is built from it yet."""
    loader = Loader(text)
    try:
        return loader.get_single_node()
    finally:
        loader.dispose()


def construct(node: Node) -> Any:
    """The data of a node tree (safe constructors only)."""
    loader = Loader("")
    try:
        return loader.construct_document(node)
    finally:
        loader.dispose()


def compose_and_load(text: str) -> tuple[Node | None, Any]:
    """The node tree (with positions) and the data built from it, in one parse."""
    loader = Loader(text)
    try:
        node = loader.get_single_node()
        data = None if node is None else loader.construct_document(node)
        return node, data
    finally:
        loader.dispose()


def walk_checks(root: Node, max_depth: int, max_aliases: int, max_expanded: int) -> str | None:
    """What is wrong with the node tree, or None: nesting deeper than ``max_depth``, more
    than ``max_aliases`` alias uses, a key written twice in one mapping (a second ``note:`` or
    ``bookmarks:`` silently wins in PyYAML), or aliases that expand to more than
    ``max_expanded`` values — a few dozen aliases nested in each other reach billions, and
    anything that walks the data (a rewrite, JSON output) would never finish.

    One iterative pass in which each shared node is sized once, so the check stays linear.
    (libyaml bounds nesting itself while composing, at a thousand levels.)"""
    sizes: dict[int, int] = {}
    seen: set[int] = {id(root)}
    aliases = 0
    stack: list[tuple[Node, int, bool]] = [(root, 1, False)]
    while stack:
        node, depth, children_done = stack.pop()
        key = id(node)
        if key in sizes:
            continue
        if isinstance(node, ScalarNode):
            sizes[key] = 1
            continue
        if isinstance(node, MappingNode):
            children = [n for pair in node.value for n in pair]
        else:
            children = list(node.value)
        if not children_done:
            if depth > max_depth:
                return f"line {node.start_mark.line + 1}: nested more than {max_depth} levels deep"
            if isinstance(node, MappingNode):
                problem = _duplicate_key(node)
                if problem:
                    return problem
            stack.append((node, depth, True))
            for child in children:
                if id(child) in seen:
                    aliases += 1
                    if aliases > max_aliases:
                        return (f"line {child.start_mark.line + 1}: more than {max_aliases} "
                                "aliases (*refs); refusing a possible alias bomb")
                    if id(child) not in sizes and not isinstance(child, ScalarNode) and \
                            any(n is child for n, _, done in stack if done):
                        return f"line {child.start_mark.line + 1}: an alias refers to itself"
                seen.add(id(child))
                stack.append((child, depth + 1, False))
            continue
        total = 1 + sum(sizes[id(c)] for c in children)
        if total > max_expanded:
            return (f"line {node.start_mark.line + 1}: aliases expand to more than "
                    f"{max_expanded:,} values; refusing a possible alias bomb")
        sizes[key] = total
    return None


def _duplicate_key(node: MappingNode) -> str | None:
    seen: dict[str, int] = {}
    for k, _ in node.value:
        if not isinstance(k, ScalarNode) or k.tag == "tag:yaml.org,2002:merge":
            continue
        if k.value in seen:
            return (f"line {k.start_mark.line + 1}: duplicate key {k.value!r} (first on line "
                    f"{seen[k.value] + 1}); one of them would be silently lost")
        seen[k.value] = k.start_mark.line
    return None


# --- writing whole values -------------------------------------------------------------------


class Dumper(yaml.SafeDumper):
    """Block style, keys in the order given, timestamps as ISO 8601 with a ``T``."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


def _represent_datetime(dumper: yaml.SafeDumper, value: dt.datetime) -> yaml.Node:
    return dumper.represent_scalar("tag:yaml.org,2002:timestamp", value.isoformat())


def _represent_str(dumper: yaml.SafeDumper, value: str) -> yaml.Node:
    # Long or multi-line quotes read best as literal blocks when they have no trailing space.
    if "\n" in value and not any(line != line.rstrip() for line in value.split("\n")):
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style="|")
    return dumper.represent_scalar("tag:yaml.org,2002:str", value)


def _represent_list(dumper: yaml.SafeDumper, value: list[Any]) -> yaml.Node:
    # Tags and other short lists of words stay on one line: ``tags: [a, b]``.
    short = all(isinstance(v, str | int | float) and len(str(v)) <= 40 for v in value)
    return dumper.represent_sequence("tag:yaml.org,2002:seq", value,
                                     flow_style=short and len(value) <= 12 and bool(value))


Dumper.add_representer(dt.datetime, _represent_datetime)
Dumper.add_representer(list, _represent_list)
Dumper.add_representer(str, _represent_str)


def to_yaml(value: Any) -> str:
    return yaml.dump(value, Dumper=Dumper, sort_keys=False, allow_unicode=True,
                     default_flow_style=False, width=100)


def ordered_entry(e: Any) -> Any:
    """Known fields first, in the README's order, then the reader's own keys as found."""
    if not isinstance(e, dict):
        return e
    known = {k: e[k] for k in FIELDS if k in e}
    known.update((k, v) for k, v in e.items() if k not in known)
    return known


# --- splicing ---------------------------------------------------------------------------------

_DASH = re.compile(r" *- +")
_MISSING = object()


class CannotSplice(Exception):
    """A layout the splicer does not handle; the caller rewrites the whole file instead."""


def same(a: Any, b: Any) -> bool:
    """Equal and of the same types all the way down (``True == 1`` is not the same value)."""
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(same(v, b[k]) for k, v in a.items())
    if type(a) is not type(b):
        return False
    if isinstance(a, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b, strict=True))
    return bool(a == b)


def _line_start(text: str, at: int) -> int:
    return text.rfind("\n", 0, at) + 1


def _last_leaf(node: Node) -> Node:
    """The node whose text ends last: block collections' own end marks run on over the
    comments and blank lines that follow them, which belong to what comes next."""
    while isinstance(node, MappingNode | SequenceNode) and node.value and not node.flow_style:
        last = node.value[-1]
        node = last[1] if isinstance(node, MappingNode) else last
    return node


def _content_end(text: str, node: Node) -> int:
    """Where ``node``'s text ends, extended to the end of its line (a comment on that line goes
    with it) and past the line break."""
    end = _last_leaf(node).end_mark.index
    if end > 0 and text[end - 1] == "\n":  # a block scalar ends after its line break
        return end
    nl = text.find("\n", end)
    return len(text) if nl < 0 else nl + 1


def _indent(block: str, pad: int, first: bool = True) -> str:
    lines = block.split("\n")
    return "\n".join(
        (" " * pad + line) if line.strip() and (first or i) else line
        for i, line in enumerate(lines)
    )


def _item_region(text: str, node: Node) -> tuple[int, int, int]:
    """(start, end, dash column) of a block-sequence item, whole lines from its ``-``."""
    start = _line_start(text, node.start_mark.index)
    if not _DASH.fullmatch(text, start, node.start_mark.index):
        raise CannotSplice("an entry does not start its own '- ' line")
    lead = text[start:node.start_mark.index]
    return start, _content_end(text, node), len(lead) - len(lead.lstrip(" "))


def _entry_text(entry: Any, dash: int) -> str:
    return _indent(to_yaml([ordered_entry(entry)]), dash)


def _pair_text(key: str, value: Any) -> str:
    return to_yaml({key: value})


class Removed(dict[str, Any]):
    """An entry taken out of the file, with the text it had (comments and quoting included),
    so that putting it back (undo) restores that text rather than a fresh rendering of it."""

    source: str | None = None
    dash: int = 0


def source_of(text: str, node: Node) -> tuple[str, int] | None:
    """The text of a block-sequence entry and its dash column, or None for an odd layout."""
    try:
        start, end, dash = _item_region(text, node)
    except CannotSplice:
        return None
    return text[start:end], dash


def _new_entry_text(entry: Any, dash: int) -> str:
    if isinstance(entry, Removed) and entry.source is not None and entry.dash == dash:
        return entry.source if entry.source.endswith("\n") else entry.source + "\n"
    return _entry_text(entry, dash)


class Splice:
    """Edits in the coordinates of the original text, applied in one pass."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.edits: list[tuple[int, int, str]] = []

    def replace(self, start: int, end: int, new: str) -> None:
        self.edits.append((start, end, new))

    def insert(self, at: int, new: str) -> None:
        if at == len(self.text) and self.text and not self.text.endswith("\n"):
            new = "\n" + new
        self.edits.append((at, at, new))

    def apply(self) -> str:
        out: list[str] = []
        last = 0
        for start, end, new in sorted(self.edits, key=lambda e: e[0]):  # stable: ties in order
            if start < last:
                raise CannotSplice("overlapping edits")
            out.append(self.text[last:start])
            out.append(new)
            last = end
        out.append(self.text[last:])
        return "".join(out)


def _splices_keys(node: Node, old: dict[str, Any], new: dict[str, Any],
                  changed: list[Any]) -> bool:
    """Whether the changed keys can be spliced one by one: a block mapping whose changed keys
    are plain strings found in it (or new), none of them the first key being removed (that
    one shares its line with the entry's ``-``)."""
    if not isinstance(node, MappingNode) or node.flow_style or not node.value:
        return False
    pairs = {k.value: k for k, _ in node.value if isinstance(k, ScalarNode)}
    first = node.value[0][0]
    for key in changed:
        if not isinstance(key, str) or (key in old and key not in pairs):
            return False
        if key not in new and pairs.get(key) is first:
            return False
    return True


def _entry_changes(s: Splice, node: Node, old: dict[str, Any], new: dict[str, Any],
                   dash: int, region: tuple[int, int]) -> None:
    """Splice the keys of one entry that changed; rewrite the entry when its layout is odd."""
    text = s.text
    changed = [k for k in dict.fromkeys([*old, *new])
               if not same(old.get(k, _MISSING), new.get(k, _MISSING))]
    if not changed:
        return
    if not _splices_keys(node, old, new, changed):
        s.replace(region[0], region[1], _entry_text(new, dash))
        return
    assert isinstance(node, MappingNode)
    pairs = {k.value: (k, v) for k, v in node.value if isinstance(k, ScalarNode)}
    column = node.value[0][0].start_mark.column
    additions: list[str] = []
    for key in changed:
        if key not in new:  # removed: its whole lines go
            k, v = pairs[key]
            start = _line_start(text, k.start_mark.index)
            if text[start:k.start_mark.index].strip():
                raise CannotSplice("a key shares its line")
            s.replace(start, _content_end(text, v), "")
        elif key in pairs:  # changed: the key and its value, nothing around them
            k, v = pairs[key]
            block = _pair_text(key, new[key])
            if block.count("\n") == 1:
                end = _last_leaf(v).end_mark.index
                tail = "\n" if text[end - 1:end] == "\n" else ""
                s.replace(k.start_mark.index, end, block[:-1] + tail)
            else:
                s.replace(k.start_mark.index, _content_end(text, v),
                          _indent(block, column, first=False))
        else:
            additions.append(_indent(_pair_text(key, new[key]), column))
    if additions:
        s.insert(_content_end(text, node), "".join(additions))


def splice(text: str, root: Node, originals: list[tuple[Any, Any, Node]],
           entries: list[Any]) -> str:
    """``text`` with the bookmarks list changed from ``originals`` (object, snapshot taken
    when read, node) to ``entries``. Raises ``CannotSplice`` for layouts it does not handle."""
    if not isinstance(root, MappingNode) or root.flow_style:
        raise CannotSplice("the document is not a block mapping")
    seq_pair = next(((k, v) for k, v in root.value
                     if isinstance(k, ScalarNode) and k.value == "bookmarks"), None)
    s = Splice(text)
    position = {id(obj): i for i, (obj, _, _) in enumerate(originals)}
    order = [position[id(e)] for e in entries if id(e) in position]
    if order != sorted(order):
        raise CannotSplice("entries were reordered")
    kept = set(order)
    regions = [_item_region(text, node) for _, _, node in originals]
    if originals:
        assert seq_pair is not None
        if seq_pair[1].flow_style:
            raise CannotSplice("the bookmarks list is in flow style")
        dash = regions[0][2]
        at = regions[0][0]  # new entries before the first original go above it
    elif seq_pair is not None:
        k, v = seq_pair
        if (isinstance(v, SequenceNode) and v.value) or isinstance(v, MappingNode):
            raise CannotSplice("unexpected bookmarks value")
        s.replace(v.start_mark.index, v.end_mark.index, "")  # `[]`, `~` or nothing
        nl = text.find("\n", v.end_mark.index)
        at = len(text) if nl < 0 else nl + 1
        dash = k.start_mark.column
    else:
        dash = root.value[0][0].start_mark.column if root.value else 0
        at = len(text)
        s.insert(at, " " * dash + "bookmarks:\n")
    for i, (_, _, _node) in enumerate(originals):
        if i not in kept:
            s.replace(regions[i][0], regions[i][1], "")
    for e in entries:
        i = position.get(id(e))
        if i is None:
            s.insert(at, _new_entry_text(e, dash))
            continue
        obj, snapshot, node = originals[i]
        start, end, own_dash = regions[i]
        if isinstance(obj, dict) and isinstance(snapshot, dict):
            _entry_changes(s, node, snapshot, obj, own_dash, (start, end))
        elif not same(snapshot, obj):
            s.replace(start, end, _entry_text(obj, own_dash))
        at = end
    return s.apply()


def snapshot(entry: Any) -> Any:
    """A copy deep enough to tell afterwards which keys an edit changed (values are replaced,
    lists copied), and cheap enough for twelve thousand entries."""
    if isinstance(entry, dict):
        return {k: list(v) if isinstance(v, list) else v for k, v in entry.items()}
    return entry
