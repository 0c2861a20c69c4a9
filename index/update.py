"""One update of the index: compare the corpus with the manifest, then index what was added
or changed and drop what was removed, serially or in worker processes (``index.workers``).

Freshness is a file's: the manifest's ``files`` has one entry per article (a file of one, by
its path; a record of a file of many, by ``file#key``), and ``parts`` one per file of many
articles: its stamp, checksum and the keys of its articles. A changed file of many is read
again whole; its unchanged records keep their documents (see ``documents``)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from index.corpus import Candidate, Skipped, article_ids, scan
from index.documents import Before, Enricher, Part, Prepared, prepare
from index.formats import format_of
from index.manifest import CATALOG, SUMMARIES, Side, write_side
from index.workers import Progress, Todo, commit_with, index_parallel


@dataclass
class UpdateSummary:
    """What an update did, for the one-line summary of ``xref index``."""

    articles: int = 0
    passages: int = 0
    added: int = 0
    changed: int = 0
    removed: int = 0
    seconds: float = 0.0
    skipped: list[Skipped] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    rebuilt_because: str | None = None
    relinked: bool = False  # the links were made again (a change, or the catalogue's)

    @property
    def touched(self) -> int:
        return self.added + self.changed + self.removed


@dataclass
class Plan:
    """The work of one update, found by comparing the corpus with the manifest."""

    todo: list[tuple[Candidate, str]] = field(default_factory=list)  # (file, its id)
    removed: list[str] = field(default_factory=list)  # files gone: of one article, of many
    renamed: list[str] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    memo: dict[str, list[Any]] = field(default_factory=dict)
    stale_memo: set[str] = field(default_factory=set)
    scanned: list[Skipped] = field(default_factory=list)  # refused by the scan itself
    order: list[str] = field(default_factory=list)  # every candidate file, in scan order

    def settled(self, manifest: dict[str, Any]) -> list[Skipped] | None:
        """After this work was applied: the files the next check would report skipped, or
        None when it would find work left (a file that could not be read and was not
        remembered as refused is tried again)."""
        files, parts = manifest["files"], manifest.get("parts", {})
        memo: dict[str, list[Any]] = manifest.get("skipped", {})
        if any(rel not in files and rel not in parts and rel not in memo for rel in self.order):
            return None
        known = [Skipped(rel, memo[rel][2]) for rel in self.order if rel in memo]
        return [*self.scanned, *known]


def plan(corpus: Path, manifest: dict[str, Any], reextract: bool) -> Plan:
    """What an update has to do: scan the corpus and compare it with the manifest."""
    old: dict[str, list[Any]] = manifest["files"]
    memo: dict[str, list[Any]] = manifest.get("skipped", {})
    parts: dict[str, list[Any]] = manifest.get("parts", {})
    candidates, skipped = scan(corpus)
    work = Plan(skipped=skipped, scanned=list(skipped), order=[c.rel for c in candidates])
    many = {c.rel for c in candidates if _many(c.rel)}
    ids = article_ids(c.rel for c in candidates if c.rel not in many)
    for c in candidates:
        mtime, size = c.stat.st_mtime_ns, c.stat.st_size
        if c.rel in many:
            entry = parts.get(c.rel)
            aid = c.rel  # its articles' ids are its path and their keys
            fresh = entry is not None and entry[:2] == [mtime, size]
        else:
            entry = old.get(c.rel)
            aid = ids[c.rel]
            fresh = bool(entry) and entry == [aid, mtime, size]
        if fresh and not reextract:
            continue
        known = memo.get(c.rel)
        if not entry and known and known[:2] == [mtime, size]:
            # Refused for what it holds (binary, empty) and not changed since: not
            # read again at every search, still reported.
            work.skipped.append(Skipped(c.rel, known[2]))
            work.memo[c.rel] = known
            continue
        work.todo.append((c, aid))
    in_parts = {key for entry in parts.values() for key in entry[3]}
    work.removed = [rel for rel in old if rel not in ids and rel not in in_parts]
    work.removed += [rel for rel in parts if rel not in many]
    # Ids given up by files still here (a "dup.md" arrived beside "dup.txt"): deleted
    # before anything is added, so that no new document is deleted under another's id.
    work.renamed = [rel for c, aid in work.todo if (rel := c.rel) in old and old[rel][0] != aid]
    work.stale_memo = set(memo) - set(work.memo)
    return work


def _many(rel: str) -> bool:
    fmt = format_of(rel)
    return fmt is not None and fmt.many


def count(files: dict[str, list[Any]], side: Side, summary: UpdateSummary) -> None:
    summary.articles = len(files)
    summary.passages = sum(side.catalog[rel][3] for rel in files)


@dataclass
class Indexer:
    """Applies an update to one open index (a ``whoosh.index.Index``) and its tables."""

    corpus: Path
    enrich: Callable[[], Enricher]
    workers: int
    parallel_min: int
    ix: Any
    manifest: dict[str, Any]
    side: Side
    summary: UpdateSummary
    work: Plan = field(default_factory=Plan)  # the last ``apply``'s

    def apply(self, progress: Progress | None, folder: Path, reextract: bool) -> bool:
        """Index what was added or changed and drop what was removed; True if anything was.

        A file that cannot be read is skipped with its reason, whenever that is found out
        (at the scan, or at the read if it changed or vanished since): the rest is indexed."""
        old: dict[str, list[Any]] = self.manifest["files"]
        work = self.work = plan(self.corpus, self.manifest, reextract)
        self.summary.skipped.extend(work.skipped)
        if progress:
            progress(0, len(work.todo))
        if not work.todo and not work.removed and not work.stale_memo:
            count(old, self.side, self.summary)
            if not (folder / CATALOG).exists() or not (folder / SUMMARIES).exists():
                write_side(folder, self.side)
            return False
        forced = set(work.renamed) if not reextract else {c.rel for c, _ in work.todo}
        todo = [(c.rel, aid, {} if c.rel in forced else self.before(c.rel)) for c, aid in work.todo]
        self._write(work, todo, progress, folder)
        self.manifest["skipped"] = work.memo
        write_side(folder, self.side)
        count(old, self.side, self.summary)
        return bool(work.todo or work.removed)

    def before(self, rel: str) -> Before:
        """What was indexed of a file: its checksum, and those of its records."""
        catalog = self.side.catalog
        entry = self.manifest.get("parts", {}).get(rel)
        if entry is None:
            return {rel: catalog[rel][4]} if rel in catalog else {}
        files = self.manifest["files"]
        known = {key: catalog[key][4] for key in entry[3] if key in catalog and key in files}
        return {rel: entry[2], **known}

    def _drop(self, writer: Any, key: str) -> None:
        """Delete one article, its document and its rows."""
        writer.delete_by_term("id", self.manifest["files"].pop(key)[0])
        self.side.catalog.pop(key, None)
        self.side.summaries.pop(key, None)
        self.summary.removed += 1

    def _write(self, work: Plan, todo: Todo, progress: Progress | None, folder: Path) -> None:
        """The Whoosh side of ``apply``: one writer, committed with the workers' segments."""
        old: dict[str, list[Any]] = self.manifest["files"]
        writer = self.ix.writer(limitmb=256)
        try:
            parts = self.manifest.get("parts", {})
            for rel in work.removed:
                for key in parts.pop(rel)[3] if rel in parts else [rel]:
                    if key in old:
                        self._drop(writer, key)
            for rel in work.renamed:
                writer.delete_by_term("id", old[rel][0])  # indexed again below, its new id
            if len(todo) >= self.parallel_min and self.workers > 1:
                segments = index_parallel(
                    todo,
                    folder,
                    self.corpus,
                    self.enrich(),
                    self.workers,
                    lambda prep: self.record(prep, writer, work.memo, True),
                    progress,
                )
            else:
                segments = []
                self._index_serial(writer, todo, work.memo, progress)
        except BaseException:
            writer.cancel()
            raise
        if segments:
            commit_with(writer, segments)
        else:
            writer.commit()

    def _index_serial(
        self, writer: Any, todo: Todo, memo: dict[str, list[Any]], progress: Progress | None
    ) -> None:
        enrich = self.enrich()
        total = len(todo)

        def add(fields: dict[str, Any]) -> None:
            writer.update_document(**fields)

        for done, (rel, aid, before) in enumerate(todo, 1):
            prep = prepare(self.corpus, rel, aid, before, enrich, add)
            self.record(prep, writer, memo, False)
            if progress and (done % 25 == 0 or done == total):
                progress(done, total)

    def record(
        self, prep: Prepared, writer: Any, memo: dict[str, list[Any]], delete_old: bool
    ) -> None:
        """Enter one prepared file in the tables (and drop its old document if it is no
        longer an article, or if ``delete_old``: a worker's document is added beside it)."""
        if format_of(prep.rel) is not None and _many(prep.rel):
            self._record_many(prep, writer, memo, delete_old)
            return
        files, side, summary = self.manifest["files"], self.side, self.summary
        rel, aid = prep.rel, prep.aid
        entry = files.get(rel)
        if prep.kind == "same" and entry is not None and prep.stat is not None:
            files[rel] = [entry[0], *prep.stat]
            return
        if prep.kind == "skip":
            if prep.memo and prep.stat is not None:
                memo[rel] = [*prep.stat, prep.reason]
            summary.skipped.append(Skipped(rel, prep.reason))
            if entry:
                self._drop(writer, rel)
            return
        assert prep.stat is not None and prep.row is not None  # kind "doc"
        if prep.warning:
            summary.warnings.append(prep.warning)
        if delete_old:
            writer.delete_by_term("id", aid)
        if entry:
            summary.changed += 1
        else:
            summary.added += 1
        files[rel] = [aid, *prep.stat]
        side.catalog[rel] = prep.row
        side.summaries[rel] = prep.summary

    def _record_many(
        self, prep: Prepared, writer: Any, memo: dict[str, list[Any]], delete_old: bool
    ) -> None:
        """Enter a file of many articles in the tables: its records gone are dropped, its
        new and changed ones entered (with ``delete_old``, their old documents deleted: a
        worker's new ones are added beside them), its unchanged ones only stamped."""
        files, summary = self.manifest["files"], self.summary
        parts: dict[str, list[Any]] = self.manifest.setdefault("parts", {})
        rel, entry = prep.rel, parts.get(prep.rel)
        if prep.kind == "same" and entry is not None and prep.stat is not None:
            entry[:2] = prep.stat
            for key in entry[3]:
                files[key][1:] = prep.stat
            return
        if prep.kind == "skip":
            if prep.memo and prep.stat is not None:
                memo[rel] = [*prep.stat, prep.reason]
            summary.skipped.append(Skipped(rel, prep.reason))
            for key in parts.pop(rel, [0, 0, "", []])[3]:
                if key in files:
                    self._drop(writer, key)
            return
        assert prep.stat is not None and prep.parts is not None  # kind "doc"
        if prep.warning:
            summary.warnings.append(prep.warning)
        now = {part.key for part in prep.parts}
        for key in entry[3] if entry else []:
            if key not in now and key in files:
                self._drop(writer, key)
        for part in prep.parts:
            self._enter(part, writer, prep.stat, delete_old)
        parts[rel] = [*prep.stat, prep.sha1, [part.key for part in prep.parts]]

    def _enter(self, part: Part, writer: Any, stat: tuple[int, int], delete_old: bool) -> None:
        files, side = self.manifest["files"], self.side
        known = part.key in files
        if part.row is None and known:  # unchanged: its document stays
            files[part.key] = [part.aid, *stat]
            return
        assert part.row is not None  # unchanged only when it was known (see ``before``)
        if delete_old and known:
            writer.delete_by_term("id", part.aid)
        if known:
            self.summary.changed += 1
        else:
            self.summary.added += 1
        files[part.key] = [part.aid, *stat]
        side.catalog[part.key] = part.row
        side.summaries[part.key] = part.summary
