"""Reading a corpus folder: which files are candidate articles, and their bytes and text.

A file that cannot be an article is refused with a one-line reason (``Skipped``,
``NotReadable``), never waited on: FIFOs and devices are refused from their ``stat``, links
out of the corpus are not followed, and a file larger than its format allows (``MAX_BYTES`` for
text; see ``index.formats``) is not read; a file of many articles is streamed, whatever its
size. Nothing here rewrites the text: a BOM is dropped by decoding, nothing else.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import stat
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from index.formats import Format, format_of

# Files that describe a corpus rather than belong to it.
META_NAMES = re.compile(r"^(readme|license|licence|attribution|changelog|copying)(\.|$)", re.I)
# An article larger than this is skipped. Indexing and highlighting are linear, but cost
# about 1.5 s and 60 MB of memory to index and 0.3 s to search for each megabyte of text (a
# hit in every paragraph): a bigger file is not an article, and would slow every search.
# The app is tested with a 5 MB paragraph.
MAX_BYTES = 8 * 1024 * 1024


@dataclass(frozen=True)
class Skipped:
    """A file that was not read, and why (shown as a one-line warning)."""

    path: str
    reason: str


@dataclass(frozen=True)
class Decoded:
    """A file's text and the encoding it was read in (the store warns when not UTF-8)."""

    text: str
    encoding: str


class NotReadable(Exception):
    """A file that cannot be an article; the message is the reason, for a warning line."""


@dataclass(frozen=True)
class Candidate:
    """A file of the corpus that may be an article, with what ``os.stat`` said of it."""

    rel: str
    path: str
    stat: os.stat_result


def relative(root: str, full: str) -> str:
    """``full`` relative to ``root`` in POSIX form; ``root`` may be ``/`` itself, whose
    prefix is one character, not two."""
    prefix = root if root.endswith(os.sep) else root + os.sep
    return full[len(prefix) :].replace(os.sep, "/")


def too_large(limit: int) -> str:
    return f"larger than {limit // (1024 * 1024)} MB"


def _reason(exc: OSError) -> str:
    if exc.errno == errno.ELOOP:
        return "symbolic link loop"
    return exc.strerror or str(exc)


def _kind(mode: int) -> str | None:
    """What a file that is not a regular file is, for the reason it is skipped."""
    for test, name in (
        (stat.S_ISFIFO, "a FIFO"),
        (stat.S_ISSOCK, "a socket"),
        (stat.S_ISCHR, "a device"),
        (stat.S_ISBLK, "a device"),
        (stat.S_ISDIR, "a folder"),
    ):
        if test(mode):
            return name
    return None if stat.S_ISREG(mode) else "not a regular file"


def scan(root: Path) -> tuple[list[Candidate], list[Skipped]]:
    """The candidate articles of ``root`` (sorted) and the files refused, each with a reason.
    Files of a format whose library is not installed are told once a format, with the extra
    to install, rather than once a file.

    Symbolic links to folders are not followed, and a linked file is read only when it
    resolves inside the corpus: a link must not pull in text from elsewhere on the disk.
    FIFOs, sockets and devices are refused from their ``stat`` without being opened (opening
    a FIFO waits for a writer forever); so are link loops and folders that cannot be listed.
    """
    root_s = str(root.resolve())
    files: list[Candidate] = []
    skipped: list[Skipped] = []
    _walk(root_s, root_s, files, skipped)
    missing: dict[str, int] = {}
    for c in files:
        reason = _format(c.rel).missing
        if reason is not None:
            missing[reason] = missing.get(reason, 0) + 1
    if missing:
        files = [c for c in files if _format(c.rel).missing is None]
        for reason, n in missing.items():
            kind = reason.split()[1]
            skipped.append(Skipped(f"{n} {kind} file{'s' if n > 1 else ''}", reason))
    return files, skipped


def _format(rel: str) -> Format:
    found = format_of(rel)
    assert found is not None  # a candidate has a format
    return found


def _walk(root_s: str, folder: str, files: list[Candidate], skipped: list[Skipped]) -> None:
    """Add the candidates of ``folder`` and its subfolders to ``files``, and the refused
    files to ``skipped``."""
    # os.scandir rather than os.walk: its entries know, without a system call, which
    # are links, so a plain file costs one stat (this runs before every command).
    try:
        with os.scandir(folder) as it:
            entries = list(it)
    except OSError as exc:
        where = os.path.abspath(exc.filename) if exc.filename else root_s
        rel = relative(root_s, where) + "/" if where != root_s else "./"
        skipped.append(Skipped(rel, f"cannot list folder: {_reason(exc)}"))
        return
    folders: list[os.DirEntry[str]] = []
    names: list[os.DirEntry[str]] = []
    for entry in entries:
        try:
            is_dir = entry.is_dir()  # follows a link, as os.walk does
        except OSError:
            is_dir = False
        (folders if is_dir else names).append(entry)
    for entry in sorted(names, key=lambda e: e.name):
        found = _candidate(root_s, entry)
        if isinstance(found, Candidate):
            files.append(found)
        elif found is not None:
            skipped.append(found)
    for entry in sorted(folders, key=lambda e: e.name):
        # Links to folders are not followed; hidden folders are not read.
        if not entry.name.startswith(".") and not entry.is_symlink():
            _walk(root_s, entry.path, files, skipped)


def _candidate(root_s: str, entry: os.DirEntry[str]) -> Candidate | Skipped | None:
    """A file of the corpus as a candidate article, refused with a reason, or None when it
    is not one xref reads (hidden, another suffix, a README)."""
    name = entry.name
    if name.startswith(".") or META_NAMES.match(name):
        return None
    full = entry.path
    rel = relative(root_s, full)
    fmt = format_of(rel)
    if fmt is None:
        return None
    try:
        if entry.is_symlink():
            st = os.stat(full)  # follows the link: its target is what will be read
            target = os.path.realpath(full)
            if os.path.commonpath([root_s, target]) != root_s:
                return Skipped(rel, "link to a file outside the corpus")
        else:
            st = entry.stat()
    except OSError as exc:
        return Skipped(rel, _reason(exc))
    kind = _kind(st.st_mode)
    if kind is not None:
        return Skipped(rel, f"not a regular file ({kind})")
    if not fmt.many and st.st_size > fmt.max_bytes:
        return Skipped(rel, too_large(fmt.max_bytes))
    return Candidate(rel, full, st)


def iter_files(root: Path) -> Iterator[tuple[str, str]]:
    """Yield ``(relative posix path, absolute path)`` of candidate articles, sorted."""
    for c in scan(root)[0]:
        yield c.rel, c.path


def _open_regular(path: str | Path) -> tuple[int, os.stat_result]:
    """A descriptor of a regular file and its ``stat``; opened without blocking, so that a
    file turned into a FIFO since the scan is refused rather than waited on."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
    except OSError as exc:
        raise NotReadable(_reason(exc)) from exc
    try:
        st = os.fstat(fd)
    except OSError as exc:
        os.close(fd)
        raise NotReadable(_reason(exc)) from exc
    kind = _kind(st.st_mode)
    if kind is not None:
        os.close(fd)
        raise NotReadable(f"not a regular file ({kind})")
    return fd, st


def read_bytes(path: str | Path, limit: int = MAX_BYTES) -> tuple[bytes, os.stat_result]:
    """The bytes of a regular file and its ``stat``, taken from one open file, so what is
    indexed, its checksum and the size and time recorded for it all describe one version of
    a file that may be changing meanwhile. Raises ``NotReadable``: a file deleted, turned
    into a FIFO or a folder since the scan is skipped, never waited on."""
    fd, st = _open_regular(path)
    try:
        if st.st_size > limit:
            raise NotReadable(too_large(limit))
        chunks = []
        size = 0
        while chunk := os.read(fd, 1 << 20):
            chunks.append(chunk)
            size += len(chunk)
            if size > limit:
                raise NotReadable(too_large(limit))
        return b"".join(chunks), st
    except OSError as exc:
        raise NotReadable(_reason(exc)) from exc
    finally:
        os.close(fd)


def open_regular(path: str | Path) -> tuple[BinaryIO, os.stat_result]:
    """A regular file opened for reading as a stream, and its ``stat`` (``NotReadable`` for
    anything else: a FIFO is refused, never waited on). For files of many articles, which
    are read a record at a time whatever their size."""
    fd, st = _open_regular(path)
    try:
        os.set_blocking(fd, True)
        return os.fdopen(fd, "rb", buffering=1 << 16), st
    except BaseException:
        os.close(fd)
        raise


_BOMS = (
    (b"\xff\xfe\x00\x00", "utf-32"),
    (b"\x00\x00\xfe\xff", "utf-32"),
    (b"\xff\xfe", "utf-16"),
    (b"\xfe\xff", "utf-16"),
)


def decode(data: bytes) -> Decoded:
    """Decode UTF-8 (with or without BOM), or UTF-16/32 announced by a BOM; fall back to
    cp1252, then Latin-1, with a warning. NUL bytes without a BOM mean a binary file."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return Decoded(data.decode(encoding), encoding)
            except UnicodeDecodeError as exc:
                raise NotReadable(f"not valid {encoding.upper()} ({exc.reason})") from exc
    if b"\x00" in data[:8192]:
        raise NotReadable("binary file (NUL bytes)")
    # UTF-8 first, then cp1252; Latin-1 decodes any byte, so it always ends the search.
    for codec, name in (("utf-8-sig", "utf-8"), ("cp1252", "cp1252")):
        with contextlib.suppress(UnicodeDecodeError):
            return Decoded(data.decode(codec), name)
    return Decoded(data.decode("latin-1"), "latin-1")


def other_kinds(root: Path, limit: int = 100_000) -> dict[str, int]:
    """Files of the corpus that xref does not read, by suffix (".html": 2): what ``xref index``
    names when a folder holds no article it can read. Hidden files and folders are left out;
    the walk stops after ``limit`` entries."""
    counts: dict[str, int] = {}
    seen = 0
    for _folder, dirs, names in os.walk(root):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        for name in names:
            seen += 1
            if name.startswith(".") or format_of(name) or META_NAMES.match(name):
                continue
            suffix = os.path.splitext(name)[1].lower() or "(no suffix)"
            counts[suffix] = counts.get(suffix, 0) + 1
        if seen > limit:
            break
    return counts
