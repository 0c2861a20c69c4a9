"""The bookmarks file: plain YAML the reader owns, reads, edits by hand and keeps in git.

Promises, each kept by a test:

- writes go to a temporary file in the same folder, flushed and fsynced, then renamed over the
  original (through a symbolic link, to its target), so a process killed at any moment leaves
  the old file or the new one;
- every change is read-merge-write under an exclusive lock on a side file, so two xref
  processes adding at once lose nothing;
- a file that does not parse, has another version, repeats a key, holds an impossible value,
  is not a regular file or has no write permission is never written to (``ReadOnly`` names the
  line where there is one); the app goes on read-only;
- a write changes only the text of the entry it adds, edits or deletes: comments, order,
  quoting and hand-written values elsewhere stay byte for byte (``tui.bookmarks_splice``);
- the file is read with safe constructors only (libyaml's parser when present); files that are
  huge, nested deeply, alias-heavy or whose aliases expand past ``MAX_EXPANDED`` values are
  refused from the composed nodes, before any object is built from them.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import logging
import os
import secrets
import stat
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from index.files import write_atomic
from tui.anchor import CONTEXT, context_of
from tui.bookmarks_splice import CannotSplice, Removed, same, snapshot, source_of, splice
from tui.bookmarks_yaml import (
    FIELDS,
    compose,
    compose_and_load,
    construct,
    ordered_entry,
    to_yaml,
    walk_checks,
)

log = logging.getLogger("xref")
VERSION = 1
MAX_BYTES = 8 * 1024 * 1024
MAX_DEPTH = 20
MAX_ALIASES = 64
MAX_EXPANDED = 1_000_000  # values reachable through aliases; an 8 MB file holds about 600,000
__all__ = ["FIELDS", "Bookmark", "BookmarkFile", "BookmarkStore", "BookmarksError", "ReadOnly",
           "dump", "make_entry", "new_id", "parse", "parse_tags", "read"]


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

    def _get(self, key: str, kind: type | tuple[type, ...], default: Any = None) -> Any:
        value = self.raw.get(key)
        return value if isinstance(value, kind) and not isinstance(value, bool) else default

    def _written(self, key: str) -> Node | None:
        if isinstance(self.node, MappingNode):
            for k, v in self.node.value:
                if isinstance(k, ScalarNode) and k.value == key:
                    return v
        return None

    @property
    def id(self) -> str:
        return str(self.raw.get("id", ""))

    @property
    def article(self) -> str:
        return str(self._get("article", (str, int), ""))

    @property
    def title(self) -> str:
        return str(self._get("title", str, ""))

    @property
    def path(self) -> str | None:
        return self._get("path", str)

    @property
    def passage(self) -> int | None:
        return self._get("passage", int)

    @property
    def quote(self) -> str:
        return self._get("quote", str, "")

    @property
    def prefix(self) -> str:
        return self._get("prefix", str, "")

    @property
    def suffix(self) -> str:
        return self._get("suffix", str, "")

    @property
    def start(self) -> int | None:
        return self._get("start", int)

    @property
    def end(self) -> int | None:
        return self._get("end", int)

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
            return [n.value if isinstance(n, ScalarNode) else str(t)
                    for n, t in zip(node.value, value, strict=True) if t is not None]
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
    _index: tuple[int, dict[str, dict[str, Any]]] | None = field(default=None, repr=False)

    @property
    def entries(self) -> list[Any]:
        return self.doc["bookmarks"]

    @property
    def bookmarks(self) -> list[Bookmark]:
        """Entries that look like bookmarks; others are kept but not shown."""
        nodes = {id(obj): node for obj, _, node in self.originals}
        return [Bookmark(e, nodes.get(id(e))) for e in self.entries
                if isinstance(e, dict) and e.get("id")]

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
        try:
            new = splice(self.text, self.root, self.originals, self.entries)
        except CannotSplice:
            return dump(self.doc)
        try:  # never write what would not read back as the intended document
            _, data = compose_and_load(new)
        except yaml.YAMLError:
            data = None
        if not (isinstance(data, dict) and same(data, self.doc)):
            log.warning("bookmarks: a spliced write did not read back the same; rewriting the "
                        "whole file instead")
            return dump(self.doc)
        return new


# --- reading ----------------------------------------------------------------------------


def _line(exc: yaml.YAMLError) -> str:
    """"line N: problem", plus where the construct began when that is another line (an
    unclosed quote is reported at the end of the file, but began where the user must look)."""
    mark = getattr(exc, "problem_mark", None)
    start = getattr(exc, "context_mark", None)
    problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
    if mark is None:
        return str(problem)
    where = f"line {mark.line + 1}: {problem}"
    if start is not None and start.line != mark.line:
        context = getattr(exc, "context", None) or "it began"
        where += f" ({context} from line {start.line + 1})"
    return where


def parse(text: str) -> BookmarkFile:
    """The file's text as a ``BookmarkFile``; ``ReadOnly`` if it cannot be trusted."""
    if len(text) > MAX_BYTES:
        raise ReadOnly(f"file is larger than {MAX_BYTES // (1024 * 1024)} MB")
    if not text.strip():
        return BookmarkFile()
    try:
        root = compose(text)
    except yaml.YAMLError as exc:
        if "nesting depth" in str(exc):  # libyaml's own limit, far above ours
            mark = getattr(exc, "problem_mark", None)
            where = f"line {mark.line + 1}: " if mark else ""
            raise ReadOnly(f"{where}nested more than {MAX_DEPTH} levels deep") from None
        raise ReadOnly(_line(exc)) from None
    except RecursionError:  # the pure-Python composer, without libyaml
        raise ReadOnly(f"nested more than {MAX_DEPTH} levels deep") from None
    if root is None:
        return BookmarkFile()
    # Checked on the nodes, before anything is built from them.
    problem = walk_checks(root, MAX_DEPTH, MAX_ALIASES, MAX_EXPANDED)
    if problem:
        raise ReadOnly(problem)
    try:
        doc = construct(root)
    except yaml.YAMLError as exc:
        raise ReadOnly(_line(exc)) from None
    if doc is None:
        return BookmarkFile()
    if not isinstance(doc, dict):
        raise ReadOnly("line 1: expected a mapping with 'version: 1' and 'bookmarks:'")
    version = doc.get("version")
    if version != VERSION or isinstance(version, bool):
        raise ReadOnly(f"unknown version {version!r} (this xref reads version {VERSION})")
    entries = doc.get("bookmarks")
    originals: list[tuple[Any, Any, Node]] = []
    if entries is None:
        doc["bookmarks"] = []
    elif not isinstance(entries, list):
        raise ReadOnly("'bookmarks:' must be a list")
    else:
        seq = next(v for k, v in root.value  # type: ignore[attr-defined]
                   if isinstance(k, ScalarNode) and k.value == "bookmarks")
        if isinstance(seq, SequenceNode) and len(seq.value) == len(entries):
            originals = [(e, snapshot(e), n) for e, n in zip(entries, seq.value, strict=True)]
    return BookmarkFile(doc, text, root, originals)


def _kind(mode: int) -> str | None:
    """What a non-regular file is, in words; None for a regular file."""
    for test, name in ((stat.S_ISDIR, "a directory"), (stat.S_ISFIFO, "a named pipe (FIFO)"),
                       (stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device"),
                       (stat.S_ISSOCK, "a socket")):
        if test(mode):
            return name
    return None if stat.S_ISREG(mode) else "not a regular file"


def read(path: Path) -> BookmarkFile:
    """Read the file (a missing one is empty). Raises ``ReadOnly`` or ``BookmarksError``.

    Opened without blocking and checked before reading: a FIFO would hang the read, and a
    device or directory is refused here so that nothing is ever renamed over it."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    except FileNotFoundError:
        return BookmarkFile()
    except IsADirectoryError:
        raise ReadOnly(f"{path} is a directory, not a bookmarks file; refusing to use it") \
            from None
    except OSError as exc:
        raise BookmarksError(f"cannot read {path}: {exc.strerror}") from None
    with os.fdopen(fd, "rb") as f:
        st = os.fstat(fd)
        if _kind(st.st_mode):
            _refuse_special(path)
        if st.st_size > MAX_BYTES:
            raise ReadOnly(f"{path}: file is larger than {MAX_BYTES // (1024 * 1024)} MB")
        try:
            data = f.read(MAX_BYTES + 1)
        except OSError as exc:
            raise BookmarksError(f"cannot read {path}: {exc.strerror}") from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ReadOnly(f"{path}: not UTF-8 text") from None
    try:
        return parse(text)
    except ReadOnly as exc:
        raise ReadOnly(f"{path}: {exc}") from None


def _refuse_special(path: Path) -> None:
    """``ReadOnly`` if ``path`` exists and is not a regular file (a device, folder, FIFO)."""
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return  # missing, or a problem the read that follows reports
    kind = _kind(mode)
    if kind:
        raise ReadOnly(f"{path} is {kind}, not a bookmarks file; refusing to use it")


def no_write_permission(path: Path) -> bool:
    """Whether the reader took write permission away (``chmod 444``). Checked from the mode
    bits as well as ``os.access``: root may write anything, but a file made read-only by its
    owner is a wish xref keeps even then."""
    try:
        st = os.stat(path)
    except OSError:
        return False
    if not st.st_mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH):
        return True
    if os.geteuid() == st.st_uid:
        return not st.st_mode & stat.S_IWUSR
    return not os.access(path, os.W_OK)


# --- writing ----------------------------------------------------------------------------


def dump(doc: dict[str, Any]) -> str:
    """The whole document in xref's own layout: for a new file, or one whose layout the
    splicer does not handle."""
    ordered: dict[str, Any] = {"version": doc.get("version", VERSION)}
    ordered.update((k, v) for k, v in doc.items() if k not in ("version", "bookmarks"))
    ordered["bookmarks"] = [ordered_entry(e) for e in doc.get("bookmarks") or []]
    return to_yaml(ordered)


@contextlib.contextmanager
def _locked(path: Path) -> Iterator[None]:
    path.parent.mkdir(parents=True, exist_ok=True)
    lock = path.with_name(path.name + ".lock")
    fd = os.open(lock, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        fcntl.flock(fd, fcntl.LOCK_UN)
        os.close(fd)


class BookmarkStore:
    """The file at ``path``: read it, change it safely."""

    def __init__(self, path: Path) -> None:
        self.path = path

    @property
    def target(self) -> Path:
        """The file really written: a symbolic link's target, so the link stays a link."""
        return Path(os.path.realpath(self.path))

    def load(self) -> BookmarkFile:
        return read(self.path)

    def check_writable(self) -> None:
        """Raise ``ReadOnly`` when a change could not be saved: the file does not parse, is
        not a regular file, or has no write permission. For asking before the user types."""
        read(self.path)
        if no_write_permission(self.target):
            raise ReadOnly(f"{self.path} has no write permission; it is left as it is")

    def change(self, edit: Callable[[BookmarkFile], Any]) -> Any:
        """Read the file afresh under the lock, apply ``edit``, write it back atomically.

        Reading under the lock is what merges concurrent writers: each sees the other's
        entries. ``ReadOnly`` propagates and nothing is written."""
        target = self.target
        try:
            _refuse_special(target)  # before making a lock file beside a device or folder
            with _locked(target):
                current = read(target)
                if no_write_permission(target):
                    raise ReadOnly(f"{self.path} has no write permission; it is left as it is")
                result = edit(current)
                write_atomic(target, current.render())
                return result
        except OSError as exc:
            raise BookmarksError(f"cannot write {self.path}: {exc.strerror or exc}") from None

    def add(self, entry: dict[str, Any]) -> dict[str, Any]:
        def edit(f: BookmarkFile) -> dict[str, Any]:
            taken = {str(e.get("id")) for e in f.entries if isinstance(e, dict)}
            entry["id"] = new_id(taken)
            f.entries.append(entry)
            return entry

        return self.change(edit)

    def update(self, bookmark_id: str, **values: Any) -> bool:
        def edit(f: BookmarkFile) -> bool:
            e = f.find(bookmark_id)
            if e is None:
                return False
            for k, v in values.items():
                if k in ("note", "tags") and not v:
                    e.pop(k, None)
                else:
                    e[k] = v
            return True

        return self.change(edit)

    def delete(self, bookmark_id: str) -> tuple[dict[str, Any], int] | None:
        """Remove an entry; return it and where it was (for undo)."""

        def edit(f: BookmarkFile) -> tuple[dict[str, Any], int] | None:
            for i, e in enumerate(f.entries):
                if isinstance(e, dict) and str(e.get("id")) == bookmark_id:
                    removed = Removed(f.entries.pop(i))
                    source = f.source_of(e)
                    if source is not None:
                        removed.source, removed.dash = source
                    return removed, i
            return None

        return self.change(edit)

    def restore(self, entry: dict[str, Any], position: int | None = None) -> None:
        """Put back a deleted entry (undo), keeping its id."""

        def edit(f: BookmarkFile) -> None:
            if f.find(str(entry.get("id"))) is not None:
                return
            at = len(f.entries) if position is None else min(position, len(f.entries))
            f.entries.insert(at, entry)

        self.change(edit)


def new_id(taken: set[str]) -> str:
    while True:
        candidate = secrets.token_hex(4)
        if candidate not in taken:
            return candidate


def make_entry(article_id: str, title: str, path: str, passage: int, text: str, start: int,
               end: int, note: str = "", tags: list[str] | None = None) -> dict[str, Any]:
    """A new bookmark for ``text[start:end]`` of an article (id assigned on save)."""
    prefix, suffix = context_of(text, start, end)
    entry: dict[str, Any] = {
        "id": "",
        "created": dt.datetime.now(dt.UTC).replace(microsecond=0),
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
