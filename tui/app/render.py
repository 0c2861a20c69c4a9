"""Turning untrusted article text into Rich ``Text`` for display: never markup, no control
characters or escape sequences, styled spans for search hits and entity mentions.

``plain`` is how any outside string (a title, a file name, a tag, an error that quotes them)
reaches a Textual widget; ``notify`` is given ``markup=False`` wherever such a string is in
the message."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from rich.style import Style
from rich.text import Text

from index.corpus import Article
from index.text import clean_spans
from tui.sanitise import shown

# Distinguishable without colour: bold, underline, italic, double underline, dim grey. The
# colours are the theme's: each meets WCAG AA (4.5:1) on that theme's panes, which no one
# colour does on both a dark and a light background (tests/test_tui_contrast.py measures).
_SHAPES = {
    "person": Style(bold=True),
    "place": Style(underline=True),
    "event": Style(italic=True),
    "organisation": Style(underline2=True),
    "unknown": Style(bold=True),  # a name the corpus could not type: there, but quieter
}
PALETTES = {
    "dark": {
        "person": "#5fd7ff",
        "place": "#87d787",
        "event": "#d787ff",
        "organisation": "#ffd75f",
        "unknown": "#a8a8a8",
    },
    "light": {
        "person": "#005f87",
        "place": "#1b5e20",
        "event": "#8e24aa",
        "organisation": "#7a4f00",
        "unknown": "#555555",
    },
}
TYPE_STYLES: dict[str, Style] = {}  # filled by use_palette, for the theme in use


def use_palette(dark: bool) -> None:
    """Style mentions for a dark or a light theme (the app calls it when the theme changes;
    the dict is updated in place, so every pane reads the new colours when it paints)."""
    colours = PALETTES["dark" if dark else "light"]
    for type_, shape in _SHAPES.items():
        TYPE_STYLES[type_] = shape + Style(color=colours[type_])


use_palette(dark=True)
HIT = Style(reverse=True, bold=True)
# Explicit colours, the same in both themes: white on blue (6.7:1), black on amber (11:1).
CURRENT_MENTION = Style(color="#ffffff", bgcolor="#1d4ed8", bold=True)
MARK = Style(bgcolor="#ffaf00", color="#000000", bold=True)
SELECTED = Style(bgcolor="#585858", color="#ffffff", underline=True)  # 7:1


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    style: Style


def plain(text: str, multiline: bool = False) -> Text:
    """Untrusted text as a ``Text`` that nothing will interpret: no markup (a ``Text`` is
    never parsed), no escape sequences or bidi overrides, one line unless ``multiline``."""
    return Text(shown(text, multiline), no_wrap=False)


def heading(article: Article) -> Text:
    """An article's title in bold over its byline, date and id, dimmed."""
    head = Text()
    head.append_text(plain(article.title))
    head.stylize("bold")
    meta = " · ".join(x for x in (article.byline, article.date, article.id) if x)
    head.append("\n")
    head.append_text(Text(shown(meta), style="dim"))
    head.append("\n")
    head.append_text(Text(shown(source_line(article)), style="dim"))
    return head


KINDS = {"html": "web page", "pdf": "PDF", "email": "e-mail", "jsonl": "JSONL", "csv": "CSV"}


def source_line(article: Article) -> str:
    """Where the text came from: the file (and record), the web address when known, the
    format and a PDF's pages; ``O`` opens the file."""
    parts = [f"from {article.path}"]
    if article.url:
        parts.append(article.url)
    kind = KINDS.get(article.kind)
    if kind and article.pages:
        n = len(article.pages)
        kind += f", {n} page{'s' * (n != 1)}"
    if kind:
        parts.append(kind)
    return " · ".join(parts) + " (O opens it)"


def styled(text: str, offset: int, spans: list[Span]) -> Text:
    """``text`` (which starts at ``offset`` in its article) with article-offset ``spans``."""
    local = [(max(0, s.start - offset), min(len(text), s.end - offset)) for s in spans]
    cleaned, moved = clean_spans(text, local)
    out = Text(cleaned)
    for (s, e), span in zip(moved, spans, strict=False):
        if e > s:
            out.stylize(span.style, s, e)
    return out


class PlainNotify:
    """Mixed into screens and widgets whose notifications may quote outside text (a file
    name, a title, a YAML problem naming a value): the message is sanitised and never read
    as markup, so ``[link='x]y.txt`` is not a MarkupError and ``[@click=app.quit]`` is not a
    button. Every notification of these classes goes through here, not only the ones someone
    remembered."""

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: Any = "information",
        timeout: float | None = None,
        markup: bool = False,
    ) -> None:
        super().notify(  # type: ignore[misc]  # a mixin: Screen or Widget has notify
            shown(message, multiline=True),
            title=shown(title),
            severity=severity,
            timeout=timeout,
            markup=False,
        )
