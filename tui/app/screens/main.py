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
from textual.containers import Horizontal
from textual.screen import Screen
from textual.widgets import Footer, Header

from tui.app.bookmark_controller import BookmarkController
from tui.app.fix_controller import FixController
from tui.app.history import History, Visit
from tui.app.keymap import SCREEN_BINDINGS, help_sections
from tui.app.messages import (
    ArticleChosen,
    EntityChosen,
    PassageMoved,
    QueryChanged,
)
from tui.app.screens.bookmarks import OpenExcerpt
from tui.app.screens.dialogs import HelpScreen, Picker, article_rows, entity_rows
from tui.app.screens.research_actions import ResearchActions
from tui.app.screens.xref_list import PAGE, XrefList
from tui.app.widgets.landing import overview
from tui.app.widgets.query_box import QueryBox
from tui.app.widgets.reader import Reader
from tui.app.widgets.search_pane import SearchPane
from tui.app.widgets.status import StatusBar, ready_note
from tui.app.widgets.xref_pane import XrefPane, related_lines
from tui.sanitise import shown
from tui.services import Services

if TYPE_CHECKING:
    from index.article import Article
    from index.library import Library
    from index.store import UpdateSummary

NARROW = 110  # columns below which the side panes fold away
__all__ = ["PAGE", "MainScreen"]


class MainScreen(ResearchActions, Screen[None]):
    BINDINGS = SCREEN_BINDINGS

    def __init__(self, services: Services, bookmarks: BookmarkController) -> None:
        super().__init__()
        self.services = services
        self.bookmarks = bookmarks
        self.history = History()
        self.entity_id: str | None = None
        self.query_text = ""
        self.ready = False
        self.xrefs = XrefList(self)
        self.fixes = FixController(self)

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
        # Start on the landing, not in the search box: one-letter keys are keys, ``/`` search.
        self.reader.focus_content()
        self.reindex()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """While the search box has focus every key is text (or the box's own, Escape):
        the screen's keys step aside and leave the footer, which then tells the truth."""
        typing = self.search.query_focused() or self.xref.filter_focused()
        return action == "escape" or not typing

    def restyle(self) -> None:
        """Paint the mentions again in the theme's colours."""
        self.reader.restyle()

    def action_toggle_theme(self) -> None:
        self.app.action_toggle_xref_theme()  # type: ignore[attr-defined]

    async def action_quit(self) -> None:
        self.app.exit()

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
        self.reader.show_landing(self.library.corpus.name, overview(self.library))
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
        self.remove_class("-show-search")
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
            self.show_entity(chosen, focus=False, current=article_id)
        else:
            self.xref.show_lines("Select a person, place or event", [])
        if self.has_class("-narrow"):
            self.remove_class("-show-search")
        self._say_where(article, passage)

    @on(PassageMoved)
    def _passage_moved(self, event: PassageMoved) -> None:
        """The history follows the reader's current passage, so back returns to it."""
        v = self.history.current
        if v is not None and v.article_id == event.article_id:
            v.passage = event.passage
        self._say_where()

    def _say_where(self, article: Article | None = None, passage: int | None = None) -> None:
        """The status bar: the article's title, its passages, and for a PDF the page of the
        current passage (to cite it by)."""
        article = article or self.reader.article
        if article is None:
            return
        n = len(article.passages)
        where = f" · {n} passage{'s' * (n != 1)}"
        at = self.reader.cursor if passage is None else passage
        if article.pages and 0 <= at < n:
            page = article.page_at(article.passages[at].start)
            where = f" · ¶{at} p. {page}{where}"
        self.status.say_fitted(shown(article.title), where)

    @on(QueryChanged)
    def _query_changed(self, event: QueryChanged) -> None:
        from index.comentions import split_query

        self.query_text = split_query(event.query)[1]  # entity: terms highlight nothing

    # --- entities and related passages ---------------------------------------------------

    @on(EntityChosen)
    def _entity_chosen(self, event: EntityChosen) -> None:
        self.show_entity(event.entity_id)

    def show_entity(self, entity_id: str, focus: bool = True, current: str | None = None) -> None:
        """Every other article mentioning the entity, a page at a time (``XrefList``): an
        entity named in thousands of articles must not stall the app. ``current`` is the
        article being opened: the reader shows it a moment later (its worker), so asking
        the reader would name the article just left."""
        if entity_id not in self.library.links.entities:
            return
        self.entity_id = entity_id
        if current is None and self.reader.article is not None:
            current = self.reader.article.id
        self.xrefs.show(entity_id, current)
        self._show_sidebar(focus)

    def action_related(self) -> None:
        article = self.reader.article
        if article is None:
            self.notify("Open an article first")
            return
        self.xrefs.listing = None
        lines = related_lines(self.library.related(article.id, self.reader.cursor))
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
        narrow = self.size.width < NARROW
        self.set_class(narrow, "-narrow")
        footer = self.query_one(Footer)
        footer.compact = narrow  # 80 columns hold the keys that matter; ctrl+p is in the help
        footer.show_command_palette = not narrow

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
        """Wide: hide ``pane`` (the focus going back to the reader) or show and focus it.
        Narrow: show it over the reader (closing ``other``) and focus it, or close it and go
        back to the reader."""
        if self.has_class("-narrow"):
            self.toggle_class(f"-show-{pane}")
            self.remove_class(f"-show-{other}")
            shown_now = self.has_class(f"-show-{pane}")
        else:
            self.toggle_class(f"-hide-{pane}")
            shown_now = not self.has_class(f"-hide-{pane}")
        if shown_now:
            focus()
        else:
            self.reader.focus_content()

    def action_escape(self) -> None:
        """Back out one step: close a folded pane, leave the context lines for the entity
        list, leave any list for the reader, then go back in history. It never stops in a
        pane: every step ends nearer the reader."""
        if self.xref.filter_focused():
            self.xref.leave_filter()
        elif self.has_class("-show-search") or self.has_class("-show-xref"):
            self.remove_class("-show-search")
            self.remove_class("-show-xref")
            self.reader.focus_content()
        elif self.xref.lines_focused() and self.xref.has_entities():
            self.xref.focus_entities()
        elif not self.reader.content_focused():
            self.reader.focus_content()
        elif self.reader.article is not None:
            self.action_back()

    @on(QueryBox.Left)
    def _query_left(self) -> None:
        """Escape in the search box: out of it, to the reader (the results stay listed)."""
        self.remove_class("-show-search")
        self.reader.focus_content()

    # --- dialogs -------------------------------------------------------------------------

    def action_help(self) -> None:
        self.app.push_screen(HelpScreen(help_sections()))

    def action_open_article(self) -> None:
        def chosen(article_id: str | None) -> None:
            if article_id:
                self.open_article(article_id)
                self.reader.focus()

        self.app.push_screen(Picker("Open article", article_rows(self.library)), chosen)

    def action_goto_entity(self) -> None:
        """Its cross-references, as the landing's Enter: with nothing open, every article."""

        def chosen(entity_id: str | None) -> None:
            if entity_id:
                self.show_entity(entity_id)

        self.app.push_screen(Picker("Go to entity", entity_rows(self.library)), chosen)

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
            self.reader.focus_content()

        self.bookmarks.show_all(self, opened)
