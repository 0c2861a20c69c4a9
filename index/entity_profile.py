"""What a reader wants to know of an entity before reading its articles: how often each of
its names is written, how many mentions in all and in each article, its first and last date,
and the entities named most often beside it.

Built from the public ``Library`` API. The co-mentioned entities and the dates come from the
links and the article list, the mention counts from the entity summaries
(``Library.mention_rows``): no article read for them. Only the forms each name is written in
need more than the summaries hold, and only where a name is used twice or more in one article
(a name used once is written as its summary says); those articles are read, in the worker the
app runs this in, and ``cancelled`` lets that worker stop early. ``read_forms=False`` reads
none: each name is then counted under its key, in the form most written.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from index import mention_counts
from index.entity_pages import entity_article_ids
from index.mention_counts import KeyCount

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
    read_forms: bool = True,
) -> EntityProfile | None:
    """The entity's profile, or None when it is not (or no longer) an entity or the caller
    cancelled. The counts come from the summaries; with ``read_forms`` the articles where a
    name of the entity is written more than once are read for its exact forms."""
    entity = library.links.entities.get(entity_id)
    if entity is None:
        return None
    rows = library.mention_rows(entity_id)
    per_article = mention_counts.per_article(rows)
    if read_forms:
        forms = _exact_forms(library, entity_id, rows, cancelled)
        if forms is None:
            return None
    else:
        forms = _key_forms(rows)
    ids = list(rows)
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


def _form(text: str) -> str:
    return " ".join(text.split())


def _exact_forms(
    library: Library,
    entity_id: str,
    rows: dict[str, tuple[KeyCount, ...]],
    cancelled: Callable[[], bool],
) -> Counter[str] | None:
    """Each form as written, with its mentions: from the summary where every name is used
    once in the article, else from the article's mentions (None when cancelled)."""
    forms: Counter[str] = Counter()
    for aid, found in rows.items():
        if mention_counts.written_once(found):
            forms.update(_form(r.surface) for r in found)
            continue
        if cancelled():
            return None
        forms.update(_form(m.text) for m in library.mentions(aid, entity_id))
    return forms


def _key_forms(rows: dict[str, tuple[KeyCount, ...]]) -> Counter[str]:
    """Each key's mentions under the form it is most written in (counted by mentions, over
    all the articles): exact counts of names up to case, dots and possessives."""
    by_key: dict[str, Counter[str]] = {}
    for found in rows.values():
        for r in found:
            by_key.setdefault(r.key, Counter())[_form(r.surface)] += r.count
    forms: Counter[str] = Counter()
    for written in by_key.values():
        forms[written.most_common(1)[0][0]] += sum(written.values())
    return forms
