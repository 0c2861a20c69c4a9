"""Articles that mention several entities at once, and searches restricted to entities.

A reader following Tony Blair asks "Blair and Iraq": the articles that mention both. And a word
search narrowed to one entity's articles: ``entity:"Tony Blair" war``. Both are built on the
``Library`` public API (``find_entity``, ``entity_articles``, ``search``), so they see the same
entities, with the same rule for a name several entities share, as ``xref mentions``.

The query syntax: ``entity:NAME`` or ``entity:"a name with spaces"`` (an id, a name or an
alias, in any case), anywhere in the query and as often as wanted (each one narrows: every
entity named must be mentioned). What is left is an ordinary query over those articles; with
nothing left, every article mentioning the entities is listed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from index.results import Hit, SearchResult

if TYPE_CHECKING:
    from index.library import Library
    from index.links import Entity

# ``entity:`` after a space, a bracket or the start: not inside ``xentity:`` or ``title:entity:``.
ENTITY_TERM = re.compile(r'(?<![\w:])entity:(?:"([^"]*)"|([^\s()"]+))', re.IGNORECASE)


class EntityNotFound(LookupError):
    """A name no entity has; ``close`` are names it may have meant."""

    def __init__(self, name: str, close: list[str]) -> None:
        hint = f"; did you mean: {', '.join(close)}" if close else ""
        super().__init__(f"no entity matches {name!r}{hint}")
        self.name = name
        self.close = close


@dataclass(frozen=True)
class Chosen:
    """The entity a name was taken to mean, and the others it may mean (for a message)."""

    name: str
    entity: Entity
    others: list[Entity] = field(default_factory=list)


def split_query(text: str) -> tuple[list[str], str]:
    """The entity names of a query and what is left of it: ``entity:"Tony Blair" war`` is
    (["Tony Blair"], "war")."""
    names = [
        m.group(1) if m.group(1) is not None else m.group(2) for m in ENTITY_TERM.finditer(text)
    ]
    rest = " ".join(ENTITY_TERM.sub(" ", text).split())
    return [" ".join(n.split()) for n in names], rest


def has_entity_terms(text: str) -> bool:
    return ENTITY_TERM.search(text) is not None


def choose(library: Library, name: str) -> Chosen:
    """The entity ``name`` means, as ``xref mentions`` takes it; ``EntityNotFound`` if none."""
    entity, others, close = library.meant_entity(name)
    if entity is None:
        raise EntityNotFound(name, close)
    return Chosen(name, entity, others)


def co_mentioning(library: Library, entity_ids: list[str]) -> list[str]:
    """Ids of the articles that mention every one of ``entity_ids``, sorted."""
    found: set[str] | None = None
    for eid in entity_ids:
        ids = set(library.entity_articles(eid))
        found = ids if found is None else found & ids
        if not found:
            return []
    return sorted(found or ())


def matching(library: Library, words: str, within: set[str]) -> list[str]:
    """Ids of the articles among ``within`` that ``words`` (a query) matches, best first."""
    if not within:
        return []
    return [h.id for h in library.search(words, limit=len(within), within=within).results]


def search(library: Library, text: str, limit: int = 10) -> tuple[SearchResult, list[Chosen]]:
    """A search restricted to the articles that mention every ``entity:`` of ``text``.

    Raises ``EntityNotFound`` for a name no entity has, and the search's ``QueryError`` for
    a malformed rest."""
    names, rest = split_query(text)
    chosen = [choose(library, n) for n in names]
    within = set(co_mentioning(library, [c.entity.id for c in chosen]))
    if rest:
        if not within:
            return SearchResult(text, 0, None), chosen
        found = library.search(rest, limit=limit, within=within)
        return SearchResult(text, found.total, found.suggestion, found.results), chosen
    hits = []
    for info in library.articles():  # by id, as ``xref mentions`` lists them
        if info.id in within:
            hits.append(Hit(info.id, info.title, info.path, 0.0, info.byline, info.date, 0, ()))
    return SearchResult(text, len(hits), None, tuple(hits[:limit])), chosen
