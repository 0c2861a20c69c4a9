"""Search results as plain frozen dataclasses, and where in an article a query matched.

No Whoosh here: an article's text is tokenised by ``iter_tokens`` (the index's analyzer, made
fast), its matches are merged into spans and grouped by passage, best passages first.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field
from typing import Any

from index.corpus import Article
from index.schema import iter_tokens

PASSAGES_PER_ARTICLE = 3


@dataclass(frozen=True)
class PassageHit:
    passage: int
    start: int
    end: int
    text: str
    highlights: tuple[tuple[int, int], ...]


@dataclass(frozen=True)
class Hit:
    id: str
    title: str
    path: str
    score: float
    byline: str | None
    date: str | None
    hits: int  # matched term occurrences in the article
    passages: tuple[PassageHit, ...]


@dataclass(frozen=True)
class SearchResult:
    """The best articles for a query. ``total`` is how many articles match when
    ``total_exact``; otherwise at least that many do (counting every match of a phrase in a
    large corpus would cost more than the search: see ``SearchEngine._top``)."""

    query: str
    total: int
    suggestion: str | None
    results: tuple[Hit, ...] = field(default_factory=tuple)
    total_exact: bool = True

    def to_json(self) -> dict[str, Any]:
        """The stable JSON interface of ``xref search --json``; ``"total_exact": false`` is
        added only when ``total`` is a lower bound, so exact answers read as they always
        have."""
        out = {
            "query": self.query,
            "total": self.total,
            "suggestion": self.suggestion,
            "results": [
                {
                    "id": h.id,
                    "title": h.title,
                    "path": h.path,
                    "score": round(h.score, 4),
                    "passages": [
                        {
                            "passage": p.passage,
                            "start": p.start,
                            "end": p.end,
                            "text": p.text,
                            "highlights": [list(x) for x in p.highlights],
                        }
                        for p in h.passages
                    ],
                }
                for h in self.results
            ],
        }
        if not self.total_exact:
            out["total_exact"] = False
        return out


def highlight_spans(
    text: str, terms: set[str], phrases: list[list[str]], ana: Any
) -> list[tuple[int, int]]:
    """Character spans in ``text`` of the matched terms and of whole phrase occurrences.

    One pass over the tokens, keeping only the last few for phrases: the time and memory
    grow with the text, and a phrase is compared only where its last word is."""
    if not terms and not phrases:
        return []
    phrases = [p for p in phrases if p]
    window: deque[tuple[str, int, int]] = deque(maxlen=max(map(len, phrases), default=1))
    ends = {p[-1] for p in phrases}
    spans: list[tuple[int, int]] = []
    for token in iter_tokens(text):
        word, start, end = token
        window.append(token)
        if word in terms:
            spans.append((start, end))
        if word in ends:
            recent = list(window)
            for phrase in phrases:
                n = len(phrase)
                if (
                    phrase[-1] == word
                    and len(recent) >= n
                    and [t[0] for t in recent[-n:]] == phrase
                ):
                    spans.append((recent[-n][1], end))
    spans.sort()
    merged: list[tuple[int, int]] = []
    for s, e in spans:
        if merged and s <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(e, merged[-1][1]))
        else:
            merged.append((s, e))
    return merged


def hit(article: Article, score: float, terms: set[str], phrases: list[list[str]], ana: Any) -> Hit:
    spans = highlight_spans(article.text, terms, phrases, ana)
    by_passage: dict[int, list[tuple[int, int]]] = {}
    for s, e in spans:
        by_passage.setdefault(article.passage_at(s), []).append((s, e))

    def rank(item: tuple[int, list[tuple[int, int]]]) -> tuple[int, int, int]:
        index, marks = item
        distinct = len({article.text[s:e].lower() for s, e in marks})
        return (-distinct, -len(marks), index)

    best = sorted(by_passage.items(), key=rank)[:PASSAGES_PER_ARTICLE]
    if not best and article.passages:
        best = [(0, [])]
    passages = tuple(
        PassageHit(
            passage=i,
            start=article.passages[i].start,
            end=article.passages[i].end,
            text=article.passage_text(i),
            highlights=tuple(marks),
        )
        for i, marks in best
    )
    return Hit(
        article.id,
        article.title,
        article.path,
        score,
        article.byline,
        article.date,
        len(spans),
        passages,
    )
