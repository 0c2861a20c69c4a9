"""Reading a corpus: a folder of articles, one a file (``.txt``, ``.md``, web pages, PDFs,
e-mails) or many (mailboxes, JSONL and CSV exports; see ``index.formats``).

Every offset xref reports is a Python ``str`` index into the decoded file text, so the reader,
the search highlights, the entity mentions and the bookmarks all agree on what ``text[a:b]``
means. Nothing here rewrites the text: a BOM is dropped by decoding, nothing else.

The work is split by job: ``article`` (the dataclasses and ids), ``reading`` (which files,
their bytes and text) and ``passages`` (paragraphs, title, byline, date); this module puts
them together and re-exports what callers import from it.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from index.article import SUFFIXES, Article, ArticleInfo, Passage, article_id, article_ids
from index.formats import MARKDOWN, TEXT, Format, format_of
from index.formats.common import BadRecord, Found, to_article
from index.formats.read import read_many, read_single
from index.passages import find_byline, find_date, find_title, split_passages
from index.reading import (
    MAX_BYTES,
    META_NAMES,
    Candidate,
    Decoded,
    NotReadable,
    Skipped,
    decode,
    iter_files,
    open_regular,
    read_bytes,
    relative,
    scan,
)

__all__ = [
    "MAX_BYTES",
    "META_NAMES",
    "SUFFIXES",
    "Article",
    "ArticleInfo",
    "BadRecord",
    "Candidate",
    "Decoded",
    "NotReadable",
    "Passage",
    "Skipped",
    "article_from_bytes",
    "article_id",
    "article_ids",
    "decode",
    "find_byline",
    "find_date",
    "find_title",
    "iter_files",
    "parse_article",
    "read_article",
    "read_articles",
    "read_bytes",
    "record_fields_of",
    "relative",
    "scan",
    "split_passages",
]


def _format(rel_path: str) -> Format:
    fmt = format_of(rel_path)
    if fmt is None:
        raise NotReadable("not a format xref reads")
    return fmt


def read_article(root: Path, rel_path: str) -> Article:
    """Read a file of one article; raise ``NotReadable`` with a short reason if it cannot be
    one."""
    fmt = _format(rel_path)
    data, _st = read_bytes(root / rel_path, fmt.max_bytes)
    return article_from_bytes(rel_path, data)


def read_articles(root: Path, rel_path: str) -> Iterator[Article | BadRecord]:
    """Every article of a file, of one article or many, read as a stream (``NotReadable``
    when the file as a whole cannot be read)."""
    fmt = _format(rel_path)
    if not fmt.many:
        yield read_article(root, rel_path)
        return
    fields = record_fields_of(root, fmt)
    f, _st = open_regular(root / rel_path)
    with f:
        for item in read_many(fmt, f, fields):
            yield item if isinstance(item, BadRecord) else many_article(rel_path, item, fmt)


def record_fields_of(root: Path, fmt: Format) -> dict[str, str]:
    """The field names the corpus's ``records:`` mapping gives a file of ``fmt`` ({} for the
    usual ones, and for a mailbox); a wrong mapping refuses the export (``NotReadable``)
    rather than reading it with names the user did not mean."""
    if fmt.kind not in ("jsonl", "csv"):
        return {}
    from index.catalogue import RecordsError, record_fields  # the extractor's imports

    try:
        return record_fields(root)
    except RecordsError as exc:
        raise NotReadable(str(exc)) from exc


def many_article(rel_path: str, found: Found, fmt: Format) -> Article | BadRecord:
    """One record of a file of many as its ``Article`` (id ``file#key``), or why not."""
    try:
        return to_article(rel_path, f"{rel_path}#{found.key}", found, fmt.kind)
    except NotReadable as exc:
        return BadRecord(f"record {found.key}", str(exc))


def file_sha1(f: BinaryIO) -> str:
    """The checksum of an open file, read in blocks (a mailbox may be hundreds of MB)."""
    digest = hashlib.sha1()
    while block := f.read(1 << 20):
        digest.update(block)
    f.seek(0)
    return digest.hexdigest()


def article_from_bytes(rel_path: str, data: bytes, id_: str | None = None) -> Article:
    """Decode and parse a file's bytes (``NotReadable`` when they cannot be an article)."""
    fmt = _format(rel_path)
    if fmt not in (TEXT, MARKDOWN):
        return to_article(rel_path, id_ or article_id(rel_path), read_single(fmt, data), fmt.kind)
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
        kind="markdown" if rel_path.lower().endswith(".md") else "text",
    )
