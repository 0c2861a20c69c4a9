"""The status line under the panes: one line of what is going on, and the indexing bar."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import ProgressBar, Static

from tui.sanitise import shown

if TYPE_CHECKING:
    from index.store import UpdateSummary

log = logging.getLogger("xref")


class StatusBar(Horizontal):
    """Says what the app is doing; shows a progress bar while the index is built."""

    def compose(self) -> ComposeResult:
        yield Static("", id="status")
        yield ProgressBar(id="progress", show_eta=False)

    def say(self, text: str, error: bool = False) -> None:
        self.query_one("#status", Static).update(
            Text(shown(text), style="bold red" if error else ""))

    def progress(self, done: int, total: int) -> None:
        self.query_one("#progress", ProgressBar).update(total=max(total, 1), progress=done)
        if total:
            self.say(f"Indexing {done}/{total} articles…")

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
