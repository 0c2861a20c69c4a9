"""The fast paths of issue 10, by what they do rather than how long they take: what a command
on an unchanged corpus reads, writes and imports, and that a build in worker processes
indexes exactly what a serial one does."""

from __future__ import annotations

import builtins
import io
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import index.library as library_mod
from index.library import Library
from index.store import CATALOG, SCHEMA_VERSION, SUMMARIES
from tests.conftest import ROOT, WIKINEWS

HEAVY = ("whoosh", "textual", "yaml", "rapidfuzz", "tui.bookmarks", "tui.bookmarks_cli",
         "tui.bookmark_ops", "tui.app", "index.entities", "index.ner", "index.linking",
         "index.catalogue")


def _modules_after(args: list[str], env: dict[str, str] | None = None) -> set[str]:
    """The modules a real ``xref`` run imported, from a fresh interpreter."""
    code = ("import sys\nfrom tui.cli import main\ntry:\n    main(sys.argv[1:])\n"
            "except SystemExit:\n    pass\nsys.stdout.flush()\n"
            "print('\\nMODULES', ' '.join(sorted(sys.modules)))")
    proc = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True,
                          cwd=ROOT, env={**os.environ, **(env or {})}, check=True)
    line = proc.stdout.rsplit("MODULES ", 1)[1]
    return set(line.split())


def _imported(modules: set[str], name: str) -> bool:
    return any(m == name or m.startswith(name + ".") for m in modules)


def test_help_imports_no_index_bookmarks_yaml_or_textual() -> None:
    modules = _modules_after(["--help"])
    assert [m for m in HEAVY if _imported(modules, m)] == []


def test_a_search_of_an_unchanged_corpus_imports_only_search(corpus_copy: Path,
                                                             tmp_path: Path) -> None:
    (corpus_copy / "entities.yaml").unlink()
    Library(corpus_copy, tmp_path / "ix").update()
    modules = _modules_after(["--corpus", str(corpus_copy), "--index-dir", str(tmp_path / "ix"),
                              "search", "Hasanov", "--json"])
    assert _imported(modules, "whoosh")  # what it uses
    unused = [m for m in HEAVY if m != "whoosh" and _imported(modules, m)]
    assert unused == []


def _snapshot(folder: Path) -> dict[str, tuple[int, int, bytes]]:
    """Every entry of ``folder`` with its inode, modification time and bytes, and the folder's
    own time: a file written, replaced or created changes it."""
    out: dict[str, tuple[int, int, bytes]] = {"": (0, folder.stat().st_mtime_ns, b"")}
    for p in folder.iterdir():
        st = p.lstat()
        out[p.name] = (st.st_ino, st.st_mtime_ns, p.read_bytes() if p.is_file() else b"")
    return out


def test_read_only_commands_write_nothing(corpus_copy: Path, tmp_path: Path) -> None:
    from tui.cli import main

    ix = tmp_path / "ix"
    Library(corpus_copy, ix).update()
    before = _snapshot(ix)
    base = ["--corpus", str(corpus_copy), "--index-dir", str(ix),
            "--bookmarks", str(tmp_path / "bm.yaml")]
    for command in (["search", "Hasanov"], ["search", '"Minsk Group"', "--json"],
                    ["entities"], ["mentions", "Hasanov"], ["index"]):
        assert main([*base, *command]) == 0
        assert _snapshot(ix) == before, command


def test_an_unchanged_corpus_is_checked_without_reading_a_file(
        corpus_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """One stat per file: no article is opened, nor the catalog, the entity summaries or
    the links, which only an update (or an entity command) reads."""
    ix = tmp_path / "ix"
    Library(corpus_copy, ix).update()
    opened: list[str] = []
    real_open, real_os_open = builtins.open, os.open

    def spy_open(file, *args, **kwargs):  # type: ignore[no-untyped-def]
        opened.append(os.fspath(file) if not isinstance(file, int) else "")
        return real_open(file, *args, **kwargs)

    def spy_os_open(path, *args, **kwargs):  # type: ignore[no-untyped-def]
        opened.append(os.fspath(path))
        return real_os_open(path, *args, **kwargs)

    monkeypatch.setattr(builtins, "open", spy_open)
    monkeypatch.setattr(io, "open", spy_open)  # what pathlib calls
    monkeypatch.setattr(os, "open", spy_os_open)
    lib = Library(corpus_copy, ix)
    summary = lib.update()
    assert lib.search("Hasanov").total == 3
    monkeypatch.undo()
    assert summary.touched == 0 and summary.articles == 5
    in_corpus = [p for p in opened if p.startswith(str(corpus_copy)) and
                 not p.endswith("entities.yaml")]
    assert in_corpus == []
    names = {Path(p).name for p in opened if p.startswith(str(ix))}
    # Nor the table of articles: the small record of the last update says it is current.
    assert names.isdisjoint({CATALOG, SUMMARIES, "links.json", "manifest.json"})
    assert "fresh.json" in names


def test_an_update_that_changed_nothing_keeps_the_searcher_and_caches(
        corpus_copy: Path, tmp_path: Path) -> None:
    lib = Library(corpus_copy, tmp_path / "ix")
    lib.update()
    lib.search("Hasanov")
    engine = lib._engine
    assert engine is not None
    assert lib.update().touched == 0
    assert lib._engine is engine
    (corpus_copy / "extra.txt").write_text("Extra\n\nHasanov again.\n")
    assert lib.update().added == 1
    assert lib._engine is not engine  # a change makes the open searcher stale
    assert lib.search("Hasanov").total == 4


def test_adding_an_article_relinks_without_extracting_the_others_again(
        corpus_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    lib = Library(corpus_copy, tmp_path / "ix")
    lib.update()
    extracted: list[str] = []
    real = library_mod._Enricher.__call__

    def counting(self, article):  # type: ignore[no-untyped-def]
        extracted.append(article.id)
        return real(self, article)

    monkeypatch.setattr(library_mod._Enricher, "__call__", counting)
    (corpus_copy / "zz_new.txt").write_text(
        "Talks resume\n\nPresident Ilham Aliyev met Defence Minister Zakir Hasanov in Baku.\n")
    summary = lib.update()
    assert summary.added == 1 and extracted == ["zz_new"]
    entity, _ = lib.find_entity("Zakir Hasanov")
    assert entity is not None and "zz_new" in lib.entity_articles(entity.id)
    assert len(lib.entity_articles(entity.id)) > 1  # older articles linked to the same one


def _build(corpus: Path, ix: Path, workers: int) -> Library:
    lib = Library(corpus, ix)
    lib.store.workers = workers
    lib.store.parallel_min = 1
    lib.update()
    return lib


def test_a_parallel_build_indexes_and_links_exactly_what_a_serial_one_does(
        tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    shutil.copytree(WIKINEWS, corpus, ignore=shutil.ignore_patterns("*.md"))
    (corpus / "binary.txt").write_bytes(b"\x00\x01")
    serial = _build(corpus, tmp_path / "serial", 1)
    parallel = _build(corpus, tmp_path / "parallel", 2)
    for name in ("manifest.json", CATALOG, SUMMARIES, "links.json"):
        a = json.loads((tmp_path / "serial" / name).read_text())
        b = json.loads((tmp_path / "parallel" / name).read_text())
        if name == "manifest.json":
            a.pop("stamps"), b.pop("stamps")
        assert a == b, name
    segments = [p for p in (tmp_path / "parallel").iterdir() if p.suffix == ".seg"]
    assert len(segments) == 2  # one per worker: the build did run in two processes
    for q in ("Boeing", '"prime minister"', "goverment~", "title:Apple"):
        s, p = serial.search(q, limit=20), parallel.search(q, limit=20)
        assert (s.total, [h.id for h in s.results]) == (p.total, [h.id for h in p.results])
    assert parallel.articles() == serial.articles()
    # An update of the parallel index afterwards: changed, added, removed.
    victim = sorted(corpus.glob("*.txt"))[3]
    victim.write_text(victim.read_text() + "\nA closing line about Zangilan.\n")
    (corpus / "zz.txt").write_text("Zangilan\n\nMore about Zangilan.\n")
    sorted(corpus.glob("*.txt"))[0].unlink()
    summary = parallel.update()
    assert (summary.added, summary.changed, summary.removed) == (1, 1, 1)
    assert sorted(h.id for h in parallel.search("Zangilan").results) == sorted(
        [victim.stem, "zz"])


def test_an_index_of_the_previous_format_is_rebuilt_with_a_message(corpus_copy: Path,
                                                                   tmp_path: Path) -> None:
    ix = tmp_path / "ix"
    Library(corpus_copy, ix).update()
    # What xref wrote before: schema 4 and one manifest with everything in it.
    (ix / "xref-index.json").write_text(json.dumps({"schema": 4, "state": "ready"}))
    (ix / "manifest.json").write_text(json.dumps({"files": {"a.txt": {
        "id": "a", "mtime_ns": 1, "size": 2, "sha1": "", "passages": 1, "ents": {}}}}))
    (ix / CATALOG).unlink()
    summary = Library(corpus_copy, ix).update()
    assert summary.rebuilt_because == f"index has schema version 4, this xref uses " \
                                      f"{SCHEMA_VERSION}"
    assert summary.articles == 5
    assert Library(corpus_copy, ix).search("Hasanov").total == 3


@pytest.mark.parametrize("name", [CATALOG, SUMMARIES])
def test_a_damaged_catalog_or_summary_file_is_rebuilt_with_a_message(
        corpus_copy: Path, tmp_path: Path, name: str) -> None:
    ix = tmp_path / "ix"
    Library(corpus_copy, ix).update()
    (ix / name).write_text("{")
    lib = Library(corpus_copy, ix)
    summary = lib.update()
    assert summary.rebuilt_because and name in summary.rebuilt_because
    assert len(lib.articles()) == 5
    assert lib.update().rebuilt_because is None


def test_the_library_knows_the_extractors_unknown_type() -> None:
    from index.entities import CANDIDATE, UNKNOWN

    assert library_mod.UNKNOWN == UNKNOWN and library_mod.CANDIDATE == CANDIDATE
