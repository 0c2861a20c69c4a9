"""An article as xref holds it: its text, passages and what was read off it, and its id.

Every offset is a Python ``str`` index into the decoded file text, so the reader, the search
highlights, the entity mentions and the bookmarks all agree on what ``text[a:b]`` means.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property

SUFFIXES = (".txt", ".md")


@dataclass(frozen=True)
class Passage:
    """A paragraph: ``text[start:end]`` of its article, numbered from 0."""

    index: int
    start: int
    end: int


@dataclass(frozen=True)
class Article:
    """One decoded file with what could be read off it."""

    id: str
    path: str  # relative to the corpus, POSIX separators
    text: str
    title: str
    byline: str | None
    date: str | None
    passages: tuple[Passage, ...]
    encoding: str = "utf-8"

    def passage_text(self, index: int) -> str:
        p = self.passages[index]
        return self.text[p.start : p.end]

    @cached_property
    def _starts(self) -> list[int]:
        return [p.start for p in self.passages]

    def passage_at(self, offset: int) -> int:
        """The passage holding ``offset`` (or the nearest one before it). A bisection: this
        is asked for every highlight and mention, and a scan made an article of 20,000
        paragraphs quadratic."""
        return max(bisect.bisect_right(self._starts, offset) - 1, 0)


@dataclass(frozen=True)
class ArticleInfo:
    """One line of the article list: what the index knows of an article without reading its
    text (the manifest's entry), for pickers and the results pane's list."""

    id: str
    path: str
    title: str
    byline: str | None
    date: str | None
    passages: int


def article_id(rel_path: str) -> str:
    """The id is the relative path without its suffix: ``000_10688c53cc6a5332``."""
    return rel_path.rsplit(".", 1)[0] if rel_path.lower().endswith(SUFFIXES) else rel_path


def article_ids(rel_paths: Iterable[str]) -> dict[str, str]:
    """The id of every file, unique: files whose ids would be the same ("dup.txt" beside
    "dup.md") are each known by their whole relative path, which no other file has. That can
    free or take an id of a third file ("dup.md" beside "dup.md.txt"), so it runs until no
    two ids are the same; every round fixes at least one file for good."""
    ids = {rel: article_id(rel) for rel in rel_paths}
    while True:
        groups: dict[str, list[str]] = {}
        for rel, aid in ids.items():
            groups.setdefault(aid, []).append(rel)
        clashing = [
            rel for group in groups.values() if len(group) > 1 for rel in group if ids[rel] != rel
        ]
        if not clashing:
            return ids
        for rel in clashing:
            ids[rel] = rel
