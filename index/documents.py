"""What one article becomes in the index: its stored document, its indexed fields, and the
rows the side tables keep of it. No Whoosh here: the same in the main process and in a build
worker, so a parallel build indexes exactly what a serial one does."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from index.corpus import Article, NotReadable, Passage, article_from_bytes, read_bytes


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


@dataclass
class Prepared:
    """One file read, parsed and enriched, ready for Whoosh (``fields``) and the side tables.

    ``kind`` is "doc" (index it), "same" (same bytes as indexed: only its stamp changes) or
    "skip" (``reason``; ``memo`` when the reason is what the file holds, remembered until it
    changes)."""

    rel: str
    aid: str
    kind: str
    stat: tuple[int, int] | None = None  # mtime_ns, size
    reason: str = ""
    memo: bool = False
    fields: dict[str, Any] | None = None
    row: list[Any] | None = None
    summary: Any = None
    warning: str | None = None


def prepare(
    corpus: Path, rel: str, aid: str, sha1_before: str | None, enrich: Enricher
) -> Prepared:
    """Everything about one file that does not need the index."""
    try:
        # One read gives the text, its checksum and the size and time recorded for it.
        data, st = read_bytes(corpus / rel)
    except NotReadable as exc:  # could not be read (yet): tried again next time
        return Prepared(rel, aid, "skip", reason=str(exc))
    stat = (st.st_mtime_ns, st.st_size)
    sha1 = hashlib.sha1(data).hexdigest()
    if sha1_before == sha1:
        return Prepared(rel, aid, "same", stat)
    try:
        article = article_from_bytes(rel, data, aid)
    except NotReadable as exc:  # what it holds is no article: remembered
        return Prepared(rel, aid, "skip", stat, reason=str(exc), memo=True)
    extra = enrich(article)
    doc = article_doc(article)
    doc["entities"] = extra.stored
    fields_ = {
        "id": article.id,
        "title": article.title,
        "author": article.byline or "",
        "body": article.text,
        "mkeys": ",".join(k.replace(",", " ") for k in extra.keys),
        "date": article.date or "",
        "doc": doc,
    }
    warning = (
        None if article.encoding == "utf-8" else f"{rel}: not UTF-8; decoded as {article.encoding}"
    )
    row = [article.title, article.byline, article.date, len(article.passages), sha1]
    return Prepared(
        rel, aid, "doc", stat, fields=fields_, row=row, summary=extra.summary, warning=warning
    )
