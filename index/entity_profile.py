"""What a reader wants to know of an entity before reading its articles: how often each of
its names is written, how many mentions in all and in each article, its first and last date,
and the entities named most often beside it.

Built from the public ``Library`` API. The co-mentioned entities and the dates come from the
links and the article list (no article read); the mention counts need each article's stored
mentions, so at tens of thousands of articles the app computes this in a worker and shows the
first page of the list without waiting for it. ``cancelled`` lets that worker stop early.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from index.entity_pages import entity_article_ids

if TYPE_CHECKING:
    from index.library import Library

CO_MENTIONED = 12  # entities listed as most often named beside the entity


@dataclass(frozen=True)
class CoMentioned:
    """An entity named in ``articles`` of the same articles."""

    entity_id: str
    name: str
    type: str
    articles: int


@dataclass(frozen=True)
class EntityProfile:
    entity_id: str
    articles: int
    mentions: int
    per_article: dict[str, int]  # article id -> mentions of the entity in it
    forms: list[tuple[str, int]]  # each name as written, with its mentions, most first
    first_date: str | None
    last_date: str | None
    co_mentioned: list[CoMentioned] = field(default_factory=list)


def co_mentioned(library: Library, entity_id: str, limit: int = CO_MENTIONED) -> list[CoMentioned]:
    """The entities sharing most articles with ``entity_id``, from the links alone: one pass
    over every entity's article list, no article read. An ambiguous name is left out (it is
    not one entity to narrow by)."""
    links = library.links
    mine = set(entity_article_ids(links, entity_id))
    if not mine:
        return []
    counts: list[tuple[int, str]] = []
    for eid, entity in links.entities.items():
        if eid == entity_id or entity.ambiguous:
            continue
        n = sum(1 for a in entity.article_ids if a in mine)
        if n:
            counts.append((n, eid))
    counts.sort(key=lambda x: (-x[0], links.entities[x[1]].name.lower()))
    return [
        CoMentioned(eid, links.entities[eid].name, links.entities[eid].type, n)
        for n, eid in counts[:limit]
    ]


def dates_of(library: Library, article_ids: list[str]) -> tuple[str | None, str | None]:
    """The first and last date among ``article_ids`` (None when none has one)."""
    wanted = set(article_ids)
    dates = [a.date for a in library.articles() if a.id in wanted and a.date]
    return (min(dates), max(dates)) if dates else (None, None)


def profile(
    library: Library,
    entity_id: str,
    cancelled: Callable[[], bool] = lambda: False,
) -> EntityProfile | None:
    """The entity's profile, or None when it is not (or no longer) an entity or the caller
    cancelled. Every article of the entity is read once for its mentions."""
    entity = library.links.entities.get(entity_id)
    if entity is None:
        return None
    ids = entity_article_ids(library.links, entity_id)
    per_article: dict[str, int] = {}
    forms: Counter[str] = Counter()
    for aid in ids:
        if cancelled():
            return None
        found = library.mentions(aid, entity_id)
        per_article[aid] = len(found)
        forms.update(" ".join(m.text.split()) for m in found)
    first, last = dates_of(library, ids)
    return EntityProfile(
        entity_id,
        len(ids),
        sum(per_article.values()),
        per_article,
        sorted(forms.items(), key=lambda x: (-x[1], x[0])),
        first,
        last,
        co_mentioned(library, entity_id),
    )
