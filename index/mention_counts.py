"""How often an entity is named in each article, from the entity summaries the linker reads,
without opening a single article.

Index time keeps, for every article, one summary row per mention key: the key, its type, how
many mentions have it, the form it is most often written in and a titled form
(``enrichment._Enricher``). Those counts are the counts of the stored mentions, made in the
same pass, so an entity's mentions in an article are the rows of the keys that the links give
to the entity there, ignored names left out as ``Library.mentions`` leaves them out: a test
keeps the two equal on the seeds and on Wikinews. Reading the summaries (one JSON file,
parsed once per index generation) costs what reading a handful of articles does; an entity's
profile used to read all of its articles.

The forms a name is written in are not all in the summaries (only the most written one of
each key, per article); ``written_once`` says where the summary alone is exact.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from index.manifest import SUMMARIES, IndexProblem, stamp

if TYPE_CHECKING:
    from index.enrichment import CatalogueView
    from index.links import Links
    from index.store_reading import StoreReader


@dataclass(frozen=True)
class KeyCount:
    """One mention key of an article: how many mentions have it, and the form it is most
    often written in there (the only one when ``count`` is 1)."""

    key: str
    count: int
    surface: str


Table = dict[str, tuple[KeyCount, ...]]  # article id -> its keys


def _rows(summary: Any) -> tuple[KeyCount, ...]:
    """The key rows of one summary; a row of another shape is skipped rather than trusted
    (a summary is read back from disk)."""
    rows = summary.get("rows") if isinstance(summary, dict) else None
    out = []
    for row in rows if isinstance(rows, list) else ():
        if (
            isinstance(row, list)
            and len(row) >= 4
            and isinstance(row[0], str)
            and isinstance(row[2], int)
            and isinstance(row[3], str)
        ):
            out.append(KeyCount(row[0], row[2], row[3]))
    return tuple(out)


def read_table(store: StoreReader) -> Table:
    """Every article's key counts, by article id (``IndexProblem`` when the file is damaged)."""
    path = store.index_dir / SUMMARIES
    try:
        summaries = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise IndexProblem(
            f"{SUMMARIES} is damaged ({type(exc).__name__}: {exc}); run xref index"
        ) from exc
    if not isinstance(summaries, dict):
        raise IndexProblem(f"{SUMMARIES} is damaged (not a table); run xref index")
    files = store.manifest["files"]
    return {entry[0]: _rows(summaries.get(rel)) for rel, entry in files.items()}


class CountTable:
    """The summaries' key counts of one index, read on first use and again only when the
    index changed (its generation or the file's stamp moved), so the app's card and
    "sort by mentions" pay one parse per update, not one per entity."""

    def __init__(self, store: StoreReader) -> None:
        self.store = store
        self._table: Table | None = None
        self._seen: tuple[int, list[int] | None] | None = None

    def table(self) -> Table:
        seen = (self.store.generation, stamp(self.store.index_dir / SUMMARIES))
        if self._table is None or seen != self._seen:
            self._table = read_table(self.store)
            self._seen = seen
        return self._table

    def clear(self) -> None:
        self._table = None
        self._seen = None


def entity_keys(
    table: Table,
    links: Links,
    view: CatalogueView,
    entity_id: str,
    article_ids: Iterable[str],
) -> dict[str, tuple[KeyCount, ...]]:
    """The key rows that mean ``entity_id`` in each of ``article_ids`` (an article with none
    gets an empty tuple): the rows ``Library.mentions(aid, entity_id)`` would find, counted."""
    out: dict[str, tuple[KeyCount, ...]] = {}
    for aid in article_ids:
        out[aid] = tuple(
            row
            for row in table.get(aid, ())
            if row.key not in view.ignore and links.entity_of(aid, row.key) == entity_id
        )
    return out


def per_article(rows: dict[str, tuple[KeyCount, ...]]) -> dict[str, int]:
    """Mentions of the entity in each article."""
    return {aid: sum(r.count for r in found) for aid, found in rows.items()}


def per_key(rows: dict[str, tuple[KeyCount, ...]]) -> dict[str, int]:
    """Mentions of the entity under each of its keys (a name with its case, dot, "the" and
    possessive variants: ``entities.entity_key``), most first."""
    counts: dict[str, int] = {}
    for found in rows.values():
        for r in found:
            counts[r.key] = counts.get(r.key, 0) + r.count
    return dict(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))


def written_once(found: tuple[KeyCount, ...]) -> bool:
    """Whether an article's rows tell every form its mentions are written in: each key is
    named once there, so its one form is the row's."""
    return all(r.count == 1 for r in found)
