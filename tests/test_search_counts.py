"""Issue 10, item 3: search's top-N and its count without a second pass over every hit.

Words, stems and fuzzy terms are scored in bulk (``index.topn``): their best articles must be
Whoosh's own ranking of every hit, scores included, and their total exact. Other queries keep
Whoosh's top-N; past a few thousand candidates their total is a lower bound and says so."""

from __future__ import annotations

import pytest

import index.search as search_mod
from index.library import Library
from index.topn import top_docs

WORDS = [
    "president",
    "minister",
    "oil",
    "court",
    "market",
    "police",
    "government~",
    "Obamma~",
    "title:oil",
    "election OR vote",
    "negotiation",
]


@pytest.mark.parametrize("text", WORDS)
def test_bulk_top_n_is_whooshs_full_ranking(wiki_lib: Library, text: str) -> None:
    engine = wiki_lib.engine
    q = engine.parse(text)
    searcher = engine.searcher
    every = searcher.search(q, limit=None)  # Whoosh scoring every hit, no skipping
    bulk = top_docs(searcher, q, 5)
    assert bulk is not None
    assert bulk.total == len(every)
    assert bulk.top == [(h.score, h.docnum) for h in every[:5]]
    result = wiki_lib.search(text, limit=5)
    assert result.total == len(every) and result.total_exact
    assert [h.id for h in result.results] == [h["id"] for h in every[:5]]


@pytest.mark.parametrize("text", ['"prime minister"', "Blair AND Iraq", "oil NOT Iraq", "pres*"])
def test_other_queries_keep_whoosh(wiki_lib: Library, text: str) -> None:
    engine = wiki_lib.engine
    q = engine.parse(text)
    assert top_docs(engine.searcher, q, 5) is None
    every = engine.searcher.search(q, limit=None)
    result = wiki_lib.search(text, limit=5)
    assert (result.total, result.total_exact) == (len(every), True)
    assert [h.id for h in result.results] == [h["id"] for h in every[:5]]
    assert "total_exact" not in result.to_json()


def test_many_candidates_give_a_lower_bound(
    wiki_lib: Library, monkeypatch: pytest.MonkeyPatch
) -> None:
    exact = wiki_lib.search('"the government"', limit=2)
    assert exact.total_exact and exact.total > 3
    monkeypatch.setattr(search_mod, "EXACT_COUNT", 0)
    monkeypatch.setattr(search_mod, "COUNT_LIMIT", 3)
    bound = wiki_lib.search('"the government"', limit=2)
    assert (bound.total, bound.total_exact) == (3, False)
    assert [h.id for h in bound.results] == [h.id for h in exact.results]
    assert bound.to_json()["total_exact"] is False
    # below the bound the count stays exact
    monkeypatch.setattr(search_mod, "COUNT_LIMIT", 10_000)
    again = wiki_lib.search('"the government"', limit=2)
    assert (again.total, again.total_exact) == (exact.total, True)


def test_deleted_documents_are_not_counted(corpus_copy, tmp_path) -> None:  # type: ignore[no-untyped-def]
    lib = Library(corpus_copy, tmp_path / "ix")
    lib.update()
    before = lib.search("Hasanov")
    victim = next(p for p in sorted(corpus_copy.glob("*.txt")) if "Hasanov" in p.read_text())
    victim.write_text(victim.read_text().replace("Hasanov", "Someone"))
    lib.update()
    after = lib.search("Hasanov")
    assert after.total == before.total - 1 and after.total_exact
    assert victim.stem not in {h.id for h in after.results}


def test_search_command_says_at_least(
    wikinews, tmp_path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:  # type: ignore[no-untyped-def]
    from tui.cli import main

    args = ["--corpus", str(wikinews), "--index-dir", str(tmp_path / "ix"), "search"]
    main([*args, '"the government"'])
    exact = capsys.readouterr().out.splitlines()[0]
    assert exact.split()[0].isdigit() and "match" in exact
    monkeypatch.setattr(search_mod, "EXACT_COUNT", 0)
    monkeypatch.setattr(search_mod, "COUNT_LIMIT", 3)
    main([*args, '"the government"'])
    first = capsys.readouterr().out.splitlines()[0]
    assert first == "at least 3 articles match '\"the government\"'"
