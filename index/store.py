"""The Whoosh index of a corpus: building, updating incrementally, opening safely.

Whoosh stays behind this module and ``search.py``; callers get ``Article`` dataclasses and plain
dicts. One document per article holds the text (stored, so offsets always match what was
indexed), its metadata and its entity keys. A JSON manifest beside the Whoosh files records what
each file looked like when it was indexed; it is written after the Whoosh commit, so a process
killed between the two only causes a file to be indexed again, never a wrong answer.

One writer at a time: an ``flock`` on ``xref.lock`` serialises updates between processes; readers
open the committed segments, which Whoosh never changes in place.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from whoosh import fields, index
from whoosh.analysis import Filter, LowercaseFilter, RegexTokenizer

from index.corpus import (
    Article,
    ArticleInfo,
    Candidate,
    NotReadable,
    Passage,
    Skipped,
    article_from_bytes,
    article_ids,
    read_bytes,
    scan,
)
from index.files import write_atomic
from index.index_folder import (
    LOCK,
    MARKER,
    claim,
    new_beside,
    remove_leftovers,
    remove_own,
    swap_in,
    writer_lock,
)
from index.text import fold, slugify

SCHEMA_VERSION = 4
TOKEN_PATTERN = r"\w+(?:[.'’]\w+)*"
Progress = Callable[[int, int], None]


class FoldFilter(Filter):
    """Fold accents so that "Cəbrayıl", "Cebrayil" and "CƏBRAYIL" are one term."""

    def __call__(self, tokens):  # type: ignore[no-untyped-def]
        for t in tokens:
            t.text = fold(t.text)
            yield t


class ApostropheFilter(Filter):
    """Index "Aliyev's" and "U.S." as "aliyev" and "us", keeping offsets of the whole token."""

    def __call__(self, tokens):  # type: ignore[no-untyped-def]
        for t in tokens:
            text = t.text
            if text.endswith(("'s", "’s")):
                text = text[:-2]
            t.text = text.replace(".", "").replace("'", "").replace("’", "")
            if t.text:
                yield t


_TOKEN = re.compile(TOKEN_PATTERN)


def iter_tokens(text: str) -> Iterator[tuple[str, int, int]]:
    """(term, start, end) of every token, exactly as ``analyzer()`` makes them, without
    Whoosh's token objects: highlighting tokenises whole articles at every search, and this
    is several times faster. A test keeps the two the same on the real corpora. A generator,
    so that a search of a huge article holds the matches, not every token."""
    for m in _TOKEN.finditer(text):
        word = fold(m.group().lower())
        if word.endswith(("'s", "’s")):
            word = word[:-2]
        word = word.replace(".", "").replace("'", "").replace("’", "")
        if word:
            yield word, m.start(), m.end()


def tokens(text: str) -> list[tuple[str, int, int]]:
    """Every token of ``text`` (see ``iter_tokens``)."""
    return list(iter_tokens(text))


def analyzer():  # type: ignore[no-untyped-def]
    """The one analyzer for indexing, querying and highlighting: words are compared alike."""
    return RegexTokenizer(TOKEN_PATTERN) | LowercaseFilter() | FoldFilter() | ApostropheFilter()


def make_schema() -> fields.Schema:
    ana = analyzer()
    return fields.Schema(
        id=fields.ID(stored=True, unique=True, sortable=True),
        title=fields.TEXT(analyzer=ana, field_boost=2.5, stored=False),
        author=fields.TEXT(analyzer=ana, field_boost=1.5),
        body=fields.TEXT(analyzer=ana),
        mkeys=fields.KEYWORD(commas=True, lowercase=False, scorable=False),
        date=fields.ID(stored=True),
        doc=fields.STORED(),
    )


class IndexProblem(Exception):
    """The index cannot be used as it is (another version, corrupt, half-written)."""


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
class _Plan:
    """The work of one update, found by comparing the corpus with the manifest."""

    todo: list[tuple[Candidate, str]] = field(default_factory=list)  # (file, its id)
    removed: list[str] = field(default_factory=list)
    renamed: list[str] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    memo: dict[str, list[Any]] = field(default_factory=dict)
    stale_memo: set[str] = field(default_factory=set)


_ENTRY_TYPES = {"id": str, "mtime_ns": int, "size": int, "sha1": str, "passages": int}


def _manifest_problem(manifest: Any) -> str | None:
    """What is wrong with the shape of a manifest read back from disk, or None: every use
    of it (the catalogue, counts, linking) indexes into it without further checks."""
    if not isinstance(manifest, dict) or not isinstance(manifest.get("files"), dict):
        return "no table of files"
    for rel, entry in manifest["files"].items():
        if not isinstance(entry, dict):
            return f"entry {rel!r} is not a table"
        for key, kind in _ENTRY_TYPES.items():
            if not isinstance(entry.get(key), kind):
                return f"entry {rel!r} has no valid {key!r}"
    skipped = manifest.get("skipped", {})
    if not isinstance(skipped, dict) or not all(
            isinstance(v, list) and len(v) == 3 for v in skipped.values()):
        return "the skipped files are not a table"
    return None


def default_index_dir(corpus: Path) -> Path:
    """One index per corpus path, under the XDG cache directory."""
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "xref" / "indexes"
    resolved = corpus.resolve()
    digest = hashlib.sha1(str(resolved).encode()).hexdigest()[:12]
    return base / f"{slugify(resolved.name)}-{digest}"


def _atomic_write_json(path: Path, data: Any) -> None:
    write_atomic(path, json.dumps(data, ensure_ascii=False, separators=(",", ":")))


def article_doc(article: Article) -> dict[str, Any]:
    """The stored part of an article, enough to rebuild the ``Article`` without the file."""
    return {
        "path": article.path,
        "text": article.text,
        "title": article.title,
        "byline": article.byline,
        "date": article.date,
        "encoding": article.encoding,
        "passages": [[p.start, p.end] for p in article.passages],
    }


def article_from_doc(article_id: str, doc: dict[str, Any]) -> Article:
    return Article(
        id=article_id,
        path=doc["path"],
        text=doc["text"],
        title=doc["title"],
        byline=doc["byline"],
        date=doc["date"],
        passages=tuple(Passage(i, s, e) for i, (s, e) in enumerate(doc["passages"])),
        encoding=doc.get("encoding", "utf-8"),
    )


@dataclass
class Enrichment:
    """What index time adds to an article: entity keys to index (``mkeys``), a payload stored
    with the article (its mentions), and a small summary kept in the manifest for linking."""

    keys: list[str] = field(default_factory=list)
    stored: Any = None
    summary: Any = None


Enricher = Callable[[Article], Enrichment]


def _no_enrich(article: Article) -> Enrichment:
    return Enrichment()


class Store:
    """A corpus folder and its index directory."""

    def __init__(self, corpus: Path, index_dir: Path | None = None,
                 enrich: Enricher | None = None, enrich_version: str = "",
                 after_update: Callable[[dict[str, Any], bool, Path], None] | None = None,
                 derived: dict[str, Callable[[Any], object]] | None = None) -> None:
        self.corpus = corpus.resolve()
        self.index_dir = (index_dir or default_index_dir(self.corpus)).resolve()
        self.enrich = enrich or _no_enrich
        # Changing the extractor or the catalogue changes what is stored: re-extract all.
        self.enrich_version = enrich_version
        # Called under the writer lock with the manifest, whether anything changed and the
        # folder being written (beside the index during a rebuild), so derived data (the
        # entity links) is rebuilt by the same writer, never concurrently.
        self.after_update = after_update
        # Files ``after_update`` writes, each with a check that raises on a wrong shape: a
        # damaged one is written again from the manifest, with a message.
        self.derived = derived or {}
        self._ix: index.Index | None = None
        self._reader_searcher: Any = None
        self._manifest: dict[str, Any] | None = None

    # --- files in the index directory ---------------------------------------------------

    @property
    def manifest_path(self) -> Path:
        return self.index_dir / "manifest.json"

    @property
    def meta_path(self) -> Path:
        return self.index_dir / MARKER

    def _check(self, folder: Path | None = None) -> tuple[index.Index, dict[str, Any]]:
        """Open the index and its manifest, or raise ``IndexProblem`` saying what is wrong."""
        folder = folder or self.index_dir
        meta_path = folder / MARKER
        if not meta_path.exists():
            raise IndexProblem("no index yet")
        try:
            meta = json.loads(meta_path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise IndexProblem(f"unreadable index metadata ({exc})") from exc
        if meta.get("schema") != SCHEMA_VERSION:
            raise IndexProblem(
                f"index has schema version {meta.get('schema')}, this xref uses {SCHEMA_VERSION}"
            )
        if meta.get("state") != "ready":
            raise IndexProblem("a previous build did not finish")
        try:
            ix = index.open_dir(str(folder))
            with ix.reader() as r:
                count = r.doc_count()
            manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
        except Exception as exc:  # corrupt segments fail in many ways; all mean "rebuild"
            raise IndexProblem(f"index is damaged ({type(exc).__name__}: {exc})") from exc
        problem = _manifest_problem(manifest)
        if problem:
            raise IndexProblem(f"manifest.json is damaged ({problem})")
        if count != len(manifest["files"]):
            raise IndexProblem("index and manifest disagree")
        return ix, manifest

    def _derived_problem(self, folder: Path) -> str | None:
        """Why a derived part (``links.json``) must be written again, or None."""
        for name, check in self.derived.items():
            try:
                check(json.loads((folder / name).read_text(encoding="utf-8")))
            except FileNotFoundError:
                return f"{name} is missing"
            except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
                return f"{name} is damaged ({type(exc).__name__}: {exc})"
        return None

    def _write_meta(self, folder: Path, state: str) -> None:
        _atomic_write_json(folder / MARKER, {
            "schema": SCHEMA_VERSION, "corpus": str(self.corpus), "state": state,
        })

    # --- update -------------------------------------------------------------------------

    def update(self, progress: Progress | None = None,
               on_wait: Callable[[], None] | None = None,
               rebuild: bool = False) -> UpdateSummary:
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
            problem = "rebuild asked for" if rebuild else None
            if problem is None:
                try:
                    ix, manifest = self._check()
                except IndexProblem as exc:
                    problem = str(exc)
            if problem is None:
                if manifest.get("enrich") != self.enrich_version:
                    manifest["enrich"] = self.enrich_version
                    manifest["files"] = {k: dict(v, sha1="") for k, v in manifest["files"].items()}
                    manifest["reextract"] = True
                changed = self._apply(ix, manifest, summary, progress, self.index_dir)
                damage = self._derived_problem(self.index_dir)
                if damage and not damage.endswith("is missing"):
                    summary.rebuilt_because = f"{damage}; rebuilt it"
                if self.after_update and (changed or damage):
                    self.after_update(manifest, True, self.index_dir)
            else:
                if problem != "no index yet":
                    summary.rebuilt_because = problem
                ix, manifest = self._rebuild(summary, progress)
        # What was just checked or written is current: reading it again costs a JSON parse of
        # the whole manifest, the largest part of a command-line search on a big corpus.
        self._ix, self._manifest = ix, manifest
        self._drop_searcher()
        summary.seconds = time.perf_counter() - began
        return summary

    def _up_to_date(self, summary: UpdateSummary) -> bool:
        """Is the index whole and in line with the corpus? Checked without the writer lock
        and without writing anything, so that an index in a read-only folder can be searched
        and a search never changes the index folder. Anything short of "yes" is decided again
        under the lock."""
        try:
            ix, manifest = self._check()
        except IndexProblem:
            return False
        if manifest.get("enrich") != self.enrich_version or self._derived_problem(self.index_dir):
            return False
        plan = self._plan(manifest, reextract=False)
        if plan.todo or plan.removed:
            return False
        summary.skipped.extend(plan.skipped)
        self._count(manifest["files"], summary)
        self._ix, self._manifest = ix, manifest
        self._drop_searcher()
        return True

    def _rebuild(self, summary: UpdateSummary,
                 progress: Progress | None) -> tuple[index.Index, dict[str, Any]]:
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
            self._write_meta(folder, "building")
            ix = index.create_in(str(folder), make_schema())
            manifest: dict[str, Any] = {"files": {}, "enrich": self.enrich_version}
            self._apply(ix, manifest, summary, progress, folder)
            self._write_meta(folder, "ready")
            if self.after_update:
                self.after_update(manifest, True, folder)
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
        return ix, manifest

    def _plan(self, manifest: dict[str, Any], reextract: bool) -> _Plan:
        """What an update has to do: scan the corpus and compare it with the manifest."""
        old: dict[str, dict[str, Any]] = manifest["files"]
        memo: dict[str, list[Any]] = manifest.get("skipped", {})
        candidates, skipped = scan(self.corpus)
        plan = _Plan(skipped=skipped)
        ids = article_ids(c.rel for c in candidates)
        for c in candidates:
            entry = old.get(c.rel)
            mtime, size = c.stat.st_mtime_ns, c.stat.st_size
            if entry and not reextract and entry["id"] == ids[c.rel] \
                    and entry["mtime_ns"] == mtime and entry["size"] == size:
                continue
            known = memo.get(c.rel)
            if not entry and known and known[:2] == [mtime, size]:
                # Refused for what it holds (binary, empty) and not changed since: not
                # read again at every search, still reported.
                plan.skipped.append(Skipped(c.rel, known[2]))
                plan.memo[c.rel] = known
                continue
            plan.todo.append((c, ids[c.rel]))
        plan.removed = [rel for rel in old if rel not in ids]
        # Ids given up by files still here (a "dup.md" arrived beside "dup.txt"): deleted
        # before anything is added, so that no new document is deleted under another's id.
        plan.renamed = [rel for c, aid in plan.todo if (rel := c.rel) in old
                        and old[rel]["id"] != aid]
        plan.stale_memo = set(memo) - set(plan.memo)
        return plan

    def _apply(self, ix: index.Index, manifest: dict[str, Any], summary: UpdateSummary,
               progress: Progress | None, folder: Path) -> bool:
        """Index what was added or changed and drop what was removed; True if anything was.

        A file that cannot be read is skipped with its reason, whenever that is found out
        (at the scan, or at the read if it changed or vanished since): the rest is indexed."""
        old: dict[str, dict[str, Any]] = manifest["files"]
        plan = self._plan(manifest, manifest.pop("reextract", False))
        summary.skipped.extend(plan.skipped)
        total = len(plan.todo)
        if progress:
            progress(0, total)
        if not plan.todo and not plan.removed and not plan.stale_memo:
            self._count(old, summary)
            if not (folder / "manifest.json").exists():
                _atomic_write_json(folder / "manifest.json", manifest)
            return False
        writer = ix.writer(limitmb=256)
        try:
            for rel in plan.removed:
                writer.delete_by_term("id", old.pop(rel)["id"])
                summary.removed += 1
            for rel in plan.renamed:
                writer.delete_by_term("id", old[rel]["id"])
                old[rel]["sha1"] = ""  # indexed again below, under its new id
            for done, (c, aid) in enumerate(plan.todo, 1):
                self._index_file(writer, old, c.rel, aid, summary, plan.memo)
                if progress and (done % 25 == 0 or done == total):
                    progress(done, total)
        except BaseException:
            writer.cancel()
            raise
        writer.commit()
        manifest["files"] = old
        manifest["skipped"] = plan.memo
        _atomic_write_json(folder / "manifest.json", manifest)
        self._count(old, summary)
        return bool(plan.todo or plan.removed)

    def _index_file(self, writer: Any, files: dict[str, dict[str, Any]], rel: str, aid: str,
                    summary: UpdateSummary, memo: dict[str, list[Any]]) -> None:
        entry = files.get(rel)
        try:
            # One read gives the text, its checksum and the size and time recorded for it.
            data, st = read_bytes(self.corpus / rel)
        except NotReadable as exc:  # could not be read (yet): tried again next time
            data, st, reason = None, None, str(exc)
        if data is not None and st is not None:
            sha1 = hashlib.sha1(data).hexdigest()
            if entry and entry.get("sha1") == sha1:
                entry["mtime_ns"], entry["size"] = st.st_mtime_ns, st.st_size
                return
            try:
                article = article_from_bytes(rel, data, aid)
            except NotReadable as exc:  # what it holds is no article: remembered
                reason = str(exc)
                memo[rel] = [st.st_mtime_ns, st.st_size, reason]
                data = None
        if data is None or st is None:
            summary.skipped.append(Skipped(rel, reason))
            if entry:
                writer.delete_by_term("id", files.pop(rel)["id"])
                summary.removed += 1
            return
        if article.encoding not in ("utf-8",):
            summary.warnings.append(f"{rel}: not UTF-8; decoded as {article.encoding}")
        extra = self.enrich(article)
        doc = article_doc(article)
        doc["entities"] = extra.stored
        writer.update_document(
            id=article.id,
            title=article.title,
            author=article.byline or "",
            body=article.text,
            mkeys=",".join(k.replace(",", " ") for k in extra.keys),
            date=article.date or "",
            doc=doc,
        )
        if entry:
            summary.changed += 1
        else:
            summary.added += 1
        files[rel] = {
            "id": article.id, "mtime_ns": st.st_mtime_ns, "size": st.st_size, "sha1": sha1,
            "title": article.title, "byline": article.byline, "date": article.date,
            "passages": len(article.passages), "ents": extra.summary,
        }

    @staticmethod
    def _count(files: dict[str, dict[str, Any]], summary: UpdateSummary) -> None:
        summary.articles = len(files)
        summary.passages = sum(f["passages"] for f in files.values())

    def _drop_searcher(self) -> None:
        if self._reader_searcher is not None:
            self._reader_searcher.close()
            self._reader_searcher = None

    def close(self) -> None:
        """Release the open searcher (its file handles)."""
        self._drop_searcher()

    # --- reading ------------------------------------------------------------------------

    def open(self) -> index.Index:
        """The committed index (raises ``IndexProblem`` if there is none usable)."""
        if self._ix is None:
            self._ix, self._manifest = self._check()
        return self._ix

    @property
    def manifest(self) -> dict[str, Any]:
        if self._manifest is None:
            self.open()
        assert self._manifest is not None
        return self._manifest

    def articles(self) -> list[ArticleInfo]:
        """Every article's id, path, title, byline, date and passage count, by id."""
        rows = [ArticleInfo(e["id"], rel, e["title"], e.get("byline"), e.get("date"),
                            e["passages"])
                for rel, e in self.manifest["files"].items()]
        return sorted(rows, key=lambda r: r.id)

    def stored(self, article_id: str) -> dict[str, Any] | None:
        """The stored fields of one article, from a searcher kept open between calls (opening
        one per call cost more than reading the document). It sees the index as of the last
        ``update`` or ``open``, like the manifest."""
        if self._reader_searcher is None:
            self._reader_searcher = self.open().searcher()
        return self._reader_searcher.document(id=article_id)

