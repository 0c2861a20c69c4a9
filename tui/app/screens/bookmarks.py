"""Bookmarks in the app: the small dialog that saves one, and the screen that lists them.

The screen re-anchors every bookmark in a worker thread (the corpus may have changed since a
quote was saved) and shows each one's state; it never drops a bookmark it cannot place.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen, Screen
from textual.widgets import Footer, Input, OptionList, Static
from textual.widgets.option_list import Option

from tui.app.render import PlainNotify
from tui.bookmarks.anchor import AMBIGUOUS, EXACT, FUZZY, MOVED, ORPHANED
from tui.bookmarks.model import BookmarksError, parse_tags
from tui.bookmarks.ops import Elsewhere, Located, accept, by_corpus, describe_others
from tui.bookmarks.store import BookmarkStore
from tui.sanitise import shown

if TYPE_CHECKING:
    from index.library import Library

log = logging.getLogger("xref")
T = TypeVar("T")

STATE_STYLES = {
    EXACT: "green",
    MOVED: "cyan",
    FUZZY: "yellow",
    AMBIGUOUS: "bold red",
    ORPHANED: "bold red",
}


def _short(text: str, limit: int) -> str:
    text = " ".join(shown(text).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


class BookmarkDialog(PlainNotify, ModalScreen[tuple[str, list[str]] | None]):
    """Note and tags for an excerpt. Enter moves on, then saves; Escape cancels."""

    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(
        self,
        quote: str,
        where: str,
        note: str = "",
        tags: list[str] | None = None,
        verb: str = "Bookmark",
    ) -> None:
        super().__init__()
        self.quote = quote
        self.where = where
        self.note = shown(note)  # the file's text: outside text, shown on one line
        self.tags = [shown(t) for t in tags or []]
        self.verb = verb

    def compose(self) -> ComposeResult:
        head = Text(f"{self.verb} · {shown(self.where)}\n", style="bold")
        head.append(f"“{_short(self.quote, 400)}”", style="italic")
        with Vertical(id="bookmark-box"):
            yield Static(head, id="bookmark-quote")
            yield Input(self.note, placeholder="note (optional)", id="bookmark-note")
            yield Input(
                " ".join(self.tags),
                placeholder="tags, separated by spaces (optional)",
                id="bookmark-tags",
            )
            yield Static(Text("Enter: next / save · Escape: cancel", style="dim"))

    def on_mount(self) -> None:
        self.query_one("#bookmark-note", Input).focus()

    @on(Input.Submitted, "#bookmark-note")
    def _note_done(self) -> None:
        self.query_one("#bookmark-tags", Input).focus()

    @on(Input.Submitted, "#bookmark-tags")
    def _save(self) -> None:
        note = self.query_one("#bookmark-note", Input).value
        tags = parse_tags(self.query_one("#bookmark-tags", Input).value)
        self.dismiss((note, tags))

    def action_cancel(self) -> None:
        self.dismiss(None)


@dataclass(frozen=True)
class OpenExcerpt:
    """What the bookmarks screen returns when a bookmark is opened."""

    article_id: str
    passage: int
    start: int
    end: int


class BookmarksScreen(PlainNotify, Screen[OpenExcerpt | None]):
    """This corpus's bookmarks with their quote, source, note, tags and state; the other
    corpora's are counted on a last line apart, never re-anchored here nor called orphaned
    (``by_corpus``)."""

    BINDINGS = [
        Binding("enter", "open", "Open"),
        Binding("e", "edit", "Edit note/tags"),
        Binding("d,delete", "delete", "Delete"),
        Binding("u", "undo", "Undo delete"),
        Binding("a", "accept", "Accept new places"),
        Binding("slash", "filter", "Filter"),
        Binding("escape", "close", "Close"),
    ]

    def __init__(self, library: Library, store: BookmarkStore) -> None:
        super().__init__()
        self.library = library
        self.store = store
        self.located: list[Located] = []
        self.elsewhere: list[Elsewhere] = []
        self.shown: list[Located] = []
        self.undo: list[tuple[dict[str, Any], int]] = []
        self.read_only: str | None = None

    def compose(self) -> ComposeResult:
        with Vertical(id="bookmarks-box"):
            yield Static(Text("Bookmarks", style="bold"), id="bookmarks-title")
            yield Input(placeholder="filter: words, or #tag", id="bookmarks-filter")
            yield OptionList(id="bookmarks-list")
            yield Static("Loading…", id="bookmarks-status")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#bookmarks-list", OptionList).focus()
        self.reload()

    def reload(self) -> None:
        self._load()

    @work(thread=True, exclusive=True, exit_on_error=False)
    def _load(self) -> None:
        try:
            f = self.store.load()
        except BookmarksError as exc:
            self.app.call_from_thread(self._failed, str(exc))
            return
        located, elsewhere = by_corpus(self.library, f)
        self.app.call_from_thread(self._loaded, located, elsewhere)

    def _failed(self, message: str) -> None:
        self.read_only = message
        self.located = []
        self.elsewhere = []
        self._fill()
        self._status(f"Read-only, nothing shown: {message}", error=True)

    def _loaded(self, located: list[Located], elsewhere: list[Elsewhere]) -> None:
        self.read_only = None
        self.located = located
        self.elsewhere = elsewhere
        self._fill()

    def _status(self, text: str, error: bool = False) -> None:
        self.query_one("#bookmarks-status", Static).update(
            Text(shown(text), style="bold red" if error else "dim")
        )

    def _matches(self, x: Located, words: list[str]) -> bool:
        b = x.bookmark
        hay = " ".join([b.quote, b.title, b.note, b.article]).lower()
        for w in words:
            if w.startswith("#"):
                if w[1:] not in (t.lower() for t in b.tags):
                    return False
            elif w not in hay and w not in (t.lower() for t in b.tags):
                return False
        return True

    def _fill(self) -> None:
        words = self.query_one("#bookmarks-filter", Input).value.lower().split()
        lst = self.query_one("#bookmarks-list", OptionList)
        keep = lst.highlighted
        lst.clear_options()
        self.shown = [x for x in self.located if self._matches(x, words)]
        lst.add_options([Option(self._row(x), id=x.bookmark.id) for x in self.shown])
        if self.elsewhere:
            # After this corpus's rows, so that the list's indexes stay those of ``shown``;
            # disabled: nothing to open, edit or delete from here.
            row = Text(f"── {describe_others(self.elsewhere)}", style="dim")
            row.append("\n   open xref with --corpus FOLDER to see them", style="dim italic")
            lst.add_option(Option(row, id="other-corpora", disabled=True))
        if self.shown:
            lst.highlighted = min(keep or 0, len(self.shown) - 1)
        if self.read_only is None:
            states: dict[str, int] = {}
            for x in self.located:
                states[x.state] = states.get(x.state, 0) + 1
            summary = ", ".join(f"{n} {s}" for s, n in states.items()) or "none yet"
            n = len(self.elsewhere)
            others = f" · {n} bookmark{'s' if n != 1 else ''} of other corpora" if n else ""
            self._status(
                f"{len(self.shown)} of {len(self.located)} shown · {summary}{others} · "
                f"{self.store.path}"
            )

    def _row(self, x: Located) -> Text:
        b = x.bookmark
        row = Text()
        row.append(f"[{x.anchor.describe()}] ", style=STATE_STYLES.get(x.state, ""))
        row.append(f"“{_short(b.quote, 220)}”\n")
        source = x.article.title if x.article else (b.title or b.article)
        where = f" ¶{x.passage}" if x.passage is not None else ""
        row.append(f"   {_short(source, 90)}{where}", style="dim")
        if x.anchor.reason:
            row.append(f"\n   {_short(x.anchor.reason, 120)}", style="italic")
        if b.note or b.tags:
            row.append("\n   ")
            row.append(_short(b.note, 120))
            if b.tags:
                row.append(
                    ("  " if b.note else "") + " ".join(f"#{shown(t)}" for t in b.tags),
                    style="bold",
                )
        return row

    @on(Input.Changed, "#bookmarks-filter")
    def _filter_changed(self) -> None:
        self._fill()

    @on(Input.Submitted, "#bookmarks-filter")
    def _filter_done(self) -> None:
        self.query_one("#bookmarks-list", OptionList).focus()

    @property
    def current(self) -> Located | None:
        lst = self.query_one("#bookmarks-list", OptionList)
        if lst.highlighted is None or lst.highlighted >= len(self.shown):
            return None
        return self.shown[lst.highlighted]

    @on(OptionList.OptionSelected, "#bookmarks-list")
    def _selected(self) -> None:
        self.action_open()

    def action_open(self) -> None:
        x = self.current
        if x is None:
            return
        if x.article is None or x.anchor.start is None or x.anchor.end is None:
            self.notify(
                f"Cannot open this bookmark: {x.anchor.reason or x.state}", severity="warning"
            )
            return
        self.dismiss(OpenExcerpt(x.article.id, x.passage or 0, x.anchor.start, x.anchor.end))

    def _write(self, what: str, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T | None:
        """Run a change to the file; a failure is a notification, and None."""
        try:
            return fn(*args, **kwargs)
        except BookmarksError as exc:
            log.warning("bookmarks: %s failed: %s", what, exc)
            self.notify(f"Could not {what}: {exc}", severity="error", timeout=8)
            return None

    def action_edit(self) -> None:
        x = self.current
        if x is None or self.read_only:
            return
        b = x.bookmark

        def done(result: tuple[str, list[str]] | None) -> None:
            if result is None:
                return
            note, tags = result
            # Only what the reader changed is written: a note written by hand as ``yes`` is
            # shown as "yes" and must not come back as the string 'yes' when the tags change.
            changes: dict[str, object] = {}
            if note.strip() != shown(b.note):
                changes["note"] = note.strip()
            if tags != [shown(t) for t in b.tags]:
                changes["tags"] = tags
            if not changes:
                return
            if self._write("save", self.store.update, b.id, **changes):
                self.notify("Saved")
            self.reload()

        self.app.push_screen(
            BookmarkDialog(b.quote, _short(b.title or b.article, 60), b.note, b.tags, verb="Edit"),
            done,
        )

    def action_delete(self) -> None:
        x = self.current
        if x is None or self.read_only:
            return
        removed = self._write("delete", self.store.delete, x.bookmark.id)
        if removed is not None:
            self.undo.append(removed)
            self.notify("Deleted · press u to undo")
        self.reload()

    def action_undo(self) -> None:
        if not self.undo:
            self.notify("Nothing to undo")
            return
        entry, position = self.undo.pop()
        self._write("undo", self.store.restore, entry, position)
        self.notify("Restored")
        self.reload()

    def action_accept(self) -> None:
        if self.read_only:
            return
        n = self._write("accept", accept, self.store, self.located)
        if n is not None:
            self.notify(f"Wrote {n} new place{'s' if n != 1 else ''} back to the file")
        self.reload()

    def action_filter(self) -> None:
        self.query_one("#bookmarks-filter", Input).focus()

    def action_close(self) -> None:
        self.dismiss(None)
