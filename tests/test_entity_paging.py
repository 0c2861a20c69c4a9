"""Issue 10, item 4: an entity's articles a page at a time, from the links, the total at once.

The list must be the one the indexed mention keys give (the query ``entity_articles`` used to
run), for every entity of the real corpora; a page reads only its own articles."""

from __future__ import annotations

import pytest

from index.entity_pages import EntityPage
from index.library import Library


def _by_query(lib: Library, entity_id: str) -> list[str]:
    """The articles of an entity as the indexed query on mention keys finds them, with the
    article-by-article correction for shared names (the implementation before paging)."""
    links = lib.links
    entity = links.entities[entity_id]
    local = links.decided_in(entity_id)
    if not entity.keys:
        return sorted(local)
    found = lib.engine.articles_mentioning(entity.keys)
    ok = [
        a
        for a in found
        if all(
            links.entity_of(a, k) == entity_id
            for k in entity.keys
            if k in links.by_article.get(a, {})
        )
    ]
    return sorted(set(ok) | set(local))


@pytest.mark.parametrize("which", ["seeds_lib", "seeds_lib_nocat", "wiki_lib"])
def test_links_list_every_entity_as_the_index_query_does(
    which: str, request: pytest.FixtureRequest
) -> None:
    lib: Library = request.getfixturevalue(which)
    entities = list(lib.links.entities)
    assert entities
    for eid in entities:
        assert lib.entity_articles(eid) == _by_query(lib, eid), eid


def test_first_page_has_the_total_and_only_its_articles(
    wiki_lib: Library, monkeypatch: pytest.MonkeyPatch
) -> None:
    ents = sorted(wiki_lib.links.entities.values(), key=lambda e: -len(e.article_ids))
    biggest = ents[0]
    every = wiki_lib.entity_articles(biggest.id)
    assert len(every) > 3
    read: list[str] = []
    real = Library.article

    def counting(self: Library, article_id: str):  # type: ignore[no-untyped-def]
        read.append(article_id)
        return real(self, article_id)

    monkeypatch.setattr(Library, "article", counting)
    page = wiki_lib.entity_page(biggest.id, limit=3)
    assert isinstance(page, EntityPage)
    assert page.total == len(every) and page.offset == 0
    assert page.article_ids == every[:3] and read == every[:3]
    assert page.more == len(every) - 3
    for item in page.articles:
        assert item.mentions, item.article.id
        for m in item.mentions:
            assert m.entity == biggest.id and m.article == item.article.id
            assert item.article.text[m.start : m.end] == m.text
        # the mentions of the page are those the article's own list links to the entity
        assert list(item.mentions) == [
            m for m in wiki_lib.mentions(item.article.id) if m.entity == biggest.id
        ]


def test_pages_follow_each_other_and_leave_out_the_open_article(wiki_lib: Library) -> None:
    ents = sorted(wiki_lib.links.entities.values(), key=lambda e: -len(e.article_ids))
    eid = ents[0].id
    every = wiki_lib.entity_articles(eid)
    current = every[1]
    rest = [a for a in every if a != current]
    seen: list[str] = []
    offset = 0
    while True:
        page = wiki_lib.entity_page(eid, offset=offset, limit=2, exclude=current)
        assert page.total == len(rest)
        if not page.articles:
            break
        seen += page.article_ids
        offset += len(page.articles)
    assert seen == rest and page.more == 0


def test_unknown_entity_has_an_empty_page(seeds_lib: Library) -> None:
    page = seeds_lib.entity_page("no-such-entity")
    assert (page.total, page.articles, page.more) == (0, (), 0)
    assert seeds_lib.entity_articles("no-such-entity") == []


def test_entity_mentions_streams_every_article(seeds_lib: Library) -> None:
    entity, _ = seeds_lib.find_entity("Zakir Hasanov")
    assert entity is not None
    streamed = list(seeds_lib.entity_mentions(entity.id))
    assert [a.article.id for a in streamed] == seeds_lib.entity_articles(entity.id)
    assert all(a.mentions for a in streamed)
