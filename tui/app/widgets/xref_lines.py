"""The sidebar's lines: a passage of another article that mentions the entity (keyword in
context), or a passage related to the current one, and how each is drawn. Kept apart from the
pane so that the screen can build a page of lines without the widget."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from rich.text import Text

from index.text import window
from tui.app.render import MARK, Span, styled

if TYPE_CHECKING:
    from index.entity_pages import EntityArticle
    from index.library import Library
    from index.related import Related


@dataclass(frozen=True)
class Line:
    """A line of context in another article."""

    article_id: str
    title: str
    passage: int
    start: int
    end: int
    text: str  # the passage text
    offset: int  # where ``text`` starts in the article
    page: int | None = None  # the PDF page of the mention, to cite it by


def context_lines(library: Library, entity_id: str, article_ids: list[str]) -> list[Line]:
    """Every passage that mentions ``entity_id`` in these articles, once each, as lines."""
    from index.entity_pages import iter_entity

    return entity_lines(iter_entity(library, entity_id, article_ids))


def entity_lines(items: Iterable[EntityArticle]) -> list[Line]:
    """The lines of a page of an entity's articles (read with its mentions): each passage
    that names it once (a passage naming it twice is one line, marked at the first)."""
    lines = []
    for item in items:
        article = item.article
        seen = set()
        for m in item.mentions:
            if m.passage not in seen:
                seen.add(m.passage)
                p = article.passages[m.passage]
                text = article.text[p.start : p.end]
                page = article.page_at(m.start)
                lines.append(
                    Line(article.id, article.title, m.passage, m.start, m.end, text, p.start, page)
                )
    return lines


def related_lines(related: list[Related]) -> list[Line]:
    """Related passages as sidebar lines, best first, each passage once (one related on two
    counts came twice); a line with no mention shows the passage's opening."""
    seen: set[tuple[str, int]] = set()
    lines = []
    for r in related:
        if (r.article_id, r.passage) not in seen:
            seen.add((r.article_id, r.passage))
            title = f"{r.title} — {r.reason}"
            lines.append(Line(r.article_id, title, r.passage, r.start, r.start, r.text, r.offset))
    return lines


def _context(line: Line, width: int = 48) -> Text:
    """The mention with about ``width`` characters of its passage either side, cut at word
    boundaries. A line with no mention (a related passage) shows the passage's opening, a
    sentence or so, enough to judge it by."""
    text = line.text
    if line.end <= line.start:
        lo, hi = 0, _word_end(text, min(len(text), 4 * width))
        body = Text(text[lo:hi])
    else:
        a, b = line.start - line.offset, line.end - line.offset
        lo, hi = window(len(text), a, b, width, width)
        lo, hi = _word_start(text, lo, a), _word_end(text, hi, b)
        body = styled(text[lo:hi], line.offset + lo, [Span(line.start, line.end, MARK)])
    page = f" p. {line.page}" if line.page is not None else ""
    out = Text(f"¶{line.passage}{page} ", style="dim")
    out.append_text(Text("…" if lo else ""))
    out.append_text(body)
    out.append_text(Text("…" if hi < len(text) else ""))
    out.plain = out.plain.replace("\n", " ")
    return out


def _word_start(text: str, lo: int, limit: int) -> int:
    """``lo`` moved forward to the start of a word (never past ``limit``, the mention)."""
    if lo <= 0 or text[lo - 1].isspace():
        return max(lo, 0)
    space = text.find(" ", lo, limit)
    return space + 1 if space != -1 else lo


def _word_end(text: str, hi: int, limit: int = 0) -> int:
    """``hi`` moved back to the end of a word (never before ``limit``, the mention); a
    sentence's end close before it is a better place still."""
    if hi >= len(text) or text[hi].isspace():
        return hi
    stop = text.rfind(". ", limit, hi)
    if stop != -1 and hi - stop < 60:
        return stop + 1
    space = text.rfind(" ", limit, hi)
    return space if space > limit else hi
