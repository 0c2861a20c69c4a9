"""The Whoosh schema and the one analyzer that indexing, querying and highlighting share.

Whoosh pickles the schema, analyzer objects included, into every index it writes: an index
built before this module existed names ``index.store.FoldFilter`` and
``index.store.ApostropheFilter``, so ``index.store`` re-exports both (a test opens such an
index). Renaming or moving these classes again needs the same care.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from whoosh import fields
from whoosh.analysis import Filter, LowercaseFilter, RegexTokenizer

from index.text import fold

TOKEN_PATTERN = r"\w+(?:[.'’]\w+)*"


class FoldFilter(Filter):  # type: ignore[misc]  # Whoosh has no type hints
    """Fold accents so that "Cəbrayıl", "Cebrayil" and "CƏBRAYIL" are one term."""

    def __call__(self, tokens: Iterator[Any]) -> Iterator[Any]:
        for t in tokens:
            t.text = fold(t.text)
            yield t


class ApostropheFilter(Filter):  # type: ignore[misc]  # Whoosh has no type hints
    """Index "Aliyev's" and "U.S." as "aliyev" and "us", keeping offsets of the whole token."""

    def __call__(self, tokens: Iterator[Any]) -> Iterator[Any]:
        for t in tokens:
            text = t.text
            if text.endswith(("'s", "’s")):
                text = text[:-2]
            t.text = text.replace(".", "").replace("'", "").replace("’", "")
            if t.text:
                yield t


_TOKEN = re.compile(TOKEN_PATTERN)


def iter_tokens(text: str) -> Iterator[tuple[str, int, int]]:
    """(term, start, end) of every token, exactly as ``analyzer()`` makes them, without
    Whoosh's token objects: highlighting tokenises whole articles at every search, and this
    is several times faster. A test keeps the two the same on the real corpora. A generator,
    so that a search of a huge article holds the matches, not every token."""
    for m in _TOKEN.finditer(text):
        word = fold(m.group().lower())
        if word.endswith(("'s", "’s")):
            word = word[:-2]
        word = word.replace(".", "").replace("'", "").replace("’", "")
        if word:
            yield word, m.start(), m.end()


def tokens(text: str) -> list[tuple[str, int, int]]:
    """Every token of ``text`` (see ``iter_tokens``)."""
    return list(iter_tokens(text))


def analyzer() -> Any:
    """The one analyzer for indexing, querying and highlighting: words are compared alike."""
    return RegexTokenizer(TOKEN_PATTERN) | LowercaseFilter() | FoldFilter() | ApostropheFilter()


def make_schema() -> Any:
    """The fields of an article's document (a ``whoosh.fields.Schema``)."""
    ana = analyzer()
    return fields.Schema(
        id=fields.ID(stored=True, unique=True, sortable=True),
        title=fields.TEXT(analyzer=ana, field_boost=2.5, stored=False),
        author=fields.TEXT(analyzer=ana, field_boost=1.5),
        body=fields.TEXT(analyzer=ana),
        mkeys=fields.KEYWORD(commas=True, lowercase=False, scorable=False),
        date=fields.ID(stored=True),
        doc=fields.STORED(),
    )
