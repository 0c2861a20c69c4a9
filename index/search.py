"""Searching the index: the Whoosh query language, results grouped by article with passages.

A query is matched against whole articles (so ``Putin AND NATO`` finds an article that names
them in different paragraphs), scored with BM25F with the title boosted; then the article's
text is tokenised with the index's own analyzer to find the passages and the character offsets
of the terms that matched. Offsets are ``str`` indices into the article text.

The engine is here; the query language's rules are in ``queries``, the result dataclasses
and the highlighting in ``results`` (re-exported here, where callers import them).
"""

from __future__ import annotations

import itertools
import math
import re
from collections.abc import Collection, Iterable
from typing import Any

from whoosh import query, scoring
from whoosh.reading import TermNotFound
from whoosh.searching import Searcher

from index.corpus import Article
from index.queries import (
    BARE_FUZZY,
    FIELDS,
    MAX_BOOST,
    QueryError,
    StemVariations,
    Vocabulary,
    check_boosts,
    check_fields,
    every_document,
    make_parser,
    query_terms,
)
from index.results import PASSAGES_PER_ARTICLE, Hit, PassageHit, SearchResult, highlight_spans
from index.results import hit as _hit
from index.store import Store, analyzer, article_from_doc
from index.topn import phrase_top, top_docs

__all__ = [
    "FIELDS",
    "MAX_BOOST",
    "MAX_EXPANSION",
    "MAX_QUERY_CHARS",
    "PASSAGES_PER_ARTICLE",
    "Hit",
    "PassageHit",
    "QueryError",
    "SearchEngine",
    "SearchResult",
    "StemVariations",
    "Vocabulary",
    "_hit",
    "highlight_spans",
]

MAX_QUERY_CHARS = 1000
MAX_EXPANSION = 2000  # terms a prefix, wildcard, range or fuzzy term may stand for
# A query Whoosh scores (a phrase, AND, NOT) whose candidates are at most this many is scored
# whole and counted exactly in one pass (for a phrase, checking positions costs the same with
# or without a limit: every query at 5,000 articles); past it the count stops at COUNT_LIMIT
# ("at least"), so a keystroke never pays a full second pass over tens of thousands.
EXACT_COUNT = 5000
COUNT_LIMIT = 1000


def fuzzy_words(parser: Any, text: str) -> list[str]:
    """The words of the fuzzy terms (``Brwon~``) in a query, for the spelling suggestion.

    A fuzzy term that matches nothing is gone from the expanded query (``_expand_fuzzy``
    makes it a null query), so the suggestion reads the query as parsed before expansion
    (``text`` has been parsed once already, so this parse succeeds);
    the word then gets the same suggestion as when it is written plainly, and ``Brwon~``
    becomes ``Brown~``."""
    q = parser.parse(BARE_FUZZY.sub(r"\1~2", text))  # as ``SearchEngine.parse`` did
    return [
        str(leaf.text)
        for leaf in q.leaves()
        if isinstance(leaf, query.FuzzyTerm) and leaf.fieldname == "body"
    ]


class SearchEngine:
    """Search over one opened store; keeps a Whoosh searcher for its lifetime."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.ix = store.open()
        self.parser = make_parser(self.ix.schema)
        self._searcher: Searcher | None = None
        self._vocab: Vocabulary | None = None
        self._analyzer = analyzer()

    @property
    def searcher(self) -> Searcher:
        if self._searcher is not None and not self._searcher.up_to_date():
            # A fresh searcher, not ``refresh()``: Whoosh's refresh of an index that had no
            # segment (an empty corpus) fails inside Whoosh with a TypeError.
            self._searcher.close()
            self._searcher = None
        if self._searcher is None:
            self._searcher = self.ix.searcher(weighting=scoring.BM25F())
        return self._searcher

    def close(self) -> None:
        if self._searcher is not None:
            self._searcher.close()
            self._searcher = None

    def parse(self, text: str) -> query.Query:
        if not text.strip():
            raise QueryError("empty query")
        if len(text) > MAX_QUERY_CHARS:
            raise QueryError(f"query too long ({len(text)} characters; at most {MAX_QUERY_CHARS})")
        check_fields(text)
        text = BARE_FUZZY.sub(r"\1~2", text)
        q = self.parser.parse(text)
        if q is query.NullQuery or isinstance(q, type(query.NullQuery)):
            raise QueryError("query has no words to search for")
        check_boosts(q)
        q = every_document(q)
        q = self._expand_fuzzy(q)
        q = self._check_expansion(q)
        return q

    def _expand_fuzzy(self, q: query.Query) -> query.Query:
        """Each fuzzy term becomes the plain terms it stands for (see ``Vocabulary``)."""
        vocab = self._vocabulary()

        def rewrite(node: query.Query) -> query.Query:
            if isinstance(node, query.FuzzyTerm):
                words = vocab.within(
                    node.fieldname, str(node.text).lower(), node.maxdist, node.prefixlength
                )
                if len(words) > MAX_EXPANSION:
                    raise QueryError(
                        f"'{node.text}~' matches too many words (over "
                        f"{MAX_EXPANSION}); make it more specific"
                    )
                if not words:
                    return query.NullQuery
                return query.Or([query.Term(node.fieldname, w, boost=node.boost) for w in words])
            return node.apply(rewrite)

        return rewrite(q)

    def _check_expansion(self, q: query.Query) -> query.Query:
        reader = self.searcher.reader()
        for leaf in q.leaves():
            if isinstance(
                leaf, (query.Prefix, query.Wildcard, query.FuzzyTerm, query.Regex, query.TermRange)
            ):
                if isinstance(leaf, query.Prefix) and len(str(leaf.text)) < 1:
                    raise QueryError("a prefix needs at least one letter before '*'")
                for count, _ in enumerate(leaf.expanded_terms(reader), 1):
                    if count > MAX_EXPANSION:
                        what = getattr(leaf, "text", None) or f"[{leaf.start} TO {leaf.end}]"
                        raise QueryError(
                            f"'{what}' matches too many words (over {MAX_EXPANSION}); "
                            "make it more specific"
                        )
        return q

    def search(
        self, text: str, limit: int = 10, within: Collection[str] | None = None
    ) -> SearchResult:
        """The ``limit`` best articles and how many match (``total_exact`` says whether
        ``total`` is the count or a lower bound: see ``_top``). With ``within`` (article
        ids) only those articles are searched: the same scores and order as the whole
        search, filtered, and the total is always exact (see ``_top_within``)."""
        q = self.parse(text)
        s = self.searcher
        if within is None:
            top, total, exact = self._top(q, limit)
        else:
            top, total, exact = self._top_within(q, limit, self.docnums(within))
        suggestion = None
        if total == 0:
            suggestion = self._suggest(q, text)
        terms, phrases = query_terms(q, s.reader())
        hits = []
        for score, docnum in top:
            if not math.isfinite(score):  # boosts within bounds can still multiply up
                raise QueryError("the boosts in this query are too large")
            stored = s.stored_fields(docnum)
            article = article_from_doc(stored["id"], stored["doc"])
            hits.append(_hit(article, score, terms, phrases, self._analyzer))
        return SearchResult(text, total, suggestion, tuple(hits), exact)

    def _top(self, q: query.Query, limit: int) -> tuple[list[tuple[float, int]], int, bool]:
        """(score, docnum) of the best ``limit`` documents, the total, and whether it is
        exact. A query of words (or stems, or fuzzy terms) is scored in bulk, every match
        counted on the way (``topn``). Anything else is Whoosh's top-N; its total is exact
        when Whoosh needed no second pass or the candidates are few (at most
        ``EXACT_COUNT``, where scoring them all is cheaper than a second pass: phrases at
        5,000 articles), else counted up to ``COUNT_LIMIT`` and given as "at least"."""
        s = self.searcher
        bulk = top_docs(s, q, limit)
        if bulk is not None:
            return bulk.top, bulk.total, True
        phrase = phrase_top(s, q, limit)
        if phrase is not None:  # the same counts as below, without scoring every hit
            few = q.estimate_size(s.reader()) <= EXACT_COUNT
            if phrase.exact:
                counted = phrase.total
            elif few:
                counted = sum(1 for _ in s.docs_for_query(q))
            else:
                counted = sum(1 for _ in itertools.islice(s.docs_for_query(q), COUNT_LIMIT + 1))
            if few or counted < limit:
                return phrase.top, counted, True
            return phrase.top, min(counted, COUNT_LIMIT), counted <= COUNT_LIMIT
        if q.estimate_size(s.reader()) <= EXACT_COUNT:
            results = s.search(q, limit=None)
            return [(r.score, r.docnum) for r in results[:limit]], len(results), True
        results = s.search(q, limit=limit)
        top = [(r.score, r.docnum) for r in results]
        if results.scored_length() < limit:
            return top, results.scored_length(), True
        counted = sum(1 for _ in itertools.islice(s.docs_for_query(q), COUNT_LIMIT + 1))
        return top, min(counted, COUNT_LIMIT), counted <= COUNT_LIMIT

    def docnums(self, article_ids: Collection[str]) -> set[int]:
        """The live document numbers of ``article_ids`` (an unknown id has none), through
        each id's posting: a look-up per id, however large the corpus."""
        reader = self.searcher.reader()
        out: set[int] = set()
        for aid in article_ids:
            try:
                out.update(reader.postings("id", aid).all_ids())
            except (KeyError, TermNotFound):
                continue
        return out

    def _top_within(
        self, q: query.Query, limit: int, allow: set[int]
    ) -> tuple[list[tuple[float, int]], int, bool]:
        """``_top`` over the documents ``allow`` only, counted exactly: the scores are the
        whole index's (a filter changes which documents are kept, not their scores), so a
        restricted search lists what the unrestricted one would, less the others. The set
        is a filter to Whoosh and a mask to the bulk scorers (``topn``); scoring every match
        in the set costs what the set's size allows, not the corpus's."""
        s = self.searcher
        if not allow:
            return [], 0, True
        bulk = top_docs(s, q, limit, allow)
        if bulk is not None:
            return bulk.top, bulk.total, True
        phrase = phrase_top(s, q, limit, allow)
        if phrase is not None:  # every candidate in the set checked: exact
            return phrase.top, phrase.total, True
        results = s.search(q, limit=None, filter=allow)
        return [(r.score, r.docnum) for r in results[:limit]], len(results), True

    def _suggest(self, q: query.Query, text: str) -> str | None:
        """The query with each word the index does not know replaced by the closest one it
        does (fewest edits, then most documents), in the word's own capitalisation."""
        from rapidfuzz.distance import OSA, Levenshtein

        reader = self.searcher.reader()
        vocab = self._vocabulary()
        words: list[str] = []
        for leaf in q.leaves():
            if isinstance(leaf, query.Phrase):
                words += [str(w) for w in leaf.words]
            elif isinstance(leaf, (query.Term, query.Variations)) and leaf.fieldname == "body":
                words.append(str(leaf.text))
        words += fuzzy_words(self.parser, text)
        out, changed = text, False
        for word in dict.fromkeys(words):
            if len(word) < 3 or reader.doc_frequency("body", word) > 0:
                continue
            found = vocab.within("body", word, 1 if len(word) < 5 else 2)
            if not found:
                continue
            # Fewest edits, a swapped pair of letters counting one ("Misnk" is "Minsk", not
            # "Mind"); then a word with the same first letter (typos rarely change it); then
            # the most common.
            best = min(
                found,
                key=lambda w: (
                    OSA.distance(word, w),
                    Levenshtein.distance(word, w),
                    w[:1] != word[:1],
                    -reader.doc_frequency("body", w),
                    w,
                ),
            )

            def keep_case(m: re.Match[str], best: str = best) -> str:
                written = m.group(0)
                if written.isupper() and len(written) > 1:
                    return best.upper()
                return best.capitalize() if written[:1].isupper() else best

            out, n = re.subn(
                rf"(?<!\w){re.escape(word)}(?!\w)", keep_case, out, count=1, flags=re.IGNORECASE
            )
            changed = changed or n > 0
        return out if changed and out != text else None

    def _vocabulary(self) -> Vocabulary:
        reader = self.searcher.reader()
        if self._vocab is None or self._vocab.reader is not reader:
            self._vocab = Vocabulary(reader)
        return self._vocab

    def highlights(self, text: str, article: Article) -> list[tuple[int, int]]:
        """Where ``text`` (a query) matches in ``article``, as character spans."""
        q = self.parse(text)
        terms, phrases = query_terms(q, self.searcher.reader())
        return highlight_spans(article.text, terms, phrases, self._analyzer)

    def similar(self, text: str, exclude: str, limit: int = 10) -> list[Hit]:
        """Articles sharing the key terms of ``text`` (more-like-this), best passages first."""
        s = self.searcher
        terms = [t for t, _w in s.key_terms_from_text("body", text, numterms=10)]
        if not terms:
            return []
        q = query.Or([query.Term("body", t) for t in terms])
        q = query.AndNot(q, query.Term("id", exclude))
        hits = []
        for r in s.search(q, limit=limit):
            article = article_from_doc(r["id"], r["doc"])
            hits.append(_hit(article, r.score, set(terms), [], self._analyzer))
        return hits

    def stored(self, article_id: str) -> dict[str, Any] | None:
        """An article's stored fields, found through its id's posting (``first_id``) rather
        than ``Searcher.document``, which builds a scored query for every look-up: three
        times the cost when ``xref mentions`` reads thousands of articles."""
        searcher = self.searcher
        try:
            docnum = searcher.reader().first_id("id", article_id)
        except (KeyError, TermNotFound):
            return None
        fields: dict[str, Any] = searcher.stored_fields(docnum)
        return fields

    def articles_mentioning(self, keys: Iterable[str]) -> list[str]:
        """Ids of the articles whose indexed mention keys include any of ``keys``, unscored,
        read from the id column rather than the stored documents (which carry the whole
        text). The engine's query objects stay here: callers pass plain keys."""
        q = query.Or([query.Term("mkeys", k) for k in keys])
        s = self.searcher
        ids = s.reader().column_reader("id")
        return [ids[d] for d in s.docs_for_query(q)]
