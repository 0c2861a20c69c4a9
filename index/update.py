"""One update of the index: compare the corpus with the manifest, then index what was added
or changed and drop what was removed, serially or in worker processes (``index.workers``)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from index.corpus import Candidate, Skipped, article_ids, scan
from index.documents import Enricher, Prepared, prepare
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

    @property
    def touched(self) -> int:
        return self.added + self.changed + self.removed


@dataclass
class Plan:
    """The work of one update, found by comparing the corpus with the manifest."""

    todo: list[tuple[Candidate, str]] = field(default_factory=list)  # (file, its id)
    removed: list[str] = field(default_factory=list)
    renamed: list[str] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    memo: dict[str, list[Any]] = field(default_factory=dict)
    stale_memo: set[str] = field(default_factory=set)


def plan(corpus: Path, manifest: dict[str, Any], reextract: bool) -> Plan:
    """What an update has to do: scan the corpus and compare it with the manifest."""
    old: dict[str, list[Any]] = manifest["files"]
    memo: dict[str, list[Any]] = manifest.get("skipped", {})
    candidates, skipped = scan(corpus)
    work = Plan(skipped=skipped)
    ids = article_ids(c.rel for c in candidates)
    for c in candidates:
        entry = old.get(c.rel)
        mtime, size = c.stat.st_mtime_ns, c.stat.st_size
        if (
            entry
            and not reextract
            and entry[0] == ids[c.rel]
            and entry[1] == mtime
            and entry[2] == size
        ):
            continue
        known = memo.get(c.rel)
        if not entry and known and known[:2] == [mtime, size]:
            # Refused for what it holds (binary, empty) and not changed since: not
            # read again at every search, still reported.
            work.skipped.append(Skipped(c.rel, known[2]))
            work.memo[c.rel] = known
            continue
        work.todo.append((c, ids[c.rel]))
    work.removed = [rel for rel in old if rel not in ids]
    # Ids given up by files still here (a "dup.md" arrived beside "dup.txt"): deleted
    # before anything is added, so that no new document is deleted under another's id.
    work.renamed = [rel for c, aid in work.todo if (rel := c.rel) in old and old[rel][0] != aid]
    work.stale_memo = set(memo) - set(work.memo)
    return work


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

    def apply(self, progress: Progress | None, folder: Path, reextract: bool) -> bool:
        """Index what was added or changed and drop what was removed; True if anything was.

        A file that cannot be read is skipped with its reason, whenever that is found out
        (at the scan, or at the read if it changed or vanished since): the rest is indexed."""
        old: dict[str, list[Any]] = self.manifest["files"]
        work = plan(self.corpus, self.manifest, reextract)
        self.summary.skipped.extend(work.skipped)
        if progress:
            progress(0, len(work.todo))
        if not work.todo and not work.removed and not work.stale_memo:
            count(old, self.side, self.summary)
            if not (folder / CATALOG).exists() or not (folder / SUMMARIES).exists():
                write_side(folder, self.side)
            return False
        forced = set(work.renamed) if not reextract else {c.rel for c, _ in work.todo}
        todo = [
            (
                c.rel,
                aid,
                None
                if c.rel in forced or c.rel not in self.side.catalog
                else self.side.catalog[c.rel][4],
            )
            for c, aid in work.todo
        ]
        self._write(work, todo, progress, folder)
        self.manifest["skipped"] = work.memo
        write_side(folder, self.side)
        count(old, self.side, self.summary)
        return bool(work.todo or work.removed)

    def _write(self, work: Plan, todo: Todo, progress: Progress | None, folder: Path) -> None:
        """The Whoosh side of ``apply``: one writer, committed with the workers' segments."""
        old: dict[str, list[Any]] = self.manifest["files"]
        writer = self.ix.writer(limitmb=256)
        try:
            for rel in work.removed:
                writer.delete_by_term("id", old.pop(rel)[0])
                self.side.catalog.pop(rel, None)
                self.side.summaries.pop(rel, None)
                self.summary.removed += 1
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
        for done, (rel, aid, sha1) in enumerate(todo, 1):
            prep = prepare(self.corpus, rel, aid, sha1, enrich)
            if prep.fields is not None:
                writer.update_document(**prep.fields)
            self.record(prep, writer, memo, False)
            if progress and (done % 25 == 0 or done == total):
                progress(done, total)

    def record(
        self, prep: Prepared, writer: Any, memo: dict[str, list[Any]], delete_old: bool
    ) -> None:
        """Enter one prepared file in the tables (and drop its old document if it is no
        longer an article, or if ``delete_old``: a worker's document is added beside it)."""
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
                writer.delete_by_term("id", files.pop(rel)[0])
                side.catalog.pop(rel, None)
                side.summaries.pop(rel, None)
                summary.removed += 1
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
