"""The bundled data: place names by general rules, given names with gender, surnames."""

from __future__ import annotations

import re
from importlib import resources

import pytest

from index.gazetteer import (
    common_words,
    given_name_counts,
    given_names,
    lookup,
    surname_ranks,
    surnames,
)
from tests.conftest import ROOT

BUILD = ROOT / "index" / "data" / "build_data.py"


# --- given names and surnames ---------------------------------------------------------------


@pytest.mark.parametrize(("name", "gender"), [
    ("mary", "f"), ("john", "m"), ("patricia", "f"), ("robert", "m"), ("emmanuel", "m"),
    ("jordan", "u"), ("taylor", "u"),
])
def test_given_names_carry_their_gender(name: str, gender: str) -> None:
    assert given_names()[name] == gender


def test_names_that_are_also_words_stay_with_counts_to_weigh_them() -> None:
    names, counts = given_names(), given_name_counts()
    for word in ("will", "may", "mark", "grant", "hope"):
        assert word in names and word in common_words()
    assert names["may"] == "f" and names["grant"] == "m"
    # The count lets the extractor tell a name that is mostly a name from one that is rarely.
    assert counts["mark"] > 20 * counts["will"]
    assert set(counts) == set(names)


def test_given_names_are_lower_case_words() -> None:
    assert all(n.isalpha() and n == n.lower() for n in given_names())
    assert not {"the", "i", "europe"} & set(given_names())


def test_surnames_by_frequency() -> None:
    ranks = surname_ranks()
    assert ranks["smith"] == 0 < ranks["johnson"] < ranks["blair"]
    assert {"blair", "brown", "short", "charles"} <= surnames()
    assert all(s == s.lower() for s in surnames())


# --- the gazetteer ----------------------------------------------------------------------------


@pytest.mark.parametrize(("surface", "canonical"), [
    ("Türkiye", "Turkey"), ("Turkiye", "Turkey"), ("Burma", "Myanmar"), ("Czechia",
     "Czech Republic"), ("U.S.", "United States"), ("Ivory Coast", "Ivory Coast"),
    ("Cote d'Ivoire", "Ivory Coast"),
])
def test_a_country_resolves_from_its_other_names(surface: str, canonical: str) -> None:
    hit = lookup(surface)
    assert hit is not None and hit.kind == "country" and hit.canonical == canonical


@pytest.mark.parametrize(("surface", "canonical", "country"), [
    # Romanisation apostrophes dropped, digraphs for letters English lacks: any country.
    ("Syunik", "Syunik", "AM"), ("Gegharkunik", "Geġarkunik", "AM"), ("Tavush", "Tavuš", "AM"),
    ("Arkhangelsk", "Arkhangelsk", "RU"),
    # The Turkic reading (c → j, x → kh, ə → a or e) for every name written with ə or ı.
    ("Nakhchivan", "Naxçıvan", "AZ"), ("Jebrail", "Cəbrayıl", "AZ"),
    ("Jabrayil", "Cəbrayıl", "AZ"), ("Shanliurfa", "Şanlıurfa", "TR"),
    # Accents folded, for every name.
    ("Agdam", "Ağdam", "AZ"), ("Sao Paulo", "São Paulo", "BR"),
])
def test_general_transliteration_rules(surface: str, canonical: str, country: str) -> None:
    hit = lookup(surface)
    assert hit is not None, surface
    assert (hit.canonical, hit.country) == (canonical, country)


def test_a_spelling_made_up_by_rule_never_hides_a_name_a_source_gives() -> None:
    ashgabat = lookup("Ashgabat")  # the city, not the province Aşgabat read as "Ashgabat"
    assert ashgabat is not None and ashgabat.kind == "city" and ashgabat.canonical == "Ashgabat"
    assert lookup("Nova Iguachu") is None  # ç is ch in Turkic alphabets, not in Portuguese


@pytest.mark.parametrize("name", ["Europe", "Asia", "Middle East", "Caucasus", "Balkans",
                                  "Caribbean", "Black Sea", "Gaza"])
def test_continents_and_world_regions(name: str) -> None:
    hit = lookup(name)
    assert hit is not None and hit.kind == "region"


def test_no_knowledge_of_the_bundled_corpus_in_the_build() -> None:
    """What only the seeds need lives in seeds/entities.yaml; the build treats every country
    alike and names no region of theirs."""
    source = BUILD.read_text(encoding="utf-8")
    for word in ("Karabakh", "Karabagh", "Syunik Province", "Gegharkunik Province",
                 "Tavush Province", "Nakhichevan", "Lachin", "South Caucasus",
                 "Transcaucasia", "azeri"):
        assert word.lower() not in source.lower(), word
    assert not re.search(r"""country_?code\w*\s*==\s*["'][A-Z]{2}["']""", source)
    for seed_only in ("Karabakh", "Nagorno-Karabakh", "South Caucasus", "Lachin Corridor"):
        assert lookup(seed_only) is None, seed_only
    catalogue = (ROOT / "seeds" / "entities.yaml").read_text(encoding="utf-8")
    assert "name: Nagorno-Karabakh" in catalogue and "name: South Caucasus" in catalogue


def test_bundled_data_stays_small() -> None:
    files = [f for f in resources.files("index.data").iterdir() if f.name.endswith(".gz")]
    assert {f.name for f in files} >= {"places.tsv.gz", "common_words.txt.gz",
                                       "given_names.tsv.gz", "surnames.txt.gz"}
    assert sum(len(f.read_bytes()) for f in files) < 3_000_000
