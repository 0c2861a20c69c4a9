"""Linking mentions across articles into entities.

The linker sees only small per-article summaries (which keys an article mentions, how, how
often), never the text, so it runs over the whole corpus after every update in a fraction of a
second: adding an article that says "Ilham Aliyev" re-links older articles that only say
"Aliyev" without extracting them again.

Rules, in order: the catalogue (aliases, merges, ignores); appositions found in the text ("the
44-day war, also known as the Second Nagorno-Karabakh War"); a bare surname goes to the full name
in its own article, else to the only full name in the corpus with that surname, else it is marked
ambiguous rather than merged; organisation names that end another one ("Minsk Group" in "OSCE
Minsk Group"). Lone proper nouns nothing explains are kept only when they recur.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from typing import Any

from index.catalogue import Catalogue
from index.entities import CANDIDATE, UNKNOWN, _event_key, entity_key
from index.gazetteer import given_name_counts, surname_ranks
from index.links import Entity, Links
from index.naming import (
    _aliases,
    _best_name,
    _group_type,
    _name_gender,
    _place_name,
    _title_gender,
    _unique_id,
)
from index.span_rules import ROYAL
from index.text import slugify
from index.tokens import is_given_name

__all__ = ["Entity", "Links", "Row", "link"]

# A per-article summary row: key, type, count, most frequent surface, a titled surface or "".
Row = list[Any]


# A given name thousands of children were given ("Steve", "Douglas"), not one a few were
# ("Ford", "Mac", "Dow"): strong enough to say a name is a person's whatever else it shows.
_GIVEN = 20_000


class _Union:
    def __init__(self) -> None:
        self.parent: dict[str, str] = {}

    def find(self, x: str) -> str:
        self.parent.setdefault(x, x)
        root = x
        while self.parent[root] != root:
            root = self.parent[root]
        while self.parent[x] != root:
            self.parent[x], x = root, self.parent[x]
        return root

    def union(self, a: str, b: str) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            # The longer key (the fuller name) becomes the root.
            if (len(ra.split()), len(ra)) < (len(rb.split()), len(rb)):
                ra, rb = rb, ra
            self.parent[rb] = ra


def link(
    summaries: dict[str, list[Row]],
    appositions: dict[str, list[list[str]]],
    catalogue: Catalogue | None = None,
) -> Links:
    """Group the keys of all articles into entities."""
    return _Linker(summaries, appositions, catalogue or Catalogue()).run()


class _Linker:
    """One linking pass. Every step is linear in the summaries (or in the names they hold):
    the linker runs over the whole corpus after each update."""

    def __init__(
        self,
        summaries: dict[str, list[Row]],
        appositions: dict[str, list[list[str]]],
        catalogue: Catalogue,
    ) -> None:
        self.summaries = summaries
        self.appositions = appositions
        self.catalogue = catalogue
        self.votes: dict[str, Counter[str]] = defaultdict(Counter)
        self.surfaces: dict[str, Counter[str]] = defaultdict(Counter)
        self.titled: dict[str, Counter[str]] = defaultdict(Counter)
        self.articles_of: dict[str, set[str]] = defaultdict(set)
        self.uf = _Union()
        self.forced: dict[str, str] = {}  # root-independent: key -> catalogue type
        self.names: dict[str, str] = {}
        self.by_article: dict[str, dict[str, str]] = defaultdict(dict)
        self.ambiguous: dict[str, set[str]] = {}
        self.single_root: dict[str, str] = {}
        self.root_articles: dict[str, set[str]] = defaultdict(set)
        self.root_keys: dict[str, set[str]] = {}

    def run(self) -> Links:
        self.collect()
        self.catalogue_and_text()
        self.surnames()
        self.org_suffixes()
        return self.entities()

    def collect(self) -> None:
        ignore = set(self.catalogue.ignore)
        for article_id, rows in self.summaries.items():
            for key, type_, count, surface, title_form in rows:
                if key in ignore:
                    continue
                self.votes[key][type_] += count
                self.surfaces[key][surface] += count
                if title_form:
                    self.titled[key][title_form] += 1
                self.articles_of[key].add(article_id)

    def catalogue_and_text(self) -> None:
        """What the catalogue says, then what the text says ("also known as", "X (XY)")."""
        uf = self.uf
        for ce in self.catalogue.entities:
            main = entity_key(ce.name)
            self.forced[main] = ce.type
            self.names[main] = ce.name
            uf.find(main)
            if _event_key(ce.name) != main:
                uf.union(main, _event_key(ce.name))
                self.forced[_event_key(ce.name)] = ce.type
            for alias in ce.aliases:
                for k in {entity_key(alias), _event_key(alias)} - {main}:
                    uf.union(main, k)
                    self.forced[k] = ce.type
        for group in self.catalogue.merges:
            keys = [entity_key(x) for x in group]
            for k in keys[1:]:
                uf.union(keys[0], k)
        for pairs in self.appositions.values():
            for a, b in pairs:
                if a in self.votes and b in self.votes:
                    uf.union(a, b)

    def kind(self, key: str) -> str:
        if key in self.forced:
            return self.forced[key]
        v = self.votes.get(key, Counter())
        typed = [(n, t) for t, n in v.items() if t not in (UNKNOWN, CANDIDATE)]
        # A name the articles leave unsure nearly everywhere is not typed by the few places
        # that guessed: "Dow Jones" a person in two headlines, unsure in forty sentences.
        if not typed or 3 * sum(n for n, _ in typed) < v[UNKNOWN]:
            return UNKNOWN
        return max(typed)[1]

    def keys_around(self, root: str) -> set[str]:
        """The other names said in a full name's articles: evidence for its surname elsewhere,
        made only for the full names a place-typed surname asks about."""
        if root not in self.root_keys:
            last = root.split()[-1]
            self.root_keys[root] = {
                k
                for a in self.root_articles[root]
                for k, *_ in self.summaries[a]
                if k.split()[-1] != last
            }
        return self.root_keys[root]

    def surnames(self) -> None:
        """A bare surname goes to the full name in its own article, else to the one person
        the corpus can mean (title gender, a far more often named bearer), else it is marked
        ambiguous rather than merged."""
        uf, kind = self.uf, self.kind
        full_by_surname: dict[str, set[str]] = defaultdict(set)
        for key in self.votes:
            words = key.split()
            if len(words) >= 2 and kind(key) == "person" and words[0] not in ROYAL:
                # "Prince Charles" ends with a given name, not a surname Ray Charles shares.
                full_by_surname[words[-1]].add(uf.find(key))
                self.root_articles[uf.find(key)] |= self.articles_of[key]
        for key in list(self.votes):
            if " " in key or key in self.forced or kind(key) in ("organisation", "event"):
                continue  # "NATO" is not the surname of "Stop NATO"
            candidates = sorted(full_by_surname.get(key, ()))  # sorted: same links every run
            if not candidates:
                continue
            if kind(key) == "place":
                self._place_surname(key, candidates)
                continue
            # "Mr Blair" is not Cherie Blair: a title's gender rules out full names whose
            # given name has the other one.
            sex = _title_gender(self.titled.get(key, Counter()))
            if sex and len(candidates) > 1:
                fitting = [c for c in candidates if _name_gender(c) in (sex, "u", "")]
                candidates = fitting or candidates
            if len(candidates) == 1:
                self.single_root[key] = candidates[0]
            else:
                self._shared_surname(key, candidates)
        for key, root in self.single_root.items():
            uf.union(root, key)

    def _place_surname(self, key: str, candidates: list[str]) -> None:
        """ "Barra" the town is Mary Barra where the article shares her company and
        colleagues; "Washington" the city stays a city elsewhere."""
        for article_id in self.articles_of[key]:
            mine = {k for k, *_ in self.summaries[article_id]} - {key}
            best = max(candidates, key=lambda c: (len(mine & self.keys_around(c)), c))
            if len(mine & self.keys_around(best)) >= 2:
                self.by_article[article_id][key] = best

    def _shared_surname(self, key: str, candidates: list[str]) -> None:
        """Several people share the surname: the article's own full names decide, article by
        article; else one who is named far more often than the others across the corpus."""
        weight = {c: len(self.root_articles[c]) for c in candidates}
        ranked = sorted(candidates, key=lambda c: (-weight[c], c))
        dominant = ranked[0] if weight[ranked[0]] >= 3 * weight[ranked[1]] else None
        for article_id in self.articles_of[key]:
            own = {
                self.uf.find(k)
                for k, *_ in self.summaries[article_id]
                if len(k.split()) >= 2 and k.split()[-1] == key and self.uf.find(k) in candidates
            }
            if len(own) == 1:
                self.by_article[article_id][key] = min(own)
            elif not own and dominant is not None:
                self.by_article[article_id][key] = dominant
            else:
                self.ambiguous.setdefault(key, set()).update(candidates)

    def org_suffixes(self) -> None:
        """Organisation names that end a longer one: "minsk group" in "osce minsk group" —
        where an article says both; "the Armed Forces" of one country are not another's."""
        orgs = [k for k in self.votes if self.kind(k) == "organisation" and " " in k]
        longer_of: dict[str, list[str]] = defaultdict(list)
        for k in orgs:
            words = k.split()
            for n in range(1, len(words) - 1):
                longer_of[" ".join(words[n:])].append(k)
        for short in orgs:
            longer = longer_of.get(short, [])
            if len(longer) != 1:
                continue
            both = self.articles_of[short] & self.articles_of[longer[0]]
            if both == self.articles_of[short]:
                self.uf.union(longer[0], short)
            else:
                for article_id in both:
                    self.by_article[article_id][short] = self.uf.find(longer[0])

    def groups(self) -> dict[str, list[str]]:
        groups: dict[str, list[str]] = defaultdict(list)
        for key in self.votes:
            if key in self.ambiguous and key not in self.single_root:
                continue
            arts = self.articles_of[key]
            if arts and all(key in self.by_article.get(a, {}) for a in arts):
                continue  # every article decided who this surname is: no entity of its own
            groups[self.uf.find(key)].append(key)
        for key in self.forced:
            groups.setdefault(self.uf.find(key), [])
        return groups

    def entity_type(
        self, root: str, members: list[str], arts: set[str], org_heads: dict[str, set[str]]
    ) -> str | None:
        """The group's type, or None for a group that makes no entity."""
        votes = self.votes
        type_ = self.forced.get(root) or _group_type(members, self.kind, votes)
        if (
            type_ == "person"
            and members == [root]
            and " " not in root
            and not self.titled.get(root)
            and given_name_counts().get(root, 0) < _GIVEN
            and (
                (
                    surname_ranks().get(root, 99_999) > 2000
                    and not is_given_name(root)
                    and org_heads.get(root, set()) & arts
                )
                or 2 * len(org_heads.get(root, set()) & arts) >= len(arts)
            )
        ):
            # "Airbus" the person, where "Airbus Industrie" is a company; "Ford", a common
            # surname, where most of its articles say "Ford Motor Company" and no Ford by name.
            return "organisation"
        if type_ == "person" and self._shortened_like_a_company(root, org_heads):
            return UNKNOWN
        if type_ != UNKNOWN:
            return type_
        if all(set(votes[k]) <= {CANDIDATE} for k in members):
            return None  # a sentence opener the corpus does not name anywhere else
        # A lone proper noun that nothing explains: kept, untyped, only if it recurs — unless
        # its own articles name it as the head of an organisation ("Airbus Industrie").
        if org_heads.get(root, set()) & arts:
            return "organisation"
        mentions = sum(sum(votes[k].values()) for k in members)
        return None if len(arts) < 2 or mentions < 3 else UNKNOWN

    def _shortened_like_a_company(self, root: str, org_heads: dict[str, set[str]]) -> bool:
        """People are shortened to their surname, companies and products to their first word:
        "Northrop Grumman" and "Ford Taurus", whose first word the corpus writes alone more
        often than the last, are no person unless a given name or a title says so."""
        words = root.split()
        if (
            len(words) < 2
            or given_name_counts().get(words[0], 0) >= _GIVEN
            or self.titled.get(root)
        ):
            return False
        first, last = self.articles_of.get(words[0], set()), self.articles_of.get(words[-1], set())
        if len(first) < 2 or len(first) <= len(last):
            return False
        # ...and the first word alone is no person either ("Santa" of "Santa Claus" is).
        return words[0] in org_heads or self.kind(words[0]) != "person"

    def entities(self) -> Links:
        # First words of organisations' names, and the articles that name them so.
        org_heads: dict[str, set[str]] = defaultdict(set)
        for k in self.votes:
            if " " in k and self.kind(k) == "organisation":
                org_heads[k.split()[0]] |= self.articles_of[k]
        # Articles whose own context resolved a name to a root, inverted once.
        decided: dict[str, set[str]] = defaultdict(set)
        for article_id, local in self.by_article.items():
            for root in local.values():
                decided[root].add(article_id)
        entities: dict[str, Entity] = {}
        by_key: dict[str, str] = {}
        root_to_id: dict[str, str] = {}
        # The catalogue's own name wins, whichever key of its group the union ended on.
        named = {self.uf.find(k): n for k, n in self.names.items()}
        for root, keys in self.groups().items():
            members = sorted(set(keys) | ({root} if root in self.votes else set()))
            arts: set[str] = set(decided.get(root, ()))
            for k in members:
                arts |= self.articles_of.get(k, set())
            type_ = self.entity_type(root, members, arts, org_heads) if arts else None
            if type_ is None:
                continue
            name = (
                named.get(root)
                or _place_name(root, type_)
                or _best_name(root, members, self.surfaces)
            )
            eid = _unique_id(slugify(name), entities)
            aliases = _aliases(name, members, self.surfaces, self.titled, self.catalogue, root)
            entities[eid] = Entity(eid, name, type_, aliases, members, sorted(arts))
            root_to_id[root] = eid
            for k in members:
                by_key[k] = eid
        for local in self.by_article.values():
            for key, root in list(local.items()):
                if root in root_to_id:
                    local[key] = root_to_id[root]
                else:
                    del local[key]
        self.add_ambiguous(entities, root_to_id)
        return Links(entities, by_key, {a: d for a, d in self.by_article.items() if d})

    def add_ambiguous(self, entities: dict[str, Entity], root_to_id: dict[str, str]) -> None:
        """A surname two people share, where nothing decided: one entity that says so and
        names its candidates."""
        for key, cands in self.ambiguous.items():
            ids = sorted(root_to_id[c] for c in cands if c in root_to_id)
            unresolved = sorted(
                a for a in self.articles_of[key] if key not in self.by_article.get(a, {})
            )
            if not unresolved:
                continue
            name = self.surfaces[key].most_common(1)[0][0]
            eid = _unique_id(slugify(name), entities)
            entities[eid] = Entity(eid, name, "person", [name], [], unresolved, ambiguous=ids)
            for a in unresolved:
                self.by_article[a][key] = eid
