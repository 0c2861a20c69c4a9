"""Excerpts by keyboard: the sentence at a point, growing a selection by word or sentence.

Bookmarks quote sentences far more often than arbitrary spans, so the default excerpt is the
current sentence; these helpers find its bounds in raw article text (offsets stay in the same
coordinates as everything else) without a language model.
"""

from __future__ import annotations

import re

# A sentence ends at . ! ? (and closing quotes or brackets), then white space.
_END = re.compile(r"[.!?…][\"'”’)\]]*(?=\s)")
# Words after which a full stop does not end a sentence.
_ABBREV = {
    "mr",
    "mrs",
    "ms",
    "dr",
    "gen",
    "col",
    "lt",
    "sgt",
    "st",
    "prof",
    "sen",
    "rep",
    "gov",
    "jr",
    "sr",
    "no",
    "vs",
    "etc",
    "inc",
    "ltd",
    "co",
    "corp",
    "maj",
    "capt",
    "u.s",
    "u.n",
    "u.k",
    "e.g",
    "i.e",
    "jan",
    "feb",
    "mar",
    "apr",
    "aug",
    "sept",
    "sep",
    "oct",
    "nov",
    "dec",
}
_WORD = re.compile(r"\S+")


def _is_end(text: str, m: re.Match[str]) -> bool:
    before = text[: m.start() + 1]
    word = re.search(r"([\w.]+)[.!?…]$", before)
    if m.group(0).startswith(".") and word is not None:
        w = word.group(1).lower()
        if w in _ABBREV or len(w) == 1:  # "Mr." "U.S." "J. Smith"
            return False
    return True


def sentences(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """The sentences of ``text[start:end]`` as (start, end), white space trimmed."""
    out: list[tuple[int, int]] = []
    chunk = text[start:end]
    pos = 0
    for m in _END.finditer(chunk):
        if not _is_end(chunk, m):
            continue
        out.append((pos, m.end()))
        pos = m.end()
    out.append((pos, len(chunk)))
    trimmed = []
    for s, e in out:
        piece = chunk[s:e]
        lead = len(piece) - len(piece.lstrip())
        tail = len(piece) - len(piece.rstrip())
        if e - tail > s + lead:
            trimmed.append((start + s + lead, start + e - tail))
    return trimmed or [(start, end)]


def sentence_at(text: str, start: int, end: int, offset: int) -> tuple[int, int]:
    """The sentence of the passage ``start:end`` that holds ``offset`` (else the nearest)."""
    found = sentences(text, start, end)
    for s, e in found:
        if offset < e:
            return s, e
    return found[-1]


def grow_sentence(text: str, start: int, end: int, sel: tuple[int, int]) -> tuple[int, int]:
    """Extend ``sel`` to the end of the next sentence of the passage."""
    for _s, e in sentences(text, start, end):
        if e > sel[1]:
            return sel[0], e
    return sel


def grow_word(text: str, end: int, sel: tuple[int, int]) -> tuple[int, int]:
    """Extend ``sel`` by the next word, not past ``end`` (the passage end)."""
    m = _WORD.search(text, sel[1], end)
    return (sel[0], m.end()) if m else sel


def shrink_word(text: str, sel: tuple[int, int]) -> tuple[int, int]:
    """Drop the last word of ``sel`` (never to nothing)."""
    inner = text[sel[0] : sel[1]].rstrip()
    cut = inner.rfind(" ")
    if cut <= 0:
        return sel
    return sel[0], sel[0] + len(inner[:cut].rstrip())


def any_spacing(text: str) -> re.Pattern[str]:
    """``text`` as a pattern in which each run of white space matches any white space: text
    copied off a screen or pasted into a shell rarely keeps the article's line breaks."""
    return re.compile(r"\s+".join(re.escape(w) for w in text.split()))


def locate_selection(text: str, selected: str, near: int) -> tuple[int, int] | None:
    """Where a mouse selection (text copied off the screen, wrapped, maybe with passage
    numbers) is in the article: the occurrence nearest ``near``."""
    cleaned = re.sub(r"(?m)^\s*\d+ ", "", selected).strip()
    if not cleaned:
        return None
    pattern = any_spacing(cleaned)
    best: tuple[int, int] | None = None
    for m in pattern.finditer(text):
        if best is None or abs(m.start() - near) < abs(best[0] - near):
            best = (m.start(), m.end())
    return best
