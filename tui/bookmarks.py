"""The bookmarks file: plain YAML the reader owns, reads, edits by hand and keeps in git.

Promises, each kept by a test:

- writes go to a temporary file in the same folder, flushed and fsynced, then renamed over the
  original, so a process killed at any moment leaves the old file or the new one;
- every change is read-merge-write under an exclusive lock on a side file, so two xref
  processes adding at once lose nothing;
- a file that does not parse, or has another version, is never written to (``ReadOnly``
  names the line); the app goes on read-only;
- keys and entries xref does not know are written back as they were (comments are not: PyYAML
  does not keep them, which the README says);
- the file is read with ``yaml.safe_load`` only, after a cheap event scan that refuses huge,
  deeply nested or alias-heavy files before anything is built from them.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import os
import secrets
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from index.files import write_atomic
from tui.anchor import CONTEXT, context_of

VERSION = 1
MAX_BYTES = 8 * 1024 * 1024
MAX_DEPTH = 20
MAX_ALIASES = 64
FIELDS = ("id", "created", "article", "title", "path", "passage", "quote", "prefix", "suffix",
          "start", "end", "note", "tags")


class BookmarksError(Exception):
    """A one-line problem with the bookmarks file, for the user."""


class ReadOnly(BookmarksError):
    """The file exists but cannot be trusted to be written back (parse error, unknown version,
    hostile content). Its text says why, naming the line where there is one."""


@dataclass
class Bookmark:
    """One entry. ``raw`` is the mapping as read, so unknown keys survive a rewrite."""

    raw: dict[str, Any]

    def _get(self, key: str, kind: type | tuple[type, ...], default: Any = None) -> Any:
        value = self.raw.get(key)
        return value if isinstance(value, kind) and not isinstance(value, bool) else default

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
        return "" if value is None else str(value)

    @property
    def tags(self) -> list[str]:
        value = self.raw.get("tags")
        if isinstance(value, str):
            return [value]
        if isinstance(value, list):
            return [str(t) for t in value if t is not None]
        return []

    @property
    def created(self) -> str:
        value = self.raw.get("created")
        if isinstance(value, dt.datetime | dt.date):
            return value.isoformat()
        return "" if value is None else str(value)


@dataclass
class BookmarkFile:
    """What was read: the whole document (to write back faithfully) and its bookmarks."""

    doc: dict[str, Any] = field(default_factory=lambda: {"version": VERSION, "bookmarks": []})

    @property
    def entries(self) -> list[Any]:
        return self.doc["bookmarks"]

    @property
    def bookmarks(self) -> list[Bookmark]:
        """Entries that look like bookmarks; others are kept but not shown."""
        return [Bookmark(e) for e in self.entries if isinstance(e, dict) and e.get("id")]

    def find(self, bookmark_id: str) -> dict[str, Any] | None:
        for e in self.entries:
            if isinstance(e, dict) and str(e.get("id")) == bookmark_id:
                return e
        return None


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


def _scan(text: str) -> None:
    """Refuse what ``safe_load`` would choke on, from the event stream (no objects built)."""
    depth = aliases = 0
    try:
        for event in yaml.parse(text, Loader=yaml.SafeLoader):
            if isinstance(event, yaml.CollectionStartEvent):
                depth += 1
                if depth > MAX_DEPTH:
                    raise ReadOnly(f"line {event.start_mark.line + 1}: nested more than "
                                   f"{MAX_DEPTH} levels deep")
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
            elif isinstance(event, yaml.AliasEvent):
                aliases += 1
                if aliases > MAX_ALIASES:
                    raise ReadOnly(f"line {event.start_mark.line + 1}: more than {MAX_ALIASES} "
                                   "aliases (*refs); refusing a possible alias bomb")
    except yaml.YAMLError as exc:
        raise ReadOnly(_line(exc)) from None


def parse(text: str) -> BookmarkFile:
    """The file's text as a ``BookmarkFile``; ``ReadOnly`` if it cannot be trusted."""
    if len(text) > MAX_BYTES:
        raise ReadOnly(f"file is larger than {MAX_BYTES // (1024 * 1024)} MB")
    if not text.strip():
        return BookmarkFile()
    _scan(text)
    try:
        doc = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise ReadOnly(_line(exc)) from None
    except RecursionError:
        raise ReadOnly("nested too deeply") from None
    if doc is None:
        return BookmarkFile()
    if not isinstance(doc, dict):
        raise ReadOnly("line 1: expected a mapping with 'version: 1' and 'bookmarks:'")
    version = doc.get("version")
    if version != VERSION:
        raise ReadOnly(f"unknown version {version!r} (this xref reads version {VERSION})")
    entries = doc.get("bookmarks")
    if entries is None:
        doc["bookmarks"] = []
    elif not isinstance(entries, list):
        raise ReadOnly("'bookmarks:' must be a list")
    return BookmarkFile(doc)


def read(path: Path) -> BookmarkFile:
    """Read the file (a missing one is empty). Raises ``ReadOnly`` or ``BookmarksError``."""
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        return BookmarkFile()
    except OSError as exc:
        raise BookmarksError(f"cannot read {path}: {exc.strerror}") from None
    if size > MAX_BYTES:
        raise ReadOnly(f"{path}: file is larger than {MAX_BYTES // (1024 * 1024)} MB")
    try:
        data = path.read_bytes()
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


# --- writing ----------------------------------------------------------------------------


class _Dumper(yaml.SafeDumper):
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


_Dumper.add_representer(dt.datetime, _represent_datetime)
_Dumper.add_representer(list, _represent_list)
_Dumper.add_representer(str, _represent_str)


def dump(doc: dict[str, Any]) -> str:
    ordered: dict[str, Any] = {"version": doc.get("version", VERSION)}
    ordered.update((k, v) for k, v in doc.items() if k not in ("version", "bookmarks"))
    entries = []
    for e in doc.get("bookmarks") or []:
        if isinstance(e, dict):
            known = {k: e[k] for k in FIELDS if k in e}
            known.update((k, v) for k, v in e.items() if k not in known)
            entries.append(known)
        else:
            entries.append(e)
    ordered["bookmarks"] = entries
    return yaml.dump(ordered, Dumper=_Dumper, sort_keys=False, allow_unicode=True,
                     default_flow_style=False, width=100)


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

    def load(self) -> BookmarkFile:
        return read(self.path)

    def change(self, edit: Callable[[BookmarkFile], Any]) -> Any:
        """Read the file afresh under the lock, apply ``edit``, write it back atomically.

        Reading under the lock is what merges concurrent writers: each sees the other's
        entries. ``ReadOnly`` propagates and nothing is written."""
        try:
            with _locked(self.path):
                current = read(self.path)
                result = edit(current)
                write_atomic(self.path, dump(current.doc))
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
                    return f.entries.pop(i), i
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
