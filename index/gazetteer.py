"""The bundled place names, English word list and personal names (built by
``index/data/build_data.py``; sources and licences in ``index/data/ATTRIBUTION.md``).

Loaded once per process, on first use, and kept: under a MB of gzipped text become dicts.
"""

from __future__ import annotations

import gzip
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources

from index.text import fold


@dataclass(frozen=True)
class Place:
    canonical: str
    kind: str  # country, subdivision, city, region
    country: str


def place_key(surface: str) -> str:
    """How a place name is looked up: folded, lower case, hyphens as spaces, no dots."""
    return " ".join(fold(surface).lower().replace("-", " ").replace(".", "").split())


@cache
def places() -> dict[str, Place]:
    table: dict[str, Place] = {}
    data = resources.files("index.data").joinpath("places.tsv.gz").read_bytes()
    for line in gzip.decompress(data).decode("utf-8").splitlines():
        if line.startswith("#"):
            continue
        surface, canonical, kind, country = line.split("\t")
        key = place_key(surface)
        # Keep the first, most important reading (countries and regions come before cities);
        # an all-caps surface ("US") only matches all-caps text, kept under its own key.
        if surface.isupper() and len(surface) <= 4:
            key = "=" + surface
        table.setdefault(key, Place(canonical, kind, country))
    return table


@cache
def common_words(limit: int = 25_000) -> frozenset[str]:
    """The ``limit`` most frequent English words, lower case (wordfreq, CC BY-SA 4.0)."""
    data = resources.files("index.data").joinpath("common_words.txt.gz").read_bytes()
    words = gzip.decompress(data).decode("utf-8").split("\n")
    return frozenset(words[:limit])


@lru_cache(maxsize=65_536)
def lookup(surface: str) -> Place | None:
    """The place a surface names, or None. Remembered: the name finder asks about the same
    few thousand surfaces again and again."""
    if surface.isupper() and len(surface.replace(".", "")) <= 4:
        hit = places().get("=" + surface.replace(".", "")) or places().get("=" + surface)
        if hit:
            return hit
        if "." not in surface:
            return None
    return places().get(place_key(surface))


def _data_lines(name: str) -> list[str]:
    data = resources.files("index.data").joinpath(name).read_bytes()
    return [
        line
        for line in gzip.decompress(data).decode("utf-8").splitlines()
        if line and not line.startswith("#")
    ]


@cache
def _given_name_rows() -> dict[str, tuple[str, int]]:
    rows: dict[str, tuple[str, int]] = {}
    for line in _data_lines("given_names.tsv.gz"):
        name, gender, count = line.split("\t")
        rows[name] = (gender, int(count))
    return rows


@cache
def given_names() -> dict[str, str]:
    """Lower-case given name → "m", "f" or "u" (neither sex has nine in ten of its bearers).

    From US birth records, so it knows "Mary" and "John" but also "Will", "May" and "Hope":
    whether such a word is a name is for the context to say, weighed with
    ``given_name_counts``."""
    return {name: gender for name, (gender, _) in _given_name_rows().items()}


@cache
def given_name_counts() -> dict[str, int]:
    """Lower-case given name → how many US births carried it (1880-2015), to weigh it against
    the same word's frequency in English."""
    return {name: count for name, (_, count) in _given_name_rows().items()}


@cache
def surname_ranks() -> dict[str, int]:
    """Lower-case surname → its rank among US surnames (0 is "smith"), from the 1990 census."""
    return {name: rank for rank, name in enumerate(_data_lines("surnames.txt.gz"))}


@cache
def surnames() -> frozenset[str]:
    """The census surnames, lower case ("Brown", "Short" and "Charles" among them)."""
    return frozenset(surname_ranks())
