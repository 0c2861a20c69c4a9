"""The entity links as the library reads them: checked when read back from ``links.json``,
and an entity found by id, name or alias."""

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
