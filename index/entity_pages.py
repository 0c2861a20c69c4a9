"""An entity's articles a page at a time: the total at once, then only the page's articles
read, with the entity's mentions in them.

The list of articles comes from the links (``links.json``, written by every update): each
entity already carries the sorted ids of the articles that name it, so the page needs no
query and no stored document beyond its own. One correction is made, the one
``Library.entity_articles`` always made: an article whose own context gave one of the
entity's names to another entity (a surname two people share) is left out, unless that
article also decided a name for this entity. Those articles are found through a table of
locally decided names inverted once per links, so the total costs a set difference, not a
look at every article.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from index.corpus import Article

if TYPE_CHECKING:
    from index.library import Library, ResolvedMention
    from index.links import Links

PAGE = 30  # articles a page, as the app's sidebar shows them


@dataclass(frozen=True)
class EntityArticle:
    """One article of an entity's page and the entity's mentions in it, in text order."""

    article: Article
    mentions: tuple[ResolvedMention, ...]


@dataclass(frozen=True)
class EntityPage:
    """A page of the articles that mention an entity. ``total`` counts them all (the
    ``exclude``d one aside); ``offset`` is where this page starts in that sorted list."""

    entity_id: str
    total: int
    offset: int
    articles: tuple[EntityArticle, ...]

    @property
    def article_ids(self) -> list[str]:
        return [a.article.id for a in self.articles]

    @property
    def more(self) -> int:
        """Articles after this page."""
        return max(0, self.total - self.offset - len(self.articles))


_given_away: tuple[Links, dict[str, dict[str, str]]] | None = None


def _decided_elsewhere(links: Links) -> dict[str, dict[str, str]]:
    """Key -> {article: entity} for every name an article's context decided, inverted once
    per links object (the last one is kept: a library reads one links file at a time)."""
    global _given_away
    if _given_away is None or _given_away[0] is not links:
        table: dict[str, dict[str, str]] = {}
        for article, keys in links.by_article.items():
            for key, eid in keys.items():
                table.setdefault(key, {})[article] = eid
        _given_away = (links, table)
    return _given_away[1]


def entity_article_ids(links: Links, entity_id: str) -> list[str]:
    """The sorted ids of the articles that mention an entity (what ``entity_articles``
    answers), from the links alone."""
    entity = links.entities.get(entity_id)
    if entity is None:
        return []
    table = _decided_elsewhere(links)
    away: set[str] = set()
    for key in entity.keys:
        away.update(a for a, eid in table.get(key, {}).items() if eid != entity_id)
    if not away:
        return list(entity.article_ids)
    local = links.decided_in(entity_id)
    return [a for a in entity.article_ids if a not in away or a in local]


def entity_page(
    library: Library,
    entity_id: str,
    offset: int = 0,
    limit: int = PAGE,
    exclude: str | None = None,
) -> EntityPage:
    """Articles ``offset`` to ``offset + limit`` of an entity's (``exclude``, the article
    open beside them, left out), each read with the entity's mentions; the total of all."""
    ids = entity_article_ids(library.links, entity_id)
    if exclude is not None:
        ids = [a for a in ids if a != exclude]
    page = ids[max(0, offset) : max(0, offset) + max(0, limit)]
    return EntityPage(
        entity_id, len(ids), max(0, offset), tuple(iter_entity(library, entity_id, page))
    )


def iter_entity(library: Library, entity_id: str, ids: list[str]) -> Iterator[EntityArticle]:
    """Each of ``ids`` read with the entity's mentions in it, one at a time, so a caller
    that writes them out (``xref mentions``) holds one article, not all of them."""
    for aid in ids:
        article = library.article(aid)
        if article is None:
            continue
        yield EntityArticle(article, tuple(library.mentions(aid, entity_id)))
