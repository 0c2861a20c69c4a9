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
    records: {title: headline, text: story, date: pubdate}

``records`` names the fields of the corpus's JSONL and CSV exports when the usual names do not
fit (``index.formats.records``). It is here rather than in a flag because it is a fact about
the corpus, like the rest of the file: a flag would have to be given to every command (each
may update the index), and one run without it would read the exports again the usual way.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Hashable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from index.entities import TYPES, entity_key
from index.files import yaml_problem
from index.formats.records import field_name
from index.gazetteer import common_words

MAX_BYTES = 2 * 1024 * 1024
# The fields of a record that ``records:`` may name (``index.formats.records``).
RECORD_ROLES = ("id", "title", "text", "date", "url", "author")
MAX_FIELD = 100  # characters of a field name


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
    records: tuple[tuple[str, str], ...] = ()  # (role, field name), sorted by role

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

    def extraction_digest(self) -> str:
        """A fingerprint of what the extractor reads of the catalogue: each phrase it looks
        for and the key it gives. Types, merges and ignored names are applied after
        extraction (``index.enrichment``), so changing them leaves this digest alone and
        costs a re-link, not a re-extraction; ``digest`` covers the whole file.

        The field names of ``records`` are in it too: they decide what the articles of a JSONL
        or CSV export are, so a changed mapping must read those files again, and a changed
        digest is what makes an update read every file again (the record files included,
        their stamps unchanged). Mappings change rarely; without one the digest is the same
        as before this section existed, so no index is re-read for it."""
        pairs = sorted((phrase, key) for phrase, (_type, key) in self.phrases().items())
        text = "\n".join(f"{phrase}\t{key}" for phrase, key in pairs)
        if self.records:
            text += "\nrecords:" + ",".join(f"{role}={name}" for role, name in self.records)
        return hashlib.sha1(text.encode("utf-8", "surrogateescape")).hexdigest()[:16]


@dataclass
class LoadResult:
    catalogue: Catalogue = field(default_factory=Catalogue)
    error: str | None = None
    path: Path | None = None


class _LineLoader(yaml.SafeLoader):
    """``safe_load`` that remembers on which line each mapping starts (for messages)."""


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode) -> dict[Hashable, Any]:
    mapping = loader.construct_mapping(node, deep=True)
    mapping["__line__"] = node.start_mark.line + 1
    return mapping


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


# Limits that keep a catalogue from slowing every article's extraction (each alias becomes
# part of one pattern the extractor runs over the text): more is refused with its line.
MAX_ALIASES = 200  # per entity
MAX_NAMES = 10_000  # names and aliases in all
MAX_DEPTH = 50  # nesting of lists and mappings


def load(path: Path) -> Catalogue:
    """Read and check a catalogue; raise ``CatalogueError`` naming the line when the file as
    a whole cannot be used. Bad entries are left out and reported (``load_checked``)."""
    catalogue, problems = load_checked(path)
    if problems:
        raise CatalogueError(problems[0])
    return catalogue


def _parse(path: Path) -> tuple[Any, bytes]:
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise CatalogueError(f"{path}: cannot read ({exc.strerror})") from exc
    if len(raw) > MAX_BYTES:
        raise CatalogueError(f"{path}: larger than {MAX_BYTES // 1024} KB; not read")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise CatalogueError(f"{path}: not UTF-8 text") from exc
    depth = 0
    try:
        # Nesting is counted on the event stream first: a 5,000-deep list would otherwise
        # exhaust the recursion of the constructor.
        for event in yaml.parse(text, Loader=yaml.SafeLoader):
            if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
                depth += 1
                if depth > MAX_DEPTH:
                    mark = event.start_mark
                    line = mark.line + 1 if mark is not None else "?"
                    raise CatalogueError(
                        f"{path} line {line}: nested more than {MAX_DEPTH} levels deep; not read"
                    )
            elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
                depth -= 1
        return yaml.load(text, Loader=_LineLoader), raw
    except yaml.MarkedYAMLError as exc:
        raise CatalogueError(f"{path} {yaml_problem(exc)}") from exc
    except yaml.YAMLError as exc:
        raise CatalogueError(f"{path}: {exc}") from exc


def _names(value: Any) -> bool:
    return isinstance(value, list) and all(isinstance(x, str) for x in value)


def load_checked(path: Path) -> tuple[Catalogue, list[str]]:
    """The usable part of a catalogue and one message, naming its line, per part left out.

    Raises ``CatalogueError`` only when nothing can be used (unreadable, not YAML, not a
    mapping, another version)."""
    data, raw = _parse(path)
    if data is None:
        return Catalogue(), []
    if not isinstance(data, dict):
        raise CatalogueError(f"{path} line 1: expected a mapping with 'version' and 'entities'")
    if data.get("version", 1) != 1:
        raise CatalogueError(f"{path} line 1: unknown version {data.get('version')!r}")
    problems: list[str] = []
    where = data.get("__line__", 1)
    items = data.get("entities") or []
    if not isinstance(items, list):
        problems.append(f"{path} line {where}: 'entities' must be a list of entities")
        items = []
    entities = []
    budget = MAX_NAMES
    for item in items:
        line = item.get("__line__", "?") if isinstance(item, dict) else "?"
        entity, problem = _entity(item, line, path)
        if entity is not None and len(entity.aliases) + 1 > budget:
            entity, problem = (
                None,
                (
                    f"{path} line {line}: more than {MAX_NAMES} names in the "
                    "catalogue; the rest left out"
                ),
            )
        if problem:
            problems.append(problem)
        if entity is not None:
            budget -= len(entity.aliases) + 1
            entities.append(entity)
    ignore = data.get("ignore") or []
    if not _names(ignore):
        problems.append(f"{path}: 'ignore' must be a list of names; left out")
        ignore = []
    merges = data.get("merges") or []
    if not isinstance(merges, list) or not all(_names(m) for m in merges):
        problems.append(f"{path}: 'merges' must be a list of lists of names; left out")
        merges = []
    records, problem = records_section(data, path)
    if problem:
        problems.append(problem)
    digest = hashlib.sha1(raw).hexdigest()[:16]
    catalogue = Catalogue(
        tuple(entities),
        frozenset(entity_key(x) for x in ignore),
        tuple(tuple(m) for m in merges),
        digest,
        records,
    )
    return catalogue, problems


def records_section(data: dict[str, Any], path: Path) -> tuple[tuple[tuple[str, str], ...], str]:
    """The ``records:`` mapping (role → field name, sorted), and why it is left out (or "").

    A mapping is used whole or not at all: half of one would read the exports with some
    fields the user named and others guessed."""
    value = data.get("records")
    if value is None:
        return (), ""
    line = value.get("__line__", data.get("__line__", 1)) if isinstance(value, dict) else "?"
    if not isinstance(value, dict):
        return (), f"{path}: 'records' must map fields to names, like {{title: headline}}"
    pairs = []
    for role, name in value.items():
        if role == "__line__":
            continue
        if role not in RECORD_ROLES:
            return (), (
                f"{path} line {line}: records: {role!r} is not one of {', '.join(RECORD_ROLES)}"
            )
        if not isinstance(name, str | int) or not str(name).strip():
            return (), f"{path} line {line}: records: {role} must name a field"
        if len(str(name)) > MAX_FIELD:
            return (), f"{path} line {line}: records: {role} longer than {MAX_FIELD} characters"
        pairs.append((role, field_name(str(name))))
    return tuple(sorted(pairs)), ""


class RecordsError(CatalogueError):
    """A ``records:`` section that cannot be used: the exports are not read with it."""


_RECORDS_CACHE: dict[Path, tuple[tuple[int, int], dict[str, str]]] = {}


def record_fields(corpus: Path) -> dict[str, str]:
    """The field names the corpus's ``entities.yaml`` gives its exports (role → name), {} for
    the usual names. Read once per process while the file's size and time stay the same (a
    build worker reads it once, not once per export).

    Raises ``RecordsError`` (one line, with its line number) when the section is there but
    wrong: the exports are then skipped with that line rather than read with names the user
    did not mean. A catalogue that cannot be parsed at all gives {} (its error is reported
    where the catalogue is loaded, and indexing goes on without it)."""
    path = corpus / "entities.yaml"
    try:
        st = os.stat(path)
    except OSError:
        return {}
    stamp = (st.st_size, st.st_mtime_ns)
    cached = _RECORDS_CACHE.get(path)
    if cached is not None and cached[0] == stamp:
        return cached[1]
    try:
        data, _raw = _parse(path)
    except CatalogueError:
        data = None
    fields: dict[str, str] = {}
    if isinstance(data, dict):
        pairs, problem = records_section(data, path)
        if problem:
            raise RecordsError(problem)
        fields = dict(pairs)
    _RECORDS_CACHE[path] = (stamp, fields)
    return fields


def _entity(item: Any, line: object, path: Path) -> tuple[CatalogueEntity | None, str]:
    """One entry, or None and why it is left out; aliases that are everyday words ("the",
    "of") would make every article mention the entity, so they are dropped with a message."""
    if not isinstance(item, dict) or not isinstance(item.get("name"), str):
        return None, f"{path} line {line}: each entity needs a 'name'; left out"
    type_ = item.get("type", "")
    if type_ == "organization":
        type_ = "organisation"
    if type_ not in TYPES:
        return None, (
            f"{path} line {line}: type of {item['name']!r} must be one of "
            f"{', '.join(TYPES)}; left out"
        )
    aliases = item.get("aliases") or []
    if not _names(aliases):
        return None, f"{path} line {line}: 'aliases' must be a list of names; left out"
    if len(aliases) > MAX_ALIASES:
        return None, (
            f"{path} line {line}: {item['name']!r} has {len(aliases)} aliases, more "
            f"than {MAX_ALIASES}; left out"
        )
    kept = tuple(a.strip() for a in aliases if a.strip() and not _everyday(a))
    dropped = [a for a in aliases if a.strip() and _everyday(a)]
    problem = ""
    if dropped:
        problem = (
            f"{path} line {line}: aliases of {item['name']!r} that are everyday words "
            f"left out: {', '.join(repr(a) for a in dropped[:5])}"
        )
    return CatalogueEntity(item["name"].strip(), type_, kept), problem


def _everyday(alias: str) -> bool:
    """A one-word alias among the most frequent English words, or a single letter."""
    words = alias.lower().split()
    return len(alias.strip()) < 2 or (len(words) == 1 and words[0] in common_words(300))


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
        catalogue, problems = load_checked(path)
    except CatalogueError as exc:
        return LoadResult(error=f"{exc}; indexing without the catalogue", path=path)
    if problems:
        more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
        return LoadResult(catalogue, error=f"{problems[0]}{more}; the rest is used", path=path)
    return LoadResult(catalogue, path=path)
