"""Searching the index: the Whoosh query language, results grouped by article with passages.

A query is matched against whole articles (so ``Putin AND NATO`` finds an article that names
them in different paragraphs), scored with BM25F with the title boosted; then the article's
text is tokenised with the index's own analyzer to find the passages and the character offsets
of the terms that matched. Offsets are ``str`` indices into the article text.
"""

from __future__ import annotations

import math
import re
from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from whoosh import qparser, query, scoring
from whoosh.lang.porter import stem
from whoosh.searching import Searcher

from index.corpus import Article
from index.store import Store, analyzer, article_from_doc, iter_tokens

MAX_QUERY_CHARS = 1000
MAX_EXPANSION = 2000  # terms a prefix, wildcard, range or fuzzy term may stand for
MAX_BOOST = 1000.0
FIELDS = ("title", "body", "author", "date", "id")  # what a query may name ("title:word")
PASSAGES_PER_ARTICLE = 3


class QueryError(ValueError):
    """A query that cannot be run; the message is one line for the user."""


@dataclass(frozen=True)
class PassageHit:
    passage: int
    start: int
    end: int
    text: str
    highlights: tuple[tuple[int, int], ...]


@dataclass(frozen=True)
class Hit:
    id: str
    title: str
    path: str
    score: float
    byline: str | None
    date: str | None
    hits: int  # matched term occurrences in the article
    passages: tuple[PassageHit, ...]


@dataclass(frozen=True)
class SearchResult:
    query: str
    total: int
    suggestion: str | None
    results: tuple[Hit, ...] = field(default_factory=tuple)

    def to_json(self) -> dict[str, Any]:
        """The stable JSON interface of ``xref search --json``."""
        return {
            "query": self.query,
            "total": self.total,
            "suggestion": self.suggestion,
            "results": [
                {
                    "id": h.id,
                    "title": h.title,
                    "path": h.path,
                    "score": round(h.score, 4),
                    "passages": [
                        {
                            "passage": p.passage,
                            "start": p.start,
                            "end": p.end,
                            "text": p.text,
                            "highlights": [list(x) for x in p.highlights],
                        }
                        for p in h.passages
                    ],
                }
                for h in self.results
            ],
        }


# "word~" allows one edit; a swapped pair of letters costs two in Whoosh's distance, so a bare
# "~" on a longer word allows two. An explicit "~N" is kept.
_BARE_FUZZY = re.compile(r"(?<![\w\"])(\w{6,})~(?![\d\w])")


class StemVariations(query.Variations):
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


def _parser(schema: Any) -> qparser.QueryParser:
    p = qparser.MultifieldParser(["title", "body"], schema, termclass=StemVariations)
    p.add_plugin(qparser.FuzzyTermPlugin())
    return p


class SearchEngine:
    """Search over one opened store; keeps a Whoosh searcher for its lifetime."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.ix = store.open()
        self.parser = _parser(self.ix.schema)
        self._searcher: Searcher | None = None
        self._vocab: Vocabulary | None = None
        self._analyzer = analyzer()

    @property
    def searcher(self) -> Searcher:
        if self._searcher is None:
            self._searcher = self.ix.searcher(weighting=scoring.BM25F())
        else:
            self._searcher = self._searcher.refresh()
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
        _check_fields(text)
        text = _BARE_FUZZY.sub(r"\1~2", text)
        q = self.parser.parse(text)
        if q is query.NullQuery or isinstance(q, type(query.NullQuery)):
            raise QueryError("query has no words to search for")
        _check_boosts(q)
        q = _every_document(q)
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

    def search(self, text: str, limit: int = 10) -> SearchResult:
        q = self.parse(text)
        s = self.searcher
        if any(isinstance(leaf, query.Phrase) for leaf in q.leaves()):
            # The exact total needs a second pass over the hits after the top-N pass; for
            # phrases that pass re-reads every position, so scoring all hits once is cheaper
            # (measured at 5,000 articles: "stock market" 27 -> 15 ms; words gain nothing).
            results = s.search(q, limit=None)
            total = len(results)
        else:
            results = s.search(q, limit=limit)
            # Fewer hits than asked for means none was skipped: no second pass to count them.
            total = results.scored_length() if results.scored_length() < limit else len(results)
        suggestion = None
        if total == 0:
            suggestion = self._suggest(q, text)
        terms, phrases = _query_terms(q, s.reader())
        hits = []
        for r in results[:limit]:
            if not math.isfinite(r.score):  # boosts within bounds can still multiply up
                raise QueryError("the boosts in this query are too large")
            article = article_from_doc(r["id"], r["doc"])
            hits.append(_hit(article, r.score, terms, phrases, self._analyzer))
        return SearchResult(text, total, suggestion, tuple(hits))

    def _suggest(self, q: query.Query, text: str) -> str | None:
        """The query with each word the index does not know replaced by the closest one it
        does (fewest edits, then most documents), in the word's own capitalisation."""
        from rapidfuzz.distance import Levenshtein

        reader = self.searcher.reader()
        vocab = self._vocabulary()
        words: list[str] = []
        for leaf in q.leaves():
            if isinstance(leaf, query.Phrase):
                words += [str(w) for w in leaf.words]
            elif isinstance(leaf, (query.Term, query.Variations)) and leaf.fieldname == "body":
                words.append(str(leaf.text))
        out, changed = text, False
        for word in dict.fromkeys(words):
            if len(word) < 3 or reader.doc_frequency("body", word) > 0:
                continue
            found = vocab.within("body", word, 1 if len(word) < 5 else 2)
            if not found:
                continue
            # Fewest edits; then a word with the same first letter (typos rarely change it);
            # then the most common.
            best = min(
                found,
                key=lambda w: (
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
        terms, phrases = _query_terms(q, self.searcher.reader())
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

    def articles_mentioning(self, keys: Iterable[str]) -> list[str]:
        """Ids of the articles whose indexed mention keys include any of ``keys``, unscored,
        read from the id column rather than the stored documents (which carry the whole
        text). The engine's query objects stay here: callers pass plain keys."""
        q = query.Or([query.Term("mkeys", k) for k in keys])
        s = self.searcher
        ids = s.reader().column_reader("id")
        return [ids[d] for d in s.docs_for_query(q)]


_FIELD = re.compile(r"(?<![\w\\])([A-Za-z_]\w*):(?=\S)")
_QUOTED = re.compile(r'"[^"]*"?')


def _check_fields(text: str) -> None:
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


def _check_boosts(q: query.Query) -> None:
    """Refuse what Whoosh would turn into a traceback, no hits or an infinite score: a boost
    of 0 (a division by zero in BM25F; inside an OR it silently empties the results) and
    boosts past ``MAX_BOOST`` (400 nines scored ``Infinity``, which is not JSON)."""
    for node in _nodes(q):
        boost = getattr(node, "boost", 1.0)
        if not (0 < boost <= MAX_BOOST):
            raise QueryError(f"a boost (^) must be above 0 and at most {MAX_BOOST:g}")


def _every_document(q: query.Query) -> query.Query:
    """``*`` and ``field:*`` mean every article. Whoosh's ``Every(field)`` finds them by
    reading the postings of every word of the field (2 s at 5,000 articles); every article
    has a body and a title, so the plain list of documents is the same answer at once."""
    if isinstance(q, query.Every):
        return query.Every(boost=q.boost)
    return q.apply(_every_document)


def _query_terms(q: query.Query, reader: Any) -> tuple[set[str], list[list[str]]]:
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


def highlight_spans(
    text: str, terms: set[str], phrases: list[list[str]], ana: Any
) -> list[tuple[int, int]]:
    """Character spans in ``text`` of the matched terms and of whole phrase occurrences.

    One pass over the tokens, keeping only the last few for phrases: the time and memory
    grow with the text, and a phrase is compared only where its last word is."""
    if not terms and not phrases:
        return []
    phrases = [p for p in phrases if p]
    window: deque[tuple[str, int, int]] = deque(maxlen=max(map(len, phrases), default=1))
    ends = {p[-1] for p in phrases}
    spans: list[tuple[int, int]] = []
    for token in iter_tokens(text):
        word, start, end = token
        window.append(token)
        if word in terms:
            spans.append((start, end))
        if word in ends:
            recent = list(window)
            for phrase in phrases:
                n = len(phrase)
                if (
                    phrase[-1] == word
                    and len(recent) >= n
                    and [t[0] for t in recent[-n:]] == phrase
                ):
                    spans.append((recent[-n][1], end))
    spans.sort()
    merged: list[tuple[int, int]] = []
    for s, e in spans:
        if merged and s <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(e, merged[-1][1]))
        else:
            merged.append((s, e))
    return merged


def _hit(
    article: Article, score: float, terms: set[str], phrases: list[list[str]], ana: Any
) -> Hit:
    spans = highlight_spans(article.text, terms, phrases, ana)
    by_passage: dict[int, list[tuple[int, int]]] = {}
    for s, e in spans:
        by_passage.setdefault(article.passage_at(s), []).append((s, e))

    def rank(item: tuple[int, list[tuple[int, int]]]) -> tuple[int, int, int]:
        index, marks = item
        distinct = len({article.text[s:e].lower() for s, e in marks})
        return (-distinct, -len(marks), index)

    best = sorted(by_passage.items(), key=rank)[:PASSAGES_PER_ARTICLE]
    if not best and article.passages:
        best = [(0, [])]
    passages = tuple(
        PassageHit(
            passage=i,
            start=article.passages[i].start,
            end=article.passages[i].end,
            text=article.passage_text(i),
            highlights=tuple(marks),
        )
        for i, marks in best
    )
    return Hit(
        article.id,
        article.title,
        article.path,
        score,
        article.byline,
        article.date,
        len(spans),
        passages,
    )
