"""Text helpers shared by the reader, the index and the display.

Article text is untrusted: it may carry terminal escape sequences or control characters that
would repaint or hijack a terminal. Everything shown to a person goes through ``clean``; the
offsets xref reports stay in the coordinates of the raw decoded text, so ``clean_spans`` maps
highlight spans across the removal.
"""

from __future__ import annotations

import re
import unicodedata

# CSI, OSC, DCS/SOS/PM/APC and two-character ESC sequences, then any remaining C0/C1 control
# character except tab and newline. OSC/DCS strings end at BEL or ST (ESC \), or run to the end.
_ESCAPES = re.compile(
    r"\x1b\[[0-?]*[ -/]*[@-~]?"
    r"|\x1b[\]PX^_].*?(?:\x07|\x1b\\|$)"
    r"|\x9b[0-?]*[ -/]*[@-~]?"
    r"|[\x9d\x90\x98\x9e\x9f].*?(?:\x07|\x9c|$)"
    r"|\x1b[ -~]?"
    r"|[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]",
    re.DOTALL,
)


def clean(text: str) -> str:
    """Return ``text`` without escape sequences and control characters (tab, newline kept)."""
    return _ESCAPES.sub("", text)


def clean_spans(text: str, spans: list[tuple[int, int]]) -> tuple[str, list[tuple[int, int]]]:
    """Clean ``text`` and move ``spans`` (offsets into the raw text) onto the cleaned text.

    Spans come back in the same order, one for one; a span inside removed text is empty."""
    removed: list[tuple[int, int]] = [(m.start(), m.end()) for m in _ESCAPES.finditer(text)]
    if not removed:
        return text, list(spans)
    pieces: list[str] = []
    last = 0
    for start, end in removed:
        pieces.append(text[last:start])
        last = end
    pieces.append(text[last:])

    def move(offset: int) -> int:
        shift = 0
        for start, end in removed:
            if offset >= end:
                shift += end - start
            elif offset > start:
                shift += offset - start
                break
            else:
                break
        return offset - shift

    return "".join(pieces), [(move(s), move(e)) for s, e in spans]


_FOLD = str.maketrans(
    {
        "ə": "e",
        "Ə": "E",
        "ı": "i",
        "ø": "o",
        "Ø": "O",
        "ß": "s",
        "æ": "a",
        "Æ": "A",
        "đ": "d",
        "Đ": "D",
        "ł": "l",
        "Ł": "L",
        "œ": "o",
        "Œ": "O",
        "þ": "t",
        "ð": "d",
        "\xa0": " ",
        "\u2019": "'",
        "\u2018": "'",
        "\u2010": "-",
        "\u2011": "-",
        "\u2013": "-",
        "\u2014": "-",
    }
)


_ONE: dict[str, str] = {}


def _fold_char(c: str) -> str:
    out = _ONE.get(c)
    if out is None:
        bare = "".join(x for x in unicodedata.normalize("NFKD", c) if not unicodedata.combining(x))
        out = bare if len(bare) == 1 else c
        _ONE[c] = out
    return out


def fold(text: str) -> str:
    """Fold accents and look-alike letters ("Cəbrayıl" matches "Cebrayil"), for matching only.

    Every character folds to exactly one, so offsets found in folded text hold in the original.
    """
    text = text.translate(_FOLD)
    if text.isascii():
        return text
    return "".join(c if c.isascii() else _fold_char(c) for c in text)


def slugify(text: str) -> str:
    """A lowercase ASCII slug: the stable id of an entity, or a folder name for a corpus."""
    slug = re.sub(r"[^a-z0-9]+", "-", fold(text).lower()).strip("-")
    return slug or "x"


def window(
    length: int, start: int, end: int, before: int, after: int, fixed: bool = False
) -> tuple[int, int]:
    """The stretch ``[lo, hi)`` of a text of ``length`` characters to show around
    ``start:end``: ``before`` characters before it and ``after`` after, within the text. With
    ``fixed`` the stretch keeps its width ``before + after`` at the start of the text (a
    result line of fixed size); without, what the start cuts off is not made up (a keyword
    in context, centred on its word). One function for every snippet and KWIC line, in the
    command line and the app."""
    lo = max(0, start - before)
    hi = lo + before + after if fixed else end + after
    return lo, min(length, hi)
