"""The main screen: three panes, and the decisions between them.

Panes post messages up (``ArticleChosen``, ``EntityChosen``…); this screen decides and calls
their public methods down, never reaching into a pane's children. It keeps the history (back
and forward restore article, scroll position, passage and selected entity) and folds panes
away on narrow terminals; bookmarks are the ``BookmarkController``'s, given by the app.
"""

from __future__ import annotations

import gc
from collections import Counter
from collections.abc import Callable
from typing import TYPE_CHECKING

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.screen import Screen
from textual.widgets import Footer, Header

from tui.app.bookmark_controller import BookmarkController
from tui.app.history import History, Visit
from tui.app.messages import (
    ArticleChosen,
    EntityChosen,
    MoreLinesWanted,
    PassageMoved,
    QueryChanged,
)
from tui.app.render import PlainNotify
from tui.app.screens.bookmarks import OpenExcerpt
from tui.app.screens.dialogs import HelpScreen, Picker, help_rows
from tui.app.widgets.reader import Reader
from tui.app.widgets.search_pane import SearchPane
from tui.app.widgets.status import StatusBar, ready_note
from tui.app.widgets.xref_pane import Line, XrefPane, context_lines
from tui.sanitise import shown
from tui.services import Services

if TYPE_CHECKING:
    from index.library import Library
    from index.store import UpdateSummary

NARROW = 110  # columns below which the side panes fold away
PAGE = 30  # articles of context lines shown at a time in the sidebar


class MainScreen(PlainNotify, Screen[None]):
    BINDINGS = [
        Binding("slash", "focus_search", "Search"),
        Binding("backspace,H", "back", "Back"),
        Binding("L", "forward", "Forward", show=False),
        Binding("x", "toggle_xref", "Sidebar"),
        Binding("s", "toggle_results", "Results", show=False),
        Binding("r", "related", "Related ¶"),
        Binding("e", "focus_entities", "Entities", show=False),
        Binding("b", "bookmark", "Bookmark"),
        Binding("B", "bookmarks", "Bookmarks"),
        Binding("escape", "escape", "Back out", show=False),
        Binding("question_mark", "help", "Help"),
        Binding("t", "app.toggle_xref_theme", "Theme", show=False),
        Binding("q", "app.quit", "Quit"),
    ]

    def __init__(self, services: Services, bookmarks: BookmarkController) -> None:
        super().__init__()
        self.services = services
        self.bookmarks = bookmarks
        self.history = History()
        self.entity_id: str | None = None
        self.query_text = ""
        self.ready = False
        self._pending: tuple[str, list[str]] = ("", [])

    def compose(self) -> ComposeResult:
        yield Header(show_clock=False)
        with Horizontal(id="panes"):
            yield SearchPane(self.services, id="search")
            yield Reader(id="reader")
            yield XrefPane(id="xref")
        yield StatusBar(id="statusbar")
        yield Footer()

    @property
    def library(self) -> Library:
        return self.services.library

    @property
    def reader(self) -> Reader:
        return self.query_one(Reader)

    @property
    def search(self) -> SearchPane:
        return self.query_one(SearchPane)

    @property
    def xref(self) -> XrefPane:
        return self.query_one(XrefPane)

    @property
    def status(self) -> StatusBar:
        return self.query_one(StatusBar)

    def on_mount(self) -> None:
        self.title = "xref"
        self.sub_title = f"{shown(self.services.corpus.name)} · opening…"
        self.status.say("Opening the index…")
        self.on_resize()
        if self.has_class("-narrow"):
            self.add_class("-show-search")  # nothing is open yet: start where one searches
        self.search.focus_query()
        self.reindex()

    # --- indexing ------------------------------------------------------------------------

    def reindex(self, rebuild: bool = False) -> None:
        """Build or update the index in the status bar's worker; ``_indexed`` when done."""
        self.status.run_index(self.services.update, rebuild, self._indexed)

    def _indexed(self, summary: UpdateSummary) -> None:
        self.ready = True
        articles = self.library.articles()
        entities = len(self.library.links.entities)  # loaded now, not on the first click
        # The manifest and links of a large corpus are millions of long-lived objects: freeze
        # them out of the garbage collector, whose full passes over them stalled keystrokes
        # and article opening by 100 ms and more.
        gc.collect()
        gc.freeze()
        passages = sum(a.passages for a in articles)
        self.sub_title = (
            f"{shown(self.library.corpus.name)} · {len(articles)} articles · "
            f"{passages} passages · {entities} entities"
        )
        self.status.say(f"Ready{ready_note(summary)}")
        for w in summary.warnings:
            self.notify(w, severity="warning", timeout=8)
        if summary.rebuilt_because:
            self.notify(f"Rebuilt the index: {summary.rebuilt_because}", severity="warning")
        self.search.index_ready()
        v = self.history.current
        if v is not None:
            self.open_article(v.article_id, v.passage, record=False, scroll_y=v.scroll_y)

    # --- opening -------------------------------------------------------------------------

    @on(ArticleChosen)
    def _article_chosen(self, event: ArticleChosen) -> None:
        mark = (
            (event.start, event.end) if event.start is not None and event.end is not None else None
        )
        self.open_article(event.article_id, event.passage, mark=mark)
        self.remove_class("-show-xref")
        self.reader.focus()

    def _remember(self) -> None:
        """Store where the reader is into the current history entry."""
        v = self.history.current
        if v is not None and self.reader.article is not None:
            v.scroll_y = self.reader.scroll_y
            v.entity_id = self.entity_id

    def open_article(
        self,
        article_id: str,
        passage: int = 0,
        mark: tuple[int, int] | None = None,
        record: bool = True,
        scroll_y: float | None = None,
        entity_id: str | None = None,
    ) -> None:
        if not self.ready:
            return
        article = self.library.article(article_id)
        if article is None:
            self.notify(f"No article {article_id!r} in this corpus", severity="error")
            return
        if record:
            self._remember()
            self.history.record(Visit(article_id, passage, 0.0, self.entity_id, mark))
        mentions = self.library.mentions(article_id)
        hits = self.library.highlights(self.query_text, article)
        self.run_worker(
            self.reader.show(article, mentions, hits, passage, mark, scroll_y),
            group="show",
            exclusive=True,
        )
        counts = Counter(m.entity for m in mentions if m.entity)
        links = self.library.links
        self.xref.show_entities(
            [(links.entities[e], n) for e, n in counts.items() if e in links.entities]
        )
        chosen = entity_id if entity_id is not None else self.entity_id
        if chosen and chosen in counts:
            self.show_entity(chosen, focus=False)
        else:
            self.xref.show_lines("Select a person, place or event", [])
        if self.has_class("-narrow"):
            self.remove_class("-show-search")
        self.status.say(f"{shown(article.title)[:60]} · {len(article.passages)} passages")

    @on(PassageMoved)
    def _passage_moved(self, event: PassageMoved) -> None:
        """The history follows the reader's current passage, so back returns to it."""
        v = self.history.current
        if v is not None and v.article_id == event.article_id:
            v.passage = event.passage

    @on(QueryChanged)
    def _query_changed(self, event: QueryChanged) -> None:
        self.query_text = event.query

    # --- entities and related passages ---------------------------------------------------

    @on(EntityChosen)
    def _entity_chosen(self, event: EntityChosen) -> None:
        self.show_entity(event.entity_id)

    def show_entity(self, entity_id: str, focus: bool = True) -> None:
        """Every other article mentioning the entity, a page of articles at a time: an entity
        named in thousands of articles must not stall the app while its lines are built."""
        entity = self.library.links.entities.get(entity_id)
        if entity is None:
            return
        self.entity_id = entity_id
        current = self.reader.article.id if self.reader.article else None
        articles = [a for a in self.library.entity_articles(entity_id) if a != current]
        self._pending = (entity_id, articles[PAGE:])
        self.xref.show_lines(
            f"{entity.name} ({entity.type}) · {len(articles)} other article"
            f"{'s' if len(articles) != 1 else ''}",
            context_lines(self.library, entity_id, articles[:PAGE]),
            more=len(articles) - PAGE,
        )
        self._show_sidebar(focus)

    @on(MoreLinesWanted)
    def _more_lines(self) -> None:
        entity_id, rest = self._pending
        self._pending = (entity_id, rest[PAGE:])
        self.xref.add_lines(
            context_lines(self.library, entity_id, rest[:PAGE]), more=len(rest) - PAGE
        )

    def action_related(self) -> None:
        article = self.reader.article
        if article is None:
            self.notify("Open an article first")
            return
        related = self.library.related(article.id, self.reader.cursor)
        lines = [
            Line(
                r.article_id,
                f"{r.title} — {r.reason}",
                r.passage,
                r.start,
                r.start,
                r.text,
                r.offset,
            )
            for r in related
        ]
        self.xref.show_lines(f"Related to ¶{self.reader.cursor} · {len(lines)} passages", lines)
        self._show_sidebar(focus=True)

    def _show_sidebar(self, focus: bool) -> None:
        if self.has_class("-narrow"):
            self.add_class("-show-xref")
        if focus:
            self.xref.focus_lines()

    def action_focus_entities(self) -> None:
        self._show_sidebar(focus=False)
        self.xref.focus_entities()

    # --- history -------------------------------------------------------------------------

    def action_back(self) -> None:
        self._go(-1, "Nothing to go back to")

    def action_forward(self) -> None:
        self._go(1, "Nothing to go forward to")

    def _go(self, step: int, nothing: str) -> None:
        self._remember()
        v = self.history.step(step)
        if v is None:
            self.notify(nothing)
            return
        self.entity_id = v.entity_id
        self.open_article(
            v.article_id,
            v.passage,
            mark=v.mark,
            record=False,
            scroll_y=v.scroll_y,
            entity_id=v.entity_id,
        )
        self.reader.focus()

    # --- layout --------------------------------------------------------------------------

    def on_resize(self) -> None:
        self.set_class(self.size.width < NARROW, "-narrow")

    def action_focus_search(self) -> None:
        if self.has_class("-narrow"):
            self.add_class("-show-search")
            self.remove_class("-show-xref")
        self.remove_class("-hide-search")
        self.search.focus_query()

    def action_toggle_xref(self) -> None:
        self._toggle_pane("xref", "search", self.xref.focus_entities)

    def action_toggle_results(self) -> None:
        self._toggle_pane("search", "xref", self.search.focus_results)

    def _toggle_pane(self, pane: str, other: str, focus: Callable[[], None]) -> None:
        """Wide: hide or show ``pane`` beside the reader. Narrow: show it over the reader
        (closing ``other``) and focus it, or close it and go back to the reader."""
        if self.has_class("-narrow"):
            self.toggle_class(f"-show-{pane}")
            self.remove_class(f"-show-{other}")
            if self.has_class(f"-show-{pane}"):
                focus()
            else:
                self.reader.focus()
        else:
            self.toggle_class(f"-hide-{pane}")

    def action_escape(self) -> None:
        """Back out one step: close a folded pane, leave a list, then go back in history."""
        if self.has_class("-show-search") or self.has_class("-show-xref"):
            self.remove_class("-show-search")
            self.remove_class("-show-xref")
            self.reader.focus()
        elif self.xref.lines_focused() and self.entity_id:
            self.xref.focus_entities()
        elif self.focused is not None and self.focused is not self.reader:
            self.reader.focus()
        else:
            self.action_back()

    # --- dialogs -------------------------------------------------------------------------

    def action_help(self) -> None:
        rows = help_rows(
            [
                ("Everywhere", self),
                ("Reader", self.reader),
                ("Search", self.search),
                ("Cross-references", self.xref),
            ]
        )
        rows.append(("Everywhere", "ctrl+p", "Command palette: open article, go to entity, …"))
        self.app.push_screen(HelpScreen(rows))

    def action_open_article(self) -> None:
        rows = [(a.id, f"{a.title}  [{a.id}]") for a in self.library.articles()]

        def chosen(article_id: str | None) -> None:
            if article_id:
                self.open_article(article_id)
                self.reader.focus()

        self.app.push_screen(Picker("Open article", rows), chosen)

    def action_goto_entity(self) -> None:
        rows = [
            (e.id, f"{e.name} ({e.type}, {len(e.article_ids)} articles)")
            for e in self.library.entities()  # most cited first
        ]

        def chosen(entity_id: str | None) -> None:
            if entity_id:
                entity = self.library.links.entities[entity_id]
                if self.reader.article is None and entity.article_ids:
                    self.open_article(entity.article_ids[0])
                self.show_entity(entity_id)

        self.app.push_screen(Picker("Go to entity", rows), chosen)

    def action_bookmark(self) -> None:
        """Save the reader's excerpt (selection, else current sentence) with a note and tags."""
        self.bookmarks.bookmark(
            self, self.reader.article, self.reader.excerpt(), saved=self.reader.clear_selection
        )

    def action_bookmarks(self) -> None:
        if not self.ready:
            self.notify("The index is still being built")
            return

        def opened(target: OpenExcerpt) -> None:
            self.open_article(target.article_id, target.passage, mark=(target.start, target.end))
            self.reader.focus()

        self.bookmarks.show_all(self, opened)
