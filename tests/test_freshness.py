"""The quick freshness check (``index.freshness``): it answers what the full check answers
(counts, files skipped and why), sees every change a full check sees, and steps aside for
what only the full check judges."""

from __future__ import annotations

import os
from pathlib import Path

from index import freshness
from index.library import Library
from index.store import UpdateSummary


def _full(lib: Library) -> UpdateSummary:
    """An update decided by the full check alone (no record to trust)."""
    freshness.forget(lib.index_dir)
    return lib.update()


def test_the_record_says_what_the_full_check_says(corpus_copy: Path, tmp_path: Path) -> None:
    (corpus_copy / "bin.txt").write_bytes(b"\x00binary")
    (corpus_copy / "empty.md").write_text("")
    (corpus_copy / "big.txt").write_bytes(b"word " * (2 * 1024 * 1024))
    ix = tmp_path / "ix"
    built = Library(corpus_copy, ix).update()
    assert (ix / freshness.FRESH).exists()
    quick = Library(corpus_copy, ix).update()
    assert freshness.current(ix, corpus_copy.resolve(), Library(corpus_copy, ix).store.enrich_stamp)
    full = _full(Library(corpus_copy, ix))
    assert quick.touched == full.touched == 0
    assert (quick.articles, quick.passages) == (full.articles, full.passages)
    assert (built.articles, built.passages) == (full.articles, full.passages)
    assert quick.skipped == full.skipped
    assert {s.path for s in quick.skipped} == {"bin.txt", "empty.md", "big.txt"}


def test_an_edit_of_the_same_size_is_seen(corpus_copy: Path, tmp_path: Path) -> None:
    ix = tmp_path / "ix"
    Library(corpus_copy, ix).update()
    path = sorted(corpus_copy.glob("*.txt"))[0]
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("a", "e", 1), encoding="utf-8")
    st = path.stat()
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns + 1_000_000))
    summary = Library(corpus_copy, ix).update()
    assert summary.changed == 1
    assert Library(corpus_copy, ix).update().touched == 0


def test_added_removed_and_nested_files_are_seen(corpus_copy: Path, tmp_path: Path) -> None:
    ix = tmp_path / "ix"
    Library(corpus_copy, ix).update()
    (corpus_copy / "sub").mkdir()
    (corpus_copy / "sub" / "new.txt").write_text("New\n\nHasanov in a folder.\n")
    assert Library(corpus_copy, ix).update().added == 1
    (corpus_copy / "sub" / "new.txt").unlink()
    assert Library(corpus_copy, ix).update().removed == 1
    (corpus_copy / ".hidden.txt").write_text("Hidden\n\nNot read.\n")
    (corpus_copy / "notes.docx").write_bytes(b"not a format xref reads")
    summary = Library(corpus_copy, ix).update()
    assert summary.touched == 0


def test_a_link_in_the_corpus_is_left_to_the_full_check(corpus_copy: Path, tmp_path: Path) -> None:
    first = sorted(corpus_copy.glob("*.txt"))[0]
    (corpus_copy / "link.txt").symlink_to(first)
    ix = tmp_path / "ix"
    Library(corpus_copy, ix).update()
    lib = Library(corpus_copy, ix)
    assert freshness.corpus_digest(corpus_copy) is None
    assert freshness.current(ix, corpus_copy.resolve(), lib.store.enrich_stamp) is None
    assert lib.update().touched == 0
    first.write_text(first.read_text(encoding="utf-8") + "\nMore about Hasanov.\n")
    assert Library(corpus_copy, ix).update().changed == 2  # the file and the link to it


def test_a_changed_index_file_is_left_to_the_full_check(corpus_copy: Path, tmp_path: Path) -> None:
    ix = tmp_path / "ix"
    lib = Library(corpus_copy, ix)
    lib.update()
    (ix / "links.json").write_text("{}")
    assert freshness.current(ix, corpus_copy.resolve(), lib.store.enrich_stamp) is None
    summary = Library(corpus_copy, ix).update()
    assert (
        summary.touched == 0 and summary.rebuilt_because and "links.json" in summary.rebuilt_because
    )
