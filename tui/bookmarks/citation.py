"""Where a bookmarked quote comes from, for an export a researcher can cite: the article's
path in the corpus, its file URI, and its web address where one is known.

xref's articles are plain text with no metadata field for an address, so "where known" means:
a ``url:`` the reader wrote on the bookmark (kept by xref like any key it does not use), else
an address the article states near its top or bottom — a line that is only a URL, one that
begins ``Source:``, ``URL:``, ``Link:``, ``Original:`` or ``Canonical:``, or a ``url:`` line
of Markdown front matter. Nothing is guessed from the file name.
"""

from __future__ import annotations

import re
from pathlib import Path, PurePosixPath

from index.corpus import Article
from tui.bookmarks.model import Bookmark

_URL = re.compile(r"https?://[^\s<>\"')\]]+", re.IGNORECASE)
_LABELLED = re.compile(
    r"^\s*(?:[-*]\s*)?(?:source|url|link|original|canonical|canonical[_ ]url)\s*:\s*<?"
    r"(https?://[^\s<>\"']+)>?\s*$",
    re.IGNORECASE,
)
EDGE_LINES = 12  # lines read at the top and at the bottom of an article


def url_of(bookmark: Bookmark, article: Article | None) -> str | None:
    """The web address of the bookmark's source, or None."""
    own = bookmark.raw.get("url")
    if isinstance(own, str) and _URL.fullmatch(own.strip()):
        return own.strip()
    if article is None:
        return None
    return stated_url(article.text)


def stated_url(text: str) -> str | None:
    """An address the article gives for itself, near its top or its bottom."""
    lines = text.splitlines()
    edge = lines[:EDGE_LINES] + lines[-EDGE_LINES:] if len(lines) > 2 * EDGE_LINES else lines
    for line in edge:
        m = _LABELLED.match(line)
        if m:
            return m.group(1).rstrip(".,;")
        stripped = line.strip().strip("<>")
        if _URL.fullmatch(stripped):
            return stripped
    return None


def file_uri(corpus: str | Path | None, rel: str | None) -> str | None:
    """``file:///…`` for the article in its corpus folder (what the offsets are counted in)."""
    if not corpus or not rel or not Path(corpus).is_absolute():
        return None
    return (Path(corpus) / PurePosixPath(rel)).as_uri()
