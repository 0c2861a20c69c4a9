"""What one file becomes in the index: for each of its articles a stored document, indexed
fields, and the rows the side tables keep of it. No Whoosh here: the same in the main process
and in a build worker, so a parallel build indexes exactly what a serial one does.

A file of many articles (a mailbox, a JSONL or CSV export) is read as a stream; each article's
fields go to the index as soon as they are made (``Add``), so only the small table rows of a
200 MB mailbox are held at once. Of a changed file, the records whose fields did not change
keep their document and entities: only new and changed records are enriched again."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from index.corpus import (
    Article,
    NotReadable,
    Passage,
    article_from_bytes,
    file_sha1,
    many_article,
    read_bytes,
    record_fields_of,
)
from index.formats import Format, format_of
from index.formats.common import BadRecord
from index.formats.read import read_many
from index.reading import open_regular


def article_doc(article: Article) -> dict[str, Any]:
    """The stored part of an article, enough to rebuild the ``Article`` without the file."""
    return {
        "path": article.path,
        "text": article.text,
        "title": article.title,
        "byline": article.byline,
        "date": article.date,
        "encoding": article.encoding,
        "passages": [[p.start, p.end] for p in article.passages],
        "url": article.url,
        "source": article.source,
        "kind": article.kind,
        "pages": list(article.pages),
    }


def article_from_doc(article_id: str, doc: dict[str, Any]) -> Article:
    return Article(
        id=article_id,
        path=doc["path"],
        text=doc["text"],
        title=doc["title"],
        byline=doc["byline"],
        date=doc["date"],
        passages=tuple(Passage(i, s, e) for i, (s, e) in enumerate(doc["passages"])),
        encoding=doc.get("encoding", "utf-8"),
        url=doc.get("url"),
        source=doc.get("source") or "",
        kind=doc.get("kind") or "text",
        pages=tuple(doc.get("pages") or ()),
    )


@dataclass
class Enrichment:
    """What index time adds to an article: entity keys to index (``mkeys``), a payload stored
    with the article (its mentions), and a small summary kept for linking."""

    keys: list[str] = field(default_factory=list)
    stored: Any = None
    summary: Any = None


Enricher = Callable[[Article], Enrichment]


def no_enrich(article: Article) -> Enrichment:
    return Enrichment()


def enrich_nothing() -> Enricher:
    return no_enrich


Add = Callable[[dict[str, Any]], None]
Before = dict[str, str]  # what was indexed: article key -> checksum (and file -> checksum)


@dataclass
class Part:
    """One article of a file of many, for the tables: ``row`` None when it is unchanged (its
    document stays as it was)."""

    key: str
    aid: str
    row: list[Any] | None
    summary: Any = None


@dataclass
class Prepared:
    """One file read, parsed and enriched; its documents went to ``Add``.

    ``kind`` is "doc" (indexed), "same" (same bytes as indexed: only its stamp changes) or
    "skip" (``reason``; ``memo`` when the reason is what the file holds, remembered until it
    changes). A file of many articles has ``parts`` (every article it holds now) and its
    checksum ``sha1``; a file of one has ``row`` and ``summary``."""

    rel: str
    aid: str
    kind: str
    stat: tuple[int, int] | None = None  # mtime_ns, size
    reason: str = ""
    memo: bool = False
    row: list[Any] | None = None
    summary: Any = None
    warning: str | None = None
    parts: list[Part] | None = None
    sha1: str = ""


def fields_of(article: Article, extra: Enrichment) -> dict[str, Any]:
    """The Whoosh fields of an article."""
    doc = article_doc(article)
    doc["entities"] = extra.stored
    return {
        "id": article.id,
        "title": article.title,
        "author": article.byline or "",
        "body": article.text,
        "mkeys": ",".join(k.replace(",", " ") for k in extra.keys),
        "date": article.date or "",
        "doc": doc,
    }


def _row(article: Article, checksum: str) -> list[Any]:
    return [article.title, article.byline, article.date, len(article.passages), checksum]


def prepare(
    corpus: Path, rel: str, aid: str, before: Before, enrich: Enricher, add: Add
) -> Prepared:
    """Everything about one file that does not need the index; its documents go to ``add``."""
    fmt = format_of(rel)
    if fmt is None:
        return Prepared(rel, aid, "skip", reason="not a format xref reads")
    if fmt.many:
        return _prepare_many(corpus, rel, fmt, before, enrich, add)
    try:
        # One read gives the text, its checksum and the size and time recorded for it.
        data, st = read_bytes(corpus / rel, fmt.max_bytes)
    except NotReadable as exc:  # could not be read (yet): tried again next time
        return Prepared(rel, aid, "skip", reason=str(exc))
    stat = (st.st_mtime_ns, st.st_size)
    sha1 = hashlib.sha1(data).hexdigest()
    if before.get(rel) == sha1:
        return Prepared(rel, aid, "same", stat)
    try:
        article = article_from_bytes(rel, data, aid)
    except NotReadable as exc:  # what it holds is no article: remembered
        return Prepared(rel, aid, "skip", stat, reason=str(exc), memo=True)
    extra = enrich(article)
    add(fields_of(article, extra))
    warning = (
        None if article.encoding == "utf-8" else f"{rel}: not UTF-8; decoded as {article.encoding}"
    )
    return Prepared(
        rel, aid, "doc", stat, row=_row(article, sha1), summary=extra.summary, warning=warning
    )


def _prepare_many(
    corpus: Path, rel: str, fmt: Format, before: Before, enrich: Enricher, add: Add
) -> Prepared:
    """A file of many articles, streamed: each new or changed record enriched and added, an
    unchanged one only listed, a bad one counted (one warning line for the file)."""
    try:
        f, st = open_regular(corpus / rel)
    except NotReadable as exc:
        return Prepared(rel, rel, "skip", reason=str(exc))
    stat = (st.st_mtime_ns, st.st_size)
    try:
        fields = record_fields_of(corpus, fmt)
    except NotReadable as exc:  # not remembered: read again once the mapping is mended
        f.close()
        return Prepared(rel, rel, "skip", reason=str(exc))
    parts: list[Part] = []
    bad: list[BadRecord] = []
    with f:
        try:
            sha1 = file_sha1(f)
        except OSError as exc:
            return Prepared(rel, rel, "skip", reason=exc.strerror or str(exc))
        if before.get(rel) == sha1:
            return Prepared(rel, rel, "same", stat, sha1=sha1)
        try:
            for found in read_many(fmt, f, fields):
                if isinstance(found, BadRecord):
                    bad.append(found)
                    continue
                key = f"{rel}#{found.key}"
                checksum = found.checksum()
                if before.get(key) == checksum:
                    parts.append(Part(key, key, None))
                    continue
                article = many_article(rel, found, fmt)
                if isinstance(article, BadRecord):
                    bad.append(article)
                    continue
                extra = enrich(article)
                add(fields_of(article, extra))
                parts.append(Part(key, article.id, _row(article, checksum), extra.summary))
        except NotReadable as exc:
            return Prepared(rel, rel, "skip", stat, reason=str(exc), memo=True)
        except OSError as exc:
            return Prepared(rel, rel, "skip", reason=exc.strerror or str(exc))
    if not parts:
        reason = f"no article ({bad[0].where}: {bad[0].reason})" if bad else "no article"
        return Prepared(rel, rel, "skip", stat, reason=reason, memo=True)
    warning = None
    if bad:
        n = len(bad)
        warning = (
            f"{rel}: {n} record{'s' if n > 1 else ''} skipped ({bad[0].where}: {bad[0].reason})"
        )
    return Prepared(rel, rel, "doc", stat, warning=warning, parts=parts, sha1=sha1)
