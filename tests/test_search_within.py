"""A search restricted to a set of articles (``Library.search(..., within=ids)``) lists what
the unrestricted search lists, in the same order with the same scores, less the articles
outside the set, and counts them exactly; for every path of the engine (words scored in bulk,
phrases, Whoosh's own search for AND, NOT and prefixes) and several entities' article sets."""

from __future__ import annotations

from pathlib import Path

import pytest

from index import comentions
from index.library import Library

QUERIES = [
    "iPhone",  # one word: the bulk scorer
    "government OR election",  # an OR of words: the bulk scorer
    "president",
    '"United States"',  # a phrase
    '"prime minister" OR "white house"',  # an OR of phrases
    "government AND president",  # Whoosh's search
    "president AND NOT government",
    "elect*",  # a prefix
    "title:apple",
    "goverment~",  # a fuzzy term, expanded to words
]


def entity_sets(lib: Library) -> list[set[str]]:
    """The articles of a few entities, large and small, and of a pair named together."""
    entities = [e for e in lib.entities() if not e.ambiguous]
    chosen = [entities[0], entities[3], entities[len(entities) // 4], entities[len(entities) // 2]]
    sets = [set(lib.entity_articles(e.id)) for e in chosen]
    sets.append(sets[0] & sets[1])
    sets.append({"no such article", *list(sets[2])[:2]})
    return [s for s in sets if s]


@pytest.mark.parametrize("text", QUERIES)
def test_within_is_the_full_list_filtered(wiki_lib: Library, text: str) -> None:
    everything = wiki_lib.search(text, limit=10_000)
    assert everything.total_exact and everything.total == len(everything.results)
    full = [(h.id, h.score) for h in everything.results]
    for within in entity_sets(wiki_lib):
        expected = [(aid, score) for aid, score in full if aid in within]
        for limit in (3, 10_000):
            got = wiki_lib.search(text, limit=limit, within=within)
            assert got.total == len(expected) and got.total_exact, (text, limit)
            assert [(h.id, h.score) for h in got.results] == expected[:limit], (text, limit)


def test_an_empty_set_finds_nothing(wiki_lib: Library) -> None:
    got = wiki_lib.search("government", within=set())
    assert got.total == 0 and got.results == ()


def test_within_the_seeds(seeds_lib: Library) -> None:
    ids = {a.id for a in seeds_lib.articles()}
    half = set(sorted(ids)[::2])
    full = seeds_lib.search("Aliyev OR Baku", limit=1000)
    got = seeds_lib.search("Aliyev OR Baku", limit=1000, within=half)
    assert [h.id for h in got.results] == [h.id for h in full.results if h.id in half]
    assert got.total == len(got.results) > 0


def test_comentions_search_uses_the_set(wiki_lib: Library, monkeypatch: pytest.MonkeyPatch) -> None:
    """``entity:"Name" words`` asks the library for the entity's articles only, once."""
    asked: list[tuple[str, int, object]] = []
    search = wiki_lib.search

    def spy(text: str, limit: int = 10, within: object = None) -> object:
        asked.append((text, limit, within))
        return search(text, limit=limit, within=within)  # type: ignore[arg-type]

    monkeypatch.setattr(wiki_lib, "search", spy)
    result, chosen = comentions.search(wiki_lib, 'entity:"Steve Jobs" iPhone', limit=5)
    jobs = set(wiki_lib.entity_articles(chosen[0].entity.id))
    assert asked == [("iPhone", 5, jobs)]
    full = search("iPhone", limit=10_000)
    inside = [h.id for h in full.results if h.id in jobs]
    assert result.total == len(inside) and [h.id for h in result.results] == inside[:5]
    assert comentions.matching(wiki_lib, "iPhone", jobs) == inside


def test_within_after_an_article_changed(corpus_copy: Path, tmp_path: Path) -> None:
    """A changed article leaves its old document deleted in its segment: neither it nor its
    id's old posting may enter a restricted search, and the counts from the summaries follow
    the new text."""
    lib = Library(corpus_copy, tmp_path / "ix")
    try:
        lib.update()
        first = sorted(corpus_copy.glob("*.txt"))[0]
        first.write_text(first.read_text(encoding="utf-8") + "\n\nAliyev met Aliyev in Baku.\n")
        lib.update()
        ids = {a.id for a in lib.articles()}
        half = set(sorted(ids)[:5])
        full = lib.search("Aliyev OR Baku", limit=1000)
        got = lib.search("Aliyev OR Baku", limit=1000, within=half)
        assert [h.id for h in got.results] == [h.id for h in full.results if h.id in half]
        assert got.total == len(got.results) > 0
        aliyev, _ = lib.find_entity("Ilham Aliyev")
        assert aliyev is not None
        counts = lib.mention_counts(aliyev.id)
        assert counts == {aid: len(lib.mentions(aid, aliyev.id)) for aid in counts}
    finally:
        lib.close()
