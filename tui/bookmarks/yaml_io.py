"""YAML for the bookmarks file: reading with node positions and safety checks, and xref's own
layout for what it writes (``tui.bookmarks.splice`` puts that into the reader's text).

Reading uses libyaml (``CSafeLoader``) when PyYAML has it: the pure-Python parser took tens of
seconds on a 5 MB file. Constructors that turn scalars into numbers and dates are wrapped so an
impossible value (``created: 2026-02-30``) is a one-line error naming its line.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import gc
from collections.abc import Callable, Iterator
from typing import Any, cast

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode

FIELDS = (
    "id",
    "created",
    "corpus",
    "article",
    "title",
    "path",
    "passage",
    "quote",
    "prefix",
    "suffix",
    "start",
    "end",
    "note",
    "tags",
)

# libyaml's parser and composer in C; the constructor (Python) is the same either way.
LOADER_BASE: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class Loader(LOADER_BASE):  # type: ignore[valid-type,misc]
    """``safe_load``'s loader, in C when available, with value errors tied to their line.

    Its ``resolve`` gives the same tags as PyYAML's, faster. Even libyaml's composer calls the
    Python resolver once per scalar, and on a 5 MB file those half a million calls (a list
    concatenation and a few regular expressions each) were a third of the read. A plain
    scalar's tag depends only on its text (no path resolvers are registered on this class), so
    a quoted scalar is a string at once, a plain one whose first character starts none of the
    implicit types (bool, int, float, null, timestamp, merge, value) is a string at once, and
    short ones — the dozen keys repeated in every entry, ``yes``, dates — are remembered for
    the rest of the file. ``tests/test_bookmarks_speed.py`` compares it with PyYAML's on odd
    values.
    """

    _MEMO_MAX = 50_000  # remembered plain scalars per file; past that, resolved each time

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self._tags: dict[str, str] = {}

    def resolve(self, kind: type[Node], value: Any, implicit: Any) -> str:
        if kind is not ScalarNode or self.yaml_path_resolvers:
            return cast(str, super().resolve(kind, value, implicit))
        if not implicit[0]:  # quoted, or a tag of "!": never an implicit type
            return cast(str, self.DEFAULT_SCALAR_TAG)
        tag = self._tags.get(value)
        if tag is not None:
            return tag
        resolvers = self.yaml_implicit_resolvers  # keyed by first character; None: any
        if value and value[0] not in resolvers and None not in resolvers:
            return cast(str, self.DEFAULT_SCALAR_TAG)
        tag = cast(str, super().resolve(kind, value, implicit))
        if len(value) <= 64 and len(self._tags) < self._MEMO_MAX:
            self._tags[value] = tag
        return tag


def _with_line(construct: Callable[[Any, Any], Any]) -> Callable[[Any, Node], Any]:
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


for _tag, _fn in (
    ("timestamp", yaml.SafeLoader.construct_yaml_timestamp),
    ("int", yaml.SafeLoader.construct_yaml_int),
    ("float", yaml.SafeLoader.construct_yaml_float),
):
    Loader.add_constructor(f"tag:yaml.org,2002:{_tag}", _with_line(_fn))


@contextlib.contextmanager
def no_cycle_collection() -> Iterator[None]:
    """Python's cycle collector paused while a file is read. Reading 12,000 entries makes
    half a million objects, none of them in a cycle; the collector kept walking all of them
    and was half the time of a read. Nothing is built differently: reference counting still
    frees what is dropped, and the collector runs again (and finds nothing) afterwards."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


def compose(text: str) -> Node | None:
    """The node tree, with positions; nothing is built from it yet."""
    loader = Loader(text)
    try:
        return cast(Node | None, loader.get_single_node())
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
                if isinstance(child, ScalarNode) and id(child) not in seen:
                    # a scalar met for the first time: sized here, never stacked
                    seen.add(id(child))
                    sizes[id(child)] = 1
                    continue
                if id(child) in seen:
                    aliases += 1
                    if aliases > max_aliases:
                        return (
                            f"line {child.start_mark.line + 1}: more than {max_aliases} "
                            "aliases (*refs); refusing a possible alias bomb"
                        )
                    if (
                        id(child) not in sizes
                        and not isinstance(child, ScalarNode)
                        and any(n is child for n, _, done in stack if done)
                    ):
                        return f"line {child.start_mark.line + 1}: an alias refers to itself"
                seen.add(id(child))
                stack.append((child, depth + 1, False))
            continue
        total = 1 + sum(sizes[id(c)] for c in children)
        if total > max_expanded:
            return (
                f"line {node.start_mark.line + 1}: aliases expand to more than "
                f"{max_expanded:,} values; refusing a possible alias bomb"
            )
        sizes[key] = total
    return None


def _duplicate_key(node: MappingNode) -> str | None:
    seen: dict[str, int] = {}
    for k, _ in node.value:
        if not isinstance(k, ScalarNode) or k.tag == "tag:yaml.org,2002:merge":
            continue
        if k.value in seen:
            return (
                f"line {k.start_mark.line + 1}: duplicate key {k.value!r} (first on line "
                f"{seen[k.value] + 1}); one of them would be silently lost"
            )
        seen[k.value] = k.start_mark.line
    return None


# --- writing whole values -------------------------------------------------------------------


class Dumper(yaml.SafeDumper):
    """Block style, keys in the order given, timestamps as ISO 8601 with a ``T``, and a
    double-quoted string always on one line."""

    def ignore_aliases(self, data: Any) -> bool:
        return True

    def write_double_quoted(self, text: str, split: bool = True) -> None:
        # PyYAML folds a long double-quoted string over several lines, escaping the breaks;
        # one line with ``\n`` in it is what a reader diffing the file expects.
        super().write_double_quoted(text, split=False)


class OneLine(str):
    """A string written double-quoted on one line, its line breaks as ``\n``."""

    __slots__ = ()


ONE_LINE_KEYS = ("prefix", "suffix")  # context around a quote: a fragment, not prose


def _represent_datetime(dumper: yaml.SafeDumper, value: dt.datetime) -> yaml.Node:
    return dumper.represent_scalar("tag:yaml.org,2002:timestamp", value.isoformat())


def _represent_str(dumper: yaml.SafeDumper, value: str) -> yaml.Node:
    """Multi-line quotes and notes read best as literal blocks (``|-``), but only those
    that start and end with a visible character and have no trailing spaces: any other
    needs ``|+`` or ``|2-`` and blank lines that a reader takes for separate text, and
    is written as one double-quoted line instead."""
    if "\n" in value:
        lines = value.split("\n")
        block = value[:1].strip() and value[-1:].strip() and all(x == x.rstrip() for x in lines)
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style="|" if block else '"')
    return dumper.represent_scalar("tag:yaml.org,2002:str", value)


def _represent_one_line(dumper: yaml.SafeDumper, value: OneLine) -> yaml.Node:
    return dumper.represent_scalar("tag:yaml.org,2002:str", str(value), style='"')


def written(key: Any, value: Any) -> Any:
    """``value`` as xref writes it under ``key``: a prefix or suffix holding a line break
    (a quote next to a paragraph break) as one double-quoted line."""
    if key in ONE_LINE_KEYS and isinstance(value, str) and "\n" in value:
        return OneLine(value)
    return value


def _represent_list(dumper: yaml.SafeDumper, value: list[Any]) -> yaml.Node:
    # Tags and other short lists of words stay on one line: ``tags: [a, b]``.
    short = all(isinstance(v, str | int | float) and len(str(v)) <= 40 for v in value)
    return dumper.represent_sequence(
        "tag:yaml.org,2002:seq", value, flow_style=short and len(value) <= 12 and bool(value)
    )


Dumper.add_representer(dt.datetime, _represent_datetime)
Dumper.add_representer(list, _represent_list)
Dumper.add_representer(str, _represent_str)
Dumper.add_representer(OneLine, _represent_one_line)


def to_yaml(value: Any) -> str:
    return yaml.dump(
        value,
        Dumper=Dumper,
        sort_keys=False,
        allow_unicode=True,
        default_flow_style=False,
        width=100,
    )


def ordered_entry(e: Any) -> Any:
    """Known fields first, in the README's order, then the reader's own keys as found."""
    if not isinstance(e, dict):
        return e
    known = {k: written(k, e[k]) for k in FIELDS if k in e}
    known.update((k, v) for k, v in e.items() if k not in known)
    return known
