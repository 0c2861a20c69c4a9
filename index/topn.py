"""The best N articles for a query that is only an OR of words (plain words, their stems,
fuzzy terms), scored a block of postings at a time, every match counted on the way.

Why not Whoosh's collector: at 50,000 articles a common word matches half the corpus, and
the collector pays about 17 µs a document (a tree of union matchers, a scorer call and a
length look-up per posting); its block-quality skipping skips nothing, because every block
of a common word holds some short article that uses it often. Reading each block's ids and
weights and summing BM25F in one loop is several times faster, and the set of matches it
builds is the exact total for free. The approximate scores only choose the candidates: those
within a hair of the N-th best are scored again by Whoosh's own matcher, so scores, order and
ties are Whoosh's to the last bit.

A phrase (in any of the default fields) is ranked the same way, in ``phrase_top``: Whoosh
scores a phrase as the sum of its words' scores where their positions match, so that sum
over the documents holding every word is a bound from above; the documents are checked by
Whoosh's own phrase matcher in order of that bound, a batch at a time, until no document
left could enter the top N. Only the best few have their positions read.

Anything else (AND, NOT, prefixes, fields that are not scored) returns None and is searched
by Whoosh as before. Whoosh's postings are read through its block reader (the
pinned ``whoosh3`` version); a reader without it also falls back.
"""

from __future__ import annotations

import heapq
from dataclasses import dataclass
from typing import Any

from whoosh import query, scoring
from whoosh.codec.whoosh3 import LENGTHS_COLUMN, _lenfield
from whoosh.matching.wrappers import FilterMatcher
from whoosh.util.numeric import byte_to_length

# Candidates whose approximate score is this close (relatively) to the N-th best are
# re-scored exactly: the bulk sum and Whoosh's tree of additions differ in the last bits.
_MARGIN = 1e-9


@dataclass(frozen=True)
class TopDocs:
    """The best documents, (score, docnum) best first, and how many matched in all."""

    top: list[tuple[float, int]]
    total: int
    exact: bool = True  # False: ``total`` is not the number of matches (see ``phrase_top``)


def or_terms(q: query.Query, reader: Any) -> list[tuple[str, bytes, float]] | None:
    """(field, term, boost) of every term a pure-OR query scores, or None when the query
    holds anything else (a phrase, AND, NOT, a constant-score prefix, an unscored field)."""
    out: list[tuple[str, bytes, float]] = []
    schema = reader.schema

    def walk(node: query.Query, boost: float) -> bool:
        if node is query.NullQuery or isinstance(node, type(query.NullQuery)):
            return True
        if type(node) is query.Or:
            if node.scale or node.minmatch:
                return False
            return all(walk(child, boost * node.boost) for child in node.children())
        fieldname = getattr(node, "fieldname", None)
        if not isinstance(fieldname, str) or fieldname not in schema:
            return False
        if not schema[fieldname].scorable:
            return False
        if type(node) is query.Term:
            btext = schema[fieldname].to_bytes(node.text)
            out.append((fieldname, btext, boost * node.boost))
            return True
        if isinstance(node, query.Variations) and not node.constantscore:
            for _field, btext in node.expanded_terms(reader):
                out.append((fieldname, btext, boost * node.boost))
            return True
        return False

    return out if walk(q, 1.0) else None


def top_docs(
    searcher: Any, q: query.Query, limit: int, allow: set[int] | None = None
) -> TopDocs | None:
    """The ``limit`` best documents of a pure-OR query and the exact number of matches, or
    None when the query (or the index) is not one this module can score. With ``allow``
    (global docnums) only those documents are ranked and counted; their scores are the same
    as without it."""
    weighting = searcher.weighting
    if type(weighting) is not scoring.BM25F:
        return None
    terms = or_terms(q, searcher.reader())
    if terms is None:
        return None
    scores: dict[int, float] = {}
    for sub, offset in searcher.leaf_searchers():
        if not _accumulate(searcher, sub.reader(), offset, terms, scores):
            return None
    if allow is not None:
        scores = {d: v for d, v in scores.items() if d in allow}
    if not scores:
        return TopDocs([], 0)
    best = heapq.nlargest(limit, scores.values())
    floor = best[-1] * (1 - _MARGIN) if best[-1] > 0 else float("-inf")
    candidates = sorted(d for d, s in scores.items() if s >= floor)
    exact = _rescore(searcher, q, candidates)
    exact.sort(key=lambda sd: (-sd[0], sd[1]))
    return TopDocs(exact[:limit], len(scores))


def _accumulate(
    searcher: Any,
    reader: Any,
    offset: int,
    terms: list[tuple[str, bytes, float]],
    scores: dict[int, float],
    counts: dict[int, int] | None = None,
) -> bool:
    """Add one segment's BM25F scores of ``terms`` to ``scores`` (global docnums), and to
    ``counts`` the number of ``terms`` each document holds."""
    w = searcher.weighting
    k1 = w.K1
    field_b: dict[str, float] = getattr(w, "_field_B", {})
    deleted: frozenset[int] = frozenset()
    if reader.has_deletions():  # kept until Whoosh merges the segment; the set is cached
        deleted = getattr(reader, "deleted_docs_set", None) or frozenset(
            d for d in range(reader.doc_count_all()) if reader.is_deleted(d)
        )
    get = scores.get
    for fieldname, btext, boost in terms:
        if (fieldname, btext) not in reader:
            continue
        b = field_b.get(fieldname, w.B)
        avgfl = searcher.avg_field_length(fieldname) or 1
        c0 = searcher.idf(fieldname, btext) * (k1 + 1) * boost
        c1 = k1 * (1 - b)
        c2 = k1 * b / avgfl
        lengths = _lengths(reader, fieldname)
        if lengths is None:
            return False
        den = [c1 + c2 * (byte_to_length(i) or 1) for i in range(256)]
        m = reader.postings(fieldname, btext)
        if isinstance(m, FilterMatcher):  # the segment's deleted documents, skipped below
            m = m.child
        if not all(hasattr(m, a) for a in ("_read_ids", "_read_weights", "_next_block")):
            return False
        while m.is_active():
            m._read_ids()
            m._read_weights()
            for d, tf in zip(m._ids, m._weights, strict=False):
                if d in deleted:
                    continue
                g = d + offset
                scores[g] = get(g, 0.0) + c0 * tf / (tf + den[lengths[d]])
                if counts is not None:
                    counts[g] = counts.get(g, 0) + 1
            m._next_block()
    return True


def _lengths(reader: Any, fieldname: str) -> bytes | None:
    """The segment's length byte of ``fieldname`` for every document, read in one slice of
    the length column (one byte a document, as Whoosh stores it) instead of a look-up per
    posting, which cost more than the scoring; None when the reader is not Whoosh 3's."""
    perdoc = getattr(reader, "_perdoc", None)
    cached = getattr(perdoc, "_cached_reader", None)
    if cached is None:
        return None
    col = cached(_lenfield(fieldname), LENGTHS_COLUMN)
    n = reader.doc_count_all()
    if col is None:
        return bytes(n)
    if not all(hasattr(col, a) for a in ("_dbfile", "_basepos", "_count")):
        return None
    data = bytes(col._dbfile.get(col._basepos, col._count))
    return data + bytes(max(0, n - len(data)))


def _rescore(searcher: Any, q: query.Query, docnums: list[int]) -> list[tuple[float, int]]:
    """Whoosh's own scores of ``docnums`` (ascending) under ``q``."""
    # The context a search gives its collector, so that Whoosh picks the same matchers and
    # adds the same scores in the same order as it would have.
    m = q.matcher(searcher, searcher.context())
    out: list[tuple[float, int]] = []
    for d in docnums:
        if not m.is_active():
            break
        if m.id() < d:
            m.skip_to(d)
            if not m.is_active():
                break
        if m.id() == d:
            out.append((m.score(), d))
    return out


def phrase_parts(q: query.Query, reader: Any) -> list[tuple[str, list[bytes], float]] | None:
    """(field, words, boost) of each phrase of a query that is a phrase or an OR of phrases
    (a quoted phrase over the default fields), or None for any other query."""
    nodes = [q]
    if type(q) is query.Or:
        if q.scale or q.minmatch or q.boost != 1:
            return None
        nodes = list(q.children())
    schema = reader.schema
    out = []
    for node in nodes:
        if type(node) is not query.Phrase or node.slop != 1:
            return None
        if node.fieldname not in schema:
            return None
        field = schema[node.fieldname]
        if not field.scorable or not field.format.supports("positions"):
            return None
        try:
            words = [field.to_bytes(w) for w in node.words]
        except ValueError:
            return None
        if words and all((node.fieldname, w) in reader for w in words):
            out.append((node.fieldname, words, float(node.boost)))
    return out


def phrase_top(
    searcher: Any, q: query.Query, limit: int, allow: set[int] | None = None
) -> TopDocs | None:
    """The ``limit`` best documents of a phrase query, Whoosh's scores and order, and the
    number of matches when every candidate had to be checked (else ``exact`` is False);
    None when the query is not a phrase this can rank. With ``allow`` (global docnums)
    only those documents are candidates, and every one is checked: the count is exact, at a
    cost bounded by the set."""
    if type(searcher.weighting) is not scoring.BM25F or limit < 1:
        return None
    parts = phrase_parts(q, searcher.reader())
    if parts is None:
        return None
    bound: dict[int, float] = {}
    for fieldname, words, boost in parts:
        sums: dict[int, float] = {}
        counts: dict[int, int] = {}
        terms = [(fieldname, w, boost) for w in words]
        for sub, offset in searcher.leaf_searchers():
            if not _accumulate(searcher, sub.reader(), offset, terms, sums, counts):
                return None
        need = len(words)
        for d, n in counts.items():
            if n == need:
                bound[d] = bound.get(d, 0.0) + sums[d]
    if allow is not None:
        bound = {d: b for d, b in bound.items() if d in allow}
    order = sorted(bound, key=lambda d: (-bound[d], d))
    found: list[tuple[float, int]] = []
    done, batch = 0, max(2 * limit, 32)
    while done < len(order):
        found += _rescore(searcher, q, sorted(order[done : done + batch]))
        done += batch
        batch *= 2
        if len(found) >= limit and allow is None:  # within a set, every one is counted
            kth = heapq.nlargest(limit, (score for score, _ in found))[-1]
            if done >= len(order) or bound[order[done]] < kth * (1 - _MARGIN):
                break
    found.sort(key=lambda sd: (-sd[0], sd[1]))
    complete = done >= len(order)
    return TopDocs(found[:limit], len(found), complete)
