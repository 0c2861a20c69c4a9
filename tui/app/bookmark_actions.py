"""The main screen's bookmark actions: ``b`` saves the reader's excerpt, ``B`` lists them.

A mixin so that the main screen stays about panes and history; it relies on the screen's
``reader``, ``library``, ``services``, ``ready`` and ``open_article``.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from tui.app.screens.bookmarks import BookmarkDialog, BookmarksScreen, OpenExcerpt
from tui.bookmarks.model import BookmarksError
from tui.bookmarks.ops import entry_for
from tui.bookmarks.store import BookmarkStore
from tui.sanitise import shown

log = logging.getLogger("xref")


class BookmarkActions:
    reader: Any
    library: Any
    services: Any
    ready: bool
    app: Any

    if TYPE_CHECKING:  # provided by Screen and MainScreen; never defined here (MRO)

        def notify(self, *args: Any, **kwargs: Any) -> None: ...

        def open_article(self, *args: Any, **kwargs: Any) -> None: ...

    @property
    def bookmark_store(self) -> BookmarkStore:
        return BookmarkStore(self.services.bookmarks_path)

    def action_bookmark(self) -> None:
        """Save the reader's excerpt (selection, else current sentence) with a note and tags."""
        article = self.reader.article
        span = self.reader.excerpt()
        if article is None or span is None:
            self.notify("Open an article first")
            return
        store = self.bookmark_store
        try:
            store.check_writable()  # refuse before the user types a note that cannot be saved
        except BookmarksError as exc:
            self.notify(f"Bookmarks are read-only: {exc}", severity="error", timeout=10)
            return
        start, end = span
        passage = article.passage_at(start)

        def done(result: tuple[str, list[str]] | None) -> None:
            if result is None:
                return
            note, tags = result
            try:
                saved = store.add(entry_for(self.library, article, start, end, note, tags))
            except BookmarksError as exc:
                log.warning("bookmark not saved: %s", exc)
                self.notify(f"Not saved: {exc}", severity="error", timeout=10)
                return
            if self.reader.selection is not None:
                self.reader.action_clear_selection()
            self.notify(f"Bookmarked ¶{passage} ({saved['id']})", timeout=3)

        where = f"{shown(article.title)[:50]} ¶{passage}"
        self.app.push_screen(BookmarkDialog(article.text[start:end], where), done)

    def action_bookmarks(self) -> None:
        if not self.ready:
            self.notify("The index is still being built")
            return

        def opened(target: OpenExcerpt | None) -> None:
            if target is not None:
                self.open_article(target.article_id, target.passage,
                                  mark=(target.start, target.end))
                self.reader.focus()

        self.app.push_screen(BookmarksScreen(self.library, self.bookmark_store), opened)
