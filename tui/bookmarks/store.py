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
  quoting and hand-written values elsewhere stay byte for byte (``tui.bookmarks.splice``);
- the file is read with safe constructors only (libyaml's parser when present); files that are
  huge, nested deeply, alias-heavy or whose aliases expand past ``MAX_EXPANDED`` values are
  refused from the composed nodes, before any object is built from them.
"""

from __future__ import annotations

import contextlib
import fcntl
import logging
import os
import stat
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, TypeVar

import yaml
from yaml.nodes import Node, ScalarNode, SequenceNode

from index.files import write_atomic, yaml_problem
from tui.bookmarks.model import VERSION, BookmarkFile, BookmarksError, ReadOnly, new_id
from tui.bookmarks.splice import Removed, snapshot
from tui.bookmarks.yaml_io import compose, construct, no_cycle_collection, walk_checks

log = logging.getLogger("xref")
T = TypeVar("T")
MAX_BYTES = 8 * 1024 * 1024
MAX_DEPTH = 20
MAX_ALIASES = 64
MAX_EXPANDED = 1_000_000  # values reachable through aliases; an 8 MB file holds about 600,000


# --- reading ----------------------------------------------------------------------------


def parse(text: str) -> BookmarkFile:
    """The file's text as a ``BookmarkFile``; ``ReadOnly`` if it cannot be trusted."""
    with no_cycle_collection():
        return _parse(text)


def _parse(text: str) -> BookmarkFile:
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
        raise ReadOnly(yaml_problem(exc)) from None
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
        raise ReadOnly(yaml_problem(exc)) from None
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
        seq = next(v for k, v in root.value if isinstance(k, ScalarNode) and k.value == "bookmarks")
        if isinstance(seq, SequenceNode) and len(seq.value) == len(entries):
            originals = [(e, snapshot(e), n) for e, n in zip(entries, seq.value, strict=True)]
    rest = snapshot({k: v for k, v in doc.items() if k != "bookmarks"})
    return BookmarkFile(doc, text, root, originals, rest)


def _kind(mode: int) -> str | None:
    """What a non-regular file is, in words; None for a regular file."""
    for test, name in (
        (stat.S_ISDIR, "a directory"),
        (stat.S_ISFIFO, "a named pipe (FIFO)"),
        (stat.S_ISCHR, "a character device"),
        (stat.S_ISBLK, "a block device"),
        (stat.S_ISSOCK, "a socket"),
    ):
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
        raise ReadOnly(f"{path} is a directory, not a bookmarks file; refusing to use it") from None
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

    def change(self, edit: Callable[[BookmarkFile], T]) -> T:
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
