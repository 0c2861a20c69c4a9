"""The reader's display chunks: a long passage is shown in blocks of ``CHUNK`` characters, so
that a 5 MB single-paragraph article opens at once (the reader mounts a screenful of blocks at
a time)."""

from __future__ import annotations

from dataclasses import dataclass

from textual.events import Click
from textual.message import Message
from textual.widgets import Static

from index.corpus import Article
from tui.app.messages import EntityChosen

CHUNK = 2_000  # characters of a passage shown per block


@dataclass(frozen=True)
class Block:
    passage: int
    start: int
    end: int
    first: bool


def blocks_of(article: Article) -> list[Block]:
    """Every passage cut into blocks of at most ``CHUNK`` characters (an empty one too)."""
    return [
        Block(p.index, s, min(p.end, s + CHUNK), i == 0)
        for p in article.passages
        for i, s in enumerate(range(p.start, max(p.end, p.start + 1), CHUNK))
    ]


class PassageBlock(Static):
    """A chunk of one passage. Posts ``Clicked`` for its reader, and ``EntityChosen`` when a
    mention's link in it is clicked."""

    @dataclass
    class Clicked(Message):
        """The block was clicked: its passage becomes the current one."""

        passage: int

    def __init__(self, block: Block) -> None:
        super().__init__(classes="passage")
        self.block = block

    def on_click(self, event: Click) -> None:
        self.post_message(self.Clicked(self.block.passage))

    def action_choose_entity(self, entity_id: str) -> None:
        """A click on a mention."""
        self.post_message(EntityChosen(entity_id))
