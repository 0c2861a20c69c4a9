"""The reader pane: an article's passages, numbered, with hits and mentions styled.

Keys move a passage cursor (the "current passage" that bookmarks and related passages use) and a
mention cursor (like links in a terminal browser), and a keyboard selection for bookmarks that
starts at the current sentence and grows by sentence, word or passage. Long passages are shown
in display chunks and mounted a screenful at a time, so a 5 MB single-paragraph article opens
at once.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.style import Style
from rich.text import Text
from textual.actions import SkipAction
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Static

from index.corpus import Article
from tui.app.messages import EntityChosen, OriginalAsked, PassageMoved
from tui.app.render import (
    CURRENT_MENTION,
    HIT,
    MARK,
    SELECTED,
    TYPE_STYLES,
    PlainNotify,
    Span,
    heading,
    styled,
)
from tui.app.widgets.landing import Landing, Overview
from tui.app.widgets.passage_block import Block, PassageBlock, blocks_of
from tui.app.widgets.reader_selection import ExcerptSelection

if TYPE_CHECKING:
    from index.library import ResolvedMention

MOUNT_STEP = 60  # blocks mounted at a time


class Reader(PlainNotify, ExcerptSelection, VerticalScroll, can_focus=True):
    """Shows one article; posts ``PassageMoved`` and ``EntityChosen``."""

    BINDINGS = [
        Binding("j,down", "next_passage", "Next ¶", show=False, tooltip="Next passage"),
        Binding("k,up", "prev_passage", "Prev ¶", show=False, tooltip="Previous passage"),
        Binding("g,home", "first", "Top", show=False, tooltip="First passage"),
        Binding("G,end", "last", "Bottom", show=False, tooltip="Last passage"),
        Binding("pagedown,space", "page_down", "Page down", show=False),
        Binding("pageup", "page_up", "Page up", show=False),
        Binding(
            "tab",
            "next_mention",
            "Mention",
            tooltip="Next mention of a person, place, event or organisation",
        ),
        Binding(
            "shift+tab", "prev_mention", "Prev mention", show=False, tooltip="Previous mention"
        ),
        Binding(
            "enter",
            "select_mention",
            "Follow",
            show=False,
            tooltip="Follow the mention: its cross-references",
        ),
        Binding("n", "next_hit", "Next hit", show=False, tooltip="Next search hit"),
        Binding("N", "prev_hit", "Prev hit", show=False, tooltip="Previous search hit"),
        Binding(
            "v",
            "select_sentence",
            "Select",
            show=False,
            tooltip="Select the sentence (again: add the next)",
        ),
        Binding("V", "select_passage", "Select ¶", show=False, tooltip="Select the passage"),
        Binding("greater_than_sign", "grow_word", "Select +word", show=False),
        Binding("less_than_sign", "shrink_word", "Select −word", show=False),
        Binding("escape", "clear_selection", "Clear selection", show=False),
        Binding(
            "c", "copy", "Copy", show=False, tooltip="Copy the selection or the passage (OSC 52)"
        ),
        Binding(
            "O",
            "open_original",
            "Original",
            show=False,
            tooltip="Open the original file in the system viewer",
        ),
    ]

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.article: Article | None = None
        self.mentions: list[ResolvedMention] = []
        self.hits: list[tuple[int, int]] = []
        self.mark: tuple[int, int] | None = None
        self.cursor = 0
        self.mention_cursor: int | None = None
        self.selection: tuple[int, int] | None = None
        self._blocks: list[Block] = []
        self._mounted = 0
        self._views: dict[int, list[PassageBlock]] = {}

    def compose(self) -> ComposeResult:
        yield Static("", id="reader-head")
        yield Landing(id="landing")
        # Room after the last passage, so that a passage near the end can still be brought
        # to the top third of the view when followed from the sidebar.
        yield Static("", id="reader-end")

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """With no article open (the landing) the reader's keys are not shown, and Tab
        moves between panes as it does elsewhere."""
        return self.article is not None

    def show_landing(self, corpus_name: str, view: Overview) -> None:
        """What is shown until an article is opened: the corpus at a glance."""
        self.query_one(Landing).show(corpus_name, view)

    def focus_content(self) -> None:
        """Focus the article, or the landing's list while no article is open."""
        if self.article is None:
            self.query_one(Landing).rows.focus()
        else:
            self.focus()

    def content_focused(self) -> bool:
        return self.has_focus or (self.article is None and self.query_one(Landing).has_focus_within)

    def on_passage_block_clicked(self, event: PassageBlock.Clicked) -> None:
        self.set_cursor(event.passage, scroll=False)

    # --- showing ---------------------------------------------------------------------

    async def show(
        self,
        article: Article,
        mentions: list[ResolvedMention],
        hits: list[tuple[int, int]],
        passage: int = 0,
        mark: tuple[int, int] | None = None,
        scroll_y: float | None = None,
    ) -> None:
        self.article = article
        self.refresh_bindings()  # the footer: the reader's keys apply now
        self.mentions = sorted((m for m in mentions if m.entity), key=lambda m: m.start)
        self.hits = hits
        self.mark = mark
        self.mention_cursor = None
        self.selection = None
        if mark is not None:
            for i, m in enumerate(self.mentions):
                if m.start == mark[0]:
                    self.mention_cursor = i
        self.cursor = max(0, min(passage, len(article.passages) - 1))
        self._blocks = blocks_of(article)
        landing = self.query_one(Landing)
        if landing.display:
            landing.display = False
            self.query_one("#reader-end").display = True
            if landing.has_focus_within:
                self.focus()
        await self.remove_children(".passage")
        head = self.query_one("#reader-head", Static)
        head.update(heading(article))
        head.display = True
        self._views = {}
        self._mounted = 0
        await self._mount_until(self._first_block_of(self.cursor) + MOUNT_STEP)
        self._paint_all()
        self.call_after_refresh(self._settle, scroll_y)

    def _settle(self, scroll_y: float | None) -> None:
        if scroll_y is not None:
            self.scroll_to(y=scroll_y, animate=False)
        else:
            self._scroll_to_cursor(top=True)

    def _first_block_of(self, passage: int) -> int:
        return next((i for i, b in enumerate(self._blocks) if b.passage == passage), 0)

    async def _mount_until(self, count: int) -> None:
        count = min(count, len(self._blocks))
        if count <= self._mounted:
            return
        new = []
        for block in self._blocks[self._mounted : count]:
            view = PassageBlock(block)
            self._views.setdefault(block.passage, []).append(view)
            new.append(view)
        self._mounted = count
        await self.mount_all(new, before=self.query_one("#reader-end"))
        for view in new:
            self._paint(view)

    def _spans_for(self, block: Block) -> list[Span]:
        spans = []
        for i, m in enumerate(self.mentions):
            if m.end <= block.start or m.start >= block.end:
                continue
            style = TYPE_STYLES.get(m.type, Style())
            if i == self.mention_cursor:
                style = style + CURRENT_MENTION
            if m.entity:
                # A link (Textual draws it as one) to the block's own action, which posts
                # ``EntityChosen``: the screen decides, as for every other choice.
                style = style + Style(meta={"@click": f"choose_entity({m.entity!r})"})
            spans.append(Span(m.start, m.end, style))
        for s, e in self.hits:
            if e > block.start and s < block.end:
                spans.append(Span(s, e, HIT))
        if self.mark and self.mark[1] > block.start and self.mark[0] < block.end:
            spans.append(Span(*self.mark, MARK))
        if self.selection and self.selection[1] > block.start and self.selection[0] < block.end:
            spans.append(Span(*self.selection, SELECTED))
        return spans

    def _paint(self, view: PassageBlock) -> None:
        assert self.article is not None
        b = view.block
        body = styled(self.article.text[b.start : b.end], b.start, self._spans_for(b))
        label = Text(f"{b.passage:>3} " if b.first else "    ", style="dim")
        view.update(label + body)
        view.set_class(b.passage == self.cursor, "-current")

    def _paint_all(self) -> None:
        for views in self._views.values():
            for v in views:
                self._paint(v)

    def restyle(self) -> None:
        """Paint every shown block again (the theme changed the mention colours)."""
        if self.article is not None:
            self._paint_all()

    def _repaint(self, *passages: int) -> None:
        for p in set(passages):
            for v in self._views.get(p, []):
                self._paint(v)

    # --- moving ----------------------------------------------------------------------

    def set_cursor(self, passage: int, scroll: bool = True) -> None:
        if self.article is None or not self.article.passages:
            return
        passage = max(0, min(passage, len(self.article.passages) - 1))
        old, self.cursor = self.cursor, passage
        if old != passage:
            self.selection = None  # an excerpt lies within one passage
        self.run_worker(self._ensure_mounted(passage, scroll), exclusive=True, group="mount")
        self._repaint(old, passage)
        if old != passage:
            self.post_message(PassageMoved(self.article.id, passage))

    async def _ensure_mounted(self, passage: int, scroll: bool) -> None:
        await self._mount_until(self._first_block_of(passage) + MOUNT_STEP)
        if scroll:
            self._scroll_to_cursor()

    def _scroll_to_cursor(self, top: bool = False) -> None:
        """Bring the current passage into view; ``top``: into the upper third, a few rows
        under the top edge, with the end of the passage before it as context."""
        views = self._views.get(self.cursor)
        if not views:
            return
        if not top:
            self.scroll_to_widget(views[0], animate=False)
            return
        if self.mark is not None:  # the marked words' block, in a passage cut in blocks
            views = [v for v in views if v.block.start <= self.mark[0]] or views
        else:  # the passage's first block: its last one may be a screenful of blocks away
            views = views[:1]
        y = views[-1].virtual_region.y
        self.scroll_to(y=max(0, y - self.scrollable_content_region.height // 5), animate=False)

    def watch_scroll_y(self, old: float, new: float) -> None:
        if self._mounted < len(self._blocks) and new >= self.max_scroll_y - self.size.height:
            self.run_worker(self._mount_until(self._mounted + MOUNT_STEP), group="mount")

    def action_next_passage(self) -> None:
        self.set_cursor(self.cursor + 1)

    def action_prev_passage(self) -> None:
        self.set_cursor(self.cursor - 1)

    def action_first(self) -> None:
        self.set_cursor(0)
        self.scroll_home(animate=False)

    def action_last(self) -> None:
        if self.article:
            self.set_cursor(len(self.article.passages) - 1)

    def action_page_down(self) -> None:
        # Textual applies a page scroll after the next refresh: read the view after it too,
        # or the current passage lags one page behind.
        self.scroll_page_down(animate=False)
        self.call_after_refresh(self._cursor_to_view)

    def action_page_up(self) -> None:
        self.scroll_page_up(animate=False)
        self.call_after_refresh(self._cursor_to_view)

    def _cursor_to_view(self) -> None:
        top = self.scroll_y
        for p, views in sorted(self._views.items()):
            if views[0].virtual_region.y >= top:
                self.set_cursor(p, scroll=False)
                return

    def _move_mention(self, step: int) -> None:
        if not self.mentions or self.article is None:
            return
        if self.mention_cursor is None:
            # Start from the current passage.
            start = self.article.passages[self.cursor].start
            after = [i for i, m in enumerate(self.mentions) if m.start >= start]
            before = [i for i, m in enumerate(self.mentions) if m.start < start]
            if step > 0:
                i = after[0] if after else 0
            else:
                i = before[-1] if before else len(self.mentions) - 1
        else:
            i = (self.mention_cursor + step) % len(self.mentions)
        old = (
            self.mentions[self.mention_cursor].passage
            if self.mention_cursor is not None
            else self.cursor
        )
        self.mention_cursor = i
        self._repaint(old)
        self.set_cursor(self.mentions[i].passage)
        self._repaint(self.mentions[i].passage)

    def action_next_mention(self) -> None:
        if self.article is None:
            raise SkipAction()  # the landing: Tab moves to the next pane
        self._move_mention(1)

    def action_prev_mention(self) -> None:
        if self.article is None:
            raise SkipAction()
        self._move_mention(-1)

    @property
    def current_mention(self) -> ResolvedMention | None:
        if self.mention_cursor is None or not self.mentions:
            return None
        return self.mentions[self.mention_cursor]

    def action_open_original(self) -> None:
        self.post_message(OriginalAsked())

    def action_select_mention(self) -> None:
        m = self.current_mention
        if m is None:
            self._move_mention(1)
            m = self.current_mention
        if m is not None and m.entity:
            self.post_message(EntityChosen(m.entity))

    def _move_hit(self, step: int) -> None:
        if not self.hits or self.article is None:
            self.notify("No search hits in this article", severity="information")
            return
        start = self.article.passages[self.cursor].start
        end = self.article.passages[self.cursor].end
        if step > 0:
            nxt = [s for s, _ in self.hits if s >= end]
            target = nxt[0] if nxt else self.hits[0][0]
        else:
            prv = [s for s, _ in self.hits if s < start]
            target = prv[-1] if prv else self.hits[-1][0]
        self.set_cursor(self.article.passage_at(target))

    def action_next_hit(self) -> None:
        self._move_hit(1)

    def action_prev_hit(self) -> None:
        self._move_hit(-1)
