"""Phrases ranked by the bound of their words' scores (``index.topn.phrase_top``): the best N
must be Whoosh's own ranking of every phrase hit, scores included, and the count the same as
Whoosh's, exact where it was exact."""

from __future__ import annotations

import pytest

import index.search as search_mod
from index.library import Library
from index.topn import phrase_top

PHRASES = [
    '"prime minister"',
    '"United States"',
    '"the government"',
    '"New York"',
    '"stock market"',
    '"of the"',
    'title:"general motors"',
    'body:"chief executive"',
    '"said that the"',
    '"no such phrase anywhere"',
]


@pytest.mark.parametrize("limit", [1, 5, 40])
@pytest.mark.parametrize("text", PHRASES)
def test_phrase_top_n_is_whooshs_full_ranking(wiki_lib: Library, text: str, limit: int) -> None:
    engine = wiki_lib.engine
    q = engine.parse(text)
    every = engine.searcher.search(q, limit=None)  # Whoosh scoring every hit
    ranked = phrase_top(engine.searcher, q, limit)
    assert ranked is not None
    assert ranked.top == [(h.score, h.docnum) for h in every[:limit]]
    if ranked.exact:
        assert ranked.total == len(every)
    result = wiki_lib.search(text, limit=limit)
    assert (result.total, result.total_exact) == (len(every), True)
    assert [h.id for h in result.results] == [h["id"] for h in every[:limit]]


def test_a_phrase_past_the_bound_is_counted_as_before(
    wiki_lib: Library, monkeypatch: pytest.MonkeyPatch
) -> None:
    every = wiki_lib.engine.searcher.search(wiki_lib.engine.parse('"of the"'), limit=None)
    monkeypatch.setattr(search_mod, "EXACT_COUNT", 0)
    monkeypatch.setattr(search_mod, "COUNT_LIMIT", 3)
    bound = wiki_lib.search('"of the"', limit=2)
    assert (bound.total, bound.total_exact) == (3, False)
    assert [h.id for h in bound.results] == [h["id"] for h in every[:2]]


@pytest.mark.parametrize("text", ['"prime minister" oil', "Blair AND Iraq", '"Iraq"~2 war'])
def test_other_queries_are_not_taken(wiki_lib: Library, text: str) -> None:
    engine = wiki_lib.engine
    assert phrase_top(engine.searcher, engine.parse(text), 5) is None
