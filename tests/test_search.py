"""Search on the seeds: the query language, passages and highlights, bad input."""

from __future__ import annotations

import dataclasses
import itertools
import re
import shutil
import string
from collections.abc import Iterator
from pathlib import Path

import pytest

from index.library import Library
from index.search import MAX_EXPANSION, QueryError
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
    # "Minister" is in the titles of two seeds and in the bodies of others that name a
    # minister more often: unboosted, an article without it in its title ranks second.
    word = "Minister"
    results = seeds_lib.search(word).results
    titled = {h.id for h in results if word.lower() in h.title.lower()}
    assert 0 < len(titled) < len(results)
    assert {h.id for h in results[: len(titled)]} == titled


def test_best_passage_first(seeds_lib: Library) -> None:
    words = ("Hasanov", "Aliyev")
    hit = next(h for h in seeds_lib.search(" ".join(words)).results if h.id.startswith("004"))
    article = seeds_lib.article(hit.id)
    assert article is not None
    holds = [{w for w in words if w.lower() in article.passage_text(i).lower()}
             for i in range(len(article.passages))]
    # Reading order would not do: the first passage naming either word lacks the other.
    first_named = next(i for i, found in enumerate(holds) if found)
    assert holds[first_named] != set(words)
    assert holds[hit.passages[0].passage] == set(words)
    # Then by distinct words, then by number of highlights.
    ranks = [(len({article.text[s:e].lower() for s, e in p.highlights}), len(p.highlights))
             for p in hit.passages]
    assert ranks == sorted(ranks, reverse=True)


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


@pytest.fixture(scope="module")
def wide_lib(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Library]:
    """The seeds and one article of more distinct words than a pattern may stand for."""
    corpus = tmp_path_factory.mktemp("wide")
    shutil.copytree(SEEDS, corpus, dirs_exist_ok=True)
    letters = string.ascii_lowercase
    words = ["qz" + "".join(t) for t in itertools.product(letters, repeat=3)]
    (corpus / "wordlist.txt").write_text(
        "A word list\n\n" + " ".join(words[: MAX_EXPANSION + 1]) + "\n", encoding="utf-8")
    lib = Library(corpus, tmp_path_factory.mktemp("wide-index"))
    lib.update()
    yield lib
    lib.close()


@pytest.mark.parametrize(
    ("query", "error"),
    [("*", None), ("a*", None), ("x" * 10_000, "too long"), ('"unbalanced', None),
     ("(Aliyev OR", None), ("Aliyev)", None), ("NOT", None), ("AND", None), ("title:", None),
     ("~", "no words"), ("\x1b[31m", None), ("[bold]", None),
     # Patterns standing for more words than MAX_EXPANSION are refused, not run.
     ("qz*", "too many words"), ("?*?*?*", "too many words"), ("qzaa?", None),
     ("Hasanov~9", "too many words")],
)
def test_pathological_input(wide_lib: Library, query: str, error: str | None) -> None:
    if error is not None:
        with pytest.raises(QueryError, match=error) as exc:
            wide_lib.search(query)
        assert "\n" not in str(exc.value)
        return
    result = wide_lib.search(query, limit=50)
    known = {r.id for r in wide_lib.articles()}
    assert result.total == len(result.results) and {h.id for h in result.results} <= known
    for hit in result.results:
        article = wide_lib.article(hit.id)
        assert article is not None
        for p in hit.passages:
            assert article.text[p.start : p.end] == p.text
            assert all(p.start <= s < e <= p.end for s, e in p.highlights)


def test_too_long_and_empty_queries_are_clear_errors(seeds_lib: Library) -> None:
    with pytest.raises(QueryError, match="too long"):
        seeds_lib.search("x" * 10_000)
    with pytest.raises(QueryError, match="empty"):
        seeds_lib.search("   ")


def test_wikinews_search(wiki_lib: Library) -> None:
    result = wiki_lib.search('"Mary Barra"')
    assert [h.id for h in result.results] == [
        "1007169_Mary_Barra_appointed_as_General_Motors_chief"]
    # Words match their inflections ("Dreamliners") but not other words that contain them.
    named = {p.stem for p in wiki_lib.corpus.glob("*.txt")
             if re.search(r"\bdreamliners?\b", p.read_text(encoding="utf-8"), re.IGNORECASE)}
    result = wiki_lib.search("Dreamliner", limit=len(named) + 10)
    assert len(named) > 1 and result.total == len(named)
    assert {h.id for h in result.results} == named


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


def test_results_are_frozen(seeds_lib: Library) -> None:
    (hit,) = seeds_lib.search("Artsakh").results
    with pytest.raises(dataclasses.FrozenInstanceError):
        hit.passages[0].start = 0  # type: ignore[misc]


def test_reader_highlights_leave_out_negated_words(seeds_lib: Library) -> None:
    # Seed 000 names both Hasanov and Putin; the reader marks only what the query looks for.
    article = next(a for a in (seeds_lib.article(i) for i in
                               [h.id for h in seeds_lib.search("Hasanov AND Putin").results])
                   if a is not None)
    marked = {article.text[s:e] for s, e in seeds_lib.highlights("Hasanov NOT Putin", article)}
    assert marked == {"Hasanov"}


def test_a_word_inside_a_highlighted_phrase_keeps_the_whole_phrase(seeds_lib: Library) -> None:
    phrase = "President Ilham Aliyev"
    (article,) = [a for a in (seeds_lib.article(h.id) for h in
                              seeds_lib.search(f'"{phrase}"', limit=50).results)
                  if a is not None][:1]
    spans = seeds_lib.highlights(f'"{phrase}" Ilham', article)
    assert phrase in {article.text[s:e] for s, e in spans}
