"""An article as xref holds it: its text, passages and what was read off it, and its id.

Every offset is a Python ``str`` index into the article's text (the decoded file for .txt and
.md, the extracted text for the other formats), so the reader, the search highlights, the entity
mentions and the bookmarks all agree on what ``text[a:b]`` means.

One model for every format: a web page, a PDF, a message of a mailbox and a line of a JSONL
export are each an ``Article``, with where it came from (``source``, ``url``, ``pages``) kept
beside the text, so that what shows an article or cites it needs to know no format.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property

SUFFIXES = (".txt", ".md")  # plain-text articles, whose id drops the suffix


@dataclass(frozen=True)
class Passage:
    """A paragraph: ``text[start:end]`` of its article, numbered from 0."""

    index: int
    start: int
    end: int


@dataclass(frozen=True)
class Article:
    """One article with what could be read off it.

    ``path`` is where it is in the corpus (relative, POSIX separators): the file, or for a file
    of many articles the file and the record's key, ``exports/feed.jsonl#12``, which is also its
    id. ``source`` is the file alone, what to open to see the original; ``url`` the address it
    was published at, when the file records one; ``pages`` the offset where each page of a PDF
    begins (see ``page_at``); ``kind`` the format ("text", "markdown", "html", "pdf", "email",
    "jsonl", "csv")."""

    id: str
    path: str
    text: str
    title: str
    byline: str | None
    date: str | None  # YYYY-MM-DD
    passages: tuple[Passage, ...]
    encoding: str = "utf-8"
    url: str | None = None
    source: str = ""
    kind: str = "text"
    pages: tuple[int, ...] = ()

    @property
    def source_path(self) -> str:
        """The file the article was read from, relative to the corpus."""
        return self.source or self.path

    def page_at(self, offset: int) -> int | None:
        """The page (from 1) holding ``offset``, for citing a quote; None without pages."""
        if not self.pages:
            return None
        return max(bisect.bisect_right(self.pages, offset), 1)

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


# Files of one article each whose id drops the suffix ("story.html" is "story"); a clash with
# another file ("story.pdf") is settled by ``article_ids``.
SINGLE_SUFFIXES = (*SUFFIXES, ".html", ".htm", ".pdf", ".eml")


def article_id(rel_path: str) -> str:
    """The id is the relative path without its suffix: ``000_10688c53cc6a5332``. A name
    with ``#`` keeps its suffix, so that it can never be the id of a record of another file
    (``feed.jsonl#5.txt`` beside ``feed.jsonl``, whose records are ``feed.jsonl#KEY`` with no
    dot in KEY)."""
    if "#" in rel_path or not rel_path.lower().endswith(SINGLE_SUFFIXES):
        return rel_path
    return rel_path.rsplit(".", 1)[0]


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
