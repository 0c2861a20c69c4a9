"""The statistical part of name finding: an averaged perceptron over capitalised runs.

Features are the word's shape and neighbours, the gazetteer, given names and surnames, and
how the article writes the word elsewhere. The weights are trained by
``index/data/train_ner.py`` on openly licensed GUM documents (CC BY / CC BY-SA genres, train
split only) and shipped as ``index/data/ner_model.json.gz``; only tokens inside capitalised
runs are scored, so tagging costs a few microseconds per word of running text.
"""

from __future__ import annotations

import gzip
import json
import re
from functools import cache
from importlib import resources
from operator import add
from typing import NamedTuple

from index.gazetteer import given_name_counts, given_names, lookup, surname_ranks
from index.tokens import HEADS, TITLE_WORDS, DocumentEvidence, Token, common_rank, runs

LABELS = (
    "O",
    "B-person",
    "I-person",
    "B-place",
    "I-place",
    "B-organisation",
    "I-organisation",
    "B-event",
    "I-event",
    "B-other",
    "I-other",
)
_L = len(LABELS)
_INSIDE = {i: LABELS[i][2:] for i in range(1, _L) if LABELS[i].startswith("I-")}


class Span(NamedTuple):
    """A proposed name: offsets into the text, its type, its tokens, how sure the tagger was."""

    start: int  # offsets into the text
    end: int
    type: str  # person, place, organisation, event, other
    first: int  # token indexes, end exclusive
    last: int
    confidence: float  # margin of the decision, 0..1


@cache
def _shape(w: str) -> str:
    s = re.sub(r"[A-Z]", "X", w)
    s = re.sub(r"[^\W\d_]", "x", s)
    s = re.sub(r"\d", "d", s)
    return re.sub(r"(.)\1{2,}", r"\1\1", s)


@cache
def _rank_bucket(word: str) -> str:
    r = common_rank(word.lower())
    if r is None:
        return "none"
    return "500" if r < 500 else "3k" if r < 3000 else "10k" if r < 10_000 else "25k"


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


def features(
    tokens: list[Token],
    i: int,
    a: int,
    b: int,
    ev: DocumentEvidence,
    places: dict[int, tuple[int, str]],
    headline: bool,
) -> list[str]:
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
    head = next((t for t, heads in HEADS.items() if last in heads), "")
    if head:
        f.append("head=" + head + pos)
    f.append("before2=" + (tokens[a - 2].text.lower() if a > 1 else "<s>"))
    f.append("n1sh=" + _shape(nxt))
    f += _evidence(t, pos, rank, ev)
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


def _evidence(t: Token, pos: str, rank: str, ev: DocumentEvidence) -> list[str]:
    """What the article and the bundled name lists say of the word itself."""
    w = t.text
    low = w.lower()
    f = []
    if low in ev.name_last:
        f.append("namelast" + pos)
    if low in ev.name_first:
        f.append("namefirst" + pos)
    if not t.cap:
        f.append("conn=" + low)
    else:
        f.append("low=" + str(w in ev.lower or low in ev.lower) + rank)
        f.append("mid=" + str(low in ev.cap_mid) + str(t.sent_start))
    given = given_names().get(low.rstrip("."), "")
    if given:
        count = given_name_counts().get(low.rstrip("."), 0)
        f.append("given=" + given + pos)
        f.append("givenc=" + ("big" if count > 100_000 else "mid" if count > 5_000 else "low"))
    srank = surname_ranks().get(low)
    if srank is not None:
        f.append("sur=" + ("1k" if srank < 1000 else "10k" if srank < 10_000 else "80k") + pos)
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
                s = list(map(add, s, w))  # the label loop in C: scoring is most of tagging
        return s

    def tag_run(
        self, tokens: list[Token], a: int, b: int, ev: DocumentEvidence, headline: bool
    ) -> list[tuple[int, float]]:
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
    ranked = sorted((k for k in range(_L) if _allowed(k, prev, cap, last)), key=lambda k: -s[k])
    top = ranked[0]
    second = s[ranked[1]] if len(ranked) > 1 else s[top] - 10
    return top, min(1.0, (s[top] - second) / 10)


def spans(
    tagger: Tagger, tokens: list[Token], ev: DocumentEvidence, headline: bool = False
) -> list[Span]:
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
            prev = out[-1] if out else None
            if prev is not None and prev.last == a + i and prev.type == type_ and prev.first >= a:
                # Two names of one type side by side in one run ("Dow | Jones | Industrial",
                # three persons) are one name: 13 of GUM's 8,226 neighbouring names are not.
                out[-1] = prev._replace(end=tokens[a + j - 1].end, last=a + j)
            else:
                out.append(
                    Span(
                        tokens[a + i].start, tokens[a + j - 1].end, type_, a + i, a + j, min(confs)
                    )
                )
            i = j
    return out


@cache
def tagger() -> Tagger:
    data = resources.files("index.data").joinpath("ner_model.json.gz").read_bytes()
    raw = json.loads(gzip.decompress(data))
    return Tagger({f: [w / raw["scale"] for w in ws] for f, ws in raw["weights"].items()})
