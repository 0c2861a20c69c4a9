"""What index time stores of an article's entities, and how the catalogue is applied to it.

Extraction is the slow part of a build, so what it stores depends only on what the extractor
looks for: the rules and the catalogue's phrases with the keys they give (its *extraction
digest*). The rest of the catalogue (merges, ignored names, the type of an entity) is applied
when linking and reading (``CatalogueView``), so that editing it costs a re-link over the
stored summaries, never a re-extraction. A rebuilt index and a re-linked one give the same
links and mentions: a test keeps them equal.
"""

from __future__ import annotations

import itertools
import re
from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from index.documents import Enrichment

if TYPE_CHECKING:
    from index.catalogue import Catalogue
    from index.corpus import Article
    from index.entities import Mention, RuleExtractor

# ``index.entities.UNKNOWN`` and ``CANDIDATE`` (a test keeps them equal): the extractor, its
# tagger and the linker are imported only by what uses them, not by a search.
UNKNOWN = "unknown"
CANDIDATE = "candidate"
_SURENESS = {CANDIDATE: 0, UNKNOWN: 1}  # every real type counts 2
_APPOSITION = re.compile(
    r"^\s*,?\s*\(?\s*(?:(?:also|otherwise|better|commonly|widely|locally)\s+)?"
    r"(?:known|referred to|called)\s+as\s+(?:the\s+)?$|^\s*\(\s*(?:the\s+)?$",
    re.IGNORECASE,
)


def apposition_candidates(text: str, mentions: list[Mention]) -> list[list[str]]:
    """Pairs of keys the text may say are one ("X, also known as Y", "X (Y)" where Y
    abbreviates X), each with the two mentions' types: ``[a, b, type_a, type_b]``. The
    types are checked when linking (``CatalogueView.appositions``), because the catalogue
    may change the type of a phrase's mentions without a re-extraction."""
    from index.ner import abbreviates

    pairs = []
    for a, b in itertools.pairwise(mentions):
        if a.passage != b.passage or a.key == b.key or b.start - a.end > 40:
            continue
        between = text[a.end : b.start]
        if not _APPOSITION.match(between):
            continue
        if re.search(r"(?i)known|called|referred", between) or abbreviates(b.text, a.text):
            pairs.append([a.key, b.key, a.type, b.type])
    return pairs


def _same_kind(type_a: str, type_b: str) -> bool:
    """A bracket or "known as" joins two names of one type, or one the rules are unsure of."""
    return type_a == type_b or UNKNOWN in (type_a, type_b)


def appositions(text: str, mentions: list[Mention]) -> list[list[str]]:
    """Pairs of keys that the text says are one: "X, also known as Y", and "X (Y)" where Y
    abbreviates X. A bracket alone proves nothing: "the largest arts center in the U.S.
    (Playhouse Square Center)" names two things."""
    return [[a, b] for a, b, ta, tb in apposition_candidates(text, mentions) if _same_kind(ta, tb)]


@dataclass(frozen=True)
class CatalogueView:
    """The parts of the catalogue applied after extraction: names to ignore, and the type
    each catalogue key gives its phrases' mentions (a mention's stored type was the one in
    force when it was extracted)."""

    ignore: frozenset[str] = frozenset()
    types: dict[str, str] = field(default_factory=dict)

    @classmethod
    def of(cls, catalogue: Catalogue) -> CatalogueView:
        types = {key: type_ for type_, key in catalogue.phrases().values()}
        return cls(frozenset(catalogue.ignore), types)

    def type_of(self, key: str, stored: str) -> str:
        return self.types.get(key, stored)

    def rows(self, rows: list[list[Any]]) -> list[list[Any]]:
        """An article's summary rows as the linker reads them (a catalogue key's type)."""
        if not self.types:
            return rows
        return [[r[0], self.types[r[0]], *r[2:]] if r[0] in self.types else r for r in rows]

    def appositions(self, stored: list[list[str]]) -> list[list[str]]:
        """The stored pairs whose two names may be one, with the catalogue's types."""
        out = []
        for pair in stored:
            if len(pair) == 4:
                a, b, ta, tb = pair
                if not _same_kind(self.type_of(a, ta), self.type_of(b, tb)):
                    continue
            out.append([pair[0], pair[1]])
        return out


class _Enricher:
    """Entity extraction for the store, one article at a time. It pickles as the catalogue's
    phrases only: a build worker receives it once and makes its own extractor on first use,
    so the tagger's weights load once per process, never per article. Ignored names are
    kept (``ignore`` is for callers of the old shape; the library passes none) and dropped
    when linking and reading, so that ignoring a name, or no longer ignoring it, costs a
    re-link."""

    def __init__(self, phrases: dict[str, tuple[str, str]], ignore: set[str]) -> None:
        self.phrases = phrases
        self.ignore = ignore
        self._extractor: RuleExtractor | None = None

    def __getstate__(self) -> dict[str, Any]:
        return {"phrases": self.phrases, "ignore": self.ignore}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__init__(state["phrases"], state["ignore"])  # type: ignore[misc]

    @property
    def extractor(self) -> RuleExtractor:
        if self._extractor is None:
            from index.entities import RuleExtractor

            self._extractor = RuleExtractor(self.phrases, self.ignore)
        return self._extractor

    def __call__(self, article: Article) -> Enrichment:
        mentions = self.extractor.extract(article)
        rows: dict[str, list[Any]] = {}
        counts: Counter[str] = Counter()
        forms: dict[str, Counter[str]] = {}
        for m in mentions:
            counts[m.key] += 1
            forms.setdefault(m.key, Counter())[m.text] += 1
            row = rows.setdefault(m.key, [m.key, m.type, 0, m.text, ""])
            if _SURENESS.get(m.type, 2) > _SURENESS.get(row[1], 2):  # a type beats unsure
                row[1] = m.type
            if m.title and not row[4]:
                row[4] = f"{m.title} {m.text}"
        for key, row in rows.items():
            row[2] = counts[key]
            row[3] = forms[key].most_common(1)[0][0]
        return Enrichment(
            keys=sorted(rows),
            stored=[m.to_list() for m in mentions],
            summary={
                "rows": list(rows.values()),
                "appos": apposition_candidates(article.text, mentions),
            },
        )
