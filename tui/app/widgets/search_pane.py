"""The search pane: a query box, a one-line status, results grouped by article.

Searches run as you type, after a short pause, in a worker thread; a result that arrives for
a query that is no longer the one in the box is dropped, and nothing here ever writes the box's
text. Results come a page at a time: the last row loads the next page when it is reached.
"""

from __future__ import annotations

import html
import logging
import re
import unicodedata
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
from tui.app.widgets.query_box import QueryBox
from tui.sanitise import shown

if TYPE_CHECKING:
    from index.search import SearchResult
    from tui.services import Services

log = logging.getLogger("xref")
DEBOUNCE = 0.015  # s: merges a burst of keys; see on_input_changed
LIMIT = 20  # results per page
PLACEHOLDER = 'words, "phrases", x*'  # fits the narrowest pane (see ?)
MORE = "more"


class SearchPane(Vertical):
    """Posts ``ArticleChosen`` when a result is opened and ``QueryChanged`` as the query
    settles."""

    BINDINGS = [
        Binding("o", "toggle_sort", "Sort"),
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
        self.has_dates = False
        self.last: SearchResult | None = None
        self.query_text = ""
        self.limit = LIMIT  # results asked for: grows by a page as the list is read
        self._paging = False  # the running search is the next page of the shown one

    def compose(self) -> ComposeResult:
        yield QueryBox(placeholder=PLACEHOLDER, id="query")
        yield Static("", id="search-status")
        yield OptionList(id="results")

    @property
    def results(self) -> OptionList:
        return self.query_one("#results", OptionList)

    @property
    def query_box(self) -> QueryBox:
        return self.query_one("#query", QueryBox)

    def focus_query(self) -> None:
        """Focus the box now, not after the queue: a paste right behind the ``/`` lands in
        the box, not in the list the ``/`` was typed on."""
        self.screen.set_focus(self.query_box)

    def query_focused(self) -> bool:
        """Whether keys are text now (the screen's one-letter keys step aside)."""
        return self.query_box.has_focus

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
        self.limit = LIMIT
        self._timer = self.set_timer(DEBOUNCE, lambda seq=self._seq: self._fire(seq))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if self.results.option_count:
            self.focus_results()

    def on_query_box_results_wanted(self, event: QueryBox.ResultsWanted) -> None:
        event.stop()
        if self.results.option_count:
            self.focus_results()

    def focus_results(self) -> None:
        """The result list, on its first row if none is highlighted; at once (not after the
        queue), so a key typed right behind Enter is the list's."""
        self.screen.set_focus(self.results)
        if self.results.highlighted is None and self.results.option_count:
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
        self._search(text, self._seq, self.limit)

    def more(self) -> None:
        """The next page of results for the same query (its rows stay where they are)."""
        if self.last is None or self._busy or len(self.last.results) >= self.last.total:
            return
        self.limit = len(self.last.results) + LIMIT
        self._busy = self._paging = True
        self._search(self.query_text, self._seq, self.limit)

    @work(thread=True, exclusive=True, group="search", exit_on_error=False)
    def _search(self, text: str, seq: int, limit: int) -> None:
        # Imported here, in the worker: Whoosh loads after the first frame, not before it.
        from index import comentions
        from index.search import QueryError

        library = self.services.library
        try:
            if comentions.has_entity_terms(text):  # entity:"Name": within its articles
                result = comentions.search(library, text, limit=limit)[0]
            else:
                result = library.search(text, limit=limit)
            error = None
        except (QueryError, comentions.EntityNotFound) as exc:
            result, error = None, str(exc)
        except Exception as exc:  # a bug: logged and shown under the input; typing goes on
            log.exception("search for %r failed", text)
            result, error = None, f"search failed: {exc} (see the log)"
        if get_current_worker().is_cancelled:
            return
        self.app.call_from_thread(self._show, text, seq, result, error)

    def _show(self, text: str, seq: int, result: SearchResult | None, error: str | None) -> None:
        self._busy = False
        if seq != self._seq:
            self._paging = False
        if self._pending or seq != self._seq:
            self._pending = False
            self.refresh_results()  # stale: dropped, and the latest text searched at once
            return
        if error is not None or result is None:
            self.set_status(error or "error", error=True)
            return
        self.last = result
        self.post_message(QueryChanged(text))
        keep = self.results.highlighted if self._paging else None
        self._paging = False
        options = []
        for hit in result.results:
            prompt = Text()
            prompt.append_text(plain(hit.title))
            prompt.stylize("bold")
            meta = shown(" · ".join(x for x in (hit.byline, hit.date) if x))
            hits = f"{hit.hits} hit{'s' if hit.hits != 1 else ''}"
            prompt.append(f"\n{meta + ' · ' if meta else ''}{hits}", style="dim")
            if hit.passages:
                p = hit.passages[0]
                stretch = _best_stretch(p.text, p.start, p.highlights)
                prompt.append("\n")
                prompt.append_text(stretch)
            best = hit.passages[0].passage if hit.passages else 0
            options.append(Option(prompt, id=f"{hit.id}\t{best}"))
        left = result.total - len(result.results)
        if left > 0:
            options.append(Option(Text(f"… {left} more (Enter or ↓ to load)", "italic"), id=MORE))
        self.results.clear_options()
        self.results.add_options(options)
        self.query_box.leads_to = self.focus_results if options else None
        if keep is not None and self.results.option_count:
            self.results.highlighted = min(keep, self.results.option_count - 1)
        if result.total == 0:
            hint = f" — did you mean: {result.suggestion}?" if result.suggestion else ""
            self.set_status(f"No results{hint}")
        else:
            self.set_status(f"{result.total} article{'s' if result.total != 1 else ''}")

    def show_articles(self) -> None:
        """Every article, by title or by date (newest first), when the query box is empty."""
        library = self.services.library
        rows = library.articles()
        self.has_dates = any(a.date for a in rows)
        self.refresh_bindings()
        if not self.has_dates:
            self.sort_by = "title"
        rows.sort(key=lambda a: title_key(a.title))
        if self.sort_by == "date":  # newest first; titles in order within a day
            rows.sort(key=lambda a: a.date or "", reverse=True)
        options = []
        for a in rows:
            prompt = plain(a.title)
            prompt.stylize("bold")
            meta = shown(" · ".join(x for x in (a.byline, a.date) if x))
            prompt.append(f"\n{meta + ' · ' if meta else ''}{a.passages} passages", style="dim")
            options.append(Option(prompt, id=f"{a.id}\t0"))
        self.results.clear_options()
        self.results.add_options(options)
        self.query_box.leads_to = self.focus_results if options else None
        self.last = None
        other = "date" if self.sort_by == "title" else "title"
        hint = f", by {self.sort_by} (o: by {other})" if self.has_dates else ""
        self.set_status(f"{len(rows)} article{'s' if len(rows) != 1 else ''}{hint}")

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Sorting by date is offered only where articles have dates."""
        if action == "toggle_sort":
            return self.has_dates and not self.query_box.value.strip()
        return True

    def action_toggle_sort(self) -> None:
        self.sort_by = "date" if self.sort_by == "title" else "title"
        if not self.query_box.value.strip():
            self.show_articles()

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        """Reaching the last row (↓, End, a click) loads the next page: the list reads on."""
        event.stop()
        if event.option.id == MORE:
            self.more()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id == MORE:
            self.more()
        elif event.option.id:
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


def title_key(title: str) -> tuple[str, str]:
    """How a title sorts: on its folded words, so that "$1m…", "&#163;1.8m…" and a quoted
    title file under their first word, not before every letter; accents and case fold."""
    text = unicodedata.normalize("NFKD", html.unescape(title)).casefold()
    text = "".join(c for c in text if not unicodedata.combining(c))
    words = " ".join(re.findall(r"\w+(?:[.,']\w+)*", text))
    return (words, title)
