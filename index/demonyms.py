"""Nationality adjectives and the countries they name ("Japanese" -> Japan).

A nationality is not a name of its own in the rules ("Japanese stocks") and never part of a
person's name ("British FTSE"). General knowledge, true of every corpus: a table for the
demonyms whose country does not begin with them, and stems for the rest, checked against the
bundled gazetteer.
"""

from __future__ import annotations

from functools import lru_cache

from index.gazetteer import lookup

# Demonyms whose country's name does not begin with them; the rest are found by their stem
# ("Canadian" -> Canada, "Japanese" -> Japan). General knowledge, true of every corpus.
_DEMONYMS = {
    "french": "France",
    "dutch": "Netherlands",
    "swiss": "Switzerland",
    "greek": "Greece",
    "thai": "Thailand",
    "welsh": "Wales",
    "irish": "Ireland",
    "scottish": "Scotland",
    "scots": "Scotland",
    "english": "England",
    "danish": "Denmark",
    "swedish": "Sweden",
    "finnish": "Finland",
    "polish": "Poland",
    "turkish": "Turkey",
    "spanish": "Spain",
    "portuguese": "Portugal",
    "filipino": "Philippines",
    "norwegian": "Norway",
    "british": "United Kingdom",
    "icelandic": "Iceland",
    "lebanese": "Lebanon",
    "malagasy": "Madagascar",
    "kiwi": "New Zealand",
    "emirati": "United Arab Emirates",
    "saudi": "Saudi Arabia",
    "peruvian": "Peru",
    "argentine": "Argentina",
    "argentinian": "Argentina",
    "belgian": "Belgium",
    "czech": "Czech Republic",
    "soviet": "Soviet Union",
    "german": "Germany",
    "afghan": "Afghanistan",
    "bosnian": "Bosnia and Herzegovina",
    "uzbek": "Uzbekistan",
    "kazakh": "Kazakhstan",
    "tajik": "Tajikistan",
    "kyrgyz": "Kyrgyzstan",
    "turkmen": "Turkmenistan",
    "slovak": "Slovakia",
    "cypriot": "Cyprus",
    "nigerian": "Nigeria",
}
_DEMONYM_SUFFIXES = ("ians", "ans", "ese", "ian", "ean", "an", "ish", "i", "ic")


@lru_cache(maxsize=16_384)
def demonym_place(word: str) -> str | None:
    """The country or region a demonym names ("Japanese" -> "Japan"), or None."""
    low = word.lower()
    if low in _DEMONYMS:
        return _DEMONYMS[low]
    head, _, last = low.rpartition(" ")
    if head and head not in ("north", "south", "east", "west", "central", "latin"):
        return None
    for suffix in _DEMONYM_SUFFIXES:
        if not last.endswith(suffix) or len(last) - len(suffix) < 3:
            continue
        stem = last[: len(last) - len(suffix)]
        for ending in ("", "a", "ia", "e", "y", "o"):
            name = (head + " " if head else "") + stem + ending
            hit = lookup(name.title())
            if hit is not None and hit.kind in ("country", "region", "continent"):
                return hit.canonical
    return None
