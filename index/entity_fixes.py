"""Fixing entities from where the mistake is seen: merge, rename, retype, ignore.

Each fix is a change to the catalogue's text (``catalogue_edit``) named after the entities as
the linker knows them now, so that the command line and the app (which sees the same entities)
make the same entry. The linker reads the catalogue by entity key, and an entity's display name
is not always one of its keys (a place is shown by its gazetteer name), so a fix names an
entity by the written form of one of its own keys (``written_name``): that is the name the
linker will find again.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from index import catalogue_edit
from index.entities import TYPES, entity_key

if TYPE_CHECKING:
    from index.library import Library
    from index.links import Entity


class FixError(ValueError):
    """A fix that cannot be made as asked (no such entity, an ambiguous name); one line."""


@dataclass(frozen=True)
class Fix:
    """A change to make: ``label`` for messages and the undo journal, ``change`` the text
    edit, ``entity`` what the reader should look up afterwards to see the result."""

    label: str
    change: Callable[[str], str]
    entity: str


def written_name(entity: Entity) -> str:
    """A name of ``entity`` whose key the linker knows it by: its own name when that is one
    of its keys (or it has none: a catalogue entity), else the first alias that is."""
    keys = set(entity.keys)
    if not keys or entity_key(entity.name) in keys:
        return entity.name
    for alias in entity.aliases:
        if entity_key(alias) in keys:
            return alias
    return entity.name


def resolve(library: Library, text: str) -> Entity:
    """The one entity ``text`` names (id, name or alias, any case); ``FixError`` otherwise.
    A fix must not guess: a name several entities share is refused with its candidates."""
    entity, close = library.find_entity(text)
    if entity is None:
        hint = f"; did you mean: {', '.join(close)}" if close else ""
        raise FixError(f"no entity matches {text!r}{hint}")
    if entity.ambiguous:
        names = [
            library.links.entities[c].name for c in entity.ambiguous if c in library.links.entities
        ]
        raise FixError(
            f"{text!r} can mean several entities ({', '.join(names)}); name the one you mean"
        )
    return entity


def merge(library: Library, names: list[str]) -> Fix:
    """One entity from now on for what ``names`` name (a ``merges:`` entry)."""
    entities = [resolve(library, n) for n in names]
    if len({e.id for e in entities}) < len(entities):
        raise FixError(f"{' and '.join(repr(n) for n in names)} are already one entity")
    written = [written_name(e) for e in entities]
    return Fix(
        "merge " + " + ".join(written),
        lambda text: catalogue_edit.add_merge(text, written),
        written[0],
    )


def rename(library: Library, name: str, new_name: str, type_: str | None = None) -> Fix:
    """Show the entity as ``new_name``: its catalogue entry's name changed (else an entry
    added), the name it had kept as an alias so that its mentions still link to it."""
    entity = resolve(library, name)
    new_name = " ".join(new_name.split())
    if not new_name:
        raise FixError("the new name is empty")
    type_ = _type(entity, type_)
    old = written_name(entity)
    keys = set(entity.keys) | {entity_key(entity.name)}
    return Fix(
        f"rename {entity.name} → {new_name}",
        lambda text: catalogue_edit.set_entity(text, keys, old, type_, new_name, alias=old),
        new_name,
    )


def retype(library: Library, name: str, type_: str) -> Fix:
    """Force the entity's type (its catalogue entry's ``type``, else a new entry)."""
    entity = resolve(library, name)
    type_ = _type(entity, type_)
    old = written_name(entity)
    keys = set(entity.keys) | {entity_key(entity.name)}
    return Fix(
        f"type {entity.name}: {type_}",
        lambda text: catalogue_edit.set_entity(text, keys, old, type_),
        old,
    )


def ignore(library: Library, name: str) -> Fix:
    """Not an entity: the name goes under ``ignore``. ``name`` must be what an entity is
    called now (so a typo is caught); the entity's own written name is what is ignored."""
    entity = resolve(library, name)
    written = written_name(entity)
    return Fix(
        f"ignore {written}",
        lambda text: catalogue_edit.add_ignore(text, written),
        written,
    )


def _type(entity: Entity, type_: str | None) -> str:
    """The type to write: the one asked for, else the entity's own when the catalogue can
    hold it (an ``unknown`` entity needs one said)."""
    if type_ == "organization":
        type_ = "organisation"
    chosen = type_ or entity.type
    if chosen not in TYPES:
        if type_ is None:
            raise FixError(
                f"{entity.name!r} has no type xref is sure of; say one with --type "
                f"({', '.join(TYPES)})"
            )
        raise FixError(f"type must be one of {', '.join(TYPES)}, not {type_!r}")
    return chosen
