"""What ``b`` and ``B`` do in the app: save the reader's excerpt with a note and tags, and list
the bookmarks to open one. Given to the main screen by the app (``XrefApp``), so the screen
stays a go-between for its panes and tests can hand it a store on a temporary file.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING

from textual.screen import Screen

from tui.app.screens.bookmarks import BookmarkDialog, BookmarksScreen, OpenExcerpt
from tui.bookmarks.model import BookmarksError
from tui.bookmarks.ops import entry_for
from tui.bookmarks.store import BookmarkStore
from tui.sanitise import shown

if TYPE_CHECKING:
    from index.corpus import Article
    from index.library import Library

log = logging.getLogger("xref")


class BookmarkController:
    """Bookmarks for the app: the store, and the library that places their quotes (made on
    first use, after the first frame)."""

    def __init__(self, store: BookmarkStore, library: Callable[[], Library]) -> None:
        self.store = store
        self.library = library

    def bookmark(
        self,
        screen: Screen[None],
        article: Article | None,
        span: tuple[int, int] | None,
        saved: Callable[[], None],
    ) -> None:
        """Ask for a note and tags for ``article.text[span]``, then save it; ``saved`` runs
        after a successful save (the reader clears its selection)."""
        if article is None or span is None:
            screen.notify("Open an article first")
            return
        try:
            self.store.check_writable()  # refuse before the user types a note that is lost
        except BookmarksError as exc:
            screen.notify(f"Bookmarks are read-only: {exc}", severity="error", timeout=10)
            return
        start, end = span
        passage = article.passage_at(start)

        def done(result: tuple[str, list[str]] | None) -> None:
            if result is None:
                return
            note, tags = result
            entry = entry_for(article, start, end, note, tags, corpus=self.library().corpus)
            try:
                added = self.store.add(entry)
            except BookmarksError as exc:
                log.warning("bookmark not saved: %s", exc)
                screen.notify(f"Not saved: {exc}", severity="error", timeout=10)
                return
            saved()
            screen.notify(f"Bookmarked ¶{passage} ({added['id']})", timeout=3)

        where = f"{shown(article.title)[:50]} ¶{passage}"
        screen.app.push_screen(BookmarkDialog(article.text[start:end], where), done)

    def show_all(self, screen: Screen[None], open_excerpt: Callable[[OpenExcerpt], None]) -> None:
        """The bookmarks screen; ``open_excerpt`` gets the one the user opens."""

        def opened(target: OpenExcerpt | None) -> None:
            if target is not None:
                open_excerpt(target)

        screen.app.push_screen(BookmarksScreen(self.library(), self.store), opened)
