"""Reading a corpus: a folder of ``.txt`` and ``.md`` files, one article each.

Every offset xref reports is a Python ``str`` index into the decoded file text, so the reader,
the search highlights, the entity mentions and the bookmarks all agree on what ``text[a:b]``
means. Nothing here rewrites the text: a BOM is dropped by decoding, nothing else.
"""

from __future__ import annotations

import bisect
import errno
import os
import re
import stat
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

SUFFIXES = (".txt", ".md")
# Files that describe a corpus rather than belong to it.
META_NAMES = re.compile(r"^(readme|license|licence|attribution|changelog|copying)(\.|$)", re.I)
# An article larger than this is skipped. Indexing and highlighting are linear, but cost
# about 1.5 s and 60 MB of memory to index and 0.3 s to search for each megabyte of text (a
# hit in every paragraph): a bigger file is not an article, and would slow every search.
# The app is tested with a 5 MB paragraph.
MAX_BYTES = 8 * 1024 * 1024


@dataclass(frozen=True)
class Passage:
    """A paragraph: ``text[start:end]`` of its article, numbered from 0."""

    index: int
    start: int
    end: int


@dataclass(frozen=True)
class Article:
    """One decoded file with what could be read off it."""

    id: str
    path: str  # relative to the corpus, POSIX separators
    text: str
    title: str
    byline: str | None
    date: str | None
    passages: tuple[Passage, ...]
    encoding: str = "utf-8"

    def passage_text(self, index: int) -> str:
        p = self.passages[index]
        return self.text[p.start : p.end]

    @cached_property
    def _starts(self) -> list[int]:
        return [p.start for p in self.passages]

    def passage_at(self, offset: int) -> int:
        """The passage holding ``offset`` (or the nearest one before it). A bisection: this
        is asked for every highlight and mention, and a scan made an article of 20,000
        paragraphs quadratic."""
        return max(bisect.bisect_right(self._starts, offset) - 1, 0)


@dataclass(frozen=True)
class Skipped:
    """A file that was not read, and why (shown as a one-line warning)."""

    path: str
    reason: str


@dataclass(frozen=True)
class ArticleInfo:
    """One line of the article list: what the index knows of an article without reading its
    text (the manifest's entry), for pickers and the results pane's list."""

    id: str
    path: str
    title: str
    byline: str | None
    date: str | None
    passages: int


@dataclass(frozen=True)
class Decoded:
    """A file's text and the encoding it was read in (the store warns when not UTF-8)."""

    text: str
    encoding: str


class NotReadable(Exception):
    """A file that cannot be an article; the message is the reason, for a warning line."""


def article_id(rel_path: str) -> str:
    """The id is the relative path without its suffix: ``000_10688c53cc6a5332``."""
    return rel_path.rsplit(".", 1)[0] if rel_path.lower().endswith(SUFFIXES) else rel_path


def article_ids(rel_paths: Iterable[str]) -> dict[str, str]:
    """The id of every file, unique: files whose ids would be the same ("dup.txt" beside
    "dup.md") are each known by their whole relative path, which no other file has. That can
    free or take an id of a third file ("dup.md" beside "dup.md.txt"), so it runs until no
    two ids are the same; every round fixes at least one file for good."""
    ids = {rel: article_id(rel) for rel in rel_paths}
    while True:
        groups: dict[str, list[str]] = {}
        for rel, aid in ids.items():
            groups.setdefault(aid, []).append(rel)
        clashing = [
            rel for group in groups.values() if len(group) > 1 for rel in group if ids[rel] != rel
        ]
        if not clashing:
            return ids
        for rel in clashing:
            ids[rel] = rel


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


_TOO_LARGE = f"larger than {MAX_BYTES // (1024 * 1024)} MB"


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

    Symbolic links to folders are not followed, and a linked file is read only when it
    resolves inside the corpus: a link must not pull in text from elsewhere on the disk.
    FIFOs, sockets and devices are refused from their ``stat`` without being opened (opening
    a FIFO waits for a writer forever); so are link loops and folders that cannot be listed.
    """
    root_s = str(root.resolve())
    files: list[Candidate] = []
    skipped: list[Skipped] = []

    def unlistable(exc: OSError) -> None:
        where = os.path.abspath(exc.filename) if exc.filename else root_s
        rel = relative(root_s, where) + "/" if where != root_s else "./"
        skipped.append(Skipped(rel, f"cannot list folder: {_reason(exc)}"))

    def walk(folder: str) -> None:
        # os.scandir rather than os.walk: its entries know, without a system call, which
        # are links, so a plain file costs one stat (this runs before every command).
        try:
            with os.scandir(folder) as it:
                entries = list(it)
        except OSError as exc:
            unlistable(exc)
            return
        folders, names = [], []
        for entry in entries:
            try:
                is_dir = entry.is_dir()  # follows a link, as os.walk does
            except OSError:
                is_dir = False
            (folders if is_dir else names).append(entry)
        for entry in sorted(names, key=lambda e: e.name):
            name = entry.name
            if name.startswith(".") or not name.lower().endswith(SUFFIXES):
                continue
            if META_NAMES.match(name):
                continue
            full = entry.path
            rel = relative(root_s, full)
            try:
                if entry.is_symlink():
                    st = os.stat(full)  # follows the link: its target is what will be read
                    target = os.path.realpath(full)
                    if os.path.commonpath([root_s, target]) != root_s:
                        skipped.append(Skipped(rel, "link to a file outside the corpus"))
                        continue
                else:
                    st = entry.stat()
            except OSError as exc:
                skipped.append(Skipped(rel, _reason(exc)))
                continue
            kind = _kind(st.st_mode)
            if kind is not None:
                skipped.append(Skipped(rel, f"not a regular file ({kind})"))
                continue
            if st.st_size > MAX_BYTES:
                skipped.append(Skipped(rel, _TOO_LARGE))
                continue
            files.append(Candidate(rel, full, st))
        for entry in sorted(folders, key=lambda e: e.name):
            # Links to folders are not followed; hidden folders are not read.
            if not entry.name.startswith(".") and not entry.is_symlink():
                walk(entry.path)

    walk(root_s)
    return files, skipped


def iter_files(root: Path) -> Iterator[tuple[str, str]]:
    """Yield ``(relative posix path, absolute path)`` of candidate articles, sorted."""
    for c in scan(root)[0]:
        yield c.rel, c.path


def read_bytes(path: str | Path) -> tuple[bytes, os.stat_result]:
    """The bytes of a regular file and its ``stat``, taken from one open file, so what is
    indexed, its checksum and the size and time recorded for it all describe one version of
    a file that may be changing meanwhile. Raises ``NotReadable``: a file deleted, turned
    into a FIFO or a folder since the scan is skipped, never waited on."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
    except OSError as exc:
        raise NotReadable(_reason(exc)) from exc
    try:
        st = os.fstat(fd)
        kind = _kind(st.st_mode)
        if kind is not None:
            raise NotReadable(f"not a regular file ({kind})")
        if st.st_size > MAX_BYTES:
            raise NotReadable(_TOO_LARGE)
        chunks = []
        size = 0
        while chunk := os.read(fd, 1 << 20):
            chunks.append(chunk)
            size += len(chunk)
            if size > MAX_BYTES:
                raise NotReadable(_TOO_LARGE)
        return b"".join(chunks), st
    except OSError as exc:
        raise NotReadable(_reason(exc)) from exc
    finally:
        os.close(fd)


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
    try:
        return Decoded(data.decode("utf-8-sig"), "utf-8")
    except UnicodeDecodeError:
        pass  # not UTF-8: the fallbacks below
    try:
        return Decoded(data.decode("cp1252"), "cp1252")
    except UnicodeDecodeError:
        return Decoded(data.decode("latin-1"), "latin-1")


def read_article(root: Path, rel_path: str) -> Article:
    """Read one article; raise ``NotReadable`` with a short reason if it cannot be one."""
    data, _st = read_bytes(root / rel_path)
    return article_from_bytes(rel_path, data)


def article_from_bytes(rel_path: str, data: bytes, id_: str | None = None) -> Article:
    """Decode and parse a file's bytes (``NotReadable`` when they cannot be an article)."""
    decoded = decode(data)
    if not decoded.text.strip():
        raise NotReadable("empty")
    return parse_article(rel_path, decoded.text, decoded.encoding, id_)


def parse_article(
    rel_path: str, text: str, encoding: str = "utf-8", id_: str | None = None
) -> Article:
    """Build an ``Article`` from decoded text: passages, title, byline, date. ``id_`` is
    given when the file's own id is taken by another file (see ``article_ids``)."""
    passages = split_passages(text, markdown=rel_path.lower().endswith(".md"))
    lines = [text[p.start : p.end] for p in passages]
    return Article(
        id=id_ or article_id(rel_path),
        path=rel_path,
        text=text,
        title=find_title(lines, rel_path),
        byline=find_byline(lines),
        date=find_date(lines),
        passages=tuple(passages),
        encoding=encoding,
    )


# --- passages -------------------------------------------------------------------------------

_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n|$)")
_LIST_ITEM = re.compile(r"^\s*(?:[-*+•·▪–]|\d+[.)])\s+")
_MD_HEADING = re.compile(r"^\s{0,3}#{1,6}\s")


def _lines(text: str) -> Iterator[tuple[int, int]]:
    """(start, end) of every line, without its line break."""
    pos = 0
    n = len(text)
    while pos < n:
        m = _LINE.match(text, pos)
        assert m is not None
        line = m.group(0)
        body = line.rstrip("\r\n")
        yield pos, pos + len(body)
        if not line:
            break
        pos = m.end()


def _wrapped(block: list[tuple[int, int]], text: str, markdown: bool) -> bool:
    """Is this multi-line block one hard-wrapped paragraph rather than a list of lines?

    Markdown joins lines unless they are list items or headings. Plain text is joined only when
    it looks wrapped: every line but the last of a typical terminal width, none a list item.
    Lines of a news site's copy-paste (one paragraph per line, no blank lines) stay apart.
    """
    lines = [text[s:e] for s, e in block]
    if any(_LIST_ITEM.match(line) or _MD_HEADING.match(line) for line in lines):
        return False
    if markdown:
        return True
    return all(40 <= len(line.rstrip()) <= 100 for line in lines[:-1])


def split_passages(text: str, markdown: bool = False) -> list[Passage]:
    """Split ``text`` into paragraphs with offsets, trimmed of surrounding white space."""
    blocks: list[list[tuple[int, int]]] = [[]]
    for start, end in _lines(text):
        if text[start:end].strip():
            blocks[-1].append((start, end))
        elif blocks[-1]:
            blocks.append([])
    spans: list[tuple[int, int]] = []
    for block in blocks:
        if not block:
            continue
        if len(block) > 1 and _wrapped(block, text, markdown):
            spans.append((block[0][0], block[-1][1]))
        else:
            spans.extend(block)
    passages = []
    for start, end in spans:
        chunk = text[start:end]
        lead = len(chunk) - len(chunk.lstrip())
        trail = len(chunk) - len(chunk.rstrip())
        passages.append(Passage(len(passages), start + lead, end - trail))
    return passages


# --- metadata -------------------------------------------------------------------------------

_BREADCRUMB = re.compile(r"^\s*(home|main page|startseite)\s*[/>»›|]", re.I)
_CHROME = re.compile(
    r"^(skip to (main )?content|menu|search|share( this)?|advertisement|updated on|new update"
    r"|author-image|published|key takeaways:?)$",
    re.I,
)
_NAME = r"[A-Z][\w'’.-]+(?:\s+(?:[A-Z][\w'’.-]+|de|da|van|von|bin|al|el|la|le)){0,4}"
_BYLINE = [
    re.compile(rf"^(?:author|written by|by|words by|reporter)\s*[:\-–—]?\s*({_NAME})\s*$", re.I),
    re.compile(rf"^about\s+(?:the\s+author\s*[:\-]?\s*)?({_NAME})\s*$", re.I),
]
_MONTHS = """january february march april may june july august september october
november december""".split()
_MON = (
    r"(jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_DATE_PATTERNS = [
    (re.compile(rf"\b{_MON}\s+(\d{{1,2}})(?:st|nd|rd|th)?,?\s+(\d{{4}})\b", re.I), "mdy"),
    (re.compile(rf"\b(\d{{1,2}})(?:st|nd|rd|th)?\s+{_MON},?\s+(\d{{4}})\b", re.I), "dmy"),
    (re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b"), "iso"),
]
_DATE_PREFIX = re.compile(
    r"^(?:published|posted|updated|date|dated|last updated)?\s*(?:on)?\s*[:\-]?\s*", re.I
)


def _is_breadcrumb(line: str) -> bool:
    return bool(_BREADCRUMB.match(line)) or line.count(" / ") >= 2 or line.count(" > ") >= 2


def find_title(lines: list[str], rel_path: str) -> str:
    """The first meaningful line: not a breadcrumb, not site chrome, not a bare date."""
    for line in lines[:20]:
        stripped = line.strip().lstrip("#").strip()
        if not stripped or _is_breadcrumb(stripped) or _CHROME.match(stripped):
            continue
        if find_date([stripped]) and len(stripped) < 40:
            continue
        return stripped[:300]
    stem = rel_path.rsplit("/", 1)[-1].rsplit(".", 1)[0]
    return stem.replace("_", " ")


def find_byline(lines: list[str]) -> str | None:
    """A byline where the text shows one: "Author: X", "By X", "About X", after author-image."""
    for i, line in enumerate(lines):
        stripped = line.strip()
        if stripped.lower() == "author-image" and i + 1 < len(lines):
            name = lines[i + 1].strip()
            if re.fullmatch(_NAME, name):
                return name
        if len(stripped) > 80:
            continue
        for pattern in _BYLINE:
            m = pattern.match(stripped)
            if m:
                return m.group(1).strip()
    return None


def find_date(lines: list[str]) -> str | None:
    """An ISO date from the first short line that is mostly a date ("December 10, 2013")."""
    for line in lines[:40]:
        stripped = _DATE_PREFIX.sub("", line.strip(), count=1)
        if not stripped or len(stripped) > 40:
            continue
        for pattern, order in _DATE_PATTERNS:
            m = pattern.search(stripped)
            if not m or len(stripped) - (m.end() - m.start()) > 12:
                continue
            if order == "iso":
                y, mo, d = int(m.group(1)), int(m.group(2)), int(m.group(3))
            elif order == "mdy":
                mo, d, y = _month(m.group(1)), int(m.group(2)), int(m.group(3))
            else:
                d, mo, y = int(m.group(1)), _month(m.group(2)), int(m.group(3))
            if 1 <= mo <= 12 and 1 <= d <= 31 and 1800 <= y <= 2200:
                return f"{y:04d}-{mo:02d}-{d:02d}"
    return None


def _month(name: str) -> int:
    name = name.lower().rstrip(".")[:3]
    return next(i for i, m in enumerate(_MONTHS, 1) if m.startswith(name))
