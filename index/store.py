"""The Whoosh index of a corpus: building, updating incrementally, opening safely.

Whoosh stays behind the engine modules (this one, ``schema``, ``manifest``, ``update``,
``workers`` and ``search``); callers get ``Article`` dataclasses and plain dicts. One document
per article holds the text (stored, so offsets always match what was indexed), its metadata
and its entity keys. Beside the Whoosh files, three JSON files (see ``index.manifest``).

The manifest is written last, after the Whoosh commit and the others: a process killed in
between only causes a file to be indexed again, never a wrong answer.

One writer at a time: an ``flock`` on ``xref.lock`` serialises updates between processes; readers
open the committed segments, which Whoosh never changes in place.

This module also re-exports what its callers (and indexes built before the split) name here:
the analyzer classes are pickled in every index as ``index.store.FoldFilter`` and
``index.store.ApostropheFilter``.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from whoosh import index

from index import freshness
from index.documents import (
    Enricher,
    Enrichment,
    article_doc,
    article_from_doc,
    enrich_nothing,
)
from index.index_folder import (
    LOCK,
    claim,
    default_index_dir,
    new_beside,
    remove_leftovers,
    remove_own,
    swap_in,
    writer_lock,
)
from index.manifest import (
    CATALOG,
    MANIFEST,
    SCHEMA_VERSION,
    SUMMARIES,
    IndexProblem,
    Side,
    derived_problem,
    load_side,
    open_checked,
    stamp,
    write_json,
    write_meta,
)
from index.schema import (
    TOKEN_PATTERN,
    ApostropheFilter,
    FoldFilter,
    analyzer,
    iter_tokens,
    make_schema,
    tokens,
)
from index.store_reading import StoreReader
from index.update import Indexer, Plan, UpdateSummary, plan
from index.versions import Versions
from index.workers import BUILD_WORKERS, PARALLEL_MIN, Progress, worker_main

__all__ = [
    "BUILD_WORKERS",
    "CATALOG",
    "PARALLEL_MIN",
    "SCHEMA_VERSION",
    "SUMMARIES",
    "TOKEN_PATTERN",
    "ApostropheFilter",
    "Enricher",
    "Enrichment",
    "FoldFilter",
    "IndexProblem",
    "Progress",
    "Store",
    "UpdateSummary",
    "analyzer",
    "article_doc",
    "article_from_doc",
    "default_index_dir",
    "iter_tokens",
    "make_schema",
    "tokens",
    "worker_main",
]


class Store(StoreReader):
    """A corpus folder and its index directory."""

    def __init__(
        self,
        corpus: Path,
        index_dir: Path | None = None,
        enrich: Callable[[], Enricher] | None = None,
        enrich_version: str | Callable[[], str] = "",
        enrich_stamp: str = "",
        link_version: str | Callable[[], str] = "",
        after_update: Callable[[dict[str, Any], bool, Path], None] | None = None,
        derived: dict[str, Callable[[Any], object]] | None = None,
        notes: Callable[[], dict[str, Any]] | None = None,
    ) -> None:
        self.corpus = corpus.resolve()
        self.index_dir = (index_dir or default_index_dir(self.corpus)).resolve()
        # Makes the enricher, on demand (it loads the catalogue and the tagger); what it
        # returns must pickle, to run in build workers.
        self.enrich = enrich or enrich_nothing
        # What the stored entities and links were made with (see ``versions``).
        self.versions = Versions(enrich_version, enrich_stamp, link_version)
        self.enrich_stamp = enrich_stamp
        # Called under the writer lock with every article's entity summary (by id), whether
        # anything changed and the folder being written (beside the index during a
        # rebuild), so derived data (the entity links) is rebuilt by the same writer.
        self.after_update = after_update
        # Files ``after_update`` writes, each with a check that raises on a wrong shape: a
        # damaged one is written again, with a message.
        self.derived = derived or {}
        # What the caller wants kept in the freshness record (valid while its stamps are).
        self.notes = notes
        self.workers = BUILD_WORKERS
        self.parallel_min = PARALLEL_MIN
        self._ix: Any | None = None
        self._reader_searcher: Any = None
        self._manifest: dict[str, Any] | None = None
        self._catalog: dict[str, list[Any]] | None = None
        self._by_id: dict[str, str] | None = None
        self._fresh: dict[str, Any] | None = None  # the record of the last quick check
        self._work: Plan | None = None  # the last update's
        # Counts the times what this store reads from changed (an update wrote, or found
        # another process's): a cache of what it returned is stale when this has moved.
        self.generation = 0

    # --- files in the index directory ---------------------------------------------------

    def _stamps(self, folder: Path) -> dict[str, list[int] | None]:
        return {name: stamp(folder / name) for name in (CATALOG, SUMMARIES, *self.derived)}

    def _write_manifest(self, folder: Path, manifest: dict[str, Any], side: Side) -> None:
        """The manifest, last: with the enricher's version and the stamps of what was
        written before it."""
        self.versions.record(manifest)
        manifest["passages"] = sum(side.catalog[rel][3] for rel in manifest["files"])
        manifest["stamps"] = self._stamps(folder)
        write_json(folder / MANIFEST, manifest)

    # --- update -------------------------------------------------------------------------

    def update(
        self,
        progress: Progress | None = None,
        on_wait: Callable[[], None] | None = None,
        rebuild: bool = False,
    ) -> UpdateSummary:
        """Bring the index in line with the corpus, re-reading only what changed.

        Raises ``IndexDirRefused`` before writing anything when the index folder is not one
        xref may use (see ``index_folder``)."""
        if not self.corpus.is_dir():
            raise NotADirectoryError(f"corpus folder not found: {self.corpus}")
        began = time.perf_counter()
        summary = UpdateSummary()
        claim(self.index_dir)
        if not rebuild and self._up_to_date(summary):
            summary.seconds = time.perf_counter() - began
            return summary
        summary = UpdateSummary()
        with writer_lock(self.index_dir, on_wait):
            # The corpus as it is before this update reads it: a file changed from here on
            # is seen as changed by the next check.
            digest = freshness.corpus_digest(self.corpus) if self.enrich_stamp else None
            self._work = None
            problem = "rebuild asked for" if rebuild else None
            if problem is None:
                try:
                    ix, manifest = open_checked(self.index_dir)
                    side = load_side(self.index_dir, manifest)
                except IndexProblem as exc:
                    problem = str(exc)
            if problem is None:
                self._update_in_place(ix, manifest, side, summary, progress)
            else:
                if problem != "no index yet":
                    summary.rebuilt_because = problem
                ix, manifest, side = self._rebuild(summary, progress)
            fresh = self._settle(manifest, digest)
        # What was just checked or written is current: reading it again costs a parse.
        self._ix, self._manifest, self._catalog, self._by_id = ix, manifest, side.catalog, None
        self._fresh = fresh
        self._drop_searcher()
        self.generation += 1
        summary.seconds = time.perf_counter() - began
        return summary

    def _update_in_place(
        self,
        ix: Any,
        manifest: dict[str, Any],
        side: Side,
        summary: UpdateSummary,
        progress: Progress | None,
    ) -> None:
        """Bring a whole index in line with the corpus, under the writer lock; the derived
        files and the manifest are written again only when something changed."""
        before = json.dumps(manifest, sort_keys=True)
        reextract = not self.versions.enrich_current(manifest)
        relink = reextract or not self.versions.links_current(manifest)
        changed = self._apply(ix, manifest, side, summary, progress, self.index_dir, reextract)
        damage = derived_problem(self.index_dir, manifest, self.derived)
        if damage and not damage.endswith(("is missing", "since it was written")):
            summary.rebuilt_because = f"{damage}; rebuilt it"
        if self.after_update and (changed or damage or relink):
            self.after_update(self._summaries(manifest, side), True, self.index_dir)
            summary.relinked = True
        if (
            changed
            or damage
            or relink
            or manifest.get("enrich_stamp") != self.enrich_stamp
            or manifest.get("stamps") != self._stamps(self.index_dir)
            or json.dumps(manifest, sort_keys=True) != before
        ):
            self._write_manifest(self.index_dir, manifest, side)

    def _up_to_date(self, summary: UpdateSummary) -> bool:
        """Is the index whole and in line with the corpus? Checked without the writer lock
        and without writing anything, so that an index in a read-only folder can be searched
        and a search never changes the index folder. It reads the small manifest and stats
        every file of the corpus and the files xref wrote, nothing more. Anything short of
        "yes" is decided again under the lock. The quick check (``freshness``) comes first:
        while its record holds, not even the manifest is read."""
        if self._quick_check(summary):
            return True
        self._fresh = None
        try:
            ix, manifest = open_checked(self.index_dir)
        except IndexProblem:
            return False
        if (
            manifest.get("stamps") != self._stamps(self.index_dir)
            or not self.versions.enrich_current(manifest)
            or not self.versions.links_current(manifest)
        ):
            return False
        work = plan(self.corpus, manifest, reextract=False)
        if work.todo or work.removed:
            return False
        summary.skipped.extend(work.skipped)
        summary.articles, summary.passages = len(manifest["files"]), manifest["passages"]
        if self._manifest is not None and self._manifest.get("stamps") == manifest["stamps"]:
            return True  # what this store holds open is current: keep it (and its caches)
        self._ix, self._manifest, self._catalog, self._by_id = ix, manifest, None, None
        self._drop_searcher()
        self.generation += 1
        return True

    def _quick_check(self, summary: UpdateSummary) -> bool:
        record = freshness.current(self.index_dir, self.corpus, self.enrich_stamp)
        if record is None or record.get("schema") != SCHEMA_VERSION:
            return False
        summary.skipped.extend(freshness.skipped_of(record))
        summary.articles, summary.passages = record["counts"]
        if record == self._fresh and self._ix is not None:
            return True  # what this store holds open is current: keep it (and its caches)
        try:
            ix = index.open_dir(str(self.index_dir))
        except Exception:  # a damaged table of segments: the full check says what is wrong
            summary.skipped.clear()
            return False
        self._ix, self._manifest, self._catalog, self._by_id = ix, None, None, None
        self._fresh = record
        self._drop_searcher()
        self.generation += 1
        return True

    def _settle(self, manifest: dict[str, Any], digest: str | None) -> dict[str, Any] | None:
        """Record (``freshness``) that the index is current, when the update left nothing to
        do; else forget any record, so that the next command makes the full check."""
        skipped = self._work.settled(manifest) if self._work is not None else None
        if digest is None or skipped is None:
            freshness.forget(self.index_dir)
            return None
        counts = (len(manifest["files"]), manifest["passages"])
        notes = self.notes() if self.notes else {}
        return freshness.write(self.index_dir, digest, self.enrich_stamp, counts, skipped, notes)

    @property
    def fresh_notes(self) -> dict[str, Any]:
        """The notes of the freshness record this store trusts now ({} if none)."""
        notes = self._fresh.get("notes") if self._fresh else None
        return notes if isinstance(notes, dict) else {}

    def _rebuild(
        self, summary: UpdateSummary, progress: Progress | None
    ) -> tuple[Any, dict[str, Any], Side]:
        """Index the whole corpus again, under the writer lock.

        Over an existing index the new one is built beside it and swapped in, so readers of
        the old one keep a whole index until the swap. A folder that also holds files xref
        did not write is rebuilt in place instead (they must stay where the user put them),
        as is one whose parent folder cannot be written; only xref's own files are removed.
        """
        own, foreign = claim(self.index_dir)
        remove_leftovers(self.index_dir)
        has_index = any(name != LOCK for name in own)
        build = new_beside(self.index_dir) if has_index and not foreign else None
        folder = build or self.index_dir
        if build is None:
            remove_own(self.index_dir, keep=(LOCK,))
        try:
            write_meta(folder, self.corpus, "building")
            ix = index.create_in(str(folder), make_schema())
            manifest: dict[str, Any] = {"files": {}}
            side = Side()
            self._apply(ix, manifest, side, summary, progress, folder, True)
            if self.after_update:
                self.after_update(self._summaries(manifest, side), True, folder)
                summary.relinked = True
            self._write_manifest(folder, manifest, side)
            write_meta(folder, self.corpus, "ready")
            if build is not None:
                # The new folder's lock is taken before it becomes the current one, so a
                # writer arriving after the swap waits for this one to finish.
                with writer_lock(build):
                    swap_in(build, self.index_dir)
                build = None
                ix = index.open_dir(str(self.index_dir))
        finally:
            if build is not None:  # interrupted: the old index stays as it was
                remove_leftovers(self.index_dir)
        return ix, manifest, side

    @staticmethod
    def _summaries(manifest: dict[str, Any], side: Side) -> dict[str, Any]:
        """Every article's entity summary, by article id (what the linker reads)."""
        return {entry[0]: side.summaries.get(rel) for rel, entry in manifest["files"].items()}

    def _apply(
        self,
        ix: Any,
        manifest: dict[str, Any],
        side: Side,
        summary: UpdateSummary,
        progress: Progress | None,
        folder: Path,
        reextract: bool,
    ) -> bool:
        """Index what was added or changed and drop what was removed (see ``Indexer``)."""
        indexer = Indexer(
            self.corpus, self.enrich, self.workers, self.parallel_min, ix, manifest, side, summary
        )
        changed = indexer.apply(progress, folder, reextract)
        self._work = indexer.work
        return changed
