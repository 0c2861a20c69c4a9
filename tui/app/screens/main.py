"""The main screen: three panes, and the decisions between them.

Panes post messages up (``ArticleChosen``, ``EntityChosen``…); this screen decides and calls
methods down. It also keeps the history (back and forward restore article, scroll position,
passage and selected entity) and folds panes away on narrow terminals.
"""

from __future__ import annotations

import gc
import logging
from collections import Counter
from dataclasses import dataclass
from typing import TYPE_CHECKING

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Footer, Header, Input, ProgressBar, Static
from textual.worker import Worker, WorkerState

from tui.app.bookmark_actions import BookmarkActions
from tui.app.messages import (
    ArticleChosen,
    EntityChosen,
    MoreLinesWanted,
    PassageMoved,
    QueryChanged,
)
from tui.app.render import PlainNotify
from tui.app.screens.dialogs import HelpScreen, Picker
from tui.app.widgets.reader import Reader
from tui.app.widgets.search_pane import SearchPane
from tui.app.widgets.xref_pane import Line, XrefPane
from tui.sanitise import shown

if TYPE_CHECKING:
    from index.store import UpdateSummary

log = logging.getLogger("xref")
NARROW = 110  # columns below which the side panes fold away
PAGE = 30  # articles of context lines shown at a time in the sidebar


@dataclass
class Visit:
    article_id: str
    passage: int
    scroll_y: float
    entity_id: str | None
    mark: tuple[int, int] | None


class MainScreen(PlainNotify, BookmarkActions, Screen[None]):
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
        Binding("t", "toggle_theme", "Theme", show=False),
        Binding("q", "app.quit", "Quit"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.history: list[Visit] = []
        self.position = -1
        self.entity_id: str | None = None
        self.query_text = ""
        self.ready = False
        self._pending: tuple[str, list[str]] = ("", [])

    def compose(self) -> ComposeResult:
        yield Header(show_clock=False)
        with Horizontal(id="panes"):
            yield SearchPane(id="search")
            yield Reader(id="reader")
            yield XrefPane(id="xref")
        with Horizontal(id="statusbar"):
            yield Static("", id="status")
            yield ProgressBar(id="progress", show_eta=False)
        yield Footer()

    @property
    def services(self):  # type: ignore[no-untyped-def]
        return self.app.services  # type: ignore[attr-defined]

    @property
    def library(self):  # type: ignore[no-untyped-def]
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

    def on_mount(self) -> None:
        self.title = "xref"
        self.sub_title = f"{shown(self.services.corpus.name)} · opening…"
        self.set_status("Opening the index…")
        self._apply_width(self.size.width)
        if self.has_class("-narrow"):
            self.add_class("-show-search")  # nothing is open yet: start where one searches
        self.query_one("#query", Input).focus()
        self.reindex()

    def set_status(self, text: str, error: bool = False) -> None:
        self.query_one("#status", Static).update(
            Text(shown(text), style="bold red" if error else ""))

    # --- indexing ------------------------------------------------------------------------

    def reindex(self, rebuild: bool = False) -> None:
        self.query_one("#progress", ProgressBar).display = True
        self._index(rebuild)

    @work(thread=True, exclusive=True, group="index", exit_on_error=False, name="index")
    def _index(self, rebuild: bool) -> UpdateSummary:
        def progress(done: int, total: int) -> None:
            self.app.call_from_thread(self._progress, done, total)

        def waiting() -> None:
            self.app.call_from_thread(self.set_status,
                                      "Another xref is indexing this corpus; waiting…")

        return self.library.update(progress=progress, on_wait=waiting, rebuild=rebuild)

    def _progress(self, done: int, total: int) -> None:
        bar = self.query_one("#progress", ProgressBar)
        bar.update(total=max(total, 1), progress=done)
        if total:
            self.set_status(f"Indexing {done}/{total} articles…")

    @on(Worker.StateChanged)
    def _worker_done(self, event: Worker.StateChanged) -> None:
        if event.worker.name != "index":
            return
        if event.state == WorkerState.SUCCESS:
            self._indexed(event.worker.result)
        elif event.state == WorkerState.ERROR:
            error = event.worker.error
            log.error("indexing failed", exc_info=error)
            self.query_one("#progress", ProgressBar).display = False
            self.set_status(f"Indexing failed: {error}", error=True)
            self.notify(f"Indexing failed: {error}", severity="error", timeout=10)

    def _indexed(self, summary: UpdateSummary) -> None:
        self.ready = True
        self.query_one("#progress", ProgressBar).display = False
        articles = self.library.articles()
        _ = self.library.links  # load the entity links now, not on the first click
        # The manifest and links of a large corpus are millions of long-lived objects: freeze
        # them out of the garbage collector, whose full passes over them stalled keystrokes
        # and article opening by 100 ms and more.
        gc.collect()
        gc.freeze()
        passages = sum(a.passages for a in articles)
        entities = len(self.library.links.entities)
        self.sub_title = (f"{shown(self.library.corpus.name)} · {len(articles)} articles · "
                          f"{passages} passages · {entities} entities")
        note = ""
        log.info("index ready: %s touched in %.2f s", summary.touched, summary.seconds)
        if summary.touched:
            note = f" · {summary.touched} article{'s' if summary.touched != 1 else ''} indexed"
        if summary.skipped:
            note += f" · skipped {len(summary.skipped)} (see log)"
            for s in summary.skipped:
                log.warning("skipped %s: %s", s.path, s.reason)
        self.set_status(f"Ready{note}")
        for w in summary.warnings:
            log.warning("%s", w)
            self.notify(w, severity="warning", timeout=8)
        if summary.rebuilt_because:
            self.notify(f"Rebuilt the index: {summary.rebuilt_because}", severity="warning")
        self.search.ready = True
        self.search.refresh_results()
        if self.history and 0 <= self.position < len(self.history):
            v = self.history[self.position]
            self.open_article(v.article_id, v.passage, record=False, scroll_y=v.scroll_y)

    # --- opening -------------------------------------------------------------------------

    @on(ArticleChosen)
    def _article_chosen(self, event: ArticleChosen) -> None:
        mark = (event.start, event.end) if event.start is not None and event.end is not None \
            else None
        self.open_article(event.article_id, event.passage, mark=mark)
        self.remove_class("-show-xref")
        self.reader.focus()

    def _remember(self) -> None:
        """Store where the reader is into the current history entry."""
        if 0 <= self.position < len(self.history) and self.reader.article is not None:
            v = self.history[self.position]
            v.passage = self.reader.cursor
            v.scroll_y = self.reader.scroll_y
            v.entity_id = self.entity_id

    def open_article(self, article_id: str, passage: int = 0, mark: tuple[int, int] | None = None,
                     record: bool = True, scroll_y: float | None = None,
                     entity_id: str | None = None) -> None:
        if not self.ready:
            return
        article = self.library.article(article_id)
        if article is None:
            self.notify(f"No article {article_id!r} in this corpus", severity="error")
            return
        if record:
            self._remember()
            del self.history[self.position + 1 :]
            self.history.append(Visit(article_id, passage, 0.0, self.entity_id, mark))
            self.position = len(self.history) - 1
        mentions = self.library.mentions(article_id)
        hits = self.library.highlights(self.query_text, article)
        self.run_worker(self.reader.show(article, mentions, hits, passage, mark, scroll_y),
                        group="show", exclusive=True)
        counts = Counter(m.entity for m in mentions if m.entity)
        links = self.library.links
        entities = [(links.entities[e], n) for e, n in counts.items() if e in links.entities]
        self.xref.show_entities(entities)
        chosen = entity_id if entity_id is not None else self.entity_id
        if chosen and chosen in counts:
            self.show_entity(chosen, focus=False)
        else:
            self.xref.show_lines("Select a person, place or event", [])
        if self.has_class("-narrow"):
            self.remove_class("-show-search")
        self.set_status(f"{shown(article.title)[:60]} · {len(article.passages)} passages")

    # --- entities and related passages ---------------------------------------------------

    @on(EntityChosen)
    def _entity_chosen(self, event: EntityChosen) -> None:
        self.show_entity(event.entity_id)

    def choose_entity_by_id(self, entity_id: str) -> None:
        self.show_entity(entity_id)

    def action_choose_entity(self, entity_id: str) -> None:
        """Clicking a mention in the reader."""
        self.show_entity(entity_id)

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
        self.xref.show_lines(f"{entity.name} ({entity.type}) · {len(articles)} other article"
                             f"{'s' if len(articles) != 1 else ''}",
                             self._lines_for(entity_id, articles[:PAGE]),
                             more=len(articles) - PAGE)
        if self.has_class("-narrow"):
            self.add_class("-show-xref")
        if focus:
            self.xref.focus_lines()

    def _lines_for(self, entity_id: str, article_ids: list[str]) -> list[Line]:
        lines = []
        for aid in article_ids:
            article = self.library.article(aid)
            if article is None:
                continue
            for m in self.library.mentions(aid):
                if m.entity == entity_id:
                    p = article.passages[m.passage]
                    lines.append(Line(aid, article.title, m.passage, m.start, m.end,
                                      article.text[p.start : p.end], p.start))
        return lines

    @on(MoreLinesWanted)
    def _more_lines(self) -> None:
        entity_id, rest = self._pending
        self._pending = (entity_id, rest[PAGE:])
        self.xref.add_lines(self._lines_for(entity_id, rest[:PAGE]), more=len(rest) - PAGE)

    def action_related(self) -> None:
        if self.reader.article is None:
            self.notify("Open an article first")
            return
        article = self.reader.article
        related = self.library.related(article.id, self.reader.cursor)
        lines = [Line(r.article_id, f"{r.title} — {r.reason}", r.passage, r.start,
                      r.start, r.text, r.offset) for r in related]
        self.xref.show_lines(f"Related to ¶{self.reader.cursor} · {len(lines)} passages", lines)
        if self.has_class("-narrow"):
            self.add_class("-show-xref")
        self.xref.focus_lines()

    def action_focus_entities(self) -> None:
        if self.has_class("-narrow"):
            self.add_class("-show-xref")
        self.xref.entity_list.focus()

    @on(PassageMoved)
    def _passage_moved(self, event: PassageMoved) -> None:
        pass  # the current passage is read from the reader when needed

    @on(QueryChanged)
    def _query_changed(self, event: QueryChanged) -> None:
        self.query_text = event.query

    # --- history -------------------------------------------------------------------------

    def action_back(self) -> None:
        if self.position <= 0:
            self.notify("Nothing to go back to")
            return
        self._remember()
        self.position -= 1
        self._restore()

    def action_forward(self) -> None:
        if self.position >= len(self.history) - 1:
            self.notify("Nothing to go forward to")
            return
        self._remember()
        self.position += 1
        self._restore()

    def _restore(self) -> None:
        v = self.history[self.position]
        self.entity_id = v.entity_id
        self.open_article(v.article_id, v.passage, mark=v.mark, record=False,
                          scroll_y=v.scroll_y, entity_id=v.entity_id)
        self.reader.focus()

    # --- layout --------------------------------------------------------------------------

    def on_resize(self) -> None:
        self._apply_width(self.size.width)

    def _apply_width(self, width: int) -> None:
        self.set_class(width < NARROW, "-narrow")

    def action_focus_search(self) -> None:
        if self.has_class("-narrow"):
            self.add_class("-show-search")
            self.remove_class("-show-xref")
        self.remove_class("-hide-search")
        self.query_one("#query", Input).focus()

    def action_toggle_xref(self) -> None:
        self._toggle_pane("xref", "search", self.xref.entity_list)

    def action_toggle_results(self) -> None:
        self._toggle_pane("search", "xref", self.search.results)

    def _toggle_pane(self, pane: str, other: str, focus: Widget) -> None:
        """Wide: hide or show ``pane`` beside the reader. Narrow: show it over the reader
        (closing ``other``) and focus it, or close it and go back to the reader."""
        if self.has_class("-narrow"):
            self.toggle_class(f"-show-{pane}")
            self.remove_class(f"-show-{other}")
            (focus if self.has_class(f"-show-{pane}") else self.reader).focus()
        else:
            self.toggle_class(f"-hide-{pane}")

    def action_escape(self) -> None:
        """Back out one step: close a folded pane, leave a list, then go back in history."""
        focused = self.focused
        if self.has_class("-show-search") or self.has_class("-show-xref"):
            self.remove_class("-show-search")
            self.remove_class("-show-xref")
            self.reader.focus()
        elif focused is not None and focused.id == "lines" and self.entity_id:
            self.xref.entity_list.focus()
        elif focused is not None and focused is not self.reader:
            self.reader.focus()
        else:
            self.action_back()

    # --- dialogs -------------------------------------------------------------------------

    def action_help(self) -> None:
        rows = []
        seen = set()
        widgets = [self, self.reader, self.search, self.xref]
        names = {id(self): "Everywhere", id(self.reader): "Reader", id(self.search): "Search",
                 id(self.xref): "Cross-references"}
        for widget in widgets:
            for b in widget.BINDINGS:
                binding = b if isinstance(b, Binding) else Binding(*b)
                if (names[id(widget)], binding.action) in seen:
                    continue
                seen.add((names[id(widget)], binding.action))
                keys = " ".join(k.strip() for k in binding.key.split(","))
                rows.append((names[id(widget)], keys, binding.description or binding.action))
        rows.append(("Everywhere", "ctrl+p", "Command palette: open article, go to entity, …"))
        self.app.push_screen(HelpScreen(rows))

    def action_toggle_theme(self) -> None:
        self.app.action_toggle_xref_theme()  # type: ignore[attr-defined]

    def action_open_article(self) -> None:
        rows = [(a.id, f"{a.title}  [{a.id}]") for a in self.library.articles()]

        def chosen(article_id: str | None) -> None:
            if article_id:
                self.open_article(article_id)
                self.reader.focus()

        self.app.push_screen(Picker("Open article", rows), chosen)

    def action_goto_entity(self) -> None:
        ents = sorted(self.library.links.entities.values(),
                      key=lambda e: (-len(e.article_ids), e.name.lower()))
        rows = [(e.id, f"{e.name} ({e.type}, {len(e.article_ids)} articles)") for e in ents]

        def chosen(entity_id: str | None) -> None:
            if entity_id:
                entity = self.library.links.entities[entity_id]
                if self.reader.article is None and entity.article_ids:
                    self.open_article(entity.article_ids[0])
                self.show_entity(entity_id)

        self.app.push_screen(Picker("Go to entity", rows), chosen)
