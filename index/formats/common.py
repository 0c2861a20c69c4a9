"""What every format reader hands back, and the steps all of them share: one article's
fields before they become an ``Article``, dates made ISO, paragraphs joined into one text with
offsets, and record keys that are safe in an id.

A reader never builds an ``Article`` itself: ``to_article`` does, the same way for every format,
so that search, entities, the reader and bookmarks see one model whatever the file was.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

from index.article import Article, Passage
from index.passages import find_byline, find_date, find_title, split_passages
from index.reading import NotReadable

# The text of one article (a page, a message, a record) past this many characters is not an
# article: the same bound as a whole .txt file (see ``reading.MAX_BYTES``).
MAX_CHARS = 8 * 1024 * 1024


@dataclass(frozen=True)
class Found:
    """One article as a format reader found it. ``paragraphs`` are the passages to be (the
    reader knows the layout: a PDF's text blocks, a page's ``<p>``); when empty, ``text`` is
    split as a .txt file is. ``page_starts`` say where each page begins: (paragraph, offset in
    it), a page that begins in the middle of a paragraph included."""

    text: str = ""
    paragraphs: tuple[str, ...] = ()
    title: str | None = None
    byline: str | None = None
    date: str | None = None
    url: str | None = None
    key: str | None = None  # the record's key in a file of many articles
    page_starts: tuple[tuple[int, int], ...] = ()
    kind: str = ""

    def checksum(self) -> str:
        """What an unchanged record of a changed file is recognised by: its fields."""
        data = [self.text, self.paragraphs, self.title, self.byline, self.date, self.url]
        blob = json.dumps(data, ensure_ascii=False).encode("utf-8", "surrogatepass")
        return hashlib.sha1(blob).hexdigest()


@dataclass(frozen=True)
class BadRecord:
    """A record of a multi-article file that could not be read (counted, one line a file)."""

    where: str
    reason: str


_SPACE = re.compile(r"[ \t\r\n\f\v\u00a0\u2028\u2029]+")


def clean_line(value: object, limit: int = 300) -> str | None:
    """A one-line field (title, byline, URL): white space folded, cut at ``limit``; None when
    there is nothing."""
    if value is None:
        return None
    text = _SPACE.sub(" ", str(value)).strip()
    return text[:limit] or None


def iso_date(value: object) -> str | None:
    """A date as ``YYYY-MM-DD`` (what "sort by date" and ``date:`` compare), from what exports
    and pages write: ISO 8601 with or without a time, RFC 2822 (mail), "December 10, 2013",
    or seconds (or milliseconds) since 1970. None when it is none of those."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        seconds = float(value) / (1000 if abs(value) > 1e11 else 1)
        try:
            return datetime.fromtimestamp(seconds, UTC).strftime("%Y-%m-%d")
        except (OverflowError, OSError, ValueError):
            return None
    text = str(value).strip()[:100]
    m = re.match(r"(\d{4})-(\d{2})-(\d{2})(?:$|[T ]|\b)", text)
    if m:
        y, mo, d = int(m.group(1)), int(m.group(2)), int(m.group(3))
        return f"{y:04d}-{mo:02d}-{d:02d}" if 1 <= mo <= 12 and 1 <= d <= 31 else None
    with contextlib.suppress(TypeError, ValueError, IndexError, OverflowError):
        return parsedate_to_datetime(text).strftime("%Y-%m-%d")
    if text.isdigit() and len(text) in (10, 13):
        return iso_date(int(text))
    return find_date([text])


_KEY_BAD = re.compile(r"[^A-Za-z0-9_:@-]+")


def record_key(value: object, number: int, seen: set[str]) -> str:
    """A record's key in its file: its own id made safe (letters, digits, ``_:@-``: no ``#``,
    ``/`` or ``.``, so that ``file#key`` can never be the id of another file), else its
    number; unique within the file, so ids stay stable as long as the records do."""
    key = _KEY_BAD.sub("_", str(value)).strip("_")[:64] if value not in (None, "") else ""
    if not key or key in seen:
        key = str(number)
    base, k = key, 1
    while key in seen:
        k += 1
        key = f"{base}-{k}"
    seen.add(key)
    return key


def join_paragraphs(paragraphs: Iterable[str]) -> tuple[str, list[Passage]]:
    """Paragraphs as one text, a blank line between two, each a passage with its offsets."""
    parts: list[str] = []
    passages: list[Passage] = []
    pos = 0
    for para in paragraphs:
        para = para.strip()
        if not para:
            continue
        if parts:
            parts.append("\n\n")
            pos += 2
        passages.append(Passage(len(passages), pos, pos + len(para)))
        parts.append(para)
        pos += len(para)
    return "".join(parts), passages


def to_article(source: str, aid: str, found: Found, kind: str) -> Article:
    """The one ``Article`` of every format, from the file ``source`` (its record
    ``found.key`` for a file of many articles, whose path is then ``source#key``). A title,
    byline or date the format did not give is read off the text as for a .txt file; a first
    paragraph that only repeats the title (a page's headline, a PDF's first line) is
    dropped."""
    paragraphs = list(found.paragraphs)
    page_starts = list(found.page_starts)
    title = clean_line(found.title)
    if paragraphs and title and clean_line(paragraphs[0]) == title:
        paragraphs.pop(0)
        page_starts = [(max(i - 1, 0), off if i else 0) for i, off in page_starts]
    if paragraphs:
        text, passages = join_paragraphs(paragraphs)
    else:
        text = found.text.strip("\n")
        passages = split_passages(text)
    if not text.strip():
        raise NotReadable("no text")
    if len(text) > MAX_CHARS:
        raise NotReadable(f"more than {MAX_CHARS // (1024 * 1024)} MB of text")
    lines = [text[p.start : p.end] for p in passages[:40]]
    pages = tuple(
        min(passages[i].start + off, passages[i].end) for i, off in page_starts if i < len(passages)
    )
    return Article(
        id=aid,
        path=source if found.key is None else f"{source}#{found.key}",
        text=text,
        title=title or find_title(lines, source),
        byline=clean_line(found.byline, 200) or find_byline(lines),
        date=iso_date(found.date) if found.date else find_date(lines),
        passages=tuple(passages),
        url=clean_line(found.url, 2000),
        source=source,
        kind=kind,
        pages=pages,
    )
