"""The cross-reference sidebar: the open article's entities by type; for a chosen entity its
card, then every other article that mentions it (keyword in context, grouped by article, each
article folding away), then the places its names are written but not linked; or the passages
related to the current one.

The pane holds what it shows and how it is folded; what to list (order, filter, narrowing) is
the screen's: keys post ``XrefSortCycled``, ``XrefFilterChanged``, ``CoMentionPicked``…, and
the screen calls ``show_lines``/``add_lines``/``show_unlinked`` down. Enter on a line posts
``ArticleChosen`` at that passage.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from tui.app.messages import (
    ArticleChosen,
    CoMentionPicked,
    EntityChosen,
    MatchingAsked,
    MoreLinesWanted,
    NarrowingCleared,
    UnlinkedLinkAsked,
    XrefFilterChanged,
    XrefSortCycled,
)
from tui.app.render import plain
from tui.app.widgets.entity_card import EntityCard, entity_prompt
from tui.app.widgets.xref_lines import Line, _context, context_lines, related_lines

if TYPE_CHECKING:
    from index.entity_profile import EntityProfile
    from index.links import Entity

__all__ = ["Line", "XrefPane", "_context", "context_lines", "related_lines"]

TYPE_TITLES = {
    "person": "Persons",
    "place": "Places",
    "event": "Events",
    "organisation": "Organisations",
    "unknown": "Other names",
}
ENTITY_KEYS = {"cycle_sort", "filter", "collapse", "collapse_all", "clear_narrowing", "matching"}


class XrefPane(Vertical):
    """Posts ``EntityChosen``, ``ArticleChosen``, ``MoreLinesWanted`` and the list's
    ``XrefSortCycled``, ``XrefFilterChanged``, ``CoMentionPicked``, ``NarrowingCleared``,
    ``MatchingAsked``, ``UnlinkedLinkAsked``. Escape is the screen's: it knows where the
    focus goes next (the entities, then the reader)."""

    BINDINGS = [
        Binding("o", "cycle_sort", "Sort", tooltip="Sort the articles by date, title, mentions"),
        Binding("f", "filter", "Filter", tooltip="Filter the articles: words in title or context"),
        Binding("z", "collapse", "Fold", show=False, tooltip="Fold or unfold this article"),
        Binding(
            "Z", "collapse_all", "Fold all", show=False, tooltip="Fold or unfold every article"
        ),
        Binding(
            "w",
            "with_entity",
            "Narrow",
            tooltip="On a name: keep the articles that also name it (again: widen)",
        ),
        Binding(
            "m", "matching", "Matching", show=False, tooltip="Keep the articles a query matches"
        ),
        Binding("W", "clear_narrowing", "Widen", show=False, tooltip="Drop every narrowing"),
        Binding("l", "link", "Link", tooltip="On an unlinked place: link the name to the entity"),
    ]

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._lines: list[Line] = []
        self._meta: dict[str, str] = {}
        self._more = 0
        self._collapsed: set[str] = set()
        self._unlinked: list[Line] = []
        self.entity_mode = False  # an entity's articles are listed (not related passages)

    def compose(self) -> ComposeResult:
        yield Static(Text("Cross-references", style="bold"), id="xref-title")
        yield OptionList(id="entities")
        yield EntityCard(id="card")
        yield Static("", id="xref-subtitle")
        yield Input(placeholder="filter: words in title or context", id="xref-filter")
        yield OptionList(id="lines")
        yield Static("", id="unlinked-title")
        yield OptionList(id="unlinked")

    def on_mount(self) -> None:
        self.card.display = False
        self.filter_box.display = False
        self._show_unlinked_list(False)

    @property
    def entity_list(self) -> OptionList:
        return self.query_one("#entities", OptionList)

    @property
    def line_list(self) -> OptionList:
        return self.query_one("#lines", OptionList)

    @property
    def unlinked_list(self) -> OptionList:
        return self.query_one("#unlinked", OptionList)

    @property
    def card(self) -> EntityCard:
        return self.query_one(EntityCard)

    @property
    def filter_box(self) -> Input:
        return self.query_one("#xref-filter", Input)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Keys are text in the filter box; the list's keys need an entity's list; ``w`` a
        name under the cursor, ``l`` an unlinked place."""
        if self.filter_box.has_focus:
            return False
        if action in ENTITY_KEYS:
            return self.entity_mode
        if action == "with_entity":
            return self.entity_mode and self.highlighted_entity() is not None
        if action == "link":
            return self.unlinked_list.has_focus and self.unlinked_list.highlighted is not None
        return True

    # --- the open article's entities -----------------------------------------------------

    def show_entities(self, entities: list[tuple[Entity, int]]) -> None:
        """The open article's entities, grouped by type, with their mention counts."""
        lists = self.entity_list
        lists.display = bool(entities)  # nothing open (the landing): the lines take the pane
        lists.clear_options()
        options: list[Option] = []
        for type_, heading in TYPE_TITLES.items():
            group = [(e, n) for e, n in entities if e.type == type_]
            if not group:
                continue
            options.append(
                Option(Text(f"{heading} ({len(group)})", style="bold underline"), disabled=True)
            )
            for e, n in sorted(group, key=lambda x: (-x[1], x[0].name.lower())):
                note = f"  ×{n} · {len(e.article_ids)} art."
                option = entity_prompt(e.id, e.name, type_, note)
                if e.ambiguous:
                    option.prompt.append(" (ambiguous)", style="dim italic")  # type: ignore[union-attr]
                options.append(option)
        lists.add_options(options)
        self.query_one("#xref-title", Static).update(
            Text(f"Cross-references · {len(entities)} entities", style="bold")
        )

    def highlighted_entity(self) -> str | None:
        """The entity under the cursor of the focused name list (the open article's, or the
        card's co-mentioned), None elsewhere."""
        lst = self.entity_list
        if lst.has_focus and lst.highlighted is not None:
            return lst.get_option_at_index(lst.highlighted).id
        return self.card.highlighted_entity()

    # --- the entity's card and lines -----------------------------------------------------

    def show_card(self, entity: Entity | None, profile: EntityProfile | None = None) -> None:
        if entity is None:
            self.card.hide()
        else:
            self.card.show(entity, profile)

    def set_subtitle(self, heading: str) -> None:
        title = plain(heading)  # an entity's name, an article's title: outside text
        title.stylize("bold")
        self.query_one("#xref-subtitle", Static).update(title)

    def show_lines(
        self,
        heading: str,
        lines: list[Line],
        more: int = 0,
        meta: dict[str, str] | None = None,
        entity_mode: bool = False,
    ) -> None:
        """Context lines grouped by article; ``more`` articles left to show on request;
        ``meta`` a note after each article's title (date, mentions)."""
        self.entity_mode = entity_mode
        if not entity_mode:
            self.card.hide()
            self.show_unlinked([])
            self.filter_box.display = False
        self.set_subtitle(heading)
        self._lines, self._meta, self._collapsed = [], {}, set()
        self.add_lines(lines, more, meta)
        self.refresh_bindings()

    def add_lines(
        self, lines: list[Line], more: int = 0, meta: dict[str, str] | None = None
    ) -> None:
        """Append a page of lines (the "more" row is replaced)."""
        self._lines.extend(lines)
        self._meta.update(meta or {})
        self._more = more
        self._render_lines()

    def _render_lines(self) -> None:
        out = self.line_list
        keep = out.highlighted
        out.clear_options()
        # No lines: the entity list takes the whole pane (an empty list took three fifths).
        out.display = bool(self._lines)
        options = []
        last_article = None
        for i, line in enumerate(self._lines):
            if line.article_id != last_article:
                last_article = line.article_id
                folded = line.article_id in self._collapsed
                head = Text("▸ " if folded else "▾ ", style="bold")
                head.append_text(plain(line.title))
                head.stylize("bold")
                head.append(self._meta.get(line.article_id, ""), style="dim")
                # An article may head two groups (related passages, best first): ids by line.
                options.append(Option(head, id=f"a:{i}"))
            if line.article_id not in self._collapsed:
                options.append(Option(_context(line), id=str(i)))
        if self._more > 0:
            more = self._more
            label = f"… {more} more article{'s' if more != 1 else ''} (Enter to show)"
            options.append(Option(Text(label, style="italic"), id="more"))
        out.add_options(options)
        if keep is not None and out.option_count:
            out.highlighted = min(keep, out.option_count - 1)

    def focus_lines(self) -> None:
        """Focus the context lines on the first that can be opened."""
        lst = self.line_list
        lst.focus()
        for i in range(lst.option_count):
            if (lst.get_option_at_index(i).id or "").isdigit():
                lst.highlighted = i
                break

    def _current_article(self) -> str | None:
        lst = self.line_list
        if lst.highlighted is None or not lst.option_count:
            return None
        ident = lst.get_option_at_index(lst.highlighted).id or ""
        return self._article_of(ident)

    def _article_of(self, ident: str) -> str | None:
        """The article of a row: a heading (``a:<first line>``) or a line (``<line>``)."""
        ident = ident.removeprefix("a:")
        return self._lines[int(ident)].article_id if ident.isdigit() else None

    def toggle_collapsed(self, article_id: str) -> None:
        self._collapsed ^= {article_id}
        self._render_lines()
        lst = self.line_list
        for i in range(lst.option_count):  # the cursor stays on the article's heading
            ident = lst.get_option_at_index(i).id or ""
            if ident.startswith("a:") and self._article_of(ident) == article_id:
                lst.highlighted = i
                break

    # --- unlinked mentions ---------------------------------------------------------------

    def show_unlinked(self, places: list[Line], undecided: list[bool] | None = None) -> None:
        """The places the entity's names are written but not linked, with their context
        (``undecided``: a mention is there that the linker left ambiguous)."""
        self._unlinked = places
        lst = self.unlinked_list
        lst.clear_options()
        self._show_unlinked_list(bool(places))
        if not places:
            return
        self.query_one("#unlinked-title", Static).update(
            Text(f"Unlinked mentions · {len(places)} (l: link)", style="bold")
        )
        flags = undecided or [False] * len(places)
        options = []
        for i, (line, flag) in enumerate(zip(places, flags, strict=False)):
            row = plain(line.title)
            row.stylize("bold")
            row.append(" (undecided)" if flag else "", style="dim")
            row.append("\n")
            row.append_text(_context(line))
            options.append(Option(row, id=f"u:{i}"))
        lst.add_options(options)

    def _show_unlinked_list(self, on: bool) -> None:
        self.unlinked_list.display = on
        self.query_one("#unlinked-title", Static).display = on

    # --- keys ----------------------------------------------------------------------------

    def action_cycle_sort(self) -> None:
        self.post_message(XrefSortCycled())

    def action_filter(self) -> None:
        self.filter_box.display = True
        self.filter_box.focus()

    def filter_focused(self) -> bool:
        return self.filter_box.has_focus

    def clear_filter(self) -> None:
        with self.filter_box.prevent(Input.Changed):
            self.filter_box.value = ""
        self.filter_box.display = False

    @on(Input.Changed, "#xref-filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        event.stop()
        self.post_message(XrefFilterChanged(event.value))

    @on(Input.Submitted, "#xref-filter")
    def _filter_done(self, event: Input.Submitted) -> None:
        event.stop()
        if not event.value:
            self.filter_box.display = False
        self.focus_lines()

    def leave_filter(self) -> None:
        """Escape in the filter box: back to the lines (an empty box folds away)."""
        if not self.filter_box.value:
            self.filter_box.display = False
        self.focus_lines()

    def action_collapse(self) -> None:
        article = self._current_article()
        if article is not None:
            self.toggle_collapsed(article)

    def action_collapse_all(self) -> None:
        articles = {line.article_id for line in self._lines}
        self._collapsed = set() if self._collapsed >= articles else articles
        self._render_lines()

    def action_with_entity(self) -> None:
        entity = self.highlighted_entity()
        if entity:
            self.post_message(CoMentionPicked(entity))

    def action_clear_narrowing(self) -> None:
        self.clear_filter()
        self.post_message(NarrowingCleared())

    def action_matching(self) -> None:
        self.post_message(MatchingAsked())

    def action_link(self) -> None:
        lst = self.unlinked_list
        if lst.highlighted is not None:
            self.post_message(UnlinkedLinkAsked(lst.highlighted))

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        ident = event.option.id or ""
        if event.option_list.id == "entities" and ident:
            self.post_message(EntityChosen(ident))
        elif event.option_list.id == "unlinked" and ident.startswith("u:"):
            u = self._unlinked[int(ident[2:])]
            self.post_message(ArticleChosen(u.article_id, u.passage, u.start, u.end))
        elif event.option_list.id != "lines":
            return
        elif ident == "more":
            self.post_message(MoreLinesWanted())
        elif ident.startswith("a:"):
            self.toggle_collapsed(self._article_of(ident) or "")
        elif ident.isdigit():
            line = self._lines[int(ident)]
            self.post_message(ArticleChosen(line.article_id, line.passage, line.start, line.end))

    def focus_entities(self) -> None:
        self.entity_list.focus()

    def lines_focused(self) -> bool:
        """Whether the context lines have the focus (Escape then goes back to the entities)."""
        return self.line_list.has_focus

    def has_entities(self) -> bool:
        return self.entity_list.option_count > 0
