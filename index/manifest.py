"""The files beside the Whoosh index: the manifest, the catalog, the entity summaries.

- ``manifest.json``, the small table read on every open: each article's id, size and mtime
  (keyed by its file, or ``file#key`` for a record of a file of many articles, whose stamp,
  checksum and keys are in ``parts``), and
  the size and mtime of the two files below and of the derived ``links.json``, so that their
  damage is noticed without reading them). An unchanged corpus costs one ``stat`` per file;
- ``catalog.json``: title, byline, date, passage count and checksum of each file, read for the
  article list and by an update;
- ``summaries.json``: each article's entity summary, read only by the linker during an update.

Everything read back from disk is checked for shape here, because every later use indexes
into it without further checks.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from whoosh import index

from index.files import write_atomic
from index.index_folder import MARKER

SCHEMA_VERSION = 5  # 5: the manifest split into manifest, catalog and entities
MANIFEST = "manifest.json"
CATALOG = "catalog.json"
SUMMARIES = "summaries.json"


class IndexProblem(Exception):
    """The index cannot be used as it is (another version, corrupt, half-written)."""


@dataclass
class Side:
    """The parts of the index only an update reads: the catalog (path -> title, byline, date,
    passage count, checksum) and the entity summaries (path -> what the linker needs)."""

    catalog: dict[str, list[Any]] = field(default_factory=dict)
    summaries: dict[str, Any] = field(default_factory=dict)


def manifest_problem(manifest: Any) -> str | None:
    """What is wrong with the shape of a manifest read back from disk, or None: every use
    of it (the catalogue, counts, linking) indexes into it without further checks."""
    if not isinstance(manifest, dict) or not isinstance(manifest.get("files"), dict):
        return "no table of files"
    for rel, entry in manifest["files"].items():
        if not (
            isinstance(entry, list)
            and len(entry) == 3
            and isinstance(entry[0], str)
            and isinstance(entry[1], int)
            and isinstance(entry[2], int)
        ):
            return f"entry {rel!r} is not [id, mtime, size]"
    parts = manifest.get("parts", {})
    if not isinstance(parts, dict):
        return "the files of many articles are not a table"
    for rel, entry in parts.items():
        if not (
            isinstance(entry, list)
            and len(entry) == 4
            and isinstance(entry[2], str)
            and isinstance(entry[3], list)
            and all(isinstance(k, str) and k in manifest["files"] for k in entry[3])
        ):
            return f"entry {rel!r} is not [mtime, size, checksum, articles]"
    skipped = manifest.get("skipped", {})
    if not isinstance(skipped, dict) or not all(
        isinstance(v, list) and len(v) == 3 for v in skipped.values()
    ):
        return "the skipped files are not a table"
    if not isinstance(manifest.get("stamps", {}), dict) or not isinstance(
        manifest.get("passages", 0), int
    ):
        return "no stamps or passage count"
    return None


def side_problem(files: dict[str, list[Any]], side: Side) -> str | None:
    """What is wrong with the catalog and summaries read back from disk, or None."""
    if not isinstance(side.catalog, dict) or not isinstance(side.summaries, dict):
        return "not a table"
    for rel in files:
        row = side.catalog.get(rel)
        if not (
            isinstance(row, list)
            and len(row) == 5
            and isinstance(row[3], int)
            and isinstance(row[4], str)
        ):
            return f"no valid row for {rel!r}"
    return None


def stamp(path: Path) -> list[int] | None:
    """Size and modification time of a file (None if missing): a file xref wrote that has
    another stamp than the one recorded was changed or damaged since."""
    try:
        st = os.stat(path)
    except FileNotFoundError:
        return None
    return [st.st_size, st.st_mtime_ns]


def write_json(path: Path, data: Any) -> None:
    """``data`` as compact JSON, written atomically."""
    write_atomic(path, json.dumps(data, ensure_ascii=False, separators=(",", ":")))


def write_meta(folder: Path, corpus: Path, state: str) -> None:
    """The marker file: the format version, the corpus, "building" or "ready"."""
    write_json(folder / MARKER, {"schema": SCHEMA_VERSION, "corpus": str(corpus), "state": state})


def write_side(folder: Path, side: Side) -> None:
    write_json(folder / CATALOG, side.catalog)
    write_json(folder / SUMMARIES, side.summaries)


def open_checked(folder: Path) -> tuple[Any, dict[str, Any]]:
    """Open the index (a ``whoosh.index.Index``) and its manifest, or raise ``IndexProblem``
    saying what is wrong."""
    meta_path = folder / MARKER
    if not meta_path.exists():
        raise IndexProblem("no index yet")
    try:
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise IndexProblem(f"unreadable index metadata ({exc})") from exc
    if not isinstance(meta, dict) or meta.get("schema") != SCHEMA_VERSION:
        schema = meta.get("schema") if isinstance(meta, dict) else None
        raise IndexProblem(f"index has schema version {schema}, this xref uses {SCHEMA_VERSION}")
    if meta.get("state") != "ready":
        raise IndexProblem("a previous build did not finish")
    try:
        ix = index.open_dir(str(folder))
        with ix.reader() as r:
            count = r.doc_count()
    except Exception as exc:  # corrupt segments fail in many ways; all mean "rebuild"
        raise IndexProblem(f"index is damaged ({type(exc).__name__}: {exc})") from exc
    manifest = read_manifest(folder)
    if count != len(manifest["files"]):
        raise IndexProblem("index and manifest disagree")
    return ix, manifest


def read_manifest(folder: Path) -> dict[str, Any]:
    """The manifest, checked for shape (``IndexProblem`` if it cannot be used)."""
    try:
        manifest: dict[str, Any] = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise IndexProblem(f"index is damaged ({type(exc).__name__}: {exc})") from exc
    problem = manifest_problem(manifest)
    if problem:
        raise IndexProblem(f"{MANIFEST} is damaged ({problem})")
    return manifest


def load_side(folder: Path, manifest: dict[str, Any]) -> Side:
    """The catalog and entity summaries, for an update (``IndexProblem`` if damaged)."""
    try:
        side = Side(
            json.loads((folder / CATALOG).read_text(encoding="utf-8")),
            json.loads((folder / SUMMARIES).read_text(encoding="utf-8")),
        )
    except (OSError, ValueError) as exc:
        raise IndexProblem(
            f"{CATALOG} or {SUMMARIES} is damaged ({type(exc).__name__}: {exc})"
        ) from exc
    problem = side_problem(manifest["files"], side)
    if problem:
        raise IndexProblem(f"{CATALOG} or {SUMMARIES} is damaged ({problem})")
    return side


def derived_problem(
    folder: Path, manifest: dict[str, Any], derived: dict[str, Callable[[Any], object]]
) -> str | None:
    """Why a derived part (``links.json``) must be written again, or None. Read and
    checked only when its stamp is not the one recorded when it was written."""
    recorded = manifest.get("stamps", {})
    for name, check in derived.items():
        now = stamp(folder / name)
        if now is None:
            return f"{name} is missing"
        if now == recorded.get(name):
            continue
        try:
            check(json.loads((folder / name).read_text(encoding="utf-8")))
        except FileNotFoundError:
            return f"{name} is missing"
        except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
            return f"{name} is damaged ({type(exc).__name__}: {exc})"
        return f"{name} changed since it was written"
    return None
