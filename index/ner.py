"""A small statistical name tagger: which capitalised words of an article are names, and of what.

Rules written against a handful of articles decided badly on everything else (a surname that is
also an English word dropped, a headline distrusted word by word, a lone unknown word called an
organisation). This module decides from evidence instead, the way document-centred recognisers
do: the word's shape and its neighbours, the bundled gazetteer and given names, and above all
how *this article* writes the same word elsewhere — capitalised in mid-sentence (a name), or in
lower case (a common word that only opens a sentence here).

The weights are an averaged perceptron trained by ``index/data/train_ner.py`` on openly
licensed GUM documents (CC BY / CC BY-SA genres, train split only) and shipped as
``index/data/ner_model.json.gz``. Only tokens inside capitalised runs are scored, so tagging
costs a few microseconds per word of running text.
"""

from __future__ import annotations

import gzip
import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache
from importlib import resources

from index.gazetteer import given_name_counts, given_names, lookup, surname_ranks

LABELS = ("O", "B-person", "I-person", "B-place", "I-place", "B-organisation",
          "I-organisation", "B-event", "I-event", "B-other", "I-other")
_L = len(LABELS)
_INSIDE = {i: LABELS[i][2:] for i in range(1, _L) if LABELS[i].startswith("I-")}

# Abbreviations that keep their dot ("Mr.", "St. Louis"): the dot does not end a sentence.
ABBREVIATIONS = frozenset("""mr mrs ms dr st mt jr sr gen col lt sgt gov sen rep prof ft capt
cpl maj adm rev hon pres supt insp det ave blvd rd no vs etc inc ltd co corp bros""".split())
# Lower-case words that may sit inside a name ("Bank of England", "Leonardo da Vinci").
# "and" is not one: "Ararat Mirzoyan and Jeyhun Bayramov" are two people far more often than
# "Marks and Spencer" is one company.
CONNECTORS = frozenset("""of the de del della di da du des la le van von der den al el bin ibn
& for on y""".split())
_TOKEN = re.compile(
    r"(?:[A-Z]\.){2,}"  # U.S., D.C.
    r"|[A-Z]\.(?=\s+\S)"  # an initial: "John F. Kennedy"
    r"|\b(?:Mrs|Mr|Ms|Dr|St|Mt|Jr|Sr|Gen|Col|Lt|Sgt|Gov|Sen|Rep|Prof|Ft|Capt|Maj|Adm|Rev|Hon"
    r"|Pres)\.(?=\s+[A-Z])"
    r"|\w+(?:['’]\w{2,}|[-.&]\w+)*"
    r"|['’]s\b"
    r"|&"
    r"|[^\w\s]",
)
_QUOTES = set("\"'“”‘’«»([{")
_ENDS = set(".!?:;•·…")


@dataclass(frozen=True)
class Token:
    text: str
    start: int
    end: int
    cap: bool  # starts with a capital letter
    sent_start: bool  # first word of a sentence, where capitals are forced


@dataclass(frozen=True)
class Span:
    start: int  # offsets into the text
    end: int
    type: str  # person, place, organisation, event, other
    first: int  # token indexes, end exclusive
    last: int
    confidence: float  # margin of the decision, 0..1


def tokenize(text: str, start: int = 0, end: int | None = None) -> list[Token]:
    """Words and punctuation of ``text[start:end]`` with sentence starts marked."""
    out: list[Token] = []
    boundary = True
    for m in _TOKEN.finditer(text, start, len(text) if end is None else end):
        word = m.group(0)
        cut = _adjective_suffix(word)
        if cut:  # "Chicago-based" is Chicago, then "-based"; "Leung Che-cheung" stays whole
            out.append(Token(word[:cut], m.start(), m.start() + cut, word[0].isupper(),
                             boundary))
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
                    if not tokens[a].sent_start:
                        self.name_first.add(tokens[a].text.lower())


# Capitalised words that are never part of a name: roles between an employer and a person
# ("Apple CEO Steve Jobs"), week days after a dateline, and function words that only a missed
# sentence end capitalised ("Washington D.C. The museum").
BREAKS = frozenset("""ceo cfo coo cto chairman chairwoman chairperson president vice spokesman
spokeswoman spokesperson minister secretary senator governor mayor director founder co-founder
executive chief mr mrs ms dr prof monday tuesday wednesday thursday friday saturday
sunday""".split())
# ("at" and "into" are left out: people work at companies and money goes into them.)
PLACE_PREPOSITIONS = frozenset("in near across throughout outside inside".split())
DATE_WORDS = frozenset("""january february march april may june july august september october
november december monday tuesday wednesday thursday friday saturday sunday""".split())
COMPANY_ENDS = frozenset("inc ltd llc plc corp co sa ag gmbh nv bv".split())
FUNCTION_WORDS = frozenset("""the a an this that these those he she it we they i you his her its
our their my your but and or if when while as at in on by to from with for after before but so
then there here what who which where how why also not no yes""".split())


def runs(tokens: list[Token]) -> Iterator[tuple[int, int]]:
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
            if (t.text in ("'s", "’s") and nxt is not None and nxt.cap
                    and (nxt.text.lower() in HEADS["organisation"]
                         or nxt.text.lower() in HEADS["place"])):
                j += 2  # "King's College", "St Mary's Hospital"
                continue
            if low in CONNECTORS and nxt is not None and nxt.cap and (
                    nxt.text.lower() not in DATE_WORDS) and (
                    nxt.text.lower().rstrip(".") not in BREAKS):
                j += 2
                continue
            break
        yield i, j
        i = j


def _shape(w: str) -> str:
    s = re.sub(r"[A-Z]", "X", w)
    s = re.sub(r"[^\W\d_]", "x", s)
    s = re.sub(r"\d", "d", s)
    return re.sub(r"(.)\1{2,}", r"\1\1", s)


def _rank_bucket(word: str) -> str:
    r = common_rank(word.lower())
    if r is None:
        return "none"
    return "500" if r < 500 else "3k" if r < 3000 else "10k" if r < 10_000 else "25k"


TITLE_WORDS = frozenset("""mr mrs ms miss dr prof professor sir lord lady dame king queen prince
princess president senator sen rep governor gov mayor minister secretary general gen colonel
col captain capt lieutenant lt sergeant sgt judge justice pope saint st chancellor emperor
empress duke duchess earl count baron sheikh imam rabbi reverend rev father brother sister
uncle aunt coach chairman chief director ambassador commissioner officer agent detective
bishop archbishop cardinal pastor""".split())


def _place_spans(tokens: list[Token], a: int, b: int) -> dict[int, tuple[int, str]]:
    """Longest gazetteer names inside the run ``a:b``: token -> (length, kind)."""
    out: dict[int, tuple[int, str]] = {}
    i = a
    while i < b:
        for size in range(min(4, b - i), 0, -1):
            surface = " ".join(t.text for t in tokens[i : i + size])
            hit = lookup(surface)
            if hit is not None:
                for k in range(size):
                    out[i + k] = (size, ("B-" if k == 0 else "I-") + hit.kind)
                i += size
                break
        else:
            i += 1
    return out


def features(tokens: list[Token], i: int, a: int, b: int, ev: DocumentEvidence,
             places: dict[int, tuple[int, str]], headline: bool) -> list[str]:
    """The features of token ``i`` of run ``a:b`` (the previous label is added by the tagger)."""
    t = tokens[i]
    w = t.text
    low = w.lower()
    prev = tokens[i - 1].text if i > 0 else "<s>"
    prev2 = tokens[i - 2].text if i > 1 else "<s>"
    nxt = tokens[i + 1].text if i + 1 < len(tokens) else "</s>"
    pos = "S" if b - a == 1 else "B" if i == a else "E" if i == b - 1 else "M"
    rank = _rank_bucket(w)
    first = tokens[a].text.lower()
    last = tokens[b - 1].text.lower()
    given = given_names().get(low.rstrip("."), "")
    f = [
        "b",
        "w=" + low,
        "sh=" + _shape(w),
        "suf=" + low[-3:],
        "pos=" + pos,
        "len=" + str(min(b - a, 5)),
        "rank=" + rank,
        "ss=" + str(t.sent_start) + rank,
        "p1=" + prev.lower(),
        "p1c=" + str(prev[:1].isupper()),
        "p2=" + prev2.lower(),
        "n1=" + nxt.lower(),
        "first=" + first,
        "last=" + last,
        "lastrank=" + _rank_bucket(tokens[b - 1].text),
        "before=" + (tokens[a - 1].text.lower() if a > 0 else "<s>"),
        "after=" + (tokens[b].text.lower() if b < len(tokens) else "</s>"),
    ]
    if low in ev.name_last:
        f.append("namelast" + pos)
    if low in ev.name_first:
        f.append("namefirst" + pos)
    if not t.cap:
        f.append("conn=" + low)
    else:
        f.append("low=" + str(w in ev.lower or low in ev.lower) + rank)
        f.append("mid=" + str(low in ev.cap_mid) + str(t.sent_start))
    if given:
        count = given_name_counts().get(low.rstrip("."), 0)
        f.append("given=" + given + pos)
        f.append("givenc=" + ("big" if count > 100_000 else "mid" if count > 5_000 else "low"))
    srank = surname_ranks().get(low)
    if srank is not None:
        f.append("sur=" + ("1k" if srank < 1000 else "10k" if srank < 10_000 else "80k") + pos)
    if i in places:
        size, kind = places[i]
        f.append("gaz=" + kind)
        f.append("gazlen=" + str(size) + str(b - a))
    if prev.lower().rstrip(".") in TITLE_WORDS and i == a:
        f.append("title")
    if headline:
        f.append("headline")
    if w.isupper() and len(w) > 1:
        f.append("caps" + str(headline))
    if nxt in ("'s", "’s"):
        f.append("poss")
    return f


class Tagger:
    """Greedy left-to-right averaged-perceptron tagger over the tokens of capitalised runs."""

    def __init__(self, weights: dict[str, list[float]]) -> None:
        self.weights = weights

    def scores(self, feats: list[str]) -> list[float]:
        s = [0.0] * _L
        get = self.weights.get
        for feat in feats:
            w = get(feat)
            if w is not None:
                for k in range(_L):
                    s[k] += w[k]
        return s

    def tag_run(self, tokens: list[Token], a: int, b: int, ev: DocumentEvidence,
                headline: bool) -> list[tuple[int, float]]:
        places = _place_spans(tokens, a, b)
        prev = "O"
        out: list[tuple[int, float]] = []
        for i in range(a, b):
            feats = features(tokens, i, a, b, ev, places, headline)
            feats.append("pl=" + prev)
            feats.append("pl=" + prev + "|" + _shape(tokens[i].text))
            s = self.scores(feats)
            best, margin = _best(s, prev, tokens[i].cap, i == b - 1)
            out.append((best, margin))
            prev = LABELS[best]
        return out


def _allowed(k: int, prev: str, cap: bool, last: bool) -> bool:
    label = LABELS[k]
    if label == "O":
        return True
    if not cap and (label.startswith("B-") or last):
        return False  # a connector neither starts nor ends a name
    if label.startswith("I-"):
        return prev[2:] == label[2:]
    return True


def _best(s: list[float], prev: str, cap: bool, last: bool) -> tuple[int, float]:
    ranked = sorted((k for k in range(_L) if _allowed(k, prev, cap, last)),
                    key=lambda k: -s[k])
    top = ranked[0]
    second = s[ranked[1]] if len(ranked) > 1 else s[top] - 10
    return top, min(1.0, (s[top] - second) / 10)


def _is_headline(tokens: list[Token]) -> bool:
    """A line in Title Case or capitals, where every word looks like a name."""
    words = [t for t in tokens if t.text[:1].isalpha() and len(t.text) > 3]
    if not words or len(tokens) > 40:
        return False
    return sum(t.cap for t in words) / len(words) >= 0.7 and tokens[-1].text not in ".\"”"


def spans(tagger: Tagger, tokens: list[Token], ev: DocumentEvidence,
          headline: bool = False) -> list[Span]:
    """Names in ``tokens`` (one passage), decoded from the tagger's labels."""
    out: list[Span] = []
    for a, b in runs(tokens):
        labels = tagger.tag_run(tokens, a, b, ev, headline)
        i = 0
        while i < len(labels):
            k, conf = labels[i]
            if LABELS[k] == "O":
                i += 1
                continue
            type_ = LABELS[k][2:]
            j = i + 1
            confs = [conf]
            while j < len(labels) and _INSIDE.get(labels[j][0]) == type_:
                confs.append(labels[j][1])
                j += 1
            while not tokens[a + j - 1].cap:  # never end on a connector
                j -= 1
            out.append(Span(tokens[a + i].start, tokens[a + j - 1].end, type_, a + i, a + j,
                            min(confs)))
            i = j
    return out


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


@cache
def tagger() -> Tagger:
    data = resources.files("index.data").joinpath("ner_model.json.gz").read_bytes()
    raw = json.loads(gzip.decompress(data))
    return Tagger({f: [w / raw["scale"] for w in ws] for f, ws in raw["weights"].items()})


# Demonyms whose country's name does not begin with them; the rest are found by their stem
# ("Canadian" -> Canada, "Japanese" -> Japan). General knowledge, true of every corpus.
_DEMONYMS = {"french": "France", "dutch": "Netherlands", "swiss": "Switzerland",
             "greek": "Greece", "thai": "Thailand", "welsh": "Wales", "irish": "Ireland",
             "scottish": "Scotland", "scots": "Scotland", "english": "England",
             "danish": "Denmark", "swedish": "Sweden", "finnish": "Finland",
             "polish": "Poland", "turkish": "Turkey", "spanish": "Spain",
             "portuguese": "Portugal", "filipino": "Philippines", "norwegian": "Norway",
             "british": "United Kingdom", "icelandic": "Iceland", "lebanese": "Lebanon",
             "malagasy": "Madagascar", "kiwi": "New Zealand", "emirati": "United Arab Emirates",
             "saudi": "Saudi Arabia", "peruvian": "Peru", "argentine": "Argentina",
             "argentinian": "Argentina", "belgian": "Belgium", "czech": "Czech Republic",
             "soviet": "Soviet Union"}
_DEMONYM_SUFFIXES = ("ians", "ans", "ese", "ian", "ean", "an", "ish", "i", "ic")


def demonym_place(word: str) -> str | None:
    """The country or region a demonym names ("Japanese" -> "Japan"), or None."""
    low = word.lower()
    if low in _DEMONYMS:
        return _DEMONYMS[low]
    head, _, last = low.rpartition(" ")
    if head and head not in ("north", "south", "east", "west", "central", "latin"):
        return None
    for suffix in _DEMONYM_SUFFIXES:
        if not last.endswith(suffix) or len(last) - len(suffix) < 3:
            continue
        stem = last[: len(last) - len(suffix)]
        for ending in ("", "a", "ia", "e", "y", "o"):
            name = (head + " " if head else "") + stem + ending
            hit = lookup(name.title())
            if hit is not None and hit.kind in ("country", "region", "continent"):
                return hit.canonical
    return None


def _decapitalise(tokens: list[Token], ev: DocumentEvidence) -> list[Token]:
    """A headline's capitals are forced: a word the article writes in lower case elsewhere, and
    never capitalised in mid-sentence, is a common word here too ("Aliyev Threatens Military
    Action Against Armenia")."""
    out = []
    for t in tokens:
        low = t.text.lower()
        rank = common_rank(low)
        if t.cap and (low in ev.lower or low in FUNCTION_WORDS or (
                rank is not None and low not in given_names()
                and lookup(t.text) is None)) and low not in ev.cap_mid:
            t = Token(t.text, t.start, t.end, False, t.sent_start)
        out.append(t)
    return out


def _key(tokens: list[Token], first: int, last: int) -> str:
    return " ".join(t.text.lower() for t in tokens[first:last])


# Titles that come with a given name, not a surname: "Prince Charles" is not a Charles of
# the Ray Charles kind, "Pope Francis" not a Francis.
ROYAL = frozenset("""king queen prince princess pope saint st emperor empress tsar czar sultan
duke duchess""".split())
_NUMERAL = re.compile(r"[IVX]+|\d+(?:st|nd|rd|th)")


def _royal_name(tokens: list[Token], first: int, last: int) -> bool:
    """``tokens[first:last]`` is a royal title and one given name (and a numeral)."""
    rest = [t.text for t in tokens[first + 1 : last]]
    return (tokens[first].text.lower().rstrip(".") in ROYAL and 1 <= len(rest) <= 2
            and (len(rest) == 1 or bool(_NUMERAL.fullmatch(rest[1]))))


def strip_titles(tokens: list[Token], span: Span) -> tuple[Span, str]:
    """``Ms Bauchtman`` is the person Bauchtman with the title cue "Ms": titles are cues, not
    part of the name (and two people called "Mr Smith" and "John Smith" must compare). Leading
    common words go too ("State Antony Blinken" after "Secretary of"), unless a given name."""
    first = span.first
    while (first < span.last - 1 and tokens[first].text.lower().rstrip(".") in TITLE_WORDS
           and not _royal_name(tokens, first, span.last)):
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
    return low in ev.lower or (t.sent_start and rank is not None and rank < 2000
                               and low not in ev.cap_mid)


# Last words that type a name whatever its other words are ("Ford Motor Company", "Jersey
# City", "Paris Conference"): English head nouns, true of every corpus.
HEADS = {
    "organisation": frozenset("""company corporation corp inc incorporated ltd llc plc co group
bank university college school academy institute party council ministry agency department
organization organisation forces association committee commission union federation foundation
society club league airlines
airways motors holdings industries technologies systems laboratories labs studios records
court senate parliament congress assembly board bureau authority office service army navy
police press times post news reuters network channel""".split()),
    "place": frozenset("""county city town village province state district region street
avenue road boulevard square park bridge river lake mountain mountains island islands valley
bay gulf sea ocean coast beach airport station harbour harbor port stadium arena center
centre museum palace castle cathedral tower hall hospital""".split()),
}


# Lower-case nouns that, right before a name, say it is an organisation.
ORG_NOUNS = frozenset("""agency company firm group party organisation organization bank carrier
airline manufacturer maker automaker retailer network newspaper broadcaster union charity
institute university club team band label publisher startup""".split())


def _person_evidence(ts: list[Token], i: int, ev: DocumentEvidence) -> bool:
    """A lone word called a person has something to show for it: a title before it, a given
    name or frequent surname, a full name in the article that ends with it, or the plural of a
    people ("Bangladeshis", "Muslims"). Without any,
    it stays unknown for the linker ("Airbus", "Nikkei") rather than a person."""
    low = ts[i].text.lower()
    before = ts[i - 1].text.lower().rstrip(".") if i > 0 else ""
    group = low.endswith("s") and (demonym_place(low[:-1]) is not None
                                   or low[:-1].endswith(("ian", "an", "ist", "ite", "im", "ic")))
    surname = surname_ranks().get(low, 99_999) < 20_000 and _rank_over(low, 1000)
    return before in TITLE_WORDS or is_given_name(low) or low in ev.name_last or group or surname


def _given_before(ts: list[Token], span: Span, kept: list[Span]) -> Span:
    """A person's given name or royal title that the tagger left out, opening a sentence
    ("Matt Smith, who plays…", "Prince Charles visited…")."""
    i = span.first - 1
    if span.type != "person" or i < 0 or any(x.first <= i < x.last for x in kept):
        return span
    t = ts[i]
    low = t.text.lower()
    if t.cap and t.end + 1 == ts[span.first].start and (
            (low in ROYAL and span.last - span.first == 1)
            or (t.sent_start and given_name_counts().get(low, 0) >= 1000)):
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
    """"World Health Organization (WHO)": the bracketed initials name the same thing."""
    out = []
    for x in kept:
        j = x.last
        if (j + 2 < len(ts) and ts[j].text == "(" and ts[j + 2].text == ")"
                and not any(y.first <= j + 1 < y.last for y in kept)
                and abbreviates(ts[j + 1].text, " ".join(t.text for t in ts[x.first : x.last]))):
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
        if any(w in ev.lower or w.rstrip(".") in TITLE_WORDS or w in DATE_WORDS
               or w in FUNCTION_WORDS or demonym_place(w) is not None for w in lows):
            continue
        if b - a == 1 and (len(words[0]) < 2 or not words[0][0].isalpha()):
            continue
        if b < len(ts) and ts[b].cap and ts[b].text.lower().rstrip(".") in BREAKS:
            continue  # "the Defence Minister": the run qualifies a role
        out.append(Span(ts[a].start, ts[b - 1].end, _head_type(ts, b) or "unknown", a, b, 0.0))
    return out


def _head_type(ts: list[Token], b: int) -> str | None:
    """The type a run ending at ``b`` takes from its head noun ("Ford Motor Company")."""
    head = ts[b - 1].text.lower()
    return next((t for t, heads in HEADS.items() if head in heads), None) if b >= 2 else None


def _rank_over(low: str, rank: int) -> bool:
    """Rarer than the ``rank`` most frequent English words."""
    r = common_rank(low)
    return r is None or r >= rank


def _candidates(ts: list[Token], kept: list[Span], ev: DocumentEvidence) -> list[Span]:
    """Sentence openers the tagger left out that may still be names ("Obama said…", "Apple
    Computer announced…"): never written in lower case here, not a function word. They are
    offered to the linker as candidates: kept only where the corpus names them elsewhere."""
    out = []
    for a, b in runs(ts):
        t = ts[a]
        low = t.text.lower()
        if (t.sent_start and t.text.isalpha() and not t.text.isupper()
                and low not in ev.lower and low not in FUNCTION_WORDS
                and demonym_place(low) is None and (b - a > 1 or _rank_over(low, 500))
                and not _opening_word(t)
                and not any(x.first <= i < x.last for x in kept for i in range(a, b))):
            out.append(Span(t.start, ts[b - 1].end, _head_type(ts, b) or "candidate", a, b,
                            0.0))
    return out


# Organisation heads that writers often leave in lower case after a name: "the Republican
# party", "the OSCE Minsk group".
LOWER_HEADS = frozenset("party group council committee commission foundation association".split())


def _lower_head(ts: list[Token], span: Span) -> Span:
    """An organisation's name and the lower-case head noun that follows it."""
    j = span.last
    if (span.type in ("organisation", "unknown") and j < len(ts) and ts[j].text in LOWER_HEADS
            and ts[j - 1].end + 1 == ts[j].start):
        return Span(span.start, ts[j].end, "organisation", span.first, j + 1, span.confidence)
    return span


def _named_person(words: list[str]) -> bool:
    """The span ends in a given name and a surname ("…State Antony Blinken")."""
    return (len(words) >= 2 and given_name_counts().get(words[-2].lower(), 0) >= 1000
            and words[-1].isalpha() and not words[-1].isupper()
            and common_rank(words[-1].lower()) is None
            and all(words[-1].lower() not in heads for heads in HEADS.values()))


def _whole_head(ts: list[Token], span: Span) -> Span:
    """A head noun the tagger cut from its name ("General | Motors", "Chicago-based Boeing")
    takes the capitalised words before it back, and the name its head's type; a leading
    hyphenated adjective ("Chicago-based", "U.S.-led") is not part of a name."""
    first = span.first
    words = ts[first : span.last]
    head = words[-1].text.lower()
    if span.type != "event":
        for type_, heads in HEADS.items():
            if head in heads:
                while (first > 0 and ts[first - 1].cap
                       and ts[first - 1].text.lower() not in FUNCTION_WORDS
                       and ts[first - 1].text.lower().rstrip(".") not in BREAKS
                       and ts[first - 1].end + 1 == ts[first].start and span.first - first < 3):
                    first -= 1
                if first < span.first:
                    return Span(ts[first].start, span.end, type_, first, span.last,
                                span.confidence)
    while first < span.last - 1 and re.search(r"-[a-z]+$", ts[first].text):
        first += 1
    if first == span.first:
        return span
    return Span(ts[first].start, span.end, span.type, first, span.last, span.confidence)


def _not_a_name(ts: list[Token], span: Span, ev: DocumentEvidence) -> bool:
    """Spans that evidence says are not names, whatever the tagger thought.

    An adjective of nationality ("Japanese stocks", "Central Asian states"); the plural of an
    abbreviation ("UAVs"); one everyday word, capitalised only where capitals are forced and
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
        if len(ts) == 1 and rank is not None and rank < 3000 and lookup(text) is None:
            return True  # a heading of one everyday word: "Politics"
        forced = ts[span.first].sent_start or _is_headline(ts)
        if (forced and low in ev.lower and rank is not None and rank < 3000
                and lookup(text) is None and not is_given_name(low) and not text.isupper()):
            return True
    if span.type == "person" and len(words) > 1:
        return all(w.lower() in ev.lower or w.lower().rstrip(".") in TITLE_WORDS for w in words)
    return False


def _opening_word(t: Token) -> bool:
    """An English participle or adverb opening a sentence before a name ("Analyzing Aliyev's
    statements", "Speaking to reporters…")."""
    low = t.text.lower()
    return (common_rank(low) is not None and low.endswith(("ing", "ed", "ly"))
            and not is_given_name(low))


def _very_common(t: Token) -> bool:
    """One of the thousand most frequent English words and not a given name ("State")."""
    low = t.text.lower()
    rank = common_rank(low)
    return rank is not None and rank < 1000 and not is_given_name(low)


def _person_shape(ts: list[Token], span: Span, ev: DocumentEvidence) -> Span | None:
    """Evidence the tagger cannot weigh alone, applied to its persons and places.

    A person's leading words that are titles or common words are not part of the name
    ("Analyzing Aliyev" in a headline, "State Antony Blinken" after "Secretary of"); a person
    made only of such words is a role ("Supreme Commander"), not a name. A "place" whose first
    word alone is in the gazetteer and whose last word is neither a place nor an English word
    is a given name and a surname ("Ararat Mirzoyan").
    """
    if span.type == "place" and 2 <= span.last - span.first <= 3:
        whole = " ".join(t.text for t in ts[span.first : span.last])
        last = ts[span.last - 1].text
        if (lookup(whole) is None and lookup(ts[span.first].text) is not None
                and lookup(last) is None and common_rank(last.lower()) is None
                and last.isalpha() and not last.isupper()):
            return Span(span.start, span.end, "person", span.first, span.last, span.confidence)
    words = [t.text for t in ts[span.first : span.last]]
    code = next((n for n, w in enumerate(words) if any(c.isdigit() for c in w)
                 and (n > 0 or w.endswith("s") or not w.isupper())), None)
    if span.type != "event" and code is not None:
        # "Airbus A380", "A330s": a product and its model, not a person or a place; the
        # words before the model are its maker ("Airbus").
        if code == 0:
            return None
        return Span(span.start, ts[span.first + code - 1].end, "organisation", span.first,
                    span.first + code, span.confidence)
    head = words[-1].lower().rstrip(".")
    if len(words) > 1:
        named = span.type == "person" and given_name_counts().get(words[0].lower(), 0) > 10_000
        for type_, heads in HEADS.items():
            if head in heads and span.type != type_ and not named:  # "Jim Press" stays
                return Span(span.start, span.end, type_, span.first, span.last,
                            span.confidence)
    before = ts[span.first - 1].text if span.first > 0 else ""
    if span.type in ("other", "unknown") and before in ORG_NOUNS:
        # "the intelligence agency MI6", "the carrier Ryanair": the noun before says what it is.
        return Span(span.start, span.end, "organisation", span.first, span.last, span.confidence)
    if span.type not in ("person", "place", "organisation") and _named_person(words):
        span = Span(span.start, span.end, "person", span.first, span.last, span.confidence)
    if span.type != "person":
        return span
    if len(words) == 1 and not _person_evidence(ts, span.first, ev):
        return Span(span.start, span.end, "unknown", span.first, span.last, span.confidence)
    first = span.first
    while first < span.last and not _royal_name(ts, first, span.last) and (
            ts[first].text.lower().rstrip(".") in TITLE_WORDS
                                 or (_common_here(ts[first], ev)
                                     and (ts[first].sent_start or span.last - first > 2))
                                 or (span.last - first > 2 and _very_common(ts[first]))
                                 or (ts[first].sent_start and span.last - first > 1
                                     and _opening_word(ts[first]))):
        first += 1
    if first == span.last or all(_common_here(t, ev) or t.text.lower() in TITLE_WORDS
                                 for t in ts[first : span.last]):
        return None
    if first == span.first:
        return span
    return Span(ts[first].start, span.end, "person", first, span.last, span.confidence)


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
    votes: dict[str, dict[str, float]] = {}
    surnames: dict[str, float] = {}
    for ts, ss in zip(passages, found, strict=True):
        for s in ss:
            key = _key(ts, s.first, s.last)
            v = votes.setdefault(key, {})
            v[s.type] = v.get(s.type, 0.0) + 0.2 + s.confidence
            if s.type == "person" and s.last - s.first >= 2:
                last = ts[s.last - 1].text.lower()
                surnames[last] = surnames.get(last, 0.0) + 1
    decided = {k: max(v.items(), key=lambda kv: kv[1])[0] for k, v in votes.items()}
    for last in surnames:
        v = votes.get(last)
        if v is None or v.get("person", 0) * 2 >= max(v.values()):
            decided[last] = "person"
    out: list[list[Span]] = []
    for ts, ss in zip(passages, found, strict=True):
        kept = [Span(s.start, s.end, decided.get(_key(ts, s.first, s.last), s.type), s.first,
                     s.last, s.confidence) for s in ss]
        taken = {i for s in kept for i in range(s.first, s.last)}
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
                # The longest stretch from i that the article has decided elsewhere.
                for end in range(j, i, -1):
                    type_ = decided.get(_key(ts, i, end))
                    if type_ is not None and ts[end - 1].cap:
                        kept.append(Span(ts[i].start, ts[end - 1].end, type_, i, end, 0.0))
                        i = end
                        break
                else:
                    i += 1
        kept = [_lower_head(ts, _whole_head(ts, _given_before(ts, x, kept))) for x in kept]
        kept = [x for x in (_person_shape(ts, x, ev) for x in kept) if x is not None]
        kept = [x for x in kept if not _not_a_name(ts, x, ev)]
        kept += _abbreviations(ts, kept) + _candidates(ts, kept, ev) + _leftovers(ts, kept, ev)
        kept.sort(key=lambda x: x.start)
        out.append(kept)
    # A lone word with nothing of a person, that the article puts after "in", "at", "near"…,
    # is a place everywhere in it ("the first inhabitants of Coron", "introduced to Coron").
    cued = {ts[x.first].text.lower() for ts, ss in zip(passages, out, strict=True) for x in ss
            if x.last - x.first == 1 and x.first > 0
            and ts[x.first - 1].text.lower() in PLACE_PREPOSITIONS}
    for n, (ts, ss) in enumerate(zip(passages, out, strict=True)):
        out[n] = [Span(x.start, x.end, "place", x.first, x.last, x.confidence)
                  if x.last - x.first == 1 and x.type in ("person", "unknown")
                  and ts[x.first].text.lower() in cued
                  and not _person_evidence(ts, x.first, ev) else x for x in ss]
    # "Ford" where the article says "Ford Motor Company" and never "Henry Ford" is the company.
    org_first = {ts[x.first].text.lower() for ts, ss in zip(passages, out, strict=True)
                 for x in ss if x.type == "organisation" and x.last - x.first > 1}
    for n, (ts, ss) in enumerate(zip(passages, out, strict=True)):
        out[n] = [Span(x.start, x.end, "organisation", x.first, x.last, x.confidence)
                  if x.last - x.first == 1 and x.type in ("person", "unknown")
                  and ts[x.first].text.lower() in org_first
                  and not _person_evidence(ts, x.first, ev) else x for x in ss]
    return out

