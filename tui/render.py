"""Turning untrusted article text into Rich ``Text`` for display: never markup, no control
characters or escape sequences, styled spans for search hits and entity mentions."""

from __future__ import annotations

from dataclasses import dataclass

from rich.style import Style
from rich.text import Text

from index.text import clean, clean_spans

# Distinguishable without colour: bold, underline, italic, and a dotted-ish reverse for events.
TYPE_STYLES = {
    "person": Style(bold=True, color="cyan"),
    "place": Style(underline=True, color="green"),
    "event": Style(italic=True, color="magenta"),
    "organisation": Style(color="yellow", underline2=True),
}
HIT = Style(reverse=True, bold=True)
CURRENT_MENTION = Style(reverse=True, color="bright_white", bgcolor="blue")
MARK = Style(bgcolor="dark_orange3", color="black", bold=True)
SELECTED = Style(bgcolor="grey35", underline=True)


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    style: Style


def plain(text: str) -> Text:
    """Untrusted text as a ``Text`` that nothing will interpret."""
    return Text(clean(text), no_wrap=False)


def styled(text: str, offset: int, spans: list[Span]) -> Text:
    """``text`` (which starts at ``offset`` in its article) with article-offset ``spans``."""
    local = [(max(0, s.start - offset), min(len(text), s.end - offset)) for s in spans]
    cleaned, moved = clean_spans(text, local)
    out = Text(cleaned)
    for (s, e), span in zip(moved, spans, strict=False):
        if e > s:
            out.stylize(span.style, s, e)
    return out
