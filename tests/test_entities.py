"""Persons, places, events and organisations: extraction, linking, catalogue, on real text."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from index.catalogue import CatalogueError, load
from index.corpus import parse_article
from index.entities import RuleExtractor
from index.library import Library
from tests.conftest import ROOT, SEEDS, ids


def articles_of(lib: Library, name: str) -> list[str]:
    entity, close = lib.find_entity(name)
    assert entity is not None, f"no entity {name!r}; close: {close}"
    return ids(lib.entity_articles(entity.id))


def entity_id(lib: Library, name: str) -> str:
    entity, _ = lib.find_entity(name)
    assert entity is not None, name
    return entity.id


# --- what the seeds say (read by hand) ---------------------------------------------------

SEED_TRUTH = {
    # name: (type, articles that mention it)
    "Zakir Hasanov": ("person", ["000", "001", "004"]),
    "Nikol Pashinyan": ("person", ["002", "003"]),
    "Ilham Aliyev": ("person", ["000", "001", "002", "003", "004"]),
    "Vladimir Putin": ("person", ["000"]),
    "Antony Blinken": ("person", ["003"]),
    "Emmanuel Macron": ("person", ["003"]),
    "Ani Badalyan": ("person", ["003"]),
    "Ararat Mirzoyan": ("person", ["003"]),
    "Jeyhun Bayramov": ("person", ["003"]),
    "Rick Rozoff": ("person", ["000"]),
    "Fidan Abdullayeva": ("person", ["001"]),
    "Aqsa Younas Rana": ("person", ["004"]),
    "Gurgen Alaverdyan": ("person", ["001"]),
    "Baku": ("place", ["000", "002", "003"]),
    "Azerbaijan": ("place", ["000", "001", "002", "003", "004"]),
    "Armenia": ("place", ["000", "001", "002", "003", "004"]),
    "Yerevan": ("place", ["002", "003"]),
    "Moscow": ("place", ["000"]),
    "Tovuz": ("place", ["001"]),
    "Goranboy": ("place", ["001"]),
    "Agdam": ("place", ["004"]),
    "Jebrail": ("place", ["003"]),
    "Syunik": ("place", ["000"]),
    "Tavush": ("place", ["002"]),
    "France": ("place", ["001", "002", "003"]),
    "COP29": ("event", ["003"]),
    "Alma-Ata Declaration": ("event", ["003"]),
    "Panama Papers": ("event", ["002"]),
    "NATO": ("organisation", ["000", "002"]),
    "OSCE Minsk Group": ("organisation", ["001"]),
}
CATALOGUE_TRUTH = {
    "Nagorno-Karabakh": ("place", ["000", "001", "002", "003", "004"]),
    "Artsakh": ("place", ["000", "001", "002", "003", "004"]),
    "Second Karabakh War": ("event", ["000", "002", "003", "004"]),
    "the 44-day war": ("event", ["000", "002", "003", "004"]),
    "anti-terror operation": ("event", ["003", "004"]),
    "Zangezur corridor": ("place", ["002"]),
    "Elysee Palace": ("place", ["003"]),
}


@pytest.mark.parametrize("name", sorted(SEED_TRUTH) + sorted(CATALOGUE_TRUTH))
def test_seed_entities_with_catalogue(seeds_lib: Library, name: str) -> None:
    type_, expected = {**SEED_TRUTH, **CATALOGUE_TRUTH}[name]
    entity, _ = seeds_lib.find_entity(name)
    assert entity is not None
    assert entity.type == type_
    assert articles_of(seeds_lib, name) == expected


@pytest.mark.parametrize("name", sorted(SEED_TRUTH))
def test_persons_and_places_stand_without_the_catalogue(seeds_lib_nocat: Library,
                                                        name: str) -> None:
    type_, expected = SEED_TRUTH[name]
    entity, _ = seeds_lib_nocat.find_entity(name)
    assert entity is not None and entity.type == type_
    assert articles_of(seeds_lib_nocat, name) == expected


def test_without_catalogue_text_evidence_still_links(seeds_lib_nocat: Library) -> None:
    # "The 44-day war, also known as the Second Nagorno-Karabakh War" (004): the text says
    # they are one, no world knowledge needed.
    war = entity_id(seeds_lib_nocat, "the 44-day war")
    assert war == entity_id(seeds_lib_nocat, "Second Nagorno-Karabakh War")
    assert "004" in articles_of(seeds_lib_nocat, "the 44-day war")
    # Karabakh = Nagorno-Karabakh and Artsakh = Nagorno-Karabakh are world knowledge: the
    # seeds' catalogue says so (see test_seed_entities_with_catalogue); without it they stay
    # apart rather than being merged by a rule written for these articles.
    artsakh, _ = seeds_lib_nocat.find_entity("Artsakh")
    assert artsakh is None or artsakh.id != entity_id(seeds_lib_nocat, "Nagorno-Karabakh")


def test_no_false_merges(seeds_lib: Library) -> None:
    assert entity_id(seeds_lib, "Baku") != entity_id(seeds_lib, "Azerbaijan")
    assert entity_id(seeds_lib, "Second Karabakh War") != entity_id(
        seeds_lib, "anti-terror operation")
    assert entity_id(seeds_lib, "Aliyev") != entity_id(seeds_lib, "Hasanov")
    persons = {e.name for e in seeds_lib.entities(type_="person")}
    assert not {"Defence Minister", "Defense Minister", "Victorious Supreme Commander",
                "Supreme Commander", "President"} & persons
    assert "Victorious Supreme Commander" not in {e.name for e in seeds_lib.entities()}


def test_second_karabakh_war_is_not_the_war_of_the_1990s(seeds_lib: Library) -> None:
    assert "001" not in articles_of(seeds_lib, "Second Karabakh War")


def test_aliases_and_fullest_name(seeds_lib: Library) -> None:
    aliyev, _ = seeds_lib.find_entity("president aliyev")
    assert aliyev is not None and aliyev.name == "Ilham Aliyev"
    assert {"Aliyev", "President Ilham Aliyev"} <= set(aliyev.aliases)
    us, _ = seeds_lib.find_entity("U.S.")
    assert us is not None and us.name == "United States" and us.id == "united-states"
    assert seeds_lib.find_entity("ILHAM ALIYEV")[0] == aliyev
    assert seeds_lib.find_entity("ilham-aliyev")[0] == aliyev


def test_mentions_have_exact_offsets(seeds_lib: Library) -> None:
    hid = entity_id(seeds_lib, "Zakir Hasanov")
    for aid in seeds_lib.entity_articles(hid):
        article = seeds_lib.article(aid)
        assert article is not None
        ms = [m for m in seeds_lib.mentions(aid) if m.entity == hid]
        assert ms
        for m in ms:
            assert article.text[m.start : m.end] == m.text
            assert m.text in ("Zakir Hasanov", "Hasanov")
            p = article.passages[m.passage]
            assert p.start <= m.start < m.end <= p.end


def test_jebrail_is_cebrayil_by_transliteration(seeds_lib_nocat: Library) -> None:
    e, _ = seeds_lib_nocat.find_entity("Jebrail")
    assert e is not None and e.name == "Cəbrayıl"
    assert seeds_lib_nocat.find_entity("Jabrayil")[0] == e


def test_extractor_cues() -> None:
    ex = RuleExtractor()
    text = ("Colonel General Zakir Hasanov met Mr Smith in Jabrayil. However, the Defence "
            "Minister said nothing. Trade with the U.S. grew after the 2020 Karabakh war.")
    got = {(m.text, m.type) for m in ex.extract(parse_article("a.txt", text))}
    assert ("Zakir Hasanov", "person") in got
    assert ("Smith", "person") in got
    assert ("Jabrayil", "place") in got
    assert ("U.S.", "place") in got
    assert ("2020 Karabakh war", "event") in got
    assert not {t for t, _ in got} & {"However", "Defence Minister", "Defence", "Minister"}


def test_incremental_linking_of_a_bare_surname(tmp_path: Path) -> None:
    corpus = tmp_path / "c"
    corpus.mkdir()
    (corpus / "a.txt").write_text("Talks\n\nThe talks stalled, Orbelyan said on Monday.\n")
    lib = Library(corpus, tmp_path / "ix")
    lib.update()
    (corpus / "b.txt").write_text("Profile\n\nMinister Davit Orbelyan arrived in Yerevan.\n")
    summary = lib.update()
    assert summary.added == 1 and summary.changed == 0  # a.txt was not extracted again
    e, _ = lib.find_entity("Davit Orbelyan")
    assert e is not None and e.type == "person"
    assert lib.entity_articles(e.id) == ["a", "b"]


def test_shared_surname_resolved_by_context_or_marked_ambiguous(tmp_path: Path) -> None:
    corpus = tmp_path / "c"
    corpus.mkdir()
    (corpus / "ilham.txt").write_text("One\n\nPresident Ilham Aliyev spoke. Aliyev smiled.\n")
    (corpus / "heydar.txt").write_text("Two\n\nPresident Heydar Aliyev ruled. Aliyev died.\n")
    (corpus / "bare.txt").write_text("Three\n\nThe speech by Aliyev was long.\n")
    lib = Library(corpus, tmp_path / "ix")
    lib.update()
    ilham = entity_id(lib, "Ilham Aliyev")
    heydar = entity_id(lib, "Heydar Aliyev")
    assert ilham != heydar
    assert lib.entity_articles(ilham) == ["ilham"]
    assert lib.entity_articles(heydar) == ["heydar"]
    ambiguous = [e for e in lib.entities() if e.ambiguous]
    assert [(e.name, e.article_ids, sorted(e.ambiguous)) for e in ambiguous] == [
        ("Aliyev", ["bare"], sorted([heydar, ilham]))]


def test_wikinews_person_named_in_full_then_by_surname(wiki_lib: Library) -> None:
    barra, _ = wiki_lib.find_entity("Mary Barra")
    assert barra is not None and barra.type == "person"
    aid = "1007169_Mary_Barra_appointed_as_General_Motors_chief"
    texts = [m.text for m in wiki_lib.mentions(aid) if m.entity == barra.id]
    assert texts.count("Barra") >= 2 and "Mary Barra" in texts
    jobs, _ = wiki_lib.find_entity("Steve Jobs")
    assert jobs is not None and len(jobs.article_ids) >= 10
    assert "Jobs" in jobs.aliases


def test_wikinews_companies_recur_across_a_topic(wiki_lib: Library) -> None:
    for name, at_least in (("Airbus", 15), ("Apple", 15), ("General Motors", 10)):
        e, _ = wiki_lib.find_entity(name)
        assert e is not None and e.type == "organisation", name
        assert len(wiki_lib.entity_articles(e.id)) >= at_least, name


def test_broken_catalogue_names_the_line_and_indexing_goes_on(tmp_path: Path) -> None:
    corpus = tmp_path / "c"
    shutil.copytree(SEEDS, corpus)
    (corpus / "entities.yaml").write_text("version: 1\nentities:\n  - name: X\n    type: [oops\n")
    lib = Library(corpus, tmp_path / "ix")
    summary = lib.update()
    assert summary.articles == 5
    assert any("entities.yaml line 4" in w and "without the catalogue" in w
               for w in summary.warnings)
    (corpus / "entities.yaml").write_text("version: 1\nentities:\n  - name: X\n    type: thing\n")
    with pytest.raises(CatalogueError, match="line 3"):
        load(corpus / "entities.yaml")


def test_catalogue_is_reread_when_it_changes(tmp_path: Path) -> None:
    corpus = tmp_path / "c"
    shutil.copytree(SEEDS, corpus)
    lib = Library(corpus, tmp_path / "ix")
    lib.update()
    assert lib.find_entity("Five Eyes")[0] is None
    (corpus / "entities.yaml").write_text(
        "version: 1\nentities:\n  - name: Five Eyes\n    type: organisation\n"
        "    aliases: [Five Eyes alliance]\nignore: [COP29]\n")
    lib = Library(corpus, tmp_path / "ix")  # a new process would read it afresh
    lib.update()
    eyes, _ = lib.find_entity("five eyes alliance")
    assert eyes is not None and eyes.name == "Five Eyes" and eyes.type == "organisation"
    assert ids(lib.entity_articles(eyes.id)) == ["002"]
    assert lib.find_entity("COP29")[0] is None


def test_precision_and_recall_on_the_seeds_gold_list() -> None:
    """bench/quality.py against the hand-read gold list: with the catalogue every person,
    place and event the seeds name is found, and nothing extracted is outside the list."""
    from bench.quality import measure

    gold = yaml.safe_load((ROOT / "bench" / "seed_gold.yaml").read_text())["entities"]
    with_cat = measure(True, gold)
    # Precision was 1.0 when the rules were written for these five articles; the tagger is not,
    # and finds a few names the list leaves out or types them otherwise (bench/quality.py
    # prints them). Linking stays exact.
    assert with_cat["entity_precision"] >= 0.8, with_cat["not_in_gold"]
    assert all(m.endswith("(organisation)") for m in with_cat["missing"]), with_cat["missing"]
    assert with_cat["link_recall"] >= 0.9 and with_cat["link_precision"] == 1.0
    without = measure(False, gold)
    assert without["entity_precision"] >= 0.75 and without["entity_recall"] >= 0.8
