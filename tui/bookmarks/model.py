"""What the bookmarks file holds: its entries as read (``Bookmark``), the whole document
with the text and nodes it came from (``BookmarkFile``), and new entries (``make_entry``).

Kept apart from reading and writing the file (``tui.bookmarks.store``): these are values,
the store is the file system, the lock and the promises about both.
"""

from __future__ import annotations

import datetime as dt
import logging
import secrets
from dataclasses import dataclass, field
from typing import Any, cast

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from tui.bookmarks.anchor import CONTEXT, context_of
from tui.bookmarks.splice import CannotSplice, appended, same, source_of, splice
from tui.bookmarks.yaml_io import (
    compose_and_load,
    no_cycle_collection,
    ordered_entry,
    to_yaml,
)

log = logging.getLogger("xref")
VERSION = 1


class BookmarksError(Exception):
    """A one-line problem with the bookmarks file, for the user."""


class ReadOnly(BookmarksError):
    """The file exists but cannot be trusted to be written back (parse error, unknown version,
    hostile content, not a regular file, no write permission). Its text says why, naming the
    line where there is one."""


@dataclass
class Bookmark:
    """One entry. ``raw`` is the mapping as read, so unknown keys survive a rewrite; ``node``
    is its YAML node, so a note or tag the reader wrote as ``yes`` or ``010`` is shown as
    written rather than as ``True`` or ``8``."""

    raw: dict[str, Any]
    node: Node | None = None

    def _text(self, key: str) -> str | None:
        value = self.raw.get(key)
        return value if isinstance(value, str) else None

    def _int(self, key: str) -> int | None:
        value = self.raw.get(key)
        return value if isinstance(value, int) and not isinstance(value, bool) else None

    def _written(self, key: str) -> Node | None:
        if isinstance(self.node, MappingNode):
            for k, v in self.node.value:
                if isinstance(k, ScalarNode) and k.value == key:
                    return cast(Node, v)
        return None

    @property
    def id(self) -> str:
        return str(self.raw.get("id", ""))

    @property
    def corpus(self) -> str | None:
        """The corpus folder it was made in (absolute); None for a bookmark written before
        xref recorded it, or a hand-written one."""
        return self._text("corpus")

    @property
    def article(self) -> str:
        value = self.raw.get("article")
        return str(value) if isinstance(value, str | int) and not isinstance(value, bool) else ""

    @property
    def title(self) -> str:
        return self._text("title") or ""

    @property
    def path(self) -> str | None:
        return self._text("path")

    @property
    def passage(self) -> int | None:
        return self._int("passage")

    @property
    def quote(self) -> str:
        return self._text("quote") or ""

    @property
    def prefix(self) -> str:
        return self._text("prefix") or ""

    @property
    def suffix(self) -> str:
        return self._text("suffix") or ""

    @property
    def start(self) -> int | None:
        return self._int("start")

    @property
    def end(self) -> int | None:
        return self._int("end")

    @property
    def note(self) -> str:
        value = self.raw.get("note")
        if value is None or isinstance(value, str):
            return value or ""
        node = self._written("note")
        return node.value if isinstance(node, ScalarNode) else str(value)

    @property
    def tags(self) -> list[str]:
        value = self.raw.get("tags")
        if isinstance(value, str):
            return [value]
        if not isinstance(value, list):
            return []
        node = self._written("tags")
        if isinstance(node, SequenceNode) and len(node.value) == len(value):
            return [
                n.value if isinstance(n, ScalarNode) else str(t)
                for n, t in zip(node.value, value, strict=True)
                if t is not None
            ]
        return [str(t) for t in value if t is not None]

    @property
    def created(self) -> str:
        value = self.raw.get("created")
        if isinstance(value, dt.datetime | dt.date):
            return value.isoformat()
        return "" if value is None else str(value)


@dataclass
class BookmarkFile:
    """What was read: the whole document, and the text and nodes it came from, so that a
    write can splice only what changed into the text the reader wrote."""

    doc: dict[str, Any] = field(default_factory=lambda: {"version": VERSION, "bookmarks": []})
    text: str | None = None
    root: Node | None = None
    originals: list[tuple[Any, Any, Node]] = field(default_factory=list)
    # the document's other keys as read (a deep snapshot), to tell that no edit changed them
    rest: dict[str, Any] | None = None
    _index: tuple[int, dict[str, dict[str, Any]]] | None = field(default=None, repr=False)

    @property
    def entries(self) -> list[Any]:
        return cast(list[Any], self.doc["bookmarks"])

    @property
    def bookmarks(self) -> list[Bookmark]:
        """Entries that look like bookmarks; others are kept but not shown."""
        nodes = {id(obj): node for obj, _, node in self.originals}
        return [
            Bookmark(e, nodes.get(id(e)))
            for e in self.entries
            if isinstance(e, dict) and e.get("id")
        ]

    def find(self, bookmark_id: str) -> dict[str, Any] | None:
        """The entry with this id. An index built on first use: ``accept`` looks up every
        moved bookmark, and a scan each time was quadratic in a file of thousands."""
        if self._index is None or self._index[0] != len(self.entries):
            index: dict[str, dict[str, Any]] = {}
            for e in reversed(self.entries):  # the first of two equal ids wins, as before
                if isinstance(e, dict):
                    index[str(e.get("id"))] = e
            self._index = (len(self.entries), index)
        return self._index[1].get(bookmark_id)

    def source_of(self, entry: Any) -> tuple[str, int] | None:
        """The text an entry had in the file, and its dash column (None if it was not read
        from the file, or sits in a layout the splicer does not handle)."""
        if self.text is None:
            return None
        node = next((n for obj, _, n in self.originals if obj is entry), None)
        return None if node is None else source_of(self.text, node)

    def render(self) -> str:
        """The text to write: the original with the changes spliced in, else a fresh dump."""
        if self.text is None or self.root is None:
            return dump(self.doc)
        with no_cycle_collection():  # see there: allocation over a large file's objects
            return self._render(self.text, self.root)

    def _render(self, text: str, root: Node) -> str:
        try:
            new = splice(text, root, self.originals, self.entries)
        except CannotSplice:
            return dump(self.doc)
        if not self._reads_back(new):
            log.warning(
                "bookmarks: a spliced write did not read back the same; rewriting the "
                "whole file instead"
            )
            return dump(self.doc)
        return new

    def _reads_back(self, new: str) -> bool:
        """Whether ``new`` reads back as the intended document: never write what would not.

        An append to the end of the list (``bookmark add``) parses only the appended block,
        for the reasons ``splice.appended`` gives, once the document's other keys are checked
        unchanged; anything else parses the whole text again."""
        assert self.text is not None and self.root is not None
        block = appended(self.text, new, self.root, self.originals, self.entries)
        if block is not None and self.rest is not None and self._rest_unchanged():
            return appended_reads_as(*block)
        try:
            _, data = compose_and_load(new)
        except yaml.YAMLError:
            return False
        return isinstance(data, dict) and same(data, self.doc)

    def _rest_unchanged(self) -> bool:
        rest = {k: v for k, v in self.doc.items() if k != "bookmarks"}
        return "bookmarks" in self.doc and same(rest, self.rest)


def appended_reads_as(block: str, entries: list[Any]) -> bool:
    """Whether ``block``, parsed by itself, is the list ``entries``."""
    try:
        _, data = compose_and_load(block)
    except yaml.YAMLError:
        return False
    return isinstance(data, list) and same(data, entries)


def dump(doc: dict[str, Any]) -> str:
    """The whole document in xref's own layout: for a new file, or one whose layout the
    splicer does not handle."""
    ordered: dict[str, Any] = {"version": doc.get("version", VERSION)}
    ordered.update((k, v) for k, v in doc.items() if k not in ("version", "bookmarks"))
    ordered["bookmarks"] = [ordered_entry(e) for e in doc.get("bookmarks") or []]
    return to_yaml(ordered)


def new_id(taken: set[str]) -> str:
    while True:
        candidate = secrets.token_hex(4)
        if candidate not in taken:
            return candidate


def make_entry(
    article_id: str,
    title: str,
    path: str,
    passage: int,
    text: str,
    start: int,
    end: int,
    note: str = "",
    tags: list[str] | None = None,
    corpus: str | None = None,
) -> dict[str, Any]:
    """A new bookmark for ``text[start:end]`` of an article (id assigned on save), in the
    corpus folder ``corpus`` (an absolute path): one file holds the bookmarks of every corpus
    a reader opens, and each is shown with its own."""
    prefix, suffix = context_of(text, start, end)
    entry: dict[str, Any] = {
        "id": "",
        "created": dt.datetime.now(dt.UTC).replace(microsecond=0),
        **({"corpus": corpus} if corpus is not None else {}),
        "article": article_id,
        "title": title,
        "path": path,
        "passage": passage,
        "quote": text[start:end],
        "prefix": prefix,
        "suffix": suffix,
        "start": start,
        "end": end,
    }
    if note.strip():
        entry["note"] = note.strip()
    clean_tags = [t.strip() for t in tags or [] if t.strip()]
    if clean_tags:
        entry["tags"] = clean_tags
    assert len(prefix) <= CONTEXT and len(suffix) <= CONTEXT
    return entry


def parse_tags(text: str) -> list[str]:
    """Tags typed as ``a, b c`` or ``#a #b``."""
    return [t.lstrip("#") for t in text.replace(",", " ").split() if t.lstrip("#")]
