"""The command line as a newcomer types it (issue 11, item 13): unquoted words, options after
the command, a file given as the corpus, ``--version``, malformed queries, suggestions for a
misspelt fuzzy term, skipped files named once, and an ambiguous name in ``xref mentions``.

Every test runs the installed ``xref`` on the seeds or on a small corpus written here.
"""

from __future__ import annotations

import json
import shutil
from importlib.metadata import version
from pathlib import Path

import pytest

from tests.conftest import SEEDS, ids
from tests.test_cli import run


@pytest.fixture(scope="module")
def ix(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("newcomer-index")


def test_unquoted_words_are_one_query(ix: Path) -> None:
    joined = json.loads(run("search", "Putin", "AND", "NATO", "--json", index_dir=ix).stdout)
    quoted = json.loads(run("search", "Putin AND NATO", "--json", index_dir=ix).stdout)
    assert joined == quoted and joined["query"] == "Putin AND NATO" and joined["total"] == 1
    # Options may sit among the words.
    out = json.loads(run("search", "Minsk", "--json", "Group", index_dir=ix).stdout)
    assert out["query"] == "Minsk Group"


def test_mentions_takes_a_name_in_several_words(ix: Path) -> None:
    out = json.loads(run("mentions", "Zakir", "Hasanov", "--json", index_dir=ix).stdout)
    assert out["query"] == "Zakir Hasanov" and out["entity"]["name"] == "Zakir Hasanov"


def test_global_options_after_the_command(tmp_path: Path) -> None:
    bm = tmp_path / "b.yaml"
    corpus = tmp_path / "c"
    shutil.copytree(SEEDS, corpus)
    index = str(tmp_path / "ix")
    after = run("search", "Hasanov", "--json", "--corpus", str(corpus), "--index-dir", index)
    assert ids([r["id"] for r in json.loads(after.stdout)["results"]]) == ["000", "001", "004"]
    assert (tmp_path / "ix" / "manifest.json").exists()  # --index-dir was obeyed
    run("bookmark", "add", "004_8c0c6ff0117b03a7", "--quote", "President Aliyev showed humanity",
        "--bookmarks", str(bm), "--index-dir", index, "--corpus", str(corpus))
    assert bm.exists()
    listed = run("bookmarks", "verify", "--json", "--bookmarks", str(bm), "--corpus", str(corpus),
                 "--index-dir", index)
    assert [b["state"] for b in json.loads(listed.stdout)["bookmarks"]] == ["exact"]
    # Given before and after, the one after the command wins, as the last word usually does.
    proc = run("--corpus", str(tmp_path / "nope"), "search", "x", "--corpus", str(corpus),
               "--index-dir", index)
    assert proc.stdout.startswith("0 articles match")
    assert "global options" in run("search", "--help").stdout


def test_a_file_as_corpus_is_named_a_file(tmp_path: Path) -> None:
    f = tmp_path / "some_file.txt"
    f.write_text("an article\n", encoding="utf-8")
    proc = run("--corpus", str(f), "search", "x", check_rc=2)
    assert proc.stderr == (
        f"xref: --corpus wants a folder of articles; {f} is a file, not a folder\n"
    )


def test_version() -> None:
    assert run("--version").stdout == f"xref {version('xref-reader')}\n"


@pytest.mark.parametrize(
    "query", ["AND OR (", "(a OR", "NOT", '"unbalanced', "Putin )", "()", "Putin AND AND NATO"]
)
def test_malformed_query_exits_2(ix: Path, query: str) -> None:
    proc = run("search", query, index_dir=ix, check_rc=2)
    assert proc.stderr.startswith("xref: bad query: ") and proc.stderr.count("\n") == 1
    assert proc.stdout == ""


@pytest.mark.parametrize(
    "query",
    ["Putin AND NATO", '"Minsk Group"', "title:(Aliyev OR Putin)", "NOT Putin", "and or",
     "Aliyev NOT Putin", '"AND OR ("', "(Putin OR NATO) AND Aliyev"],
)
def test_well_formed_queries_still_answer(ix: Path, query: str) -> None:
    run("search", query, index_dir=ix)


def test_a_misspelt_fuzzy_term_gets_a_suggestion(ix: Path, tmp_path: Path,
                                                 wikinews: Path) -> None:
    # "Misnk" is "Minsk" with two letters swapped: one edit more than "Misnk~" allows.
    out = json.loads(run("search", "Misnk~", "--json", index_dir=ix).stdout)
    assert out["total"] == 0 and out["suggestion"] == "Minsk~"
    plain = json.loads(run("search", "Misnk", "--json", index_dir=ix).stdout)
    assert plain["suggestion"] == "Minsk"
    proc = run("--corpus", str(wikinews), "search", "Brwon~", index_dir=tmp_path / "ix")
    assert "did you mean: Brown~" in proc.stdout


def test_skipped_files_are_named_when_indexing_once(tmp_path: Path) -> None:
    corpus = tmp_path / "c"
    shutil.copytree(SEEDS, corpus)
    (corpus / "broken.txt").write_bytes(b"\x00\x01")
    common = ["--corpus", str(corpus), "--index-dir", str(tmp_path / "ix")]
    first = run(*common, "search", "Aliyev")
    assert first.stderr == "xref: skipped broken.txt: binary file (NUL bytes)\n"
    for command in (["search", "Aliyev"], ["entities"], ["mentions", "Aliyev"], ["bookmarks"]):
        assert run(*common, *command).stderr == "", command
    # A new unreadable file is an update of the index: named then, and not after.
    (corpus / "broken2.txt").write_bytes(b"\x00\x02")
    assert "skipped broken2.txt" in run(*common, "search", "Aliyev").stderr
    assert run(*common, "search", "Aliyev").stderr == ""
    # ``xref index`` says what it did not read every time: it is the command that asks.
    assert "skipped broken.txt" in run(*common, "index").stderr


BLAIRS = {
    "a1": "Tony Blair visits Baghdad\n\nPrime Minister Tony Blair arrived in Baghdad on "
          "Monday. Blair met Iraqi leaders and said the talks went well.\n",
    "a2": "Tony Blair defends Iraq policy\n\nBritish Prime Minister Tony Blair defended his "
          "policy on Iraq in Parliament. Mr Blair said troops would stay.\n",
    "a3": "Tony Blair meets George Bush\n\nTony Blair and George Bush met at Camp David. "
          "Blair spoke to reporters afterwards.\n",
    "a4": "Cherie Blair speaks at conference\n\nCherie Blair, a lawyer, spoke at a conference "
          "in London. Mrs Blair talked about human rights.\n",
    "a5": "Lionel Blair returns to the stage\n\nThe entertainer Lionel Blair returned to the "
          "London stage. Lionel Blair danced with the cast.\n",
    "a6": "Protests in London\n\nThousands marched in London on Saturday. Blair was "
          "criticised by the marchers, who carried banners.\n",
    "a7": "Cherie Blair opens school\n\nCherie Blair opened a school in Leeds on Friday. "
          "She praised the teachers.\n",
    "a8": "Cherie Blair visits hospital\n\nCherie Blair visited a hospital in Leeds on "
          "Monday. She thanked the nurses.\n",
}


def test_mentions_of_a_shared_surname_prefers_the_one_it_usually_means(tmp_path: Path) -> None:
    # Tony and Cherie Blair are each named in three articles; "Blair" alone means Tony in
    # three and Cherie in one ("Mrs Blair"). Lionel Blair is named once, never as "Blair".
    corpus = tmp_path / "blair"
    corpus.mkdir()
    for name, text in BLAIRS.items():
        (corpus / f"{name}.txt").write_text(text, encoding="utf-8")
    common = ["--corpus", str(corpus), "--index-dir", str(tmp_path / "ix")]
    proc = run(*common, "mentions", "Blair")
    assert proc.stdout.startswith("Tony Blair (person) — 3 articles")
    assert proc.stderr.count("\n") == 1 and "can mean several entities" in proc.stderr
    assert "Cherie Blair (3 articles, xref mentions cherie-blair)" in proc.stderr
    assert "Lionel Blair (1 article, xref mentions lionel-blair)" in proc.stderr
    out = json.loads(run(*common, "mentions", "blair", "--json").stdout)
    assert out["entity"]["name"] == "Tony Blair"
    assert {"cherie-blair", "lionel-blair"} <= {o["id"] for o in out["also"]}
    # An id says which one is meant, and nothing else is listed.
    cherie = run(*common, "mentions", "cherie-blair")
    assert cherie.stdout.startswith("Cherie Blair (person) — 3 articles") and not cherie.stderr
    # A full name is not ambiguous.
    assert run(*common, "mentions", "Lionel", "Blair").stderr == ""
