"""The entity catalogue: a YAML file the user curates (``entities.yaml`` in the corpus).

It adds what only world knowledge says (Artsakh is Nagorno-Karabakh), names to ignore, and
merges. A broken catalogue is reported with its line and ignored; indexing goes on without it.

    version: 1
    entities:
      - name: Nagorno-Karabakh
        type: place
        aliases: [Artsakh]
    ignore: [Key Takeaways]
    merges:
      - [Trend, Trend News Agency]
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from index.entities import TYPES, entity_key
from index.files import yaml_problem

MAX_BYTES = 2 * 1024 * 1024


class CatalogueError(ValueError):
    """A catalogue that cannot be used; the message names the file and line."""


@dataclass(frozen=True)
class CatalogueEntity:
    name: str
    type: str
    aliases: tuple[str, ...]


@dataclass(frozen=True)
class Catalogue:
    entities: tuple[CatalogueEntity, ...] = ()
    ignore: frozenset[str] = frozenset()
    merges: tuple[tuple[str, ...], ...] = ()
    digest: str = ""

    def phrases(self) -> dict[str, tuple[str, str]]:
        """Folded lower-case alias → (type, key of the entity), for the extractor."""
        out: dict[str, tuple[str, str]] = {}
        for e in self.entities:
            key = entity_key(e.name)
            for surface in (e.name, *e.aliases):
                phrase = " ".join(surface.lower().split())
                if phrase.startswith("the "):
                    phrase = phrase[4:]
                out[phrase] = (e.type, key)
        return out


@dataclass
class LoadResult:
    catalogue: Catalogue = field(default_factory=Catalogue)
    error: str | None = None
    path: Path | None = None


class _LineLoader(yaml.SafeLoader):
    """``safe_load`` that remembers on which line each mapping starts (for messages)."""


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode) -> dict[str, Any]:
    mapping = loader.construct_mapping(node, deep=True)
    mapping["__line__"] = node.start_mark.line + 1
    return mapping


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def load(path: Path) -> Catalogue:
    """Read and check a catalogue; raise ``CatalogueError`` naming the line on any problem."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise CatalogueError(f"{path}: cannot read ({exc.strerror})") from exc
    if len(raw) > MAX_BYTES:
        raise CatalogueError(f"{path}: larger than {MAX_BYTES // 1024} KB; not read")
    try:
        data = yaml.load(raw.decode("utf-8-sig"), Loader=_LineLoader)
    except UnicodeDecodeError as exc:
        raise CatalogueError(f"{path}: not UTF-8 text") from exc
    except yaml.MarkedYAMLError as exc:
        raise CatalogueError(f"{path} {yaml_problem(exc)}") from exc
    except yaml.YAMLError as exc:
        raise CatalogueError(f"{path}: {exc}") from exc
    if data is None:
        return Catalogue()
    if not isinstance(data, dict):
        raise CatalogueError(f"{path} line 1: expected a mapping with 'version' and 'entities'")
    if data.get("version", 1) != 1:
        raise CatalogueError(f"{path} line 1: unknown version {data.get('version')!r}")
    entities = []
    for item in data.get("entities") or []:
        line = item.get("__line__", "?") if isinstance(item, dict) else "?"
        if not isinstance(item, dict) or not isinstance(item.get("name"), str):
            raise CatalogueError(f"{path} line {line}: each entity needs a 'name'")
        type_ = item.get("type", "")
        if type_ == "organization":
            type_ = "organisation"
        if type_ not in TYPES:
            raise CatalogueError(
                f"{path} line {line}: type of {item['name']!r} must be one of {', '.join(TYPES)}"
            )
        aliases = item.get("aliases") or []
        if not isinstance(aliases, list) or not all(isinstance(a, str) for a in aliases):
            raise CatalogueError(f"{path} line {line}: 'aliases' must be a list of names")
        entities.append(
            CatalogueEntity(
                item["name"].strip(), type_, tuple(a.strip() for a in aliases if a.strip())
            )
        )
    ignore = data.get("ignore") or []
    if not isinstance(ignore, list) or not all(isinstance(x, str) for x in ignore):
        raise CatalogueError(f"{path}: 'ignore' must be a list of names")
    merges = data.get("merges") or []
    if not isinstance(merges, list) or not all(
        isinstance(m, list) and all(isinstance(x, str) for x in m) for m in merges
    ):
        raise CatalogueError(f"{path}: 'merges' must be a list of lists of names")
    digest = hashlib.sha1(raw).hexdigest()[:16]
    return Catalogue(
        tuple(entities),
        frozenset(entity_key(x) for x in ignore),
        tuple(tuple(m) for m in merges),
        digest,
    )


def load_for(corpus: Path, explicit: Path | None, enabled: bool) -> LoadResult:
    """The catalogue in force: ``explicit``, else ``entities.yaml`` in the corpus, if enabled."""
    if not enabled:
        return LoadResult()
    path = explicit or corpus / "entities.yaml"
    if not path.exists():
        if explicit:
            return LoadResult(error=f"catalogue not found: {explicit}", path=explicit)
        return LoadResult()
    try:
        return LoadResult(load(path), path=path)
    except CatalogueError as exc:
        return LoadResult(error=f"{exc}; indexing without the catalogue", path=path)
