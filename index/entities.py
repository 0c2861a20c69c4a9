"""Finding mentions of persons, places, events and organisations in an article.

The default extractor is rules plus bundled data, fast and offline. It works on one article at
a time and knows nothing of the rest of the corpus: deciding that "Aliyev" here is the "Ilham
Aliyev" of another article is the linker's job (``linking.py``), so that adding an article can
change the links of older ones without extracting them again.

An extractor is anything with ``name``, ``version`` and ``extract(article) -> list[Mention]``;
a statistical recogniser (spaCy, say) could be dropped in behind the same interface.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from index import demonyms, ner, roles, span_rules, tagger, tokens
from index.corpus import Article
from index.gazetteer import common_words, lookup, place_key
from index.text import fold

TYPES = ("person", "place", "event", "organisation")
UNKNOWN = "unknown"  # a lone proper noun the linker may resolve (a surname, a company)
# A sentence opener that may be a name ("Obama said"): kept only if the linker resolves it.
CANDIDATE = "candidate"


@dataclass(frozen=True)
class Mention:
    """A span of an article's text naming something; ``key`` is what the linker compares."""

    start: int
    end: int
    text: str
    type: str
    key: str
    passage: int
    title: str = ""  # the title cue before a person's name ("President")

    def to_list(self) -> list[object]:
        return [self.start, self.end, self.type, self.key, self.passage, self.title]

    @classmethod
    def from_list(cls, text: str, row: list[object]) -> Mention:
        start, end, type_, key, passage, title = row
        assert isinstance(start, int) and isinstance(end, int)
        return cls(start, end, text[start:end], str(type_), str(key), int(str(passage)), str(title))


class Extractor(Protocol):
    name: str
    version: str

    def extract(self, article: Article) -> list[Mention]: ...


def entity_key(surface: str) -> str:
    """Case, hyphen, "the", possessive and dot variants of a name compare equal."""
    s = fold(surface).lower()
    s = re.sub(r"['’]s$", "", s)
    s = re.sub(r"^the\s+", "", s)
    s = s.replace(".", "").replace("-", " ").replace("'", "").replace("’", "")
    return " ".join(s.split())


# --- event patterns -----------------------------------------------------------------------
# Events are written with their head word ("the 2020 Karabakh war", "the Paris Summit", "COP29")
# in every corpus; these patterns claim them before the tagger reads the rest.

EVENT_WORDS = (
    "War|Declaration|Summit|Accords?|Agreement|Treaty|Conference|Olympics|Games|Papers|Crisis|Show|"
    "Revolution|Massacre|Genocide|Offensive|Protocol|Convention|Uprising|Election|Elections|"
    "Championship|Cup|Expo|Festival|Pact|Talks|Campaign|Siege|Battle|Invasion|Ceasefire"
)
_CAP = r"[A-ZÀ-ÖØ-ÞĀ-ſƏ\u0400-\u042F]"
_SENTENCE_END = re.compile(r"(?:^|[.!?:;•·–—\u2022]|[\"“”‘’'(\[])\s*$")
_YEAR_WAR = re.compile(
    rf"\b(?:the\s+)?(?:(?:first|second|third|1st|2nd|3rd)\s+(?:{_CAP}[\w'’-]+\s+){{1,2}}war"
    rf"|\d{{1,3}}[- ]day\s+war"
    rf"|(?:1[89]|20)\d\d\s+(?:{_CAP}[\w'’-]+\s+){{1,2}}war)\b",
    re.IGNORECASE,
)
_SPECIFIC_EVENT = re.compile(
    rf"\b(?:(?:the\s+)?(?:United\s+Nations|UN|U\.N\.)\s+General\s+Assembly"
    rf"|COP\s?\d{{1,2}}"
    rf"|Operation\s+{_CAP}[\w'’-]+(?:\s+{_CAP}[\w'’-]+)?)\b"
)
_NAMED_EVENT = re.compile(
    rf"\b(?:{_CAP}[\w'’-]*\s+)+(?:{EVENT_WORDS})(?:\s+(?:I|II|III|of\s+\d{{4}}))?\b"
)
_VAGUE = set(
    """new next last another this that a an any every our their his her its
future former previous same whole total big small real true full open possible potential
one two first such""".split()
)


def _common(word: str, limit: int) -> bool:
    return word.lower() in common_words(limit)


WINDOW = 20_000  # characters: longer passages are read a window at a time


def _windows(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    """``start:end`` cut after sentence ends into windows of about ``WINDOW`` characters, so a
    single 5 MB paragraph costs what a thousand small ones do."""
    while end - start > WINDOW:
        cut = -1
        for mark in (". ", "? ", "! ", "\n", " "):
            cut = text.rfind(mark, start + WINDOW // 2, start + WINDOW)
            if cut >= 0:
                cut += len(mark)
                break
        if cut < 0:
            cut = start + WINDOW
        yield start, cut
        start = cut
    yield start, end


def _rules_digest() -> str:
    import hashlib
    from importlib import resources

    h = hashlib.sha1(Path(__file__).read_bytes())
    for module in (demonyms, ner, roles, span_rules, tagger, tokens):  # the name finder decides too
        h.update(Path(str(module.__file__)).read_bytes())
    for name in (
        "places.tsv.gz",
        "common_words.txt.gz",
        "ner_model.json.gz",
        "given_names.tsv.gz",
        "surnames.txt.gz",
    ):
        h.update(resources.files("index.data").joinpath(name).read_bytes())
    return h.hexdigest()[:12]


class RuleExtractor:
    """Capitalised spans, title cues, a gazetteer, cue words and event patterns."""

    name = "rules"
    # Any change to these rules or the bundled data re-extracts every article on next open.
    version = _rules_digest()

    def __init__(
        self, phrases: dict[str, tuple[str, str]] | None = None, ignore: set[str] | None = None
    ) -> None:
        # Catalogue aliases that the rules would not find by themselves ("anti-terror
        # operation"): folded lower-case phrase -> (type, key).
        self.phrases = phrases or {}
        self.ignore = ignore or set()
        self._phrase_re = None
        if self.phrases:
            alts = sorted(self.phrases, key=len, reverse=True)
            self._phrase_re = re.compile(
                r"(?<!\w)(?:the\s+)?(" + "|".join(re.escape(a) for a in alts) + r")(?!\w)",
                re.IGNORECASE,
            )

    def extract(self, article: Article) -> list[Mention]:
        text = article.text
        mentions: list[Mention] = []
        if article.byline:
            # The byline found by the corpus reader is a person wherever the text shows it.
            key = entity_key(article.byline)
            for found in re.finditer(re.escape(article.byline), text):
                p = article.passages[article.passage_at(found.start())]
                mentions.append(
                    Mention(found.start(), found.end(), found.group(0), "person", key, p.index)
                )
        bylines = [(m.start, m.end) for m in mentions]
        windows = [
            (p.index, s, e) for p in article.passages for s, e in _windows(text, p.start, p.end)
        ]
        tokens = [ner.tokenize(text, s, e) for _, s, e in windows]
        names = ner.tag_document(ner.tagger(), tokens)
        for (index, s, e), toks, spans in zip(windows, tokens, names, strict=True):
            for m in self._window(text, index, s, e, toks, spans):
                if all(m.end <= a or m.start >= b for a, b in bylines):
                    mentions.append(m)
        mentions.sort(key=lambda m: m.start)
        if self.ignore:
            mentions = [m for m in mentions if m.key not in self.ignore]
        return mentions

    # --- one window of a passage ---------------------------------------------------------

    def _window(
        self,
        text: str,
        index: int,
        start: int,
        end: int,
        tokens: list[ner.Token],
        spans: list[ner.Span],
    ) -> list[Mention]:
        chunk = text[start:end]
        # Spans already claimed, kept sorted and disjoint so that a check is a bisection: a
        # linear scan made one 5 MB paragraph quadratic.
        starts: list[int] = []
        ends: list[int] = []
        out: list[Mention] = []

        def free(s: int, e: int) -> bool:
            i = bisect.bisect_right(starts, s)
            if i > 0 and ends[i - 1] > s:
                return False
            return not (i < len(starts) and starts[i] < e)

        def add(s: int, e: int, type_: str, key: str, title: str = "") -> None:
            surface = chunk[s:e]
            while surface.endswith(("'s", "’s", "'", "’")):
                cut = 2 if surface.endswith(("'s", "’s")) else 1
                e -= cut
                surface = chunk[s:e]
            if e <= s or not free(s, e) or not key:
                return
            i = bisect.bisect_right(starts, s)
            starts.insert(i, s)
            ends.insert(i, e)
            out.append(Mention(start + s, start + e, surface, type_, key, index, title))

        self._claims(chunk, add)  # what the catalogue and the event patterns name comes first
        # Then the names the tagger found.
        for span in spans:
            title = ""
            if span.type == "other":
                # A work, a product, a brand ("iPhone", "Apple" where it sells one): a name a
                # reader may follow, that the corpus may yet type.
                span = ner.Span(
                    span.start, span.end, UNKNOWN, span.first, span.last, span.confidence
                )
            if span.type in ("person", UNKNOWN):
                span, title = ner.strip_titles(tokens, span)
            if span.type not in (*TYPES, UNKNOWN, CANDIDATE):
                continue
            s, e = span.start - start, span.end - start
            if free(s, e):
                add(s, e, span.type, _key_of(span.type, chunk[s:e]), title)
        out.sort(key=lambda x: x.start)
        return out

    def _claims(self, chunk: str, add: Any) -> None:
        """Catalogue phrases, then the event patterns, before the tagger's names."""
        if self._phrase_re is not None:
            folded = fold(chunk)
            for m in self._phrase_re.finditer(folded):
                type_, key = self.phrases[" ".join(m.group(1).lower().split())]
                add(m.start(1), m.end(1), type_, key)
        for m in _YEAR_WAR.finditer(chunk):
            lead = re.match(r"the\s+", m.group(0), re.IGNORECASE)
            s = m.start() + (lead.end() if lead else 0)
            add(s, m.end(), "event", _event_key(chunk[s : m.end()]))
        for m in _SPECIFIC_EVENT.finditer(chunk):
            self._event(chunk, m.start(), m.end(), add)
        for m in _NAMED_EVENT.finditer(chunk):
            self._event(chunk, m.start(), m.end(), add)

    def _event(self, chunk: str, s: int, e: int, add: Any) -> None:
        if re.match(r"[ \t]+[A-Z]", chunk[e : e + 2]):
            return  # the name goes on: "Collective Security Treaty Organization"
        surface = chunk[s:e]
        if surface.lower().startswith(("the ", "a ")):
            s += surface.index(" ") + 1
        words = chunk[s:e].split()
        if self._sentence_start(chunk, s) and _common(words[0], 3000) and len(words) > 2:
            s += len(words[0]) + 1
            words = words[1:]
        if len(words) < 2 and not words[0].upper().startswith("COP"):
            return
        if words[0].lower() in _VAGUE:
            return
        add(s, e, "event", _event_key(chunk[s:e]))

    @staticmethod
    def _sentence_start(chunk: str, offset: int) -> bool:
        return bool(_SENTENCE_END.search(chunk[max(0, offset - 3) : offset])) or offset == 0


_ABBREVIATIONS = {
    "un": "united nations",
    "us": "united states",
    "uk": "united kingdom",
    "eu": "european union",
}


def _key_of(type_: str, surface: str) -> str:
    """What the linker compares for a name of this type: a place's gazetteer spelling, an
    organisation's or event's expanded form, else the name without initials."""
    if type_ == "place":
        place = lookup(surface)
        return entity_key(place.canonical) if place is not None else entity_key(surface)
    if type_ == "organisation":
        return _org_key(surface)
    if type_ == "event":
        return _event_key(surface)
    return entity_key(" ".join(w for w in surface.split() if not re.fullmatch(r"[A-Z]\.?", w)))


def _org_key(surface: str) -> str:
    words = entity_key(surface).split()
    return " ".join(_ABBREVIATIONS.get(w, w) for w in words)


def _event_key(surface: str) -> str:
    """Event keys name the places inside them canonically: "Second Karabakh War" and "Second
    Nagorno-Karabakh War" are one key because Karabakh and Nagorno-Karabakh are one place."""
    words = entity_key(surface).split()
    out: list[str] = []
    i = 0
    while i < len(words):
        for size in range(min(3, len(words) - i), 0, -1):
            hit = lookup(" ".join(words[i : i + size]).title())
            if hit is not None and hit.kind in ("region", "country", "subdivision"):
                out.append(place_key(hit.canonical))
                i += size
                break
        else:
            out.append(words[i])
            i += 1
    out = [_ABBREVIATIONS.get(w, w) for w in out]
    return re.sub(r" of \d{4}$", "", " ".join(out))
