"""Finding a bookmarked quote again after its article changed.

A bookmark carries the W3C Web Annotation selectors: a text-position selector (``start``,
``end``) and a text-quote selector (``quote`` with up to 32 characters of ``prefix`` and
``suffix``). Re-anchoring tries them from the most to the least certain:

1. **exact** — the old offsets still hold the quote;
2. **moved** — the quote occurs elsewhere; between repeats, the one whose surroundings match
   the stored prefix and suffix best wins, then the one nearest the old offset; if that still
   does not decide, the bookmark is **ambiguous**;
3. **fuzzy** — the quote was edited: the closest passage of text is accepted only when its
   similarity reaches ``FUZZY_MIN`` *and* beats the second-best place by ``FUZZY_MARGIN``, and
   never for quotes shorter than ``FUZZY_MIN_CHARS``. Annotators without those two rules move
   notes onto unrelated text; an orphan shown with its quote is better than a wrong place;
4. **orphaned** — none of the above; the bookmark keeps its quote and is never dropped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

CONTEXT = 32  # characters of prefix and suffix stored with a quote
FUZZY_MIN = 0.85  # similarity (difflib ratio) a fuzzy match must reach
FUZZY_MARGIN = 0.10  # and by how much it must beat the second-best place
FUZZY_MIN_CHARS = 24  # shorter quotes are never matched fuzzily
MAX_REPEATS = 500  # occurrences of a quote looked at

EXACT, MOVED, FUZZY, AMBIGUOUS, ORPHANED = "exact", "moved", "fuzzy", "ambiguous", "orphaned"


@dataclass(frozen=True)
class Anchor:
    """Where a quote is now, and how sure we are."""

    state: str
    start: int | None = None
    end: int | None = None
    score: float | None = None  # similarity for fuzzy matches
    reason: str = ""

    def describe(self) -> str:
        if self.state == FUZZY and self.score is not None:
            return f"fuzzy {self.score:.2f}"
        return self.state


def context_of(text: str, start: int, end: int) -> tuple[str, str]:
    """The prefix and suffix stored with a quote at ``text[start:end]``."""
    return text[max(0, start - CONTEXT) : start], text[end : end + CONTEXT]


def _common_suffix(a: str, b: str) -> int:
    n = 0
    for x, y in zip(reversed(a), reversed(b), strict=False):
        if x != y:
            break
        n += 1
    return n


def _common_prefix(a: str, b: str) -> int:
    n = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        n += 1
    return n


def _context_score(text: str, start: int, end: int, prefix: str, suffix: str) -> int:
    before, after = context_of(text, start, end)
    return _common_suffix(before, prefix) + _common_prefix(after, suffix)


def _occurrences(text: str, quote: str) -> list[int]:
    found: list[int] = []
    i = text.find(quote)
    while i >= 0 and len(found) < MAX_REPEATS:
        found.append(i)
        i = text.find(quote, i + 1)
    return found


def anchor(
    text: str | None,
    quote: str,
    prefix: str = "",
    suffix: str = "",
    start: int | None = None,
    end: int | None = None,
) -> Anchor:
    """Re-anchor ``quote`` in ``text`` (None when the article is gone)."""
    if text is None:
        return Anchor(ORPHANED, reason="the article is no longer in the corpus")
    if not quote:
        return Anchor(ORPHANED, reason="the bookmark has no quote")
    if (
        isinstance(start, int)
        and isinstance(end, int)
        and 0 <= start <= end <= len(text)
        and text[start:end] == quote
    ):
        return Anchor(EXACT, start, end)
    hits = _occurrences(text, quote)
    if hits:
        return _choose(text, quote, prefix, suffix, start, hits)
    if len(quote) < FUZZY_MIN_CHARS:
        return Anchor(
            ORPHANED,
            reason=f"quote not found (too short, {len(quote)} characters, to match approximately)",
        )
    return _fuzzy(text, quote, prefix, suffix, start)


def _choose(
    text: str, quote: str, prefix: str, suffix: str, old: int | None, hits: list[int]
) -> Anchor:
    if len(hits) == 1:
        return Anchor(MOVED, hits[0], hits[0] + len(quote))

    def rank(i: int) -> tuple[int, int]:
        ctx = _context_score(text, i, i + len(quote), prefix, suffix)
        distance = abs(i - old) if isinstance(old, int) else 0
        return (-ctx, distance)

    ranked = sorted(hits, key=rank)
    best, second = rank(ranked[0]), rank(ranked[1])
    if best == second:
        return Anchor(
            AMBIGUOUS,
            reason=f"the quote occurs {len(hits)} times and neither its "
            "context nor its old place tells them apart",
        )
    return Anchor(MOVED, ranked[0], ranked[0] + len(quote))


_WORD = re.compile(r"\w{4,}")


def _candidates(text: str, quote: str, limit: int = 8) -> list[int]:
    """Likely start positions of an edited quote: words of the quote found in the text vote
    for where the quote would start."""
    votes: dict[int, int] = {}
    bucket = max(8, len(quote) // 4)
    for m in _WORD.finditer(quote):
        word, offset = m.group(), m.start()
        i = text.find(word)
        seen = 0
        while i >= 0 and seen < 200:
            b = (i - offset) // bucket
            votes[b] = votes.get(b, 0) + 1
            i = text.find(word, i + 1)
            seen += 1
    best = sorted(votes, key=lambda b: -votes[b])[:limit]
    return [max(0, b * bucket) for b in best]


def _align(text: str, quote: str, around: int) -> tuple[float, int, int]:
    """The best match of ``quote`` in a window of ``text`` near ``around``: (score, start, end).

    RapidFuzz aligns in C: difflib's matcher took a second per hundred bookmarks whose quote
    was edited, and a file of thousands of them a minute to list."""
    from rapidfuzz.distance import Indel
    from rapidfuzz.fuzz import partial_ratio_alignment

    slack = len(quote) // 2 + 16
    lo = max(0, around - slack)
    hi = min(len(text), around + len(quote) + 2 * slack)
    best = partial_ratio_alignment(quote, text[lo:hi])
    if best is None or best.score == 0:
        return 0.0, around, around
    # The best stretch of the quote's length, widened so that an edit that made the quote
    # longer or shorter still fits; then its first and last shared runs bound the match.
    give = len(quote) // 4 + 4
    lo, hi = max(lo, lo + best.dest_start - give), min(hi, lo + best.dest_end + give)
    window = text[lo:hi]
    blocks = [b for b in Indel.opcodes(quote, window).as_matching_blocks() if b.size >= 3]
    if not blocks:
        return 0.0, around, around
    s = lo + blocks[0].b - blocks[0].a
    e = lo + blocks[-1].b + blocks[-1].size + (len(quote) - blocks[-1].a - blocks[-1].size)
    s, e = max(lo, s), min(hi, e)
    return Indel.normalized_similarity(quote, text[s:e]), s, e


def _fuzzy(text: str, quote: str, prefix: str, suffix: str, old: int | None) -> Anchor:
    scored: list[tuple[float, int, int]] = []
    for c in _candidates(text, quote):
        scored.append(_align(text, quote, c))
    scored.sort(key=lambda t: -t[0])
    # Keep one score per place: overlapping candidates are the same place.
    places: list[tuple[float, int, int]] = []
    for sc, s, e in scored:
        if all(e <= ps or s >= pe for _, ps, pe in places):
            places.append((sc, s, e))
    if not places or places[0][0] < FUZZY_MIN:
        best = places[0][0] if places else 0.0
        return Anchor(
            ORPHANED, reason=f"quote not found (closest text {best:.2f} similar, below {FUZZY_MIN})"
        )
    score, s, e = places[0]
    runner_up = places[1][0] if len(places) > 1 else 0.0
    if score - runner_up < FUZZY_MARGIN:
        return Anchor(
            AMBIGUOUS,
            score=round(score, 3),
            reason=f"two places match the edited quote ({score:.2f} and {runner_up:.2f})",
        )
    return Anchor(FUZZY, s, e, round(score, 3))
