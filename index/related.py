"""Passages related to a given one: those in other articles that name the same entities,
and those sharing its key terms (more-like-this), each with the reason it was chosen."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from index.corpus import Article

if TYPE_CHECKING:
    from index.library import Library


@dataclass(frozen=True)
class Related:
    """A passage elsewhere related to a given one, and why."""

    article_id: str
    title: str
    passage: int
    start: int
    end: int
    text: str
    offset: int
    score: float
    reason: str


def related_passages(
    library: Library, article_id: str, passage: int, limit: int = 12
) -> list[Related]:
    """Passages in other articles that share this passage's entities or key terms."""
    article = library.article(article_id)
    if article is None or not 0 <= passage < len(article.passages):
        return []
    here = {m.entity for m in library.mentions(article_id) if m.passage == passage and m.entity}
    scores: dict[tuple[str, int], float] = {}
    reasons: dict[tuple[str, int], list[str]] = {}
    names = {e: library.links.entities[e].name for e in here if e in library.links.entities}
    for eid in here:
        for other in library.entity_articles(eid):
            if other == article_id:
                continue
            for m in library.mentions(other):
                if m.entity == eid:
                    key = (other, m.passage)
                    if names.get(eid) not in reasons.setdefault(key, []):
                        scores[key] = scores.get(key, 0.0) + 2.0
                        reasons[key].append(names.get(eid, eid))
    similar = library.similar(article.passage_text(passage), article_id)
    for rank, hit in enumerate(similar):
        for p in hit.passages[:1]:
            key = (hit.id, p.passage)
            scores[key] = scores.get(key, 0.0) + 1.5 - rank * 0.1
            reasons.setdefault(key, []).append("similar words")
    best = sorted(scores.items(), key=lambda kv: (-kv[1], kv[0]))[:limit]
    out = []
    cache: dict[str, Article | None] = {}
    for (aid, pno), score in best:
        other_article = cache.setdefault(aid, library.article(aid))
        if other_article is None:
            continue
        para = other_article.passages[pno]
        out.append(
            Related(
                aid,
                other_article.title,
                pno,
                para.start,
                para.end,
                other_article.text[para.start : para.end],
                para.start,
                score,
                ", ".join(reasons[(aid, pno)]),
            )
        )
    return out
