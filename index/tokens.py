"""Words of an article as the name finder sees them, and how the article writes each one.

Tokens keep their offsets into the article text and know whether capitals were forced there
(a sentence's first word, a headline). ``DocumentEvidence`` records how the whole article
writes each word — in lower case somewhere (a common word), capitalised in mid-sentence (a
name) — the basis of document-centred recognition. ``runs`` cuts the capitalised stretches
that may hold names; word lists here are English, true of every corpus.
"""

from __future__ import annotations

import gzip
import re
from collections.abc import Iterable, Iterator
from functools import cache
from importlib import resources
from typing import NamedTuple

from index.gazetteer import given_name_counts

# Abbreviations that keep their dot ("Mr.", "St. Louis"): the dot does not end a sentence.
ABBREVIATIONS = frozenset(
    """mr mrs ms dr st mt jr sr gen col lt sgt gov sen rep prof ft capt
cpl maj adm rev hon pres supt insp det ave blvd rd no vs etc inc ltd co corp bros""".split()
)
# Lower-case words that may sit inside a name ("Bank of England", "Leonardo da Vinci").
# "and" is not one: "Ararat Mirzoyan and Jeyhun Bayramov" are two people far more often than
# "Marks and Spencer" is one company.
CONNECTORS = frozenset(
    """of the de del della di da du des la le van von der den al el bin ibn
& for on y""".split()
)
_TOKEN = re.compile(
    r"(?:[A-Z]\.){2,}"  # U.S., D.C.
    r"|[A-Z]\.(?=\s+\S)"  # an initial: "John F. Kennedy"
    r"|\b(?:Mrs|Mr|Ms|Dr|St|Mt|Jr|Sr|Gen|Col|Lt|Sgt|Gov|Sen|Rep|Prof|Ft|Capt|Maj|Adm|Rev|Hon"
    r"|Pres)\.(?=\s+[A-Z])"
    r"|\w+(?:['’](?:\w{2,}|(?![sdtmSDTM]\b)\w\b)|[-.&]\w+)*"  # "we're", "Hawai'i"; not "I'd"
    r"|['’]s\b"
    r"|&"
    r"|[^\w\s]",
)
_QUOTES = set("\"'“”‘’«»([{")
_ENDS = set(".!?:;•·…")


class Token(NamedTuple):
    """A word or a punctuation mark. A named tuple: an article makes thousands of them, and a
    frozen dataclass took a third of tokenising to build them."""

    text: str
    start: int
    end: int
    cap: bool  # starts with a capital letter
    sent_start: bool  # first word of a sentence, where capitals are forced


@cache
def _ranks() -> dict[str, int]:
    data = resources.files("index.data").joinpath("common_words.txt.gz").read_bytes()
    return {w: i for i, w in enumerate(gzip.decompress(data).decode("utf-8").split("\n"))}


def common_rank(word: str) -> int | None:
    """Frequency rank of a lower-case English word (0 = most frequent), None past 25,000."""
    return _ranks().get(word)


def is_given_name(low: str) -> bool:
    """Whether a lower-case word counts as a given name in the rules: any name in the bundled
    list that is not an English word ("Zakir"), and English words only when thousands of
    children were given them ("Mark", "Will"; not "Supreme", given to 212)."""
    count = given_name_counts().get(low, 0)
    return count >= 1000 or (count > 0 and common_rank(low) is None)


def tokenize(text: str, start: int = 0, end: int | None = None) -> list[Token]:
    """Words and punctuation of ``text[start:end]`` with sentence starts marked."""
    out: list[Token] = []
    boundary = True
    for m in _TOKEN.finditer(text, start, len(text) if end is None else end):
        word = m.group(0)
        cut = _adjective_suffix(word) if "-" in word else 0
        if cut:  # "Chicago-based" is Chicago, then "-based"; "Leung Che-cheung" stays whole
            out.append(Token(word[:cut], m.start(), m.start() + cut, word[0].isupper(), boundary))
            out.append(Token(word[cut:], m.start() + cut, m.end(), False, False))
            boundary = False
            continue
        first = word[0]
        if first in _QUOTES or first in "-–—":
            out.append(Token(word, m.start(), m.end(), False, False))
            continue  # a quote after a full stop: the sentence still starts after it
        cap = first.isupper()
        out.append(Token(word, m.start(), m.end(), cap, boundary))
        boundary = word in _ENDS
        # A newline inside the chunk (headline, list item) starts a sentence too.
        if m.end() < len(text) and text[m.end() : m.end() + 1] == "\n":
            boundary = True
    return out


def _adjective_suffix(word: str) -> int:
    """Where "-based", "-led", "-backed" begins in a capitalised word, else 0."""
    if not word[:1].isupper():
        return 0
    at = word.rfind("-")
    if at <= 0 or not word[at + 1 : at + 2].islower():
        return 0
    rank = common_rank(word[at + 1 :])
    return at if rank is not None and rank < 10_000 else 0


class DocumentEvidence:
    """How the article writes each word: the basis of document-centred recognition."""

    def __init__(self, passages: Iterable[list[Token]]) -> None:
        self.lower: set[str] = set()  # written in lower case somewhere
        self.cap_mid: set[str] = set()  # capitalised where capitals are not forced
        self.name_last: set[str] = set()  # last word of a run of two or more capitalised words
        self.name_first: set[str] = set()  # first word of such a run
        self.alone: set[str] = set()  # a word standing alone in mid-sentence ("said Press")
        self.surnames: set[str] = set()  # last word of a given name and more ("Steve Jobs")
        for tokens in passages:
            # A headline's capitals are forced everywhere: it tells only what it lower-cases.
            forced = _is_headline(tokens)
            for t in tokens:
                w = t.text
                if w[0].isalpha() and w[0].islower():
                    self.lower.add(w)
                elif w[0].isalpha() and not (forced or t.sent_start or w.isupper()):
                    self.cap_mid.add(w.lower())
            if forced:
                continue
            for a, b in runs(tokens):
                if b - a >= 2 and not tokens[b - 1].text.isupper():
                    self.name_last.add(tokens[b - 1].text.lower())
                    if is_given_name(tokens[a].text.lower()):
                        self.surnames.add(tokens[b - 1].text.lower())
                    if not tokens[a].sent_start:
                        self.name_first.add(tokens[a].text.lower())
                elif b - a == 1 and not tokens[a].sent_start:
                    self.alone.add(tokens[a].text.lower())


# Capitalised words that are never part of a name: roles between an employer and a person
# ("Apple CEO Steve Jobs"), week days after a dateline, and function words that only a missed
# sentence end capitalised ("Washington D.C. The museum").
BREAKS = frozenset(
    """ceo cfo coo cto chairman chairwoman chairperson president vice spokesman
spokeswoman spokesperson minister secretary senator governor mayor director founder co-founder
deputy undersecretary
executive chief mr mrs ms dr prof administrator leader commander ambassador commissioner
chancellor premier speaker doctor attorney monday tuesday wednesday thursday friday saturday
sunday""".split()
)
# ("at" and "into" are left out: people work at companies and money goes into them.)
PLACE_PREPOSITIONS = frozenset("in near across throughout outside inside".split())
DATE_WORDS = frozenset(
    """january february march april may june july august september october
november december monday tuesday wednesday thursday friday saturday sunday""".split()
)
COMPANY_ENDS = frozenset("inc ltd llc plc corp co sa ag gmbh nv bv".split())
FUNCTION_WORDS = frozenset(
    """the a an this that these those he she it we they i you his her its
our their my your but and or if when while as at in on by to from with for after before but so
then there here what who which where how why also not no yes""".split()
)


def runs(tokens: list[Token]) -> list[tuple[int, int]]:
    """``run_spans`` of ``tokens``, remembered for the last few token lists: the name finder
    asks for the runs of one passage several times."""
    key = id(tokens)
    hit = _RUNS.get(key)
    if hit is not None and hit[0] is tokens:
        return hit[1]
    found = list(run_spans(tokens))
    if len(_RUNS) > 64:
        _RUNS.clear()
    _RUNS[key] = (tokens, found)
    return found


_RUNS: dict[int, tuple[list[Token], list[tuple[int, int]]]] = {}


def run_spans(tokens: list[Token]) -> Iterator[tuple[int, int]]:
    """Maximal runs of capitalised tokens, joined by connectors ("Bank of England") and broken
    at role words, week days and function words (``BREAKS``, ``FUNCTION_WORDS``)."""
    n = len(tokens)
    i = 0
    while i < n:
        low = tokens[i].text.lower()
        if not tokens[i].cap or low.rstrip(".") in BREAKS or low in FUNCTION_WORDS:
            i += 1  # "The Nikkei" is the Nikkei
            continue
        j = i + 1
        while j < n:
            t = tokens[j]
            low = t.text.lower()
            if tokens[j - 1].text.lower().rstrip(".") in COMPANY_ENDS:
                break  # "Chrysler LLC Jim Press": a company's suffix ends its name
            if t.cap:
                if low.rstrip(".") in BREAKS or low in FUNCTION_WORDS:
                    break
                j += 1
                continue
            nxt = tokens[j + 1] if j + 1 < n else None
            if (
                t.text in ("'s", "’s")
                and nxt is not None
                and nxt.cap
                and (
                    nxt.text.lower() in HEADS["organisation"] or nxt.text.lower() in HEADS["place"]
                )
            ):
                j += 2  # "King's College", "St Mary's Hospital"
                continue
            if (
                low in CONNECTORS
                and nxt is not None
                and nxt.cap
                and (nxt.text.lower() not in DATE_WORDS)
                and (nxt.text.lower().rstrip(".") not in BREAKS)
            ):
                j += 2
                continue
            break
        yield i, j
        i = j


def _is_headline(tokens: list[Token]) -> bool:
    """Whether the passage is a headline, remembered like ``runs``."""
    key = id(tokens)
    hit = _HEADLINES.get(key)
    if hit is not None and hit[0] is tokens:
        return hit[1]
    found = _headline(tokens)
    if len(_HEADLINES) > 64:
        _HEADLINES.clear()
    _HEADLINES[key] = (tokens, found)
    return found


_HEADLINES: dict[int, tuple[list[Token], bool]] = {}


def _headline(tokens: list[Token]) -> bool:
    """A line in Title Case or capitals, where every word looks like a name."""
    words = [t for t in tokens if t.text[:1].isalpha() and len(t.text) > 3]
    if not words or len(tokens) > 40:
        return False
    if len(words) >= 2 and all(t.text.isupper() for t in words):
        return True  # "SOCCER - JAPAN GET LUCKY WIN ." : capitals forced, full stop or not
    return sum(t.cap for t in words) / len(words) >= 0.7 and tokens[-1].text not in '."”'


TITLE_WORDS = frozenset(
    """mr mrs ms miss dr prof professor sir lord lady dame king queen prince
princess president senator sen rep governor gov mayor minister secretary general gen colonel
col captain capt lieutenant lt sergeant sgt judge justice pope saint st chancellor emperor
empress duke duchess earl count baron sheikh imam rabbi reverend rev father brother sister
uncle aunt coach chairman chief director ambassador commissioner officer agent detective
bishop archbishop cardinal pastor""".split()
)


# Last words that type a name whatever its other words are ("Ford Motor Company", "Jersey
# City", "Paris Conference"): English head nouns, true of every corpus.
HEADS = {
    "organisation": frozenset(
        """company corporation corp inc incorporated ltd llc plc co group
bank university college school academy institute party council ministry agency department
organization organisation forces association committee commission union federation foundation
society club league airlines
airways motors holdings industries technologies systems laboratories labs studios records
brothers bros corps partners associates
court senate parliament congress assembly board bureau authority office service army navy
police press times post news reuters network channel""".split()
    ),
    "place": frozenset(
        """county city town village province state district region street
avenue road boulevard square park bridge river lake mountain mountains island islands valley
bay gulf sea ocean coast beach airport station harbour harbor port stadium arena center
centre museum palace castle cathedral tower hall hospital""".split()
    ),
}
