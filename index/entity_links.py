"""The entity links as the library reads them: checked when read back from ``links.json``,
an entity found by id, name or alias, and the entity a reader means by a name."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from index.linking import Entity, Links


def check_links(data: Any) -> Links:
    """The entity links read back from ``links.json``; raises on a wrong shape, so that a
    damaged file is found when the index is opened, not at the first click on an entity."""
    from index.linking import Links

    links = Links.from_json(data)
    if not isinstance(links.by_key, dict) or not isinstance(links.by_article, dict):
        raise TypeError("links.json: by_key and by_article must be tables")
    return links


def find_entity(links: Links, text: str) -> tuple[Entity | None, list[str]]:
    """An entity by id, name or alias in any case; else up to 5 close names."""
    if text in links.entities:
        return links.entities[text], []
    from index.entities import entity_key
    from index.gazetteer import lookup

    key = entity_key(text)
    place = lookup(text)
    if place is not None and entity_key(place.canonical) in links.by_key:
        return links.entities[links.by_key[entity_key(place.canonical)]], []
    for e in links.entities.values():
        if (
            entity_key(e.name) == key
            or key in e.keys
            or any(entity_key(a) == key for a in e.aliases)
        ):
            return e, []
    import difflib

    names = {e.name: e for e in links.entities.values()}
    close = difflib.get_close_matches(text, list(names), n=5, cutoff=0.6)
    if not close:
        lowered = {n.lower(): n for n in names}
        close = [
            lowered[n]
            for n in difflib.get_close_matches(text.lower(), list(lowered), n=5, cutoff=0.6)
        ]
    return None, close


def meant_entity(links: Links, text: str) -> tuple[Entity | None, list[Entity], list[str]]:
    """The entity a reader means by ``text``, the others it may mean, and close names. A
    name left ambiguous ("Blair"), or a bare surname, means the candidate (else person
    of that surname) it names in most articles, then the one in most articles."""
    from index.entities import entity_key

    entity, close = find_entity(links, text)
    key = entity_key(text)
    if entity is not None and not entity.ambiguous:
        return entity, [], close
    surname = [e for e in links.entities.values() if e.type == "person" and " " not in key]
    candidates = (
        [links.entities[c] for c in entity.ambiguous if c in links.entities]
        if entity
        else [e for e in surname if entity_key(e.name).endswith(f" {key}")]
    )

    def named(c: Entity) -> int:
        return sum(links.by_article[a].get(key) == c.id for a in links.decided_in(c.id))

    ranked = sorted(candidates, key=lambda c: (-named(c), -len(c.article_ids), c.name))
    if not ranked:
        return entity, [], close
    return ranked[0], [*ranked[1:], *([entity] if entity else [])], []
