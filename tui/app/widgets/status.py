"""The status line under the panes: one line of what is going on, and the indexing bar."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, cast

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import ProgressBar, Static
from textual.worker import Worker, WorkerState

from tui.app.render import PlainNotify
from tui.sanitise import shown

if TYPE_CHECKING:
    from index.store import UpdateSummary

log = logging.getLogger("xref")


class StatusBar(PlainNotify, Horizontal):
    """Says what the app is doing; builds or updates the index in a worker thread with a
    progress bar, and hands the summary to whoever asked (the main screen)."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._done: Callable[[UpdateSummary], None] | None = None
        self._fitted: tuple[str, str] | None = None  # said again to the new width on resize

    def run_index(
        self,
        update: Callable[..., UpdateSummary],
        rebuild: bool,
        done: Callable[[UpdateSummary], None],
    ) -> None:
        """Run ``update`` (the library's, made in the worker: the first frame does not wait
        for Whoosh) and call ``done`` with its summary; a failure is shown here."""
        self._done = done
        self.busy(True)
        self._index(update, rebuild)

    @work(thread=True, exclusive=True, group="index", exit_on_error=False, name="index")
    def _index(self, update: Callable[..., UpdateSummary], rebuild: bool) -> UpdateSummary:
        def progress(done: int, total: int) -> None:
            self.app.call_from_thread(self.progress, done, total)

        def waiting() -> None:
            self.app.call_from_thread(self.say, "Another xref is indexing this corpus; waiting…")

        return update(progress=progress, on_wait=waiting, rebuild=rebuild)

    @on(Worker.StateChanged)
    def _worker_done(self, event: Worker.StateChanged) -> None:
        if event.worker.name != "index":
            return
        if event.state == WorkerState.SUCCESS:
            self.busy(False)
            if self._done is not None:
                self._done(cast("UpdateSummary", event.worker.result))
        elif event.state == WorkerState.ERROR:
            error = event.worker.error
            log.error("indexing failed", exc_info=error)
            self.busy(False)
            self.say(f"Indexing failed: {error}", error=True)
            self.notify(f"Indexing failed: {error}", severity="error", timeout=10)

    def compose(self) -> ComposeResult:
        yield Static("", id="status")
        yield ProgressBar(id="progress", show_eta=False)

    def say(self, text: str, error: bool = False) -> None:
        self._fitted = None
        self.query_one("#status", Static).update(
            Text(shown(text), style="bold red" if error else "", no_wrap=True, overflow="ellipsis")
        )

    def say_fitted(self, head: str, tail: str) -> None:
        """``head`` cut with an ellipsis to leave room for ``tail`` on the line: a title
        takes the width there is, and what follows it is never cut off."""
        status = self.query_one("#status", Static)
        room = (status.content_region.width or self.app.size.width - 2) - len(tail)
        cut = head if len(head) <= room else head[: max(room - 1, 1)].rstrip() + "…"
        self.say(cut + tail)
        self._fitted = (head, tail)

    def on_resize(self) -> None:
        if self._fitted is not None:
            self.call_after_refresh(self.say_fitted, *self._fitted)

    def progress(self, done: int, total: int) -> None:
        """Reading ``done`` of ``total`` files; once all are read, linking the names across
        the corpus still takes a while (seconds on thousands of articles): the bar then
        pulses under a label that says so, rather than sitting at 100 %."""
        bar = self.query_one("#progress", ProgressBar)
        if total and done >= total:
            bar.update(total=None)
            self.say(f"Linking names across {total} article{'s' * (total != 1)}…")
        elif total:
            bar.update(total=total, progress=done)
            self.say(f"Reading {done}/{total} articles…")

    def busy(self, on: bool) -> None:
        """Show or hide the progress bar."""
        self.query_one("#progress", ProgressBar).display = on


def ready_note(summary: UpdateSummary) -> str:
    """What the status line adds to "Ready" after an update; skipped files and warnings go
    to the log as well, one line each."""
    log.info("index ready: %s touched in %.2f s", summary.touched, summary.seconds)
    note = ""
    if summary.touched:
        note = f" · {summary.touched} article{'s' if summary.touched != 1 else ''} indexed"
    if summary.skipped:
        note += f" · skipped {len(summary.skipped)} (see log)"
        for s in summary.skipped:
            log.warning("skipped %s: %s", s.path, s.reason)
    for w in summary.warnings:
        log.warning("%s", w)
    return note
