"""The query language: what Whoosh's parser is given and what is refused before a search.

Stems matched by a prefix walk (``StemVariations``), fuzzy terms compared in C
(``Vocabulary``), fields and boosts checked, ``*`` read as every document, and the words a
query matched on collected for highlighting. Every refusal is a ``QueryError`` whose message
is one line for the user.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from whoosh import qparser, query
from whoosh.lang.porter import stem

MAX_BOOST = 1000.0
FIELDS = ("title", "body", "author", "date", "id")  # what a query may name ("title:word")


class QueryError(ValueError):
    """A query that cannot be run; the message is one line for the user."""


# "word~" allows one edit; a swapped pair of letters costs two in Whoosh's distance, so a bare
# "~" on a longer word allows two. An explicit "~N" is kept.
BARE_FUZZY = re.compile(r"(?<![\w\"])(\w{6,})~(?![\d\w])")


class StemVariations(query.Variations):  # type: ignore[misc]  # Whoosh has no type hints
    """A word and the indexed words that share its English stem ("negotiation" finds
    "negotiations"), found by a prefix walk of the term list, so the index stays unstemmed
    and phrases, prefixes and fuzzy terms keep working on the words as written."""

    def _btexts(self, ixreader: Any) -> Iterator[bytes]:
        # The one hook Whoosh gives a multi-term query to say which indexed words it stands
        # for (every ``MultiTerm`` overrides it); callers use the public ``expanded_terms``.
        word = str(self.text)
        to_bytes = ixreader.schema[self.fieldname].to_bytes
        exact = to_bytes(word)
        if (self.fieldname, exact) in ixreader:
            yield exact
        if len(word) < 4 or not word.isalpha():
            return
        root = stem(word)
        for btext in ixreader.expand_prefix(self.fieldname, root[: max(3, len(root) - 1)]):
            candidate = btext.decode("utf-8")
            if btext != exact and len(candidate) <= len(word) + 4 and stem(candidate) == root:
                yield btext


class Vocabulary:
    """The indexed words of a field, grouped by length, for fuzzy terms.

    Whoosh expands ``word~2`` by computing an edit distance in Python against every word of
    the field, once per use (checking, matching, counting, highlighting): about a second at
    5,000 articles. Here the words are read once per searcher and compared in C by rapidfuzz
    (plain Levenshtein: a swapped pair of letters costs two edits, as Whoosh counts it)."""

    def __init__(self, reader: Any) -> None:
        self.reader = reader
        self._by_len: dict[str, dict[int, list[str]]] = {}

    def _words(self, fieldname: str) -> dict[int, list[str]]:
        if fieldname not in self._by_len:
            groups: dict[int, list[str]] = {}
            for btext in self.reader.lexicon(fieldname):
                word = btext.decode("utf-8")
                groups.setdefault(len(word), []).append(word)
            self._by_len[fieldname] = groups
        return self._by_len[fieldname]

    def within(self, fieldname: str, text: str, maxdist: int, prefix: int = 0) -> list[str]:
        from rapidfuzz.distance import Levenshtein  # only fuzzy terms and suggestions need it
        from rapidfuzz.process import extract

        groups = self._words(fieldname)
        candidates = [
            w
            for n in range(len(text) - maxdist, len(text) + maxdist + 1)
            for w in groups.get(n, ())
            if w[:prefix] == text[:prefix]
        ]
        found = extract(
            text, candidates, scorer=Levenshtein.distance, score_cutoff=maxdist, limit=None
        )
        return [w for w, _score, _i in found]


def make_parser(schema: Any) -> qparser.QueryParser:
    p = qparser.MultifieldParser(["title", "body"], schema, termclass=StemVariations)
    p.add_plugin(qparser.FuzzyTermPlugin())
    return p


_FIELD = re.compile(r"(?<![\w\\])([A-Za-z_]\w*):(?=\S)")
_QUOTED = re.compile(r'"[^"]*"?')


def check_fields(text: str) -> None:
    """Refuse a field that cannot be searched (``doc:``, the stored article, made Whoosh
    raise a bare ``Exception`` from the parser), naming it. Checked on the text, quoted
    phrases aside, because the parser fails before it returns a query to look at."""
    for m in _FIELD.finditer(_QUOTED.sub(" ", text)):
        if m.group(1) not in FIELDS:
            raise QueryError(
                f"no field '{m.group(1)}:' to search; use title:, body:, author:, date: or id:"
            )


def _nodes(q: query.Query) -> Iterator[query.Query]:
    yield q
    for child in q.children():
        yield from _nodes(child)


def check_boosts(q: query.Query) -> None:
    """Refuse what Whoosh would turn into a traceback, no hits or an infinite score: a boost
    of 0 (a division by zero in BM25F; inside an OR it silently empties the results) and
    boosts past ``MAX_BOOST`` (400 nines scored ``Infinity``, which is not JSON)."""
    for node in _nodes(q):
        boost = getattr(node, "boost", 1.0)
        if not (0 < boost <= MAX_BOOST):
            raise QueryError(f"a boost (^) must be above 0 and at most {MAX_BOOST:g}")


def every_document(q: query.Query) -> query.Query:
    """``*`` and ``field:*`` mean every article. Whoosh's ``Every(field)`` finds them by
    reading the postings of every word of the field (2 s at 5,000 articles); every article
    has a body and a title, so the plain list of documents is the same answer at once."""
    if isinstance(q, query.Every):
        return query.Every(boost=q.boost)
    return q.apply(every_document)


def query_terms(q: query.Query, reader: Any) -> tuple[set[str], list[list[str]]]:
    """The words (expanded) and phrases a query matched on, outside any NOT."""
    terms: set[str] = set()
    phrases: list[list[str]] = []

    def walk(node: query.Query) -> None:
        if isinstance(node, query.Not):
            return
        if isinstance(node, query.AndNot):
            walk(node.a)
            return
        if isinstance(node, query.Phrase):
            if node.fieldname in ("body", "title"):
                phrases.append([str(w) for w in node.words])
            return
        if node.is_leaf():
            if getattr(node, "fieldname", None) not in ("body", "title", "author"):
                return
            if isinstance(node, query.Every):
                return
            try:
                for _field, btext in node.existing_terms(reader, expand=True):
                    terms.add(btext.decode("utf-8") if isinstance(btext, bytes) else str(btext))
            except (TypeError, ValueError):
                return
            return
        for child in node.children():
            walk(child)

    walk(q)
    return terms, phrases
