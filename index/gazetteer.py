"""The bundled place names and English word list (built by ``index/data/build_data.py``).

Loaded once per process and kept: a few hundred KB of gzipped text become two dicts.
"""

from __future__ import annotations

import gzip
from dataclasses import dataclass
from functools import cache
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


def lookup(surface: str) -> Place | None:
    if surface.isupper() and len(surface.replace(".", "")) <= 4:
        hit = places().get("=" + surface.replace(".", "")) or places().get("=" + surface)
        if hit:
            return hit
        if "." not in surface:
            return None
    return places().get(place_key(surface))
