"""Hostile and clumsy inputs to the index side (issue 9): folders xref must not wipe, odd
corpora, damaged index parts, queries that used to crash or crawl, huge articles.

Every fixture is made here, in a temporary folder, with the real thing (FIFOs, sockets,
symbolic-link loops, real index folders); nothing is mocked.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from index.index_folder import IndexDirRefused
from index.library import Library
from index.store import Store
from tests.conftest import SEEDS


def _listing(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file()}


def _xref(*args: str, cwd: Path, env: dict[str, str] | None = None
          ) -> subprocess.CompletedProcess[str]:
    full_env = dict(os.environ, **(env or {}))
    return subprocess.run([sys.executable, "-m", "tui.cli", *args], cwd=cwd, env=full_env,
                          capture_output=True, text=True, timeout=120)


# --- 1. xref deletes only what it wrote ------------------------------------------------------


def test_index_dir_naming_the_corpus_is_refused_and_the_corpus_kept(corpus_copy: Path) -> None:
    before = _listing(corpus_copy)
    proc = _xref("--corpus", str(corpus_copy), "--index-dir", str(corpus_copy), "index",
                 cwd=corpus_copy.parent)
    assert proc.returncode == 2
    assert proc.stderr.count("\n") == 1 and "Traceback" not in proc.stderr
    assert "holds no xref index" in proc.stderr
    assert _listing(corpus_copy) == before


def test_index_dir_env_naming_the_current_folder_is_refused(tmp_path: Path) -> None:
    work = tmp_path / "work"
    work.mkdir()
    (work / "thesis.tex").write_text("years of work")
    (work / "sub").mkdir()
    (work / "sub" / "data.csv").write_text("1,2")
    before = _listing(work)
    proc = _xref("--corpus", str(SEEDS), "search", "x", cwd=work, env={"XREF_INDEX_DIR": "."})
    assert proc.returncode == 2
    assert proc.stderr.count("\n") == 1 and "Traceback" not in proc.stderr
    assert _listing(work) == before
    assert sorted(os.listdir(work)) == ["sub", "thesis.tex"]  # not even a lock file


def test_library_refuses_a_foreign_folder_before_writing(corpus_copy: Path,
                                                         tmp_path: Path) -> None:
    foreign = tmp_path / "mine"
    foreign.mkdir()
    (foreign / "notes.md").write_text("keep me")
    with pytest.raises(IndexDirRefused, match=r"notes\.md"):
        Library(corpus_copy, foreign).update()
    assert os.listdir(foreign) == ["notes.md"]
    a_file = tmp_path / "file"
    a_file.write_text("x")
    with pytest.raises(IndexDirRefused, match="is a file"):
        Library(corpus_copy, a_file).update()
    assert a_file.read_text() == "x"


def test_an_index_of_an_earlier_xref_is_recognised(corpus_copy: Path, tmp_path: Path) -> None:
    """Earlier versions wrote the same marker; a build killed before it wrote one left only
    xref's and Whoosh's files. Both are taken as indexes (and rebuilt), not refused."""
    ix = tmp_path / "ix"
    Library(corpus_copy, ix).update()
    (ix / "xref-index.json").unlink()
    (ix / ".manifest.json.abcd1234.tmp").write_text("{")  # left by a kill during a write
    summary = Library(corpus_copy, ix).update()
    assert summary.articles == 5
    assert not (ix / ".manifest.json.abcd1234.tmp").exists()


def test_a_rebuild_removes_only_xrefs_own_files(corpus_copy: Path, tmp_path: Path) -> None:
    ix = tmp_path / "ix"
    lib = Library(corpus_copy, ix)
    lib.update()
    (ix / "README.txt").write_text("my notes about this index")
    (ix / "keep").mkdir()
    (ix / "keep" / "MAIN_WRITELOCK").write_text("not at the top: not xref's")
    summary = lib.update(rebuild=True)
    assert summary.articles == 5
    assert (ix / "README.txt").read_text() == "my notes about this index"
    assert (ix / "keep" / "MAIN_WRITELOCK").exists()
    assert lib.search("Hasanov").total == 3
    assert sorted(p.name for p in tmp_path.iterdir()) == ["corpus", "ix"]


def test_a_rebuild_is_swapped_in_readers_never_see_it_half_done(corpus_copy: Path,
                                                               tmp_path: Path) -> None:
    ix = tmp_path / "ix"
    old = Library(corpus_copy, ix)
    old.update()
    assert old.search("Hasanov").total == 3  # a reader holding the old index open
    (corpus_copy / "extra.txt").write_text("Extra\n\nHasanov again.\n")
    seen: list[int] = []

    def look(done: int, total: int) -> None:
        # Mid-rebuild, a new reader opens what is at the index folder: the whole old index.
        store = Store(corpus_copy, ix)
        seen.append(len(store.manifest["files"]))
        store.close()

    summary = Store(corpus_copy, ix).update(progress=look, rebuild=True)
    assert seen and set(seen) == {5}
    assert summary.articles == 6
    assert old.search("Hasanov").total == 3  # still answers from the files it holds open
    old.close()
    assert Library(corpus_copy, ix).search("Hasanov").total == 4
    assert sorted(p.name for p in tmp_path.iterdir()) == ["corpus", "ix"]


def test_an_interrupted_rebuild_leaves_the_old_index(corpus_copy: Path, tmp_path: Path) -> None:
    ix = tmp_path / "ix"
    Library(corpus_copy, ix).update()

    def interrupt(done: int, total: int) -> None:
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        Store(corpus_copy, ix).update(progress=interrupt, rebuild=True)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["corpus", "ix"]
    lib = Library(corpus_copy, ix)
    assert lib.update().touched == 0
    assert lib.search("Hasanov").total == 3


def test_cli_index_dir_in_a_new_or_empty_folder_still_works(tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    for where in (empty, tmp_path / "new" / "deeper"):
        proc = _xref("--corpus", str(SEEDS), "--index-dir", str(where), "index", cwd=tmp_path)
        assert proc.returncode == 0, proc.stderr
        assert proc.stdout.startswith("5 articles")


def test_the_swap_without_renameat2_also_keeps_only_the_new_index(
        corpus_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Where the kernel or file system has no atomic exchange, two renames do the swap."""
    import index.index_folder as folder_mod

    ix = tmp_path / "ix"
    Library(corpus_copy, ix).update()
    monkeypatch.setattr(folder_mod, "_exchange", lambda a, b: False)
    assert Library(corpus_copy, ix).update(rebuild=True).articles == 5
    assert sorted(p.name for p in tmp_path.iterdir()) == ["corpus", "ix"]
    assert Library(corpus_copy, ix).search("Hasanov").total == 3
