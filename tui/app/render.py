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

# Distinguishable without colour: bold, underline, italic, and a dotted-ish reverse for events.
TYPE_STYLES = {
    "person": Style(bold=True, color="cyan"),
    "place": Style(underline=True, color="green"),
    "event": Style(italic=True, color="magenta"),
    "organisation": Style(color="yellow", underline2=True),
    # A name the corpus could not type (a product, a lone word): there, but quieter.
    "unknown": Style(dim=True, bold=True),
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
    return head


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
