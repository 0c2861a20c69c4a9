"""Splicing a change into the text of the bookmarks file.

A reader edits this file by hand, so a write must change only the entry it means to change:
comments, order, quoting and values such as ``note: yes`` or ``tags: [no, on, 010]`` elsewhere
stay byte for byte. PyYAML does not keep comments, so instead of dumping the whole document
again, xref keeps the text it read and the composed node tree (every node knows where its
text starts and ends), and replaces only the spans that changed: one key of an entry, one whole
entry added or removed. The caller checks the result by loading it again — the whole text, or
only the appended block when ``appended`` can vouch for the rest; a layout the splicer
does not handle (a flow-style ``bookmarks: [{...}]`` list) raises ``CannotSplice`` and the file
is rewritten whole.

Chosen over a round-trip library (ruamel.yaml): no new dependency, libyaml's speed for
reading, and the text outside the changed entry is not re-emitted at all, so it cannot drift.
"""

from __future__ import annotations

import re
from typing import Any

from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from tui.bookmarks.yaml_io import ordered_entry, to_yaml, written

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
    if isinstance(a, float) and a != a:
        return bool(b != b)  # a hand-written ``.nan`` reads back as itself (nan != nan)
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
    lead = text[start : node.start_mark.index]
    return start, _content_end(text, node), len(lead) - len(lead.lstrip(" "))


def _entry_text(entry: Any, dash: int) -> str:
    return _indent(to_yaml([ordered_entry(entry)]), dash)


def _pair_text(key: str, value: Any) -> str:
    return to_yaml({key: written(key, value)})


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


def _splices_keys(node: Node, old: dict[str, Any], new: dict[str, Any], changed: list[Any]) -> bool:
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


def _entry_changes(
    s: Splice,
    node: Node,
    old: dict[str, Any],
    new: dict[str, Any],
    dash: int,
    region: tuple[int, int],
) -> None:
    """Splice the keys of one entry that changed; rewrite the entry when its layout is odd."""
    text = s.text
    changed = [
        k
        for k in dict.fromkeys([*old, *new])
        if not same(old.get(k, _MISSING), new.get(k, _MISSING))
    ]
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
            if text[start : k.start_mark.index].strip():
                raise CannotSplice("a key shares its line")
            s.replace(start, _content_end(text, v), "")
        elif key in pairs:  # changed: the key and its value, nothing around them
            k, v = pairs[key]
            block = _pair_text(key, new[key])
            if block.count("\n") == 1:
                end = _last_leaf(v).end_mark.index
                tail = "\n" if text[end - 1 : end] == "\n" else ""
                s.replace(k.start_mark.index, end, block[:-1] + tail)
            else:
                s.replace(
                    k.start_mark.index, _content_end(text, v), _indent(block, column, first=False)
                )
        else:
            additions.append(_indent(_pair_text(key, new[key]), column))
    if additions:
        s.insert(_content_end(text, node), "".join(additions))


def splice(
    text: str, root: Node, originals: list[tuple[Any, Any, Node]], entries: list[Any]
) -> str:
    """``text`` with the bookmarks list changed from ``originals`` (object, snapshot taken
    when read, node) to ``entries``. Raises ``CannotSplice`` for layouts it does not handle."""
    if not isinstance(root, MappingNode) or root.flow_style:
        raise CannotSplice("the document is not a block mapping")
    seq_pair = next(
        ((k, v) for k, v in root.value if isinstance(k, ScalarNode) and k.value == "bookmarks"),
        None,
    )
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
        was = position.get(id(e))
        if was is None:
            s.insert(at, _new_entry_text(e, dash))
            continue
        obj, snapshot, node = originals[was]
        start, end, own_dash = regions[was]
        if isinstance(obj, dict) and isinstance(snapshot, dict):
            _entry_changes(s, node, snapshot, obj, own_dash, (start, end))
        elif not same(snapshot, obj):
            s.replace(start, end, _entry_text(obj, own_dash))
        at = end
    return s.apply()


def snapshot(entry: Any) -> Any:
    """A copy deep enough to tell afterwards whether an edit changed anything in an entry —
    lists and mappings at any depth are copied, scalars (immutable) shared — and cheap
    enough for twelve thousand entries, whose values are nearly all scalars."""
    if isinstance(entry, dict):
        return {k: snapshot(v) if isinstance(v, dict | list) else v for k, v in entry.items()}
    if isinstance(entry, list):
        return [snapshot(v) if isinstance(v, dict | list) else v for v in entry]
    return entry


def appended(
    text: str,
    new: str,
    root: Node,
    originals: list[tuple[Any, Any, Node]],
    entries: list[Any],
) -> tuple[str, list[Any]] | None:
    """When ``new`` is ``text`` with whole entries appended and nothing else changed: the
    appended block and the entries it must read back as. None otherwise.

    This is what lets a write to a large file check only what it added (``appended_reads_as``)
    instead of parsing the whole file again. It answers only when all of these hold:

    - every original entry is still in the list, in its place, and the same as when the file
      was read (compared with its deep snapshot), and only new entries follow them;
    - ``new`` is ``text`` followed by more text, and ``text`` ends with a line break;
    - the bookmarks list is a block sequence and the last node of the document, and its last
      entry's line is the last line of ``text`` (no comment, blank line or ``...`` after it);
    - ``text`` has no directive (``%TAG``) that could give a tag handle another meaning.

    Then the full parse of ``new`` is the parse of ``text``, whose bytes are untouched,
    followed by more items of the same sequence: the parser ends ``text`` inside that block
    sequence after a complete item, and the block's first line, a ``- `` at the sequence's own
    column, closes everything deeper that ``text`` left open (a plain or block scalar, a nested
    mapping — all indented further) and starts a new item, so no byte of ``text`` is read
    differently. The items that follow are read from the block's bytes alone, as they are when
    the block is parsed by itself at the same indentation: a line indented less than the
    sequence, an alias to an anchor in ``text``, or a document marker makes that parse fail or
    differ, and the caller then reads back the whole file."""
    n = len(originals)
    if not n or len(entries) <= n or not text.endswith("\n") or len(new) <= len(text):
        return None
    if not new.startswith(text) or text.startswith("%") or "\n%" in text:
        return None
    if not isinstance(root, MappingNode) or root.flow_style or not root.value:
        return None
    key, seq = root.value[-1]
    if not (
        isinstance(key, ScalarNode)
        and key.value == "bookmarks"
        and isinstance(seq, SequenceNode)
        and not seq.flow_style
        and seq.value
        and seq.value[-1] is originals[-1][2]
    ):
        return None
    if _content_end(text, originals[-1][2]) != len(text):
        return None
    kept = {id(obj) for obj, _, _ in originals}
    if any(entries[i] is not obj for i, (obj, _, _) in enumerate(originals)):
        return None
    if any(id(e) in kept for e in entries[n:]):
        return None
    if not all(same(obj, snap) for obj, snap, _ in originals):
        return None
    return new[len(text) :], entries[n:]
