"""Which capitalised words of an article are names, and of what: the tagger, then evidence.

Rules written against a handful of articles decided badly on everything else (a surname that is
also an English word dropped, a headline distrusted word by word, a lone unknown word called an
organisation). This module decides from evidence instead, the way document-centred recognisers
do: the word's shape and its neighbours, the bundled gazetteer and given names, and above all
how *this article* writes the same word elsewhere — capitalised in mid-sentence (a name), or in
lower case (a common word that only opens a sentence here).

``index.tagger`` proposes names; this module weighs what the tagger cannot see alone: one
name, one type in an article; head nouns, titles, given names and prepositions; headlines
read against the body; sentence openers and untyped names offered to the linker.
"""

from __future__ import annotations

import re

from index.demonyms import demonym_place
from index.gazetteer import given_name_counts, lookup
from index.roles import initials_and_surname, reshaped
from index.span_rules import (
    _ORDINAL,
    ORG_NOUNS,
    ROYAL,
    _head_type,
    _lower_head,
    _not_a_name,
    _opening_word,
    _person_evidence,
    _person_shape,
    _rank_over,
    _whole_head,
    strip_titles,
)
from index.tagger import Span, Tagger, spans, tagger
from index.tokens import (
    BREAKS,
    DATE_WORDS,
    FUNCTION_WORDS,
    PLACE_PREPOSITIONS,
    TITLE_WORDS,
    DocumentEvidence,
    Token,
    _is_headline,
    common_rank,
    is_given_name,
    runs,
    tokenize,
)

__all__ = [
    "Span",
    "Token",
    "abbreviates",
    "demonym_place",
    "is_given_name",
    "strip_titles",
    "tag_document",
    "tagger",
    "tokenize",
]


def _decapitalise(tokens: list[Token], ev: DocumentEvidence) -> list[Token]:
    """A headline's capitals are forced: a word the article writes in lower case elsewhere, and
    never capitalised in mid-sentence, is a common word here too ("Aliyev Threatens Military
    Action Against Armenia"); in capitals, so is an English word that is also a given name
    ("JAPAN GET LUCKY WIN") unless the article capitalises it mid-sentence."""
    out = []
    kept = _places_in_capitals(tokens)
    for i, t in enumerate(tokens):
        low = t.text.lower()
        rank = common_rank(low)
        if (
            t.cap
            and i not in kept
            and (
                low in ev.lower
                or low in FUNCTION_WORDS
                or (
                    rank is not None
                    and (t.text.isupper() or not is_given_name(low))
                    and lookup(t.text) is None
                )
            )
            and low not in ev.cap_mid
        ):
            t = Token(t.text, t.start, t.end, False, t.sent_start)
        out.append(t)
    return out


def _places_in_capitals(tokens: list[Token]) -> set[int]:
    """Tokens of two- or three-word places the gazetteer knows ("SOUTH DAKOTA", "New York"):
    their words stay capitalised in a headline even where one alone is an English word."""
    kept: set[int] = set()
    for i in range(len(tokens) - 1):
        for n in (3, 2):
            words = tokens[i : i + n]
            if (
                len(words) == n
                and all(t.cap for t in words)
                and lookup(" ".join(t.text for t in words))
            ):
                kept.update(range(i, i + n))
                break
    return kept


def _key(tokens: list[Token], first: int, last: int) -> str:
    return " ".join(t.text.lower() for t in tokens[first:last])


def _given_before(ts: list[Token], span: Span, kept: list[Span]) -> Span:
    """A person's given name or royal title that the tagger left out, opening a sentence
    ("Matt Smith, who plays…", "Prince Charles visited…")."""
    i = span.first - 1
    if span.type != "person" or i < 0 or any(x.first <= i < x.last for x in kept):
        return span
    t = ts[i]
    low = t.text.lower()
    if (
        t.cap
        and t.end + 1 == ts[span.first].start
        and (
            (low in ROYAL and span.last - span.first == 1)
            or (t.sent_start and given_name_counts().get(low, 0) >= 1000)
        )
    ):
        return Span(t.start, span.end, "person", i, span.last, span.confidence)
    return span


def abbreviates(short: str, long: str) -> bool:
    """Whether ``short`` is the initials of ``long`` ("WHO" of "World Health Organization",
    "OSCE" of "Organization for Security and Co-operation in Europe")."""
    letters = [c for c in short.upper() if c.isalpha()]
    if len(letters) < 2 or not short.replace(".", "").isupper():
        return False
    joined = "".join(letters)
    words = [w for w in re.split(r"[\s-]+", long) if w]
    capitals = "".join(w[0] for w in words if w[0].isupper() or w[0].isdigit()).upper()
    return capitals == joined or "".join(w[0] for w in words).upper() == joined


def _abbreviations(ts: list[Token], kept: list[Span]) -> list[Span]:
    """ "World Health Organization (WHO)": the bracketed initials name the same thing."""
    out = []
    for x in kept:
        j = x.last
        if (
            j + 2 < len(ts)
            and ts[j].text == "("
            and ts[j + 2].text == ")"
            and not any(y.first <= j + 1 < y.last for y in kept)
            and abbreviates(ts[j + 1].text, " ".join(t.text for t in ts[x.first : x.last]))
        ):
            out.append(Span(ts[j + 1].start, ts[j + 1].end, x.type, j + 1, j + 2, x.confidence))
    return out


def _leftovers(ts: list[Token], kept: list[Span], ev: DocumentEvidence) -> list[Span]:
    """Capitalised runs the tagger left out although the article gives them every mark of a
    name ("Intel processors", "Apple Computer announced" where it also writes "said Apple"):
    never written in lower case, no function word, title, date or nationality. They stay
    untyped (``unknown``): the linker types them from the rest of the corpus, or keeps them as
    unsure names a reader can still follow."""
    out = []
    taken = {i for x in kept for i in range(x.first, x.last)}
    for a, b in runs(ts):
        if any(i in taken for i in range(a, b)):
            continue
        words = [t.text for t in ts[a:b] if t.cap]
        lows = [w.lower() for w in words]
        if ts[a].sent_start and lows[0] not in ev.cap_mid:
            continue
        if any(
            w in ev.lower
            or w.rstrip(".") in TITLE_WORDS
            or w in DATE_WORDS
            or w in FUNCTION_WORDS
            or demonym_place(w) is not None
            for w in lows
        ):
            continue
        if b - a == 1 and (len(words[0]) < 2 or not words[0][0].isalpha()):
            continue
        if b < len(ts) and ts[b].cap and ts[b].text.lower().rstrip(".") in BREAKS:
            continue  # "the Defence Minister": the run qualifies a role
        type_ = _head_type(ts, b) or (
            "organisation" if a and ts[a - 1].text in ORG_NOUNS else "unknown"
        )
        if _head_type(ts, b) and a and _ORDINAL.fullmatch(ts[a - 1].text):
            a -= 1  # "51st Street"
        out.append(Span(ts[a].start, ts[b - 1].end, type_, a, b, 0.0))
    return out


_DATELINE_NEXT = frozenset(",(-–—:")


def _dateline(ts: list[Token], kept: list[Span]) -> list[Span]:
    """A news dateline's place: capitals opening a line, then a comma, a bracket, a dash or a
    date ("BRUSSELS 1996-08-22", "WASHINGTON (Reuters) -", "AL-AIN, United Arab Emirates").
    The tagger sees a lone word in capitals with nothing around it; the layout says more."""
    runs_ = runs(ts)
    if not runs_ or runs_[0][0] != 0 or any(x.first == 0 for x in kept):
        return []
    a, b = runs_[0]
    words = [t.text for t in ts[a:b]]
    after = ts[b].text if b < len(ts) else ""
    if not all(w.isupper() for w in words) or not (
        after[:1] in _DATELINE_NEXT or after[:1].isdigit() or not after
    ):
        return []
    place = lookup(" ".join(words))
    if place is None or (place.kind == "country" and b == len(ts)):
        return []
    return [Span(ts[a].start, ts[b - 1].end, "place", a, b, 1.0)]


def _candidates(ts: list[Token], kept: list[Span], ev: DocumentEvidence) -> list[Span]:
    """Sentence openers the tagger left out that may still be names ("Obama said…", "Apple
    Computer announced…"): never written in lower case here, not a function word. They are
    offered to the linker as candidates: kept only where the corpus names them elsewhere."""
    out = []
    for a, b in runs(ts):
        t = ts[a]
        low = t.text.lower()
        if (
            t.sent_start
            and t.text.isalpha()
            and not t.text.isupper()
            and low not in ev.lower
            and low not in FUNCTION_WORDS
            and demonym_place(low) is None
            and low not in DATE_WORDS
            and (b - a > 1 or _rank_over(low, 500))
            and not _opening_word(t)
            and not any(x.first <= i < x.last for x in kept for i in range(a, b))
        ):
            found = Span(t.start, ts[b - 1].end, _head_type(ts, b) or "candidate", a, b, 0.0)
            out += reshaped(ts, found, ev)
    return out


def _ampersands(ts: list[Token], found: list[Span]) -> list[Span]:
    """A name joined by "&" is one organisation ("Standard & Poor's", "Procter & Gamble")."""
    for a, b in runs(ts):
        if any(t.text == "&" for t in ts[a:b]):
            found = [x for x in found if x.last <= a or x.first >= b]
            found.append(Span(ts[a].start, ts[b - 1].end, "organisation", a, b, 1.0))
    return sorted(found, key=lambda x: x.start)


def tag_document(tagger: Tagger, passages: list[list[Token]]) -> list[list[Span]]:
    """Names in every passage of one article, made consistent across the article.

    One name, one type in an article: each distinct name takes the type of its most confident
    mentions. A capitalised run the tagger left out is taken when the article names the same
    words elsewhere ("Smith noticed", opening a sentence, after "Adam Smith"), and a lone word
    that ends a person's full name here is that person.
    """
    ev = DocumentEvidence(passages)
    passages = [_decapitalise(ts, ev) if _is_headline(ts) else ts for ts in passages]
    found = [_ampersands(ts, spans(tagger, ts, ev, _is_headline(ts))) for ts in passages]
    decided = _decide(passages, found)
    out: list[list[Span]] = []
    for ts, ss in zip(passages, found, strict=True):
        kept = [s._replace(type=decided.get(_key(ts, s.first, s.last), s.type)) for s in ss]
        kept += _decided_elsewhere(ts, kept, decided)
        kept = [_lower_head(ts, _whole_head(ts, _given_before(ts, x, kept))) for x in kept]
        kept = [x for x in (_person_shape(ts, x, ev) for x in kept) if x is not None]
        kept = [y for x in kept for y in reshaped(ts, x, ev)]
        kept = [x for x in kept if not _not_a_name(ts, x, ev)]
        kept += _dateline(ts, kept)
        kept += _abbreviations(ts, kept) + _candidates(ts, kept, ev) + _leftovers(ts, kept, ev)
        kept = [initials_and_surname(ts, x) for x in kept]
        kept.sort(key=lambda x: x.start)
        out.append(kept)
    # A lone word with nothing of a person, that the article puts after "in", "near"…, is a
    # place everywhere in it ("the first inhabitants of Coron", "introduced to Coron").
    cued = {
        ts[x.first].text.lower()
        for ts, ss in zip(passages, out, strict=True)
        for x in ss
        if x.last - x.first == 1
        and x.first > 0
        and ts[x.first - 1].text.lower() in PLACE_PREPOSITIONS
    }
    out = _retype_lone_words(passages, out, cued, "place", ev)
    out = _referred_to_as_people(passages, out)
    # "Ford" where the article says "Ford Motor Company" and never "Henry Ford" is the company.
    org_first = {
        ts[x.first].text.lower()
        for ts, ss in zip(passages, out, strict=True)
        for x in ss
        if x.type == "organisation" and x.last - x.first > 1
    }
    return _retype_lone_words(passages, out, org_first, "organisation", ev)


def _decide(passages: list[list[Token]], found: list[list[Span]]) -> dict[str, str]:
    """Each distinct name's type in the article, by the summed confidence of its mentions; a
    word that ends a person's full name here is a person unless mostly something else."""
    votes: dict[str, dict[str, float]] = {}
    surnames: dict[str, float] = {}
    for ts, ss in zip(passages, found, strict=True):
        for s in ss:
            v = votes.setdefault(_key(ts, s.first, s.last), {})
            v[s.type] = v.get(s.type, 0.0) + 0.2 + s.confidence
            if s.type == "person" and s.last - s.first >= 2:
                last = ts[s.last - 1].text.lower()
                surnames[last] = surnames.get(last, 0.0) + 1
    decided = {k: max(v.items(), key=lambda kv: kv[1])[0] for k, v in votes.items()}
    for last in surnames:
        seen = votes.get(last)
        if seen is None or seen.get("person", 0) * 2 >= max(seen.values()):
            decided[last] = "person"
    return decided


def _decided_elsewhere(ts: list[Token], kept: list[Span], decided: dict[str, str]) -> list[Span]:
    """Capitalised stretches the tagger left out here that the article names elsewhere: the
    longest such stretch from each free capitalised word."""
    taken = {i for s in kept for i in range(s.first, s.last)}
    out: list[Span] = []
    for a, b in runs(ts):
        i = a
        while i < b:
            if i in taken or not ts[i].cap:
                i += 1
                continue
            j = i
            while j < b and j not in taken:
                j += 1
            while j > i and not ts[j - 1].cap:
                j -= 1
            for end in range(j, i, -1):
                type_ = decided.get(_key(ts, i, end))
                if type_ is not None and ts[end - 1].cap:
                    out.append(Span(ts[i].start, ts[end - 1].end, type_, i, end, 0.0))
                    i = end
                    break
            else:
                i += 1
    return out


def _retype_lone_words(
    passages: list[list[Token]],
    out: list[list[Span]],
    words: set[str],
    type_: str,
    ev: DocumentEvidence,
) -> list[list[Span]]:
    """Lone-word persons or unknowns among ``words``, without a person's evidence, as
    ``type_`` in every passage."""
    return [
        [
            x._replace(type=type_)
            if x.last - x.first == 1
            and x.type in ("person", "unknown")
            and ts[x.first].text.lower() in words
            and not _person_evidence(ts, x.first, ev)
            else x
            for x in ss
        ]
        for ts, ss in zip(passages, out, strict=True)
    ]


_HUMAN = frozenset("he she him his her himself herself".split())
# What only a person has: "Rezwan's wife", "Steitler's death".
_PERSONAL = frozenset(
    """wife husband son daughter mother father brother sister family parents children
widow death funeral birthday career""".split()
)


def _said_of_a_person(ts: list[Token], j: int) -> bool:
    """Right after a name at ``j``: ", who", an age (", 42,") or "'s wife"."""
    nxt = [t.text for t in ts[j : j + 3]]
    if len(nxt) >= 2 and nxt[0] == "," and nxt[1].lower() == "who":
        return True
    if len(nxt) == 3 and nxt[0] == "," and nxt[1].isdigit() and nxt[2] == ",":
        return len(nxt[1]) <= 3
    return len(nxt) >= 2 and nxt[0] in ("'s", "’s") and nxt[1].lower() in _PERSONAL


_THING = frozenset("it its itself".split())


def _referred_to_as_people(passages: list[list[Token]], out: list[list[Span]]) -> list[list[Span]]:
    """A lone name the article goes on to call "he" or "she" is a person ("Einstein ... he
    was trying"): the first pronoun after each of its mentions, before any other name, is
    counted, and an unsure name called a person twice and a thing at most half as often is
    one. ", who", an age or "'s wife" right after a name say so at once, even of a name the
    tagger called a place ("to Rezwan, who") but the gazetteer does not know (organisations
    have members "who" too)."""
    human: dict[str, int] = {}
    thing: dict[str, int] = {}
    strong: set[str] = set()
    for ts, ss in zip(passages, out, strict=True):
        starts = sorted(x.first for x in ss)
        for x in ss:
            if x.last - x.first != 1 or x.type in ("person", "organisation"):
                continue
            word = ts[x.first].text
            if _said_of_a_person(ts, x.last):
                strong.add(word)
            if x.type not in ("unknown", "other"):
                continue
            nxt = next((i for i in starts if i > x.first), len(ts))
            for t in ts[x.last : min(nxt, x.last + 12)]:
                low = t.text.lower()
                if low in _HUMAN or low in _THING:
                    tally = human if low in _HUMAN else thing
                    tally[word] = tally.get(word, 0) + 1
                    break
    people = {w for w, n in human.items() if n >= 2 and 2 * thing.get(w, 0) <= n}
    strong = {w for w in strong if lookup(w) is None}
    if not people and not strong:
        return out
    return [
        [
            x._replace(type="person")
            if x.last - x.first == 1
            and x.type in ("unknown", "other", "place")
            and (
                ts[x.first].text in strong
                or (x.type in ("unknown", "other") and ts[x.first].text in people)
            )
            else x
            for x in ss
        ]
        for ts, ss in zip(passages, out, strict=True)
    ]
