"""Hostile and clumsy inputs to the index side (issue 9): folders xref must not wipe, odd
corpora, damaged index parts, queries that used to crash or crawl, huge articles.

Every fixture is made here, in a temporary folder, with the real thing (FIFOs, sockets,
symbolic-link loops, real index folders); nothing is mocked.
"""

from __future__ import annotations

import dataclasses
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from whoosh import query

from index.corpus import MAX_BYTES, Passage, parse_article
from index.index_folder import IndexDirRefused
from index.library import Library
from index.search import QueryError, _hit
from index.store import Store, UpdateSummary
from tests.conftest import ROOT, SEEDS


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


# --- 5. odd corpora: each odd file is one line, the rest is indexed --------------------------


def _update_within(lib: Library, seconds: float = 60.0, unblock: Path | None = None,
                   **kwargs: object) -> UpdateSummary:
    """``lib.update()`` in a thread, so that a build that hangs (on a FIFO) fails the test
    instead of the run; ``unblock`` is a FIFO opened for writing to release such a hang."""
    result: list[UpdateSummary | BaseException] = []

    def run() -> None:
        try:
            result.append(lib.update(**kwargs))  # type: ignore[arg-type]
        except BaseException as exc:  # handed to the test thread, which raises it
            result.append(exc)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(seconds)
    if thread.is_alive():
        if unblock is not None:
            fd = os.open(unblock, os.O_WRONLY | os.O_NONBLOCK)
            os.close(fd)
            thread.join(seconds)
        pytest.fail("indexing hung")
    if isinstance(result[0], BaseException):
        raise result[0]
    return result[0]


@pytest.fixture
def hostile(corpus_copy: Path) -> Iterator[Path]:
    """The seeds with a FIFO, a socket, link loops, a link out, two files with one id and a
    UTF-16 article beside them."""
    c = corpus_copy
    os.mkfifo(c / "fifo.txt")
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    sock.bind(str(c / "sock.txt"))
    os.symlink("loop.txt", c / "loop.txt")
    os.symlink("ring-b.md", c / "ring-a.md")
    os.symlink("ring-a.md", c / "ring-b.md")
    os.symlink("/etc/hostname", c / "out.txt")
    (c / "dup.txt").write_text("Plain dup\n\nThe text version names Zanzibar.\n")
    (c / "dup.md").write_text("# Markdown dup\n\nThe markdown version names Zanzibar.\n")
    (c / "utf16.txt").write_bytes("Wide title\n\nCəbrayıl in UTF-16.\n".encode("utf-16"))
    yield c
    sock.close()


def test_odd_files_are_skipped_one_line_each_and_the_rest_indexed(hostile: Path,
                                                                  tmp_path: Path) -> None:
    lib = Library(hostile, tmp_path / "ix")
    summary = _update_within(lib, unblock=hostile / "fifo.txt")
    reasons = {s.path: s.reason for s in summary.skipped}
    assert reasons == {
        "fifo.txt": "not a regular file (a FIFO)",
        "sock.txt": "not a regular file (a socket)",
        "loop.txt": "symbolic link loop",
        "ring-a.md": "symbolic link loop",
        "ring-b.md": "symbolic link loop",
        "out.txt": "link to a file outside the corpus",
    }
    assert summary.articles == 5 + 3
    assert lib.search("Hasanov").total == 3
    # One id each, both found, both opened.
    assert sorted(h.id for h in lib.search("Zanzibar").results) == ["dup.md", "dup.txt"]
    assert lib.article("dup.md").title == "Markdown dup"
    assert lib.article("dup.txt").title == "Plain dup"
    utf16 = lib.article("utf16")
    assert utf16.encoding == "utf-16" and utf16.title == "Wide title"
    assert [h.id for h in lib.search("Cebrayil UTF").results] == ["utf16"]


def test_a_second_file_with_the_same_id_renames_both_in_an_update(corpus_copy: Path,
                                                                  tmp_path: Path) -> None:
    (corpus_copy / "dup.txt").write_text("Plain dup\n\nZanzibar.\n")
    lib = Library(corpus_copy, tmp_path / "ix")
    lib.update()
    assert [h.id for h in lib.search("Zanzibar").results] == ["dup"]
    (corpus_copy / "dup.md").write_text("# Markdown dup\n\nZanzibar too.\n")
    summary = lib.update()
    assert (summary.added, summary.changed, summary.articles) == (1, 1, 7)
    assert sorted(h.id for h in lib.search("Zanzibar").results) == ["dup.md", "dup.txt"]
    (corpus_copy / "dup.md").unlink()
    lib.update()
    assert [h.id for h in lib.search("Zanzibar").results] == ["dup"]
    assert Library(corpus_copy, tmp_path / "ix").update(rebuild=True).articles == 6


def _as_nobody(work: Callable[[], object]) -> object:
    """Run ``work`` in a forked child without root's right to read anything (as the user
    ``nobody``), and return what it returned; as another user, just run it."""
    if os.geteuid() != 0:
        return work()
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: drop root, do the work, report, exit without cleanup
        code = 0
        try:
            os.close(read)
            os.setgid(65534)
            os.setuid(65534)
            out = json.dumps(work())
        except BaseException as exc:  # reported to the parent, which fails the test
            out, code = json.dumps(f"child failed: {type(exc).__name__}: {exc}"), 1
        os.write(write, out.encode())
        os._exit(code)
    os.close(write)
    with os.fdopen(read, "rb") as f:
        data = f.read()
    _pid, status = os.waitpid(pid, 0)
    result = json.loads(data)
    assert os.waitstatus_to_exitcode(status) == 0, result
    return result


def test_an_unreadable_file_or_folder_is_skipped() -> None:
    """Tests run as root, who reads any file: the indexing runs as ``nobody`` instead."""
    shared = Path(tempfile.mkdtemp(prefix="xref-unreadable-"))
    try:
        shared.chmod(0o777)
        corpus = shared / "corpus"
        shutil.copytree(SEEDS, corpus)
        for p in [corpus, *corpus.iterdir()]:
            p.chmod(0o755 if p.is_dir() else 0o644)
        secret = corpus / "secret.txt"
        secret.write_text("secret\n")
        secret.chmod(0)
        (corpus / "locked").mkdir()
        (corpus / "locked" / "a.txt").write_text("A\n")
        (corpus / "locked").chmod(0)

        def index_it() -> object:
            summary = Library(corpus, shared / "ix").update()
            return [summary.articles, sorted([s.path, s.reason] for s in summary.skipped)]

        assert _as_nobody(index_it) == [5, [
            ["locked/", "cannot list folder: Permission denied"],
            ["secret.txt", "Permission denied"]]]
    finally:
        for p in shared.rglob("*"):
            if p.is_dir() and not p.is_symlink():
                p.chmod(0o755)
        shutil.rmtree(shared)


def test_files_deleted_or_replaced_during_indexing_do_not_sink_the_build(
        corpus_copy: Path, tmp_path: Path) -> None:
    names = sorted(p.name for p in corpus_copy.glob("*.txt"))
    gone, folder, fifo, edited = names[1], names[2], names[3], names[4]

    def meddle(done: int, total: int) -> None:
        if done == 0:  # after the scan, before any file is read
            (corpus_copy / gone).unlink()
            (corpus_copy / folder).unlink()
            (corpus_copy / folder).mkdir()
            (corpus_copy / fifo).unlink()
            os.mkfifo(corpus_copy / fifo)
            (corpus_copy / edited).write_text("Edited\n\nNow about Zanzibar.\n")

    lib = Library(corpus_copy, tmp_path / "ix")
    summary = _update_within(lib, progress=meddle, unblock=corpus_copy / fifo)
    assert {s.path: s.reason for s in summary.skipped} == {
        gone: "No such file or directory",
        folder: "not a regular file (a folder)",
        fifo: "not a regular file (a FIFO)",
    }
    assert summary.articles == 2
    assert [h.id for h in lib.search("Zanzibar").results] == [edited.removesuffix(".txt")]


def test_paths_are_cut_right_for_a_corpus_at_the_root() -> None:
    from index.corpus import relative

    assert relative("/", "/news/a.txt") == "news/a.txt"
    assert relative("/srv/news", "/srv/news/sub/a.txt") == "sub/a.txt"


# --- 6. damaged index parts are rebuilt; an up-to-date index is only read --------------------


def test_truncated_links_are_rebuilt_with_a_message(corpus_copy: Path, tmp_path: Path) -> None:
    lib = Library(corpus_copy, tmp_path / "ix")
    lib.update()
    before = [e.id for e in lib.entities()]
    links = tmp_path / "ix" / "links.json"
    links.write_text(links.read_text()[:100])
    lib = Library(corpus_copy, tmp_path / "ix")
    summary = lib.update()
    assert summary.rebuilt_because and "links.json is damaged" in summary.rebuilt_because
    assert [e.id for e in lib.entities()] == before
    assert lib.update().rebuilt_because is None


@pytest.mark.parametrize("damage", [
    [], {"files": []}, {"files": {"a.txt": 5}}, {"files": {"a.txt": {"id": "a"}}},
])
def test_a_manifest_of_the_wrong_shape_is_rebuilt_with_a_message(
        corpus_copy: Path, tmp_path: Path, damage: object) -> None:
    lib = Library(corpus_copy, tmp_path / "ix")
    lib.update()
    (tmp_path / "ix" / "manifest.json").write_text(json.dumps(damage))
    lib = Library(corpus_copy, tmp_path / "ix")
    summary = lib.update()
    assert summary.rebuilt_because and "manifest.json is damaged" in summary.rebuilt_because
    assert summary.articles == 5
    assert lib.search("Hasanov").total == 3
    assert len(lib.articles()) == 5


def _snapshot(folder: Path) -> dict[str, tuple[int, int, int]]:
    """Every entry of ``folder`` with its inode, size and modification time, and the folder's
    own time: a file written, replaced (renamed over) or created anywhere changes it."""
    out = {"": (0, 0, folder.stat().st_mtime_ns)}
    for p in folder.iterdir():
        st = p.lstat()
        out[p.name] = (st.st_ino, st.st_size, st.st_mtime_ns)
    return out


def test_searching_an_up_to_date_index_writes_nothing(corpus_copy: Path, tmp_path: Path) -> None:
    (corpus_copy / "bin.txt").write_bytes(b"\x00binary")  # refused files are remembered too
    ix = tmp_path / "ix"
    Library(corpus_copy, ix).update()
    before = _snapshot(ix)
    lib = Library(corpus_copy, ix)
    summary = lib.update()
    assert [s.path for s in summary.skipped] == ["bin.txt"]
    assert lib.search("Hasanov").total == 3
    assert lib.entities()
    assert _snapshot(ix) == before


def test_a_read_only_index_that_is_up_to_date_can_be_searched(corpus_copy: Path) -> None:
    """Root writes anywhere, so the search runs as ``nobody``: the index folder and its files
    belong to root and only root may write them."""
    shared = Path(tempfile.mkdtemp(prefix="xref-readonly-"))
    try:
        shared.chmod(0o755)
        corpus = shared / "corpus"
        shutil.copytree(corpus_copy, corpus)
        for p in [corpus, *corpus.iterdir()]:
            p.chmod(0o755 if p.is_dir() else 0o644)
        ix = shared / "ix"
        Library(corpus, ix).update()
        for p in [ix, *ix.iterdir()]:
            p.chmod(0o555 if p.is_dir() else 0o444)

        def search() -> object:
            lib = Library(corpus, ix)
            summary = lib.update()
            return [summary.articles, lib.search("Hasanov").total]

        assert _as_nobody(search) == [5, 3]

        (corpus / "new.txt").write_text("New\n\nHasanov.\n")

        def stale() -> object:
            try:
                Library(corpus, ix).update()
            except IndexDirRefused as exc:
                return str(exc)
            return "updated"

        assert "read-only" in str(_as_nobody(stale))
    finally:
        shutil.rmtree(shared)


# --- 8. queries answer with results or one line ----------------------------------------------


@pytest.mark.parametrize(("text", "message"), [
    ("doc:economy", "no field 'doc:'"),
    ("mkeys:economy", "no field 'mkeys:'"),
    ("economy^0", "boost"),
    ("economy^0 OR growth", "boost"),
    ("economy^" + "9" * 400, "boost"),
    ("body:[a TO zzzz]", "matches too many words"),
    ("[a TO z]", "matches too many words"),
])
def test_bad_queries_are_one_line_errors(wiki_lib: Library, text: str, message: str) -> None:
    with pytest.raises(QueryError, match=re.escape(message)) as caught:
        wiki_lib.search(text)
    assert "\n" not in str(caught.value)


def test_a_lone_star_lists_every_article_without_reading_every_word(wiki_lib: Library) -> None:
    for text in ("*", "title:*", "body:*"):
        leaves = list(wiki_lib.engine.parse(text).leaves())
        assert all(isinstance(q, query.Every) and q.fieldname is None for q in leaves)
    assert wiki_lib.search("*").total == 120
    assert wiki_lib.search("* AND Boeing").total == wiki_lib.search("Boeing").total


def test_the_cli_reports_bad_queries_in_one_line_and_json_stays_json(tmp_path: Path) -> None:
    proc = _xref("--corpus", str(SEEDS), "--index-dir", str(tmp_path / "ix"), "search",
                 "economy^" + "9" * 400, "--json", cwd=tmp_path)
    assert proc.returncode == 2
    assert proc.stderr.startswith("xref: bad query: ") and proc.stderr.count("\n") == 1
    proc = _xref("--corpus", str(SEEDS), "--index-dir", str(tmp_path / "ix"), "search",
                 "Hasanov^1000", "--json", cwd=tmp_path)
    assert proc.returncode == 0
    json.loads(proc.stdout, parse_constant=lambda c: pytest.fail(f"{c} is not JSON"))


# --- 9. highlighting and indexing are linear -------------------------------------------------


class _CountedPassages(tuple):  # type: ignore[type-arg]
    """Passages that count how many times one of them is looked at through iteration."""

    looked = 0

    def __iter__(self) -> Iterator[Passage]:
        for p in tuple.__iter__(self):
            _CountedPassages.looked += 1
            yield p


def test_highlighting_an_article_of_20000_paragraphs_looks_at_each_once() -> None:
    """The best passages of a hit were found by scanning the passages once per highlight:
    20,000 highlights in 20,000 paragraphs was 200 million steps. Counted, not timed."""
    text = "Big article\n\n" + "Putin spoke again in Moscow today.\n\n" * 20_000
    article = parse_article("big.txt", text)
    article = dataclasses.replace(article, passages=_CountedPassages(article.passages))
    _CountedPassages.looked = 0
    hit = _hit(article, 1.0, {"putin"}, [["moscow", "today"]], None)
    assert hit.hits == 40_000
    assert [p.passage for p in hit.passages] == [1, 2, 3]
    assert hit.passages[0].highlights == ((13, 18), (34, 46))
    assert _CountedPassages.looked <= 2 * len(article.passages)


def test_a_file_over_the_size_limit_is_skipped_without_being_read(corpus_copy: Path,
                                                                  tmp_path: Path) -> None:
    big = corpus_copy / "big.txt"
    with big.open("wb") as f:
        f.truncate(MAX_BYTES + 1)  # sparse: nothing to read, only a size
    summary = Library(corpus_copy, tmp_path / "ix").update()
    assert [(s.path, s.reason) for s in summary.skipped] == [("big.txt", "larger than 8 MB")]
    assert summary.articles == 5


def test_a_folder_without_articles_searches_and_names_what_it_did_not_read(
    tmp_path: Path,
) -> None:
    # Issue 11, item 1: `xref search` on a folder with no .txt/.md ended in a TypeError from
    # Whoosh, and `xref index` said "0 articles" without naming what it ignored.
    corpus = tmp_path / "c"
    corpus.mkdir()
    # Formats xref does not read (issue 13 made it read .html and .pdf).
    (corpus / "page.docx").write_bytes(b"PK\x03\x04")
    (corpus / "paper.odt").write_bytes(b"PK\x03\x04")
    args = ["--corpus", str(corpus), "--index-dir", str(tmp_path / "ix")]
    for _ in range(2):  # the second search refreshes a searcher of an empty index
        done = subprocess.run([sys.executable, "-m", "tui.cli", *args, "search", "x"],
                              capture_output=True, text=True, cwd=ROOT)
        assert done.returncode == 0 and "Traceback" not in done.stderr, done.stderr
        assert "0 articles" in done.stdout
    done = subprocess.run([sys.executable, "-m", "tui.cli", *args, "index"],
                          capture_output=True, text=True, cwd=ROOT)
    assert done.returncode == 0
    assert "not read: 1 .docx, 1 .odt" in done.stderr
