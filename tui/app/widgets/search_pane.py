"""The search pane: a query box, a one-line status, results grouped by article.

Searches run as you type, after a short pause, in a worker thread; a result that arrives for
a query that is no longer the one in the box is dropped.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.timer import Timer
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option
from textual.worker import get_current_worker

from index.text import window
from tui.app.messages import ArticleChosen, QueryChanged
from tui.app.render import HIT, Span, plain, styled
from tui.sanitise import shown

if TYPE_CHECKING:
    from index.search import SearchResult
    from tui.services import Services

log = logging.getLogger("xref")
DEBOUNCE = 0.015  # s: merges a burst of keys; see on_input_changed
LIMIT = 20


class SearchPane(Vertical):
    """Posts ``ArticleChosen`` when a result is opened and ``QueryChanged`` as the query
    settles."""

    BINDINGS = [
        Binding("o", "toggle_sort", "Sort by title/date"),
    ]

    def __init__(self, services: Services, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.services = services
        self._timer: Timer | None = None
        self._seq = 0
        self._busy = False  # a search is running in the worker
        self._pending = False  # the text changed while it ran
        self.sort_by = "title"
        self.ready = False
        self.last: SearchResult | None = None
        self.query_text = ""

    def compose(self) -> ComposeResult:
        yield Input(placeholder='/ search: words, "phrases", AND OR NOT, pre*, fuzzy~', id="query")
        yield Static("", id="search-status")
        yield OptionList(id="results")

    @property
    def results(self) -> OptionList:
        return self.query_one("#results", OptionList)

    @property
    def query_box(self) -> Input:
        return self.query_one("#query", Input)

    def focus_query(self) -> None:
        self.query_box.focus()

    def focus_results(self) -> None:
        self.results.focus()

    def index_ready(self) -> None:
        """The index can be searched now: show the results for what was typed meanwhile."""
        self.ready = True
        self.refresh_results()

    def set_status(self, text: str, error: bool = False) -> None:
        status = self.query_one("#search-status", Static)
        status.update(Text(shown(text), style="bold red" if error else "dim"))
        status.set_class(error, "-error")

    def on_input_changed(self, event: Input.Changed) -> None:
        """Debounce in two ways: a very short timer merges a burst of keys (a paste, key
        repeat), and while a search runs the keys typed meanwhile wait and are merged into one
        search of the latest text when it ends. A long fixed timer would spend most of the
        100 ms a keystroke may take before anything is shown."""
        event.stop()
        if self._timer is not None:
            self._timer.stop()
        self._seq += 1
        self._timer = self.set_timer(DEBOUNCE, lambda seq=self._seq: self._fire(seq))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if self.results.option_count:
            self.results.focus()
            if self.results.highlighted is None:
                self.results.highlighted = 0

    def _fire(self, seq: int) -> None:
        if seq != self._seq:
            return
        if self._busy:
            self._pending = True  # searched for when the running search ends
            return
        self.refresh_results()

    def refresh_results(self) -> None:
        if not self.ready:
            return
        text = self.query_box.value
        self.query_text = text
        if not text.strip():
            self.show_articles()
            self.post_message(QueryChanged(""))
            return
        self._busy = True
        self._search(text, self._seq)

    @work(thread=True, exclusive=True, group="search", exit_on_error=False)
    def _search(self, text: str, seq: int) -> None:
        # Imported here, in the worker: Whoosh loads after the first frame, not before it.
        from index.search import QueryError

        library = self.services.library
        try:
            result = library.search(text, limit=LIMIT)
            error = None
        except QueryError as exc:
            result, error = None, str(exc)
        except Exception as exc:  # a bug: logged and shown under the input; typing goes on
            log.exception("search for %r failed", text)
            result, error = None, f"search failed: {exc} (see the log)"
        if get_current_worker().is_cancelled:
            return
        self.app.call_from_thread(self._show, text, seq, result, error)

    def _show(self, text: str, seq: int, result: SearchResult | None, error: str | None) -> None:
        self._busy = False
        if self._pending or seq != self._seq:
            self._pending = False
            self.refresh_results()  # stale: dropped, and the latest text searched at once
            return
        if error is not None or result is None:
            self.set_status(error or "error", error=True)
            return
        self.last = result
        self.post_message(QueryChanged(text))
        options = []
        for hit in result.results:
            prompt = Text()
            prompt.append_text(plain(hit.title))
            prompt.stylize("bold")
            meta = shown(" · ".join(x for x in (hit.byline, hit.date) if x))
            prompt.append(f"\n{meta + ' · ' if meta else ''}{hit.hits} hits", style="dim")
            if hit.passages:
                p = hit.passages[0]
                stretch = _best_stretch(p.text, p.start, p.highlights)
                prompt.append("\n")
                prompt.append_text(stretch)
            best = hit.passages[0].passage if hit.passages else 0
            options.append(Option(prompt, id=f"{hit.id}\t{best}"))
        self.results.clear_options()
        self.results.add_options(options)
        if result.total == 0:
            hint = f" — did you mean: {result.suggestion}?" if result.suggestion else ""
            self.set_status(f"No results{hint}")
        else:
            more = f" (first {len(result.results)})" if result.total > len(result.results) else ""
            self.set_status(f"{result.total} article{'s' if result.total != 1 else ''}{more}")

    def show_articles(self) -> None:
        """Every article, by title or by date (newest first), when the query box is empty."""
        library = self.services.library
        rows = library.articles()
        if self.sort_by == "date":
            rows.sort(key=lambda a: (a.date or "", a.title.lower()), reverse=True)
        else:
            rows.sort(key=lambda a: a.title.lower())
        options = []
        for a in rows:
            prompt = plain(a.title)
            prompt.stylize("bold")
            meta = shown(" · ".join(x for x in (a.byline, a.date) if x))
            prompt.append(f"\n{meta + ' · ' if meta else ''}{a.passages} passages", style="dim")
            options.append(Option(prompt, id=f"{a.id}\t0"))
        self.results.clear_options()
        self.results.add_options(options)
        self.last = None
        self.set_status(
            f"{len(rows)} articles, by {self.sort_by} (o to sort by "
            f"{'date' if self.sort_by == 'title' else 'title'})"
        )

    def action_toggle_sort(self) -> None:
        self.sort_by = "date" if self.sort_by == "title" else "title"
        if not self.query_box.value.strip():
            self.show_articles()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id:
            article_id, passage = event.option.id.split("\t")
            self.post_message(ArticleChosen(article_id, int(passage)))


def _best_stretch(
    text: str, offset: int, highlights: tuple[tuple[int, int], ...], width: int = 140
) -> Text:
    """A stretch of the best passage around its first hit, hits styled."""
    first = highlights[0][0] - offset if highlights else 0
    lo, hi = window(len(text), first, first, width // 3, width - width // 3, fixed=True)
    body = styled(text[lo:hi], offset + lo, [Span(s, e, HIT) for s, e in highlights])
    body = Text("…" if lo else "") + body + Text("…" if hi < len(text) else "")
    body.plain = body.plain.replace("\n", " ")
    return body
