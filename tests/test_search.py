"""Search on the seeds: the query language, passages and highlights, bad input."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from index.library import Library
from index.search import QueryError
from tests.conftest import SEEDS, ids


def hits(lib: Library, q: str) -> list[str]:
    return ids([h.id for h in lib.search(q, limit=50).results])


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("Hasanov", ["000", "001", "004"]),
        ('"Minsk Group"', ["001"]),
        ("Artsakh", ["003"]),
        ("Putin AND NATO", ["000"]),
        ("Pashinian~2", ["002", "003"]),
        ("Pashinian~", ["002", "003"]),  # a bare ~ on a long word allows two edits
        ("Pashinyan OR Hasanov", ["000", "001", "002", "003", "004"]),
        ("Hasanov NOT Putin", ["001", "004"]),
        ("Hasan*", ["000", "001", "004"]),
        ("title:Aliyev", ["002", "003", "004"]),
        ("author:Rozoff", ["000"]),
        ("Cebrayil OR Jebrail", ["003"]),
        ("negotiation", ["001", "002", "003"]),  # finds "negotiations" too
    ],
)
def test_queries(seeds_lib: Library, query: str, expected: list[str]) -> None:
    assert hits(seeds_lib, query) == expected


def test_hits_carry_passages_and_exact_highlights(seeds_lib: Library) -> None:
    result = seeds_lib.search('"Minsk Group"')
    (hit,) = result.results
    article = seeds_lib.article(hit.id)
    assert article is not None
    assert hit.passages
    for p in hit.passages:
        assert article.text[p.start : p.end] == p.text
        assert p.highlights
        for s, e in p.highlights:
            assert p.start <= s < e <= p.end
            assert article.text[s:e].lower() in ("minsk group", "minsk group’s", "minsk group's")


def test_phrase_highlights_only_the_phrase(seeds_lib: Library) -> None:
    (hit,) = seeds_lib.search('"Minsk Group"').results
    article = seeds_lib.article(hit.id)
    assert article is not None
    marked = {article.text[s:e] for p in hit.passages for s, e in p.highlights}
    assert "group" not in {m.lower() for m in marked}


def test_title_boost_ranks_the_title_match_first(seeds_lib: Library) -> None:
    top = seeds_lib.search("plotting").results[0]
    assert top.id.startswith("002")


def test_best_passage_first(seeds_lib: Library) -> None:
    hit = next(h for h in seeds_lib.search("Pashinyan Macron").results if h.id.startswith("003"))
    first = hit.passages[0]
    assert "Pashinyan" in first.text and "Macron" in first.text


def test_suggestion_when_nothing_matches(seeds_lib: Library) -> None:
    result = seeds_lib.search("Hasanvo")
    assert result.total == 0
    assert result.suggestion == "Hasanov"
    assert seeds_lib.search("Hasanov").suggestion is None


def test_json_shape(seeds_lib: Library) -> None:
    data = seeds_lib.search("Artsakh").to_json()
    assert set(data) == {"query", "total", "suggestion", "results"}
    (r,) = data["results"]
    assert set(r) == {"id", "title", "path", "score", "passages"}
    assert r["path"] == "003_3008ca76504e7be7.txt"
    assert set(r["passages"][0]) == {"passage", "start", "end", "text", "highlights"}


@pytest.mark.parametrize(
    "query", ["*", "a*", "x" * 10_000, '"unbalanced', "(Aliyev OR", "Aliyev)", "NOT",
              "AND", "title:", "~", "\x1b[31m", "Hasanov~9", "[bold]", "?*?*?*"],
)
def test_pathological_input_answers_fast(seeds_lib: Library, query: str) -> None:
    began = time.perf_counter()
    try:
        result = seeds_lib.search(query)
        assert result.total >= 0
    except QueryError as exc:
        assert str(exc) and "\n" not in str(exc)
    # Not a benchmark: a guard against a runaway expansion, far above the real figures.
    assert time.perf_counter() - began < 5


def test_too_long_and_empty_queries_are_clear_errors(seeds_lib: Library) -> None:
    with pytest.raises(QueryError, match="too long"):
        seeds_lib.search("x" * 10_000)
    with pytest.raises(QueryError, match="empty"):
        seeds_lib.search("   ")


def test_wikinews_search(wiki_lib: Library) -> None:
    result = wiki_lib.search('"Mary Barra"')
    assert [h.id for h in result.results] == [
        "1007169_Mary_Barra_appointed_as_General_Motors_chief"]
    assert wiki_lib.search("Dreamliner").total >= 3


def test_fast_tokens_are_the_analyzers_tokens(wikinews: Path) -> None:
    """Highlighting uses ``store.tokens``; it must cut and fold words as the index did."""
    from index.store import analyzer, tokens

    ana = analyzer()
    texts = [p.read_text(encoding="utf-8-sig") for p in sorted(SEEDS.glob("*.txt"))]
    texts += [p.read_text(encoding="utf-8") for p in sorted(wikinews.glob("*.txt"))]
    texts.append("Cəbrayıl's U.S. Aliyev’s İstanbul ﬁnance o'clock ...'s 'quoted' ÉLYSÉE")
    for text in texts:
        expected = [(t.text, t.startchar, t.endchar)
                    for t in ana(text, chars=True, positions=False, mode="index")]
        assert tokens(text) == expected
