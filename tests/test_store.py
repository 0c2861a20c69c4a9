"""The index on disk: incremental updates, versions, damage, concurrent writers."""

from __future__ import annotations

import json
import multiprocessing
import os
import time
from pathlib import Path

from index.library import Library
from index.store import SCHEMA_VERSION, Store, default_index_dir
from tests.conftest import SEEDS


def test_default_index_dir_is_in_the_xdg_cache_not_the_corpus(tmp_path: Path) -> None:
    where = default_index_dir(SEEDS)
    assert str(where).startswith(os.environ["XDG_CACHE_HOME"])
    assert not str(where).startswith(str(SEEDS))
    assert default_index_dir(tmp_path / "a") != default_index_dir(tmp_path / "b")


def test_incremental_update_touches_only_what_changed(corpus_copy: Path, tmp_path: Path) -> None:
    lib = Library(corpus_copy, tmp_path / "ix")
    first = lib.update()
    assert (first.articles, first.added, first.passages) == (5, 5, 94)
    again = lib.update()
    assert again.touched == 0
    # Change one, add one, remove one.
    victim = next(corpus_copy.glob("002_*.txt"))
    victim.write_text(victim.read_text(encoding="utf-8") + "\nA new closing line about Zangilan.\n",
                      encoding="utf-8")
    (corpus_copy / "new").mkdir()
    (corpus_copy / "new" / "extra.md").write_text("# Extra\n\nTalks in Zangilan.\n")
    next(corpus_copy.glob("001_*.txt")).unlink()
    summary = lib.update()
    assert (summary.added, summary.changed, summary.removed) == (1, 1, 1)
    assert summary.articles == 5
    assert sorted(h.id for h in lib.search("Zangilan").results) == [
        victim.stem, "new/extra"]
    assert lib.search('"Minsk Group"').total == 0


def test_touching_a_file_without_changing_it_reindexes_nothing(corpus_copy: Path,
                                                                tmp_path: Path) -> None:
    lib = Library(corpus_copy, tmp_path / "ix")
    lib.update()
    f = next(corpus_copy.glob("003_*.txt"))
    os.utime(f, (time.time() + 10, time.time() + 10))
    assert lib.update().touched == 0


def test_skipped_files_are_reported(corpus_copy: Path, tmp_path: Path) -> None:
    (corpus_copy / "bin.txt").write_bytes(b"\x00\x00binary")
    (corpus_copy / "empty.txt").write_text("")
    summary = Library(corpus_copy, tmp_path / "ix").update()
    assert sorted((s.path, s.reason) for s in summary.skipped) == [
        ("bin.txt", "binary file (NUL bytes)"), ("empty.txt", "empty")]


def test_other_schema_version_is_rebuilt_with_a_message(corpus_copy: Path, tmp_path: Path) -> None:
    lib = Library(corpus_copy, tmp_path / "ix")
    lib.update()
    meta = lib.index_dir / "xref-index.json"
    data = json.loads(meta.read_text())
    data["schema"] = SCHEMA_VERSION - 1
    meta.write_text(json.dumps(data))
    summary = lib.update()
    assert summary.rebuilt_because and "schema version" in summary.rebuilt_because
    assert summary.added == 5
    assert lib.search("Hasanov").total == 3


def test_damaged_index_is_rebuilt(corpus_copy: Path, tmp_path: Path) -> None:
    lib = Library(corpus_copy, tmp_path / "ix")
    lib.update()
    for f in lib.index_dir.iterdir():
        if f.suffix in (".seg", ".toc", ".trm", ".pst", ".vps") or f.name.startswith("_MAIN"):
            f.write_bytes(b"garbage")
    summary = lib.update()
    assert summary.rebuilt_because
    assert lib.search("Hasanov").total == 3


def test_half_written_build_is_detected(corpus_copy: Path, tmp_path: Path) -> None:
    lib = Library(corpus_copy, tmp_path / "ix")
    lib.update()
    (lib.index_dir / "xref-index.json").write_text(
        json.dumps({"schema": SCHEMA_VERSION, "state": "building"}))
    summary = lib.update()
    assert summary.rebuilt_because == "a previous build did not finish"
    assert lib.search("Hasanov").total == 3


def _kill_midway(corpus: str, index_dir: str) -> None:
    def die(done: int, total: int) -> None:
        if done >= 1:
            os._exit(9)  # like kill -9: no cleanup

    Store(Path(corpus), Path(index_dir)).update(progress=die)


def test_process_killed_mid_build_leaves_a_usable_index(corpus_copy: Path, tmp_path: Path) -> None:
    for i in range(60):
        (corpus_copy / f"extra{i:02d}.txt").write_text(f"Extra article {i}\n\nAbout Hasanov.\n")
    ctx = multiprocessing.get_context("spawn")
    p = ctx.Process(target=_kill_midway, args=(str(corpus_copy), str(tmp_path / "ix")))
    p.start()
    p.join(60)
    assert p.exitcode == 9
    lib = Library(corpus_copy, tmp_path / "ix")
    summary = lib.update()
    assert summary.articles == 65
    assert lib.search("Hasanov").total == 63


def _update(corpus: str, index_dir: str, queue: multiprocessing.Queue) -> None:  # type: ignore[type-arg]
    lib = Library(Path(corpus), Path(index_dir))
    s = lib.update()
    queue.put((s.articles, lib.search("Hasanov").total))


def test_two_processes_indexing_at_once_do_not_corrupt(corpus_copy: Path, tmp_path: Path) -> None:
    for i in range(40):
        (corpus_copy / f"extra{i:02d}.txt").write_text(f"Extra {i}\n\nHasanov spoke.\n")
    ctx = multiprocessing.get_context("spawn")
    queue = ctx.Queue()
    procs = [ctx.Process(target=_update, args=(str(corpus_copy), str(tmp_path / "ix"), queue))
             for _ in range(2)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(120)
        assert p.exitcode == 0
    results = sorted(queue.get(timeout=5) for _ in procs)
    assert results == [(45, 43), (45, 43)]
    assert Library(corpus_copy, tmp_path / "ix").update().touched == 0
