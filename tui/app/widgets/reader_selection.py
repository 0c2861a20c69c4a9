"""The reader's keyboard selection, for bookmarks and copying: it starts at the current
sentence and grows by sentence, word or passage, within the current passage.

A mixin of the ``Reader`` (kept apart so that each file holds one job): it reads the reader's
article, cursor and mention cursor and repaints through it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual.actions import SkipAction

from tui.bookmarks import selection as sel

if TYPE_CHECKING:
    from textual.app import App
    from textual.screen import Screen

    from index.corpus import Article
    from index.library import ResolvedMention


class ExcerptSelection:
    """``selection`` is an (start, end) span of the article, or None."""

    if TYPE_CHECKING:
        article: Article | None
        cursor: int
        selection: tuple[int, int] | None

        app: App[Any]
        screen: Screen[Any]

        @property
        def current_mention(self) -> ResolvedMention | None: ...

        def _repaint(self, *passages: int) -> None: ...

        def notify(self, message: str) -> None: ...

    def _passage_bounds(self) -> tuple[int, int]:
        assert self.article is not None
        p = self.article.passages[self.cursor]
        return p.start, p.end

    def current_sentence(self) -> tuple[int, int] | None:
        """The sentence under the mention cursor, else the passage's first sentence."""
        if self.article is None or not self.article.passages:
            return None
        start, end = self._passage_bounds()
        m = self.current_mention
        at = m.start if m is not None and start <= m.start < end else start
        return sel.sentence_at(self.article.text, start, end, at)

    def _select(self, span: tuple[int, int] | None) -> None:
        self.selection = span
        self._repaint(self.cursor)

    def action_select_sentence(self) -> None:
        if self.article is None:
            return
        start, end = self._passage_bounds()
        if self.selection is None:
            self._select(self.current_sentence())
        else:
            self._select(sel.grow_sentence(self.article.text, start, end, self.selection))

    def action_select_passage(self) -> None:
        if self.article is not None and self.article.passages:
            self._select(self._passage_bounds())

    def action_grow_word(self) -> None:
        if self.article is None:
            return
        if self.selection is None:
            self.selection = self.current_sentence()
        if self.selection is not None:
            self._select(
                sel.grow_word(self.article.text, self._passage_bounds()[1], self.selection)
            )

    def action_shrink_word(self) -> None:
        if self.article is not None and self.selection is not None:
            self._select(sel.shrink_word(self.article.text, self.selection))

    def clear_selection(self) -> None:
        if self.selection is not None:
            self._select(None)

    def action_clear_selection(self) -> None:
        if self.selection is None:
            raise SkipAction()  # let Escape back out one step on the screen
        self._select(None)

    def excerpt(self) -> tuple[int, int] | None:
        """What ``b`` bookmarks: the keyboard selection, else a mouse selection found in the
        article, else the current sentence."""
        if self.article is None:
            return None
        if self.selection is not None:
            return self.selection
        dragged = self.screen.get_selected_text()
        if dragged and dragged.strip():
            found = sel.locate_selection(self.article.text, dragged, self._passage_bounds()[0])
            if found is not None:
                return found
        return self.current_sentence()

    def current_text(self) -> str:
        if self.article is None:
            return ""
        if self.selection is not None:
            return self.article.text[self.selection[0] : self.selection[1]]
        return self.article.passage_text(self.cursor)

    def action_copy(self) -> None:
        from index.text import clean

        text = clean(self.current_text())
        if text:
            self.app.copy_to_clipboard(text)
            what = "selection" if self.selection else f"passage {self.cursor}"
            self.notify(f"Copied {what} ({len(text)} characters)")
