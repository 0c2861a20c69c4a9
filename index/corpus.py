"""Reading a corpus: a folder of ``.txt`` and ``.md`` files, one article each.

Every offset xref reports is a Python ``str`` index into the decoded file text, so the reader,
the search highlights, the entity mentions and the bookmarks all agree on what ``text[a:b]``
means. Nothing here rewrites the text: a BOM is dropped by decoding, nothing else.

The work is split by job: ``article`` (the dataclasses and ids), ``reading`` (which files,
their bytes and text) and ``passages`` (paragraphs, title, byline, date); this module puts
them together and re-exports what callers import from it.
"""

from __future__ import annotations

from pathlib import Path

from index.article import SUFFIXES, Article, ArticleInfo, Passage, article_id, article_ids
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
    "read_bytes",
    "relative",
    "scan",
    "split_passages",
]


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
