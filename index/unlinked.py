"""Unlinked mentions: places where one of an entity's names is written but was not linked
to it — missed by the name finder, or left ambiguous between several entities.

Obsidian's "unlinked mentions" for a corpus: each name of the entity is searched as a phrase
(the index's own search, so it costs what a search costs, not a scan of the corpus), then the
exact name is looked for, case and word boundaries kept, in the articles found; a place
already linked to the entity, or decided for another entity, is left out. What remains is
either no mention at all or a mention the linker could not decide.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from index import catalogue_edit
from index.entities import TYPES, entity_key
from index.entity_fixes import Fix, FixError, resolve, written_name
from index.search import QueryError

if TYPE_CHECKING:
    from index.library import Library

ARTICLES_PER_NAME = 200  # articles read per name searched
LIMIT = 100  # places returned


@dataclass(frozen=True)
class Unlinked:
    """``form`` written at ``text[start:end]`` of an article, not linked to the entity;
    ``ambiguous`` when a mention is there that the linker left undecided."""

    article_id: str
    title: str
    passage: int
    start: int
    end: int
    form: str
    ambiguous: bool


def names_of(library: Library, entity_id: str) -> list[str]:
    """The entity's name and aliases worth looking for: two letters or more, each once."""
    entity = library.links.entities.get(entity_id)
    if entity is None:
        return []
    seen: set[str] = set()
    out = []
    for name in [entity.name, *entity.aliases]:
        name = " ".join(name.split())
        if len(name) >= 2 and name not in seen:
            seen.add(name)
            out.append(name)
    return out


def unlinked(
    library: Library,
    entity_id: str,
    limit: int = LIMIT,
    cancelled: Callable[[], bool] = lambda: False,
) -> list[Unlinked]:
    """Up to ``limit`` unlinked places of the entity's names, by article then offset."""
    links = library.links
    found: dict[tuple[str, int], Unlinked] = {}
    for name in names_of(library, entity_id):
        phrase = '"' + name.replace('"', " ").replace("\\", " ") + '"'
        try:
            hits = library.search(phrase, limit=ARTICLES_PER_NAME).results
        except QueryError:
            continue
        pattern = re.compile(r"(?<!\w)" + re.escape(name) + r"(?!\w)")
        for hit in hits:
            if cancelled():
                return []
            article = library.article(hit.id)
            if article is None:
                continue
            mentions = library.mentions(hit.id)
            for m in pattern.finditer(article.text):
                start, end = m.span()
                over = [x for x in mentions if x.start < end and x.end > start]
                if any(x.entity == entity_id for x in over):
                    continue
                undecided = [
                    x
                    for x in over
                    if x.entity is None
                    or (x.entity in links.entities and links.entities[x.entity].ambiguous)
                ]
                if len(undecided) < len(over):
                    continue  # decided for another entity: a choice, not a miss
                key = (hit.id, start)
                if key not in found:
                    found[key] = Unlinked(
                        hit.id,
                        article.title,
                        article.passage_at(start),
                        start,
                        end,
                        name,
                        bool(undecided),
                    )
    return sorted(found.values(), key=lambda u: (u.article_id, u.start))[:limit]


def link_fix(library: Library, entity_id: str, form: str, type_: str | None = None) -> Fix:
    """Link ``form`` to the entity from now on: the name goes into the entity's catalogue
    entry as an alias (an entry is added when it has none), and a catalogue name is found
    wherever it is written. The catalogue speaks of names, not places: every place the
    name is written links, which is what "this name means this entity" says."""
    entity = resolve(library, entity_id)
    chosen = type_ or entity.type
    if chosen not in TYPES:
        raise FixError(f"{entity.name!r} has no type xref is sure of; give it one first")
    name = written_name(entity)
    keys = set(entity.keys) | {entity_key(entity.name)}
    alias = None if entity_key(form) == entity_key(name) else form
    return Fix(
        f"link {form} → {entity.name}",
        lambda text: catalogue_edit.set_entity(text, keys, name, chosen, alias=alias),
        entity.name,
    )
