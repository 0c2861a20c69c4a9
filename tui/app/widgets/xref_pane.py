"""The cross-reference sidebar: the open article's entities by type, then for a chosen
entity every other article that mentions it (keyword in context), or the passages related to
the current one. Enter on a line posts ``ArticleChosen`` at that passage."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from index.text import window
from tui.app.messages import ArticleChosen, EntityChosen, MoreLinesWanted
from tui.app.render import MARK, TYPE_STYLES, Span, plain, styled

if TYPE_CHECKING:
    from index.library import Library
    from index.linking import Entity
    from index.related import Related

TYPE_TITLES = {
    "person": "Persons",
    "place": "Places",
    "event": "Events",
    "organisation": "Organisations",
    "unknown": "Other names",
}
TYPE_MARKS = {"person": "●", "place": "▲", "event": "◆", "organisation": "■", "unknown": "○"}


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


def context_lines(library: Library, entity_id: str, article_ids: list[str]) -> list[Line]:
    """Every passage that mentions ``entity_id`` in these articles, once each (a passage that
    names it twice is one line, marked at its first mention), as lines for the sidebar."""
    lines = []
    for aid in article_ids:
        article = library.article(aid)
        if article is None:
            continue
        seen = set()
        for m in library.mentions(aid):
            if m.entity == entity_id and m.passage not in seen:
                seen.add(m.passage)
                p = article.passages[m.passage]
                lines.append(
                    Line(
                        aid,
                        article.title,
                        m.passage,
                        m.start,
                        m.end,
                        article.text[p.start : p.end],
                        p.start,
                    )
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


class XrefPane(Vertical):
    """Posts ``EntityChosen``, ``ArticleChosen`` and ``MoreLinesWanted``. Escape is the
    screen's: it knows where the focus goes next (the entities, then the reader)."""

    def compose(self) -> ComposeResult:
        yield Static(Text("Cross-references", style="bold"), id="xref-title")
        yield OptionList(id="entities")
        yield Static("", id="xref-subtitle")
        yield OptionList(id="lines")

    @property
    def entity_list(self) -> OptionList:
        return self.query_one("#entities", OptionList)

    @property
    def line_list(self) -> OptionList:
        return self.query_one("#lines", OptionList)

    def show_entities(self, entities: list[tuple[Entity, int]]) -> None:
        """The open article's entities, grouped by type, with their mention counts."""
        lists = self.entity_list
        lists.display = bool(entities)  # nothing open (the landing): the lines take the pane
        lists.clear_options()
        options: list[Option | None] = []
        for type_, heading in TYPE_TITLES.items():
            group = [(e, n) for e, n in entities if e.type == type_]
            if not group:
                continue
            options.append(
                Option(Text(f"{heading} ({len(group)})", style="bold underline"), disabled=True)
            )
            for e, n in sorted(group, key=lambda x: (-x[1], x[0].name.lower())):
                prompt = Text(f" {TYPE_MARKS[type_]} ", style=TYPE_STYLES[type_])
                prompt.append_text(plain(e.name))
                prompt.append(f"  ×{n} · {len(e.article_ids)} art.", style="dim")
                if e.ambiguous:
                    prompt.append(" (ambiguous)", style="dim italic")
                options.append(Option(prompt, id=e.id))
        lists.add_options([o for o in options if o is not None])
        self.query_one("#xref-title", Static).update(
            Text(f"Cross-references · {len(entities)} entities", style="bold")
        )

    def show_lines(self, heading: str, lines: list[Line], more: int = 0) -> None:
        """Context lines grouped by article; ``more`` articles left to show on request."""
        title = plain(heading)  # an entity's name, an article's title: outside text
        title.stylize("bold")
        self.query_one("#xref-subtitle", Static).update(title)
        # No lines: the entity list takes the whole pane (an empty list took three fifths).
        self.line_list.display = bool(lines)
        self.line_list.clear_options()
        self._lines: list[Line] = []
        self.add_lines(lines, more)

    def add_lines(self, lines: list[Line], more: int = 0) -> None:
        """Append a page of lines (the "more" row, if any, is replaced)."""
        out = self.line_list
        if out.option_count and out.get_option_at_index(out.option_count - 1).id == "more":
            out.remove_option("more")
        options = []
        last_article = self._lines[-1].article_id if self._lines else None
        for line in lines:
            if line.article_id != last_article:
                heading = plain(line.title)
                heading.stylize("bold")
                options.append(Option(heading, disabled=True))
                last_article = line.article_id
            options.append(Option(_context(line), id=str(len(self._lines))))
            self._lines.append(line)
        if more > 0:
            options.append(
                Option(
                    Text(
                        f"… {more} more article{'s' if more != 1 else ''} (Enter to show)",
                        style="italic",
                    ),
                    id="more",
                )
            )
        out.add_options(options)

    def focus_lines(self) -> None:
        """Focus the context lines on the first that can be opened."""
        lst = self.line_list
        lst.focus()
        for i in range(lst.option_count):
            if not lst.get_option_at_index(i).disabled:
                lst.highlighted = i
                break

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option_list.id == "entities" and event.option.id:
            self.post_message(EntityChosen(event.option.id))
        elif event.option_list.id == "lines" and event.option.id == "more":
            self.post_message(MoreLinesWanted())
        elif event.option_list.id == "lines" and event.option.id is not None:
            line = self._lines[int(event.option.id)]
            self.post_message(ArticleChosen(line.article_id, line.passage, line.start, line.end))

    def focus_entities(self) -> None:
        self.entity_list.focus()

    def lines_focused(self) -> bool:
        """Whether the context lines have the focus (Escape then goes back to the entities)."""
        return self.line_list.has_focus

    def has_entities(self) -> bool:
        return self.entity_list.option_count > 0


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
    out = Text(f"¶{line.passage} ", style="dim")
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
