"""How a linked entity is named and typed: the fullest form, the gazetteer's spelling, its
aliases, a unique id; and what a title or a given name says of a person's gender."""

from __future__ import annotations

from collections import Counter
from typing import Any

from index.catalogue import Catalogue
from index.entities import CANDIDATE, UNKNOWN, entity_key
from index.gazetteer import given_names, lookup
from index.links import Entity

_MALE_TITLES = {
    "mr",
    "sir",
    "lord",
    "king",
    "prince",
    "duke",
    "earl",
    "baron",
    "father",
    "brother",
    "uncle",
    "emperor",
}
_FEMALE_TITLES = {
    "mrs",
    "ms",
    "miss",
    "lady",
    "dame",
    "queen",
    "princess",
    "duchess",
    "sister",
    "aunt",
    "empress",
}


def _title_gender(forms: Counter[str]) -> str:
    """ "m" or "f" when every titled form of a name agrees ("Mr Blair"), else ""."""
    sexes = set()
    for form in forms:
        title = form.split()[0].lower().rstrip(".")
        if title in _MALE_TITLES:
            sexes.add("m")
        elif title in _FEMALE_TITLES:
            sexes.add("f")
    return sexes.pop() if len(sexes) == 1 else ""


def _name_gender(key: str) -> str:
    """The gender of a full name's given name, from the bundled list ("" when unknown)."""
    return given_names().get(key.split()[0], "")


def _group_type(members: list[str], kind: Any, votes: dict[str, Counter[str]]) -> str:
    total: Counter[str] = Counter()
    for k in members:
        t = kind(k)
        weight = sum(votes.get(k, Counter()).values()) or 1
        # A full name decides for its surname: "Barra" the city is Mary Barra here.
        if t == "person" and " " in k:
            weight *= 10
        total[t] += weight
    typed = [(n, t) for t, n in total.items() if t not in (UNKNOWN, CANDIDATE)]
    return max(typed)[1] if typed else UNKNOWN


def _place_name(root: str, type_: str) -> str | None:
    """A place's name as the gazetteer writes it ("United States" for "U.S.", "Cəbrayıl")."""
    if type_ != "place":
        return None
    hit = lookup(root)
    return hit.canonical if hit is not None and entity_key(hit.canonical) == root else None


def _best_name(root: str, members: list[str], surfaces: dict[str, Counter[str]]) -> str:
    """The fullest form: the surface of the longest key, its most frequent writing."""
    key = max(members, key=lambda k: (len(k.split()), sum(surfaces[k].values()), k))
    forms = surfaces[key]
    if not forms:
        return root
    # Prefer a writing that starts with a capital ("Second Karabakh War" over "second …").
    ranked = sorted(forms.items(), key=lambda kv: (not kv[0][:1].isupper(), -kv[1], kv[0]))
    return ranked[0][0]


def _aliases(
    name: str,
    members: list[str],
    surfaces: dict[str, Counter[str]],
    titled: dict[str, Counter[str]],
    catalogue: Catalogue,
    root: str,
) -> list[str]:
    seen: dict[str, str] = {}
    for k in members:
        for form in list(surfaces[k]) + list(titled[k]):
            seen.setdefault(form.lower(), form)
    for ce in catalogue.entities:
        if entity_key(ce.name) == root:
            for a in ce.aliases:
                seen.setdefault(a.lower(), a)
    seen.pop(name.lower(), None)
    return sorted(seen.values(), key=str.lower)


def _unique_id(slug: str, taken: dict[str, Entity]) -> str:
    if slug not in taken:
        return slug
    n = 2
    while f"{slug}-{n}" in taken:
        n += 1
    return f"{slug}-{n}"
