"""Messages between panes: small, past-tense, ids not objects. Panes post them up; the
screen decides and calls methods down, so no pane reaches into another."""

from __future__ import annotations

from dataclasses import dataclass

from textual.message import Message


@dataclass
class ArticleChosen(Message):
    """The reader should open ``article_id`` at ``passage`` (marking ``start:end`` if given)."""

    article_id: str
    passage: int = 0
    start: int | None = None
    end: int | None = None


@dataclass
class EntityChosen(Message):
    """An entity was picked (in the sidebar or on a mention in the reader)."""

    entity_id: str


@dataclass
class PassageMoved(Message):
    """The reader's current passage changed."""

    article_id: str
    passage: int


@dataclass
class QueryChanged(Message):
    """The search pane's query settled (debounced), for highlighting in the reader."""

    query: str


@dataclass
class MoreLinesWanted(Message):
    """The sidebar's "more articles" row was chosen: the next page of context lines."""


@dataclass
class XrefSortCycled(Message):
    """The cross-reference list's sort was asked to move on (date, title, mentions)."""


@dataclass
class XrefFilterChanged(Message):
    """The words of the cross-reference filter box changed."""

    text: str


@dataclass
class CoMentionPicked(Message):
    """An entity was picked to narrow the list to articles also naming it (again: widen)."""

    entity_id: str


@dataclass
class NarrowingCleared(Message):
    """Every narrowing of the list (other entities, a query, the filter) was dropped."""


@dataclass
class MatchingAsked(Message):
    """The reader asked to narrow the list to the articles a query matches."""


@dataclass
class UnlinkedLinkAsked(Message):
    """The unlinked place at ``index`` of the pane's unlinked list should be linked."""

    index: int


@dataclass
class OriginalAsked(Message):
    """The open article's original (its file; ``web``: its web address) should be opened."""

    web: bool = False
