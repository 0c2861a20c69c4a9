"""The installed ``xref`` command: subcommands, JSON, exit codes, one-line errors."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from index.corpus import iter_files, read_article
from index.library import Library
from tests.conftest import SEEDS, ids

# The command installed beside this interpreter (the venv's), else the one on PATH.
_BESIDE = Path(sys.executable).parent / "xref"
XREF = str(_BESIDE) if _BESIDE.exists() else shutil.which("xref")


def run(*args: str, env: dict[str, str] | None = None, check_rc: int | None = 0,
        index_dir: Path | None = None) -> subprocess.CompletedProcess[str]:
    assert XREF, "the xref command is not installed (pip install -e '.[test]')"
    full_env = dict(os.environ, **(env or {}))
    cmd = [XREF]
    if index_dir is not None:
        cmd += ["--index-dir", str(index_dir)]
    proc = subprocess.run([*cmd, *args], capture_output=True, text=True, env=full_env,
                          timeout=120)
    if check_rc is not None:
        assert proc.returncode == check_rc, proc.stderr
    return proc


@pytest.fixture(scope="module")
def ix(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("cli-index")


def search_ids(ix: Path, query: str) -> list[str]:
    out = json.loads(run("search", query, "--json", index_dir=ix).stdout)
    return ids([r["id"] for r in out["results"]])


def test_done_when_queries(ix: Path) -> None:
    assert search_ids(ix, "Hasanov") == ["000", "001", "004"]
    assert search_ids(ix, '"Minsk Group"') == ["001"]
    assert search_ids(ix, "Artsakh") == ["003"]
    assert search_ids(ix, "Putin AND NATO") == ["000"]
    assert search_ids(ix, "Pashinian~2") == ["002", "003"]


def test_search_json_is_the_documented_interface(ix: Path) -> None:
    out = json.loads(run("search", "Hasanvo", "--json", index_dir=ix).stdout)
    assert out == {"query": "Hasanvo", "total": 0, "suggestion": "Hasanov", "results": []}


def test_no_hits_exits_zero_and_says_so(ix: Path) -> None:
    proc = run("search", "zzzzqqq", index_dir=ix)
    assert proc.stdout.startswith("0 articles match")


@pytest.mark.parametrize("query", ["x" * 10_000, "   "])
def test_malformed_query_exits_2_with_one_line(ix: Path, query: str) -> None:
    proc = run("search", query, index_dir=ix, check_rc=2)
    assert proc.stderr.count("\n") == 1 and proc.stderr.startswith("xref: bad query:")
    assert "Traceback" not in proc.stderr


# '"unbalanced', "(a OR" and "NOT" were here too: the command now refuses them as malformed
# (exit 2, see test_cli_newcomer.py) instead of searching the words "or" and "not".
@pytest.mark.parametrize("query", ["*", "a*", "a OR b", "NOT Putin"])
def test_odd_queries_answer(ix: Path, seeds_lib: Library, query: str) -> None:
    proc = run("search", query, "--json", "--limit", "50", index_dir=ix)
    assert json.loads(proc.stdout) == seeds_lib.search(query, limit=50).to_json()


def test_usage_errors_are_one_line_exit_2(ix: Path) -> None:
    for args in (["search"], ["frobnicate"], ["search", "x", "--limit", "zero"],
                 ["search", "x", "--limit", "0"]):
        proc = run(*args, index_dir=ix, check_rc=2)
        assert proc.stderr.count("\n") == 1, proc.stderr
        assert "Traceback" not in proc.stderr


def test_every_subcommand_has_help() -> None:
    top = run("--help").stdout
    for sub in ("index", "search", "entities", "mentions", "bookmarks", "bookmark"):
        assert sub in top
        assert run(sub, "--help").stdout.startswith("usage: xref " + sub)


def test_index_summary_and_env_variables(tmp_path: Path) -> None:
    corpus = tmp_path / "c"
    shutil.copytree(SEEDS, corpus)
    (corpus / "junk.txt").write_bytes(b"\x00\x01")
    env = {"XREF_CORPUS": str(corpus), "XREF_INDEX_DIR": str(tmp_path / "ix")}
    proc = run("index", env=env)
    articles = [read_article(corpus, rel) for rel, _ in iter_files(corpus) if rel != "junk.txt"]
    passages = sum(len(a.passages) for a in articles)
    assert proc.stdout.startswith(f"{len(articles)} articles, {passages} passages indexed in ")
    assert "skipped 1 binary file (NUL bytes)" in proc.stdout
    assert "xref: skipped junk.txt: binary file (NUL bytes)" in proc.stderr
    assert (tmp_path / "ix" / "manifest.json").exists()
    again = run("index", env=env)
    assert "(0 added, 0 changed, 0 removed)" in again.stdout


def test_missing_corpus_is_a_clear_error(tmp_path: Path) -> None:
    proc = run("--corpus", str(tmp_path / "nope"), "search", "x", check_rc=2)
    assert proc.stderr.strip() == f"xref: corpus folder not found: {tmp_path / 'nope'}"


def test_default_index_goes_to_the_cache_not_the_corpus() -> None:
    run("search", "Hasanov")
    assert (Path(os.environ["XDG_CACHE_HOME"]) / "xref" / "indexes").is_dir()
    assert sorted(p.name for p in SEEDS.iterdir() if not p.name.startswith("__")) == sorted(
        [*(p.name for p in SEEDS.glob("*.txt")), "entities.yaml"])


def test_a_closed_pipe_is_not_an_error(tmp_path: Path, wikinews: Path) -> None:
    # `xref entities --json | head -1`: the reader stops reading; xref stops quietly. The
    # Wikinews list is larger than a pipe's buffer, so xref is still writing when it closes.
    assert XREF
    cmd = [XREF, "--corpus", str(wikinews), "--index-dir", str(tmp_path / "ix")]
    run(*cmd[1:], "index")
    proc = subprocess.Popen([*cmd, "entities", "--json"], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE)
    assert proc.stdout is not None and proc.stdout.read(1) == b"["
    proc.stdout.close()
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 0 and b"Broken pipe" not in err and b"Traceback" not in err
