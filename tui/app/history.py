"""Back and forward between articles, as a browser does: each visit keeps its article, current
passage, scroll position, chosen entity and marked span, so going back restores the view.

No Textual here: the main screen records and asks, and draws what it is given.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class Visit:
    article_id: str
    passage: int
    scroll_y: float
    entity_id: str | None
    mark: tuple[int, int] | None


class History:
    """A list of visits and a position in it; recording a visit drops those ahead of it."""

    def __init__(self) -> None:
        self.visits: list[Visit] = []
        self.position = -1

    @property
    def current(self) -> Visit | None:
        return self.visits[self.position] if 0 <= self.position < len(self.visits) else None

    def record(self, visit: Visit) -> None:
        del self.visits[self.position + 1 :]
        self.visits.append(visit)
        self.position = len(self.visits) - 1

    def step(self, by: int) -> Visit | None:
        """Move back (-1) or forward (+1); None, and no move, at either end."""
        if not 0 <= self.position + by < len(self.visits):
            return None
        self.position += by
        return self.visits[self.position]
