"""Mention counts from the entity summaries (``Library.mention_counts``) are the counts of
the stored mentions, for every entity of the seeds (with and without their catalogue) and of
Wikinews; an entity's profile built on them says what reading every article said."""

from __future__ import annotations

from collections import Counter

import pytest

from index import entity_profile
from index.library import Library


def counted_by_reading(lib: Library) -> dict[str, dict[str, int]]:
    """entity id -> article id -> mentions, from ``lib.mentions`` of every article."""
    seen: dict[str, Counter[str]] = {}
    for info in lib.articles():
        for m in lib.mentions(info.id):
            if m.entity:
                seen.setdefault(m.entity, Counter())[info.id] += 1
    return {
        eid: {aid: seen.get(eid, Counter())[aid] for aid in lib.entity_articles(eid)}
        for eid in lib.links.entities
    }


@pytest.mark.parametrize("name", ["seeds_lib", "seeds_lib_nocat", "wiki_lib"])
def test_mention_counts_equal_the_stored_mentions(
    name: str, request: pytest.FixtureRequest
) -> None:
    lib: Library = request.getfixturevalue(name)
    expected = counted_by_reading(lib)
    assert expected, "the corpus has entities"
    for eid, counts in expected.items():
        got = lib.mention_counts(eid)
        assert got == counts, eid
        assert sum(lib.key_counts(eid).values()) == sum(counts.values()), eid


def read_profile(lib: Library, entity_id: str) -> tuple[dict[str, int], list[tuple[str, int]]]:
    """Per-article counts and forms as the profile made them by reading every article."""
    per_article: dict[str, int] = {}
    forms: Counter[str] = Counter()
    for aid in lib.entity_articles(entity_id):
        found = lib.mentions(aid, entity_id)
        per_article[aid] = len(found)
        forms.update(" ".join(m.text.split()) for m in found)
    return per_article, sorted(forms.items(), key=lambda x: (-x[1], x[0]))


@pytest.mark.parametrize("name", ["seeds_lib", "wiki_lib"])
def test_profile_is_what_reading_every_article_said(
    name: str, request: pytest.FixtureRequest
) -> None:
    lib: Library = request.getfixturevalue(name)
    for entity in lib.entities()[:40]:
        p = entity_profile.profile(lib, entity.id)
        assert p is not None
        per_article, forms = read_profile(lib, entity.id)
        assert p.per_article == per_article and p.forms == forms, entity.id
        assert p.mentions == sum(per_article.values()) and p.articles == len(per_article)


def test_a_quick_profile_reads_no_article(
    wiki_lib: Library, monkeypatch: pytest.MonkeyPatch
) -> None:
    entity = wiki_lib.entities()[0]
    exact = entity_profile.profile(wiki_lib, entity.id)

    def no_reading(*args: object, **kwargs: object) -> None:
        raise AssertionError("an article was read")

    monkeypatch.setattr(wiki_lib, "mentions", no_reading)
    monkeypatch.setattr(wiki_lib, "article", no_reading)
    quick = entity_profile.profile(wiki_lib, entity.id, read_forms=False)
    assert quick is not None and exact is not None
    assert quick.per_article == exact.per_article and quick.mentions == exact.mentions
    assert sum(n for _form, n in quick.forms) == exact.mentions
