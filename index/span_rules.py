"""Evidence about one proposed name, which the tagger cannot weigh alone.

Each rule reads the name's own words and its neighbours in the article: titles and roles are
cues, not parts of a name; head nouns type a name ("Ford Motor Company", "Jersey City"); a
given name and a surname make a person; nationality adjectives, dates and everyday words
capitalised only where capitals are forced are not names; a lone word with nothing of a
person stays unsure. Word lists here are English and true of every corpus.
"""

from __future__ import annotations

import re

from index.demonyms import demonym_place
from index.gazetteer import given_name_counts, lookup, surname_ranks
from index.tagger import Span
from index.tokens import (
    BREAKS,
    DATE_WORDS,
    FUNCTION_WORDS,
    HEADS,
    TITLE_WORDS,
    DocumentEvidence,
    Token,
    _is_headline,
    common_rank,
    is_given_name,
)

# Titles that come with a given name, not a surname: "Prince Charles" is not a Charles of
# the Ray Charles kind, "Pope Francis" not a Francis.
ROYAL = frozenset(
    """king queen prince princess pope saint st emperor empress tsar czar sultan
duke duchess""".split()
)
_NUMERAL = re.compile(r"[IVX]+|\d+(?:st|nd|rd|th)")


def _royal_name(tokens: list[Token], first: int, last: int) -> bool:
    """``tokens[first:last]`` is a royal title and one given name (and a numeral)."""
    rest = [t.text for t in tokens[first + 1 : last]]
    return (
        tokens[first].text.lower().rstrip(".") in ROYAL
        and 1 <= len(rest) <= 2
        and (len(rest) == 1 or bool(_NUMERAL.fullmatch(rest[1])))
    )


HONORIFICS = frozenset("mr mrs ms miss mx dr prof sir dame rev sen rep gov lt sgt capt col".split())


def strip_titles(tokens: list[Token], span: Span) -> tuple[Span, str]:
    """``Ms Bauchtman`` is the person Bauchtman with the title cue "Ms": titles are cues, not
    part of the name (and two people called "Mr Smith" and "John Smith" must compare). Leading
    common words go too ("State Antony Blinken" after "Secretary of"), unless a given name."""
    first = span.first
    # An untyped name loses only a title no institution's name begins with: "Mr Bauchtman",
    # but "General Motors", "Chief Executive" and "Brother Industries" stay whole.
    titles = TITLE_WORDS if span.type == "person" else HONORIFICS
    while (
        first < span.last - 1
        and tokens[first].text.lower().rstrip(".") in titles
        and tokens[first + 1].cap  # "Prince of Egypt", "Duke of Edinburgh" stay whole
        and not _royal_name(tokens, first, span.last)
    ):
        first += 1
    title = " ".join(t.text for t in tokens[span.first : first])
    if not title and span.first > 0:
        before = tokens[span.first - 1].text
        if before.lower().rstrip(".") in TITLE_WORDS and before[:1].isupper():
            title = before
    if first == span.first:
        return span, title
    return Span(tokens[first].start, span.end, span.type, first, span.last, span.confidence), title


def _common_here(t: Token, ev: DocumentEvidence) -> bool:
    """A common word in this article: written in lower case here (or, opening a sentence, one
    of the most frequent English words that the article never capitalises in mid-sentence),
    and not a given name."""
    low = t.text.lower().rstrip(".")
    if is_given_name(low):
        return False
    rank = common_rank(low)
    return low in ev.lower or (
        t.sent_start and rank is not None and rank < 2000 and low not in ev.cap_mid
    )


# Lower-case nouns that, right before a name, say it is an organisation.
ORG_NOUNS = frozenset(
    """agency company firm group party organisation organization bank carrier
airline manufacturer maker automaker retailer network newspaper broadcaster union charity
institute university club team band label publisher startup""".split()
)


def _person_evidence(ts: list[Token], i: int, ev: DocumentEvidence) -> bool:
    """A lone word called a person has something to show for it: a title before it, a given
    name or frequent surname, a full name in the article that ends with it, or the plural of a
    people ("Bangladeshis", "Muslims"). Without any,
    it stays unknown for the linker ("Airbus", "Nikkei") rather than a person."""
    low = ts[i].text.lower()
    before = ts[i - 1].text.lower().rstrip(".") if i > 0 else ""
    group = low.endswith("s") and (
        demonym_place(low[:-1]) is not None
        or low[:-1].endswith(("ian", "an", "ist", "ite", "im", "ic"))
    )
    surname = surname_ranks().get(low, 99_999) < 20_000 and _rank_over(low, 1000)
    if ts[i].text.isupper() and len(low) > 1:
        surname = False  # "DAX", "SIA": capitals make an acronym, not a given name or surname
    elif is_given_name(low):
        return True
    return before in TITLE_WORDS or low in ev.surnames or group or surname


def _head_type(ts: list[Token], b: int) -> str | None:
    """The type a run ending at ``b`` takes from its head noun ("Ford Motor Company")."""
    head = ts[b - 1].text.lower()
    return next((t for t, heads in HEADS.items() if head in heads), None) if b >= 2 else None


def _rank_over(low: str, rank: int) -> bool:
    """Rarer than the ``rank`` most frequent English words."""
    r = common_rank(low)
    return r is None or r >= rank


# Organisation heads that writers often leave in lower case after a name: "the Republican
# party", "the OSCE Minsk group".
LOWER_HEADS = frozenset("party group council committee commission foundation association".split())


def _lower_head(ts: list[Token], span: Span) -> Span:
    """An organisation's name and the lower-case head noun that follows it."""
    j = span.last
    if (
        span.type in ("organisation", "unknown")
        and j < len(ts)
        and ts[j].text in LOWER_HEADS
        and ts[j - 1].end + 1 == ts[j].start
    ):
        return Span(span.start, ts[j].end, "organisation", span.first, j + 1, span.confidence)
    return span


def _named_person(words: list[str]) -> bool:
    """The span ends in a given name and a surname ("…State Antony Blinken")."""
    return (
        len(words) >= 2
        and given_name_counts().get(words[-2].lower(), 0) >= 1000
        and words[-1].isalpha()
        and not words[-1].isupper()
        and common_rank(words[-1].lower()) is None
        and all(words[-1].lower() not in heads for heads in HEADS.values())
    )


def _whole_head(ts: list[Token], span: Span) -> Span:
    """A head noun the tagger cut from its name ("General | Motors", "Chicago-based Boeing",
    "51st | Street") takes the words before it back, and the name its head's type; a leading
    hyphenated adjective ("Chicago-based", "U.S.-led") is not part of a name."""
    first = span.first
    words = ts[first : span.last]
    head = words[-1].text.lower()
    if span.type != "event":
        for type_, heads in HEADS.items():
            if head in heads:
                while (
                    first > 0
                    and ts[first - 1].cap
                    and ts[first - 1].text.lower() not in FUNCTION_WORDS
                    and ts[first - 1].text.lower().rstrip(".") not in BREAKS
                    and ts[first - 1].end + 1 == ts[first].start
                    and span.first - first < 3
                ):
                    first -= 1
                if first > 0 and _ORDINAL.fullmatch(ts[first - 1].text):
                    first -= 1  # "51st Street", "Fifth Avenue" already taken above
                if first < span.first:
                    return Span(ts[first].start, span.end, type_, first, span.last, span.confidence)
    while first < span.last - 1 and re.search(r"-[a-z]+$", ts[first].text):
        first += 1
    if first == span.first:
        return span
    return Span(ts[first].start, span.end, span.type, first, span.last, span.confidence)


# A model number: a letter or two and three digits or more ("A380", "B787"), unlike the
# names "MI6", "G20" or "COP29".
_ORDINAL = re.compile(r"\d+(?:st|nd|rd|th)")
_MODEL = re.compile(r"[A-Z]{1,2}-?\d{3,}\w*")


_POSSESSIVES = frozenset("my your our his her their".split())


def _not_a_name(ts: list[Token], span: Span, ev: DocumentEvidence) -> bool:
    """Spans that evidence says are not names, whatever the tagger thought.

    An adjective of nationality ("Japanese stocks", "Central Asian states"); the plural of an
    abbreviation ("UAVs"); an English word after a possessive ("Your Honor") or labelling a
    caption ("Image: …"); one everyday word, capitalised only where capitals are forced and
    written in lower case elsewhere in the article ("Politics" opening a sentence; "the
    Court" in mid-sentence stays a name); a "person" made only of titles and
    words the article writes in lower case ("Supreme Commander" where it says "commander").
    """
    words = [t.text for t in ts[span.first : span.last]]
    text = " ".join(words)
    if not text.endswith("s") and demonym_place(text) is not None:
        return True
    if len(words) == 1:
        low = text.lower()
        if low in DATE_WORDS:
            return True  # "July", "Monday": dates are not names here
        rank = common_rank(low)
        if re.fullmatch(r"[A-Z]{2,6}s", text):
            return True
        if rank is not None and rank < 10_000 and not is_given_name(low):
            before = ts[span.first - 1].text.lower() if span.first else ""
            after = ts[span.last].text if span.last < len(ts) else ""
            if before in _POSSESSIVES or (ts[span.first].sent_start and after == ":"):
                return True  # "Your Honor", "oh my God"; a caption's label: "Image: NASA"
        if len(ts) == 1 and rank is not None and rank < 3000 and lookup(text) is None:
            return True  # a heading of one everyday word: "Politics"
        forced = ts[span.first].sent_start or _is_headline(ts)
        if (
            forced
            and low in ev.lower
            and rank is not None
            and rank < 3000
            and lookup(text) is None
            and not is_given_name(low)
            and not text.isupper()
        ):
            return True
    if span.type == "person" and len(words) > 1:
        if all(w.lower() in ev.lower or w.lower().rstrip(".") in TITLE_WORDS for w in words):
            return True
        # "the Victorious Supreme Commander": after an article, English words and no given
        # name are a role, not a person's name.
        before = ts[span.first - 1].text.lower() if span.first > 0 else ""
        return before in ("the", "a", "an") and all(
            common_rank(w.lower()) is not None and given_name_counts().get(w.lower(), 0) < 1000
            for w in words
        )
    return False


def _opening_word(t: Token) -> bool:
    """An English participle or adverb opening a sentence before a name ("Analyzing Aliyev's
    statements", "Speaking to reporters…")."""
    low = t.text.lower()
    return (
        common_rank(low) is not None
        and low.endswith(("ing", "ed", "ly"))
        and not is_given_name(low)
    )


def _very_common(t: Token) -> bool:
    """One of the thousand most frequent English words and not a given name ("State")."""
    low = t.text.lower()
    rank = common_rank(low)
    return rank is not None and rank < 1000 and not is_given_name(low)


def _person_shape(ts: list[Token], span: Span, ev: DocumentEvidence) -> Span | None:
    """Evidence the tagger cannot weigh alone, applied to each name it proposed: its type
    from the name's own words (``_retyped``), then a person's leading titles and common words
    trimmed (``_trimmed``). None when it is no name at all."""
    retyped = _retyped(ts, span, ev)
    if retyped is None or retyped.type != "person":
        return retyped
    return _trimmed(ts, retyped, ev)


def _retyped(ts: list[Token], span: Span, ev: DocumentEvidence) -> Span | None:
    """The type the name's words and neighbours give it. A "place" whose first word alone
    is in the gazetteer and whose last word is neither a place nor an English word is a given
    name and a surname ("Ararat Mirzoyan"); a model number makes its maker an organisation
    ("Airbus A380"); a head noun types the name; an organisation noun before it says it is
    one ("the agency MI6"); a given name and a surname make a person."""
    words = [t.text for t in ts[span.first : span.last]]
    if span.type == "place" and 2 <= len(words) <= 3:
        last = words[-1]
        if (
            lookup(" ".join(words)) is None
            and lookup(words[0]) is not None
            and lookup(last) is None
            and common_rank(last.lower()) is None
            and last.isalpha()
            and not last.isupper()
        ):
            return span._replace(type="person")
    code = next(
        (
            n
            for n, w in enumerate(words)
            if any(c.isdigit() for c in w)
            and not _ORDINAL.fullmatch(w)  # "51st Street", "5th Avenue" are no model numbers
            and (n > 0 or w.endswith("s") or not w.isupper() or _MODEL.fullmatch(w))
        ),
        None,
    )
    if span.type != "event" and code is not None:
        if code == 0:
            return None
        maker_end = span.first + code
        return span._replace(end=ts[maker_end - 1].end, type="organisation", last=maker_end)
    given = given_name_counts().get(words[0].lower(), 0) > 10_000
    if len(words) > 1:
        head = words[-1].lower().rstrip(".")
        for type_, heads in HEADS.items():
            if head in heads and span.type != type_ and not (span.type == "person" and given):
                return span._replace(type=type_)  # "Jim Press" stays a person
    before = ts[span.first - 1].text if span.first > 0 else ""
    if span.type in ("other", "unknown") and before in ORG_NOUNS:
        return span._replace(type="organisation")
    alone = len(words) == 2 and words[1].lower() in ev.alone  # "said Jim Press… said Press"
    if span.type in ("place", "organisation") and given and alone:
        span = span._replace(type="person")
    if span.type not in ("person", "place", "organisation") and _named_person(words):
        span = span._replace(type="person")
    if span.type == "person" and len(words) == 1 and not _person_evidence(ts, span.first, ev):
        return span._replace(type="unknown")
    return span


def _trimmed(ts: list[Token], span: Span, ev: DocumentEvidence) -> Span | None:
    """A person's leading titles and common words are not part of the name ("Analyzing
    Aliyev" in a headline, "State Antony Blinken" after "Secretary of"); a person made only
    of such words is a role ("Supreme Commander"), not a name."""
    first = span.first
    while (
        first < span.last
        and not _royal_name(ts, first, span.last)
        and (
            ts[first].text.lower().rstrip(".") in TITLE_WORDS
            or (_common_here(ts[first], ev) and (ts[first].sent_start or span.last - first > 2))
            or (span.last - first > 2 and _very_common(ts[first]))
            or (ts[first].sent_start and span.last - first > 1 and _opening_word(ts[first]))
        )
    ):
        first += 1
    while first < span.last and not ts[first].cap:
        first += 1  # "Prince | of Egypt": a connector never opens a name
    if first == span.last or all(
        _common_here(t, ev) or t.text.lower() in TITLE_WORDS for t in ts[first : span.last]
    ):
        return None
    if first == span.first:
        return span
    if not ts[first - 1].cap and lookup(" ".join(t.text for t in ts[first : span.last])):
        span = span._replace(type="place")  # "the film Prince of Egypt": Egypt, not a person
    return span._replace(start=ts[first].start, first=first)
