"""Names around a role: "Former British Prime Minister Gordon Brown", "NASA Administrator
Charles Bolden", "Governor of Washington Chris Gregoire", "Secretary Cardona".

News writes a person's role between the names of what they lead and the person's own name.
The tagger sees each capitalised run alone, so it calls "British Prime" a person and
"Washington Chris Gregoire" one name. These rules read the role words (``BREAKS`` and
``TITLE_WORDS``, English and true of every corpus) around a proposed name and reshape it:
what comes before a role is an organisation or a place, never the person; a title before one
word makes that word a person even where the gazetteer has a town of that name; a place's
name followed by a given name and a surname is two names.
"""

from __future__ import annotations

import re

from index.demonyms import demonym_place
from index.gazetteer import given_name_counts, lookup
from index.span_rules import _person_evidence
from index.tagger import Span
from index.tokens import BREAKS, HEADS, TITLE_WORDS, DocumentEvidence, Token

# Words that belong to the role that follows them, not to the name before it: "Prime
# Minister", "Vice President", "Majority Leader", "Foreign Secretary", "Former".
ROLE_MODIFIERS = frozenset(
    """prime vice deputy majority minority acting interim former senior junior assistant
associate executive chief foreign first general managing founding outgoing incoming
then""".split()
)
# Titles that make a place of the word after them: "St. Louis", "San Jose".
_PLACE_TITLES = frozenset("st saint".split())
_ROLES = (BREAKS | TITLE_WORDS) - _PLACE_TITLES


def _low(t: Token) -> str:
    return t.text.lower().rstrip(".")


def _role_follows(ts: list[Token], j: int) -> bool:
    """A capitalised role word at ``j`` and a capitalised word after it: "… Minister Gordon"."""
    return j + 1 < len(ts) and ts[j].cap and _low(ts[j]) in _ROLES and ts[j + 1].cap


def before_role(ts: list[Token], span: Span) -> Span | None:
    """A person's name is never right before a role and a name ("British Prime | Minister
    Gordon Brown", "Senate Majority | Leader Harry Reid"): the role's own words go, a
    nationality adjective goes, and what is left is the place or organisation the person
    serves (a sentence opener stays a candidate). None when nothing is left."""
    if not _role_follows(ts, span.last):
        return span
    first, last = span.first, span.last
    while last > first and _low(ts[last - 1]) in ROLE_MODIFIERS:
        last -= 1
    if span.type not in ("person", "candidate"):
        if last in (first, span.last):
            return span
        return Span(span.start, ts[last - 1].end, span.type, first, last, span.confidence)
    while first < last and (
        _low(ts[first]) in ROLE_MODIFIERS or demonym_place(ts[first].text) is not None
    ):
        first += 1
    if first == last:
        return None
    words = " ".join(t.text for t in ts[first:last])
    type_ = "place" if lookup(words) is not None else "organisation"
    if span.type == "candidate" and type_ != "place":
        type_ = "candidate"  # a sentence opener: the linker still decides
    return Span(ts[first].start, ts[last - 1].end, type_, first, last, span.confidence)


def after_title(ts: list[Token], span: Span) -> Span:
    """One word after a title is a person ("Secretary Cardona", "Governor Brown"), whatever
    town of that name the gazetteer knows; "St. Louis" stays a place."""
    if span.type != "place" or span.last - span.first != 1 or span.first == 0:
        return span
    before = ts[span.first - 1]
    low = _low(before)
    if before.cap and low in TITLE_WORDS and low not in _PLACE_TITLES:
        return span._replace(type="person")
    return span


def place_then_person(ts: list[Token], span: Span) -> list[Span]:
    """ "Governor of Washington Chris Gregoire": a place's whole name, then a common given name
    and a surname, are two names."""
    if span.type != "person" or span.last - span.first < 3:
        return [span]
    for cut in (span.first + 1, span.first + 2):
        if span.last - cut < 2:
            break
        place = " ".join(t.text for t in ts[span.first : cut])
        given = given_name_counts().get(ts[cut].text.lower(), 0)
        if given >= 1000 and lookup(place) is not None:
            return [
                Span(span.start, ts[cut - 1].end, "place", span.first, cut, span.confidence),
                Span(ts[cut].start, span.end, "person", cut, span.last, span.confidence),
            ]
    return [span]


def without_nationality(ts: list[Token], span: Span, ev: DocumentEvidence) -> list[Span]:
    """A nationality is not part of a person's name: "British FTSE", "German Angela Merkel",
    "in the U.S. Jobs also noted" (a sentence end the abbreviation hid). The adjective goes, a
    country's abbreviation stays a place of its own, and one word left with nothing of a
    person stays unsure."""
    if span.last - span.first < 2:
        return [span]
    word = ts[span.first].text
    country = word.isupper() and "." in word and lookup(word) is not None
    if country and span.type != "person":
        # "U.S. Senate" is one name; "U.S. Jobs" is two where the article names Steve Jobs.
        if span.last - span.first != 2 or ts[span.first + 1].text.lower() not in ev.surnames:
            return [span]
    elif span.type != "person" or (not country and demonym_place(word) is None):
        return [span]
    first = span.first + 1
    alone = span.last - first == 1 and not _person_evidence(ts, first, ev)
    person = Span(
        ts[first].start,
        span.end,
        "unknown" if alone else "person",
        first,
        span.last,
        span.confidence,
    )
    if not country:
        return [person]
    return [
        Span(span.start, ts[span.first].end, "place", span.first, first, span.confidence),
        person,
    ]


_INITIALS = re.compile(r"(?:[A-Z]\.){1,3}")


def initials_and_surname(ts: list[Token], span: Span) -> Span:
    """Initials and a surname are a person ("P. Simmons 4-38", "J. R. Tolkien"), whatever
    the tagger made of a lone surname; a head noun still types it ("J. Paul Getty Museum")."""
    words = [t.text for t in ts[span.first : span.last]]
    if span.type == "person" or len(words) < 2 or not words[-1].isalpha():
        return span
    if not all(_INITIALS.fullmatch(w) for w in words[:-1]) or words[-1].isupper():
        return span
    if any(words[-1].lower() in heads for heads in HEADS.values()):
        return span
    return span._replace(type="person")


def after_article(ts: list[Token], span: Span) -> Span:
    """English puts no article before a person's name: "the Dow Jones was down", "the DAX",
    "The Mac market share" are not people, whatever their words look like. (A title between
    them keeps the person: "the Rev. Jesse Jackson" is found after "Rev.".) Unsure instead:
    the linker may still type them from the rest of the corpus."""
    if span.type != "person" or span.first == 0:
        return span
    if ts[span.first - 1].text.lower() in ("the", "a", "an"):
        return span._replace(type="unknown")
    return span


def reshaped(ts: list[Token], span: Span, ev: DocumentEvidence) -> list[Span]:
    """``span`` read against the role words around it: zero, one or two names."""
    kept = before_role(ts, after_article(ts, after_title(ts, span)))
    if kept is None:
        return []
    return [z for y in without_nationality(ts, kept, ev) for z in place_then_person(ts, y)]
