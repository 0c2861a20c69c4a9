"""Bookmarks against a corpus: where each one is now, adding one by its quote, accepting a new
place, exporting to Markdown. Shared by the bookmarks screen and the command line."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any

from index.corpus import Article, article_id
from index.text import clean
from tui.bookmarks.anchor import EXACT, FUZZY, MOVED, ORPHANED, Anchor, anchor, context_of
from tui.bookmarks.citation import url_of
from tui.bookmarks.model import Bookmark, BookmarkFile, make_entry
from tui.bookmarks.selection import any_spacing
from tui.bookmarks.store import BookmarkStore
from tui.bookmarks.yaml_io import no_cycle_collection
from tui.sanitise import shown

if TYPE_CHECKING:
    from index.library import Library


@dataclass(frozen=True)
class Located:
    """A bookmark and where its quote is in the current corpus."""

    bookmark: Bookmark
    anchor: Anchor
    article: Article | None

    @property
    def state(self) -> str:
        return self.anchor.state

    @property
    def passage(self) -> int | None:
        if self.article is None or self.anchor.start is None:
            return self.bookmark.passage
        return self.article.passage_at(self.anchor.start)

    def to_json(self) -> dict[str, Any]:
        b = self.bookmark
        return {
            "id": b.id,
            "created": b.created,
            "corpus": b.corpus,
            "article": b.article,
            "title": b.title,
            "path": b.path,
            "passage": b.passage,
            "quote": b.quote,
            "prefix": b.prefix,
            "suffix": b.suffix,
            "start": b.start,
            "end": b.end,
            "note": b.note,
            "tags": b.tags,
            "state": self.state,
            "score": self.anchor.score,
            "reason": self.anchor.reason,
            "now": None
            if self.anchor.start is None
            else {"passage": self.passage, "start": self.anchor.start, "end": self.anchor.end},
        }


@dataclass(frozen=True)
class Elsewhere:
    """A bookmark of another corpus: listed apart and counted, never re-anchored here (an
    article of the same name here is not the one it quotes), never shown as orphaned."""

    bookmark: Bookmark
    corpus: str | None  # the folder it records; None: none recorded and its article not here


def safe_path(corpus: Path, rel: str) -> bool:
    """Whether ``rel`` names a file inside ``corpus`` (no absolute path, no way out)."""
    return _Places(corpus).safe(rel)


class _Places:
    """What ``locate`` looks up, remembered for one pass over the file: thousands of
    bookmarks point at a few articles, and resolving the corpus path and reading an article
    again for each of them made listing a large file take seconds. Anchors too: the same
    quote with the same selectors in the same article text always anchors the same way (an
    ``Anchor`` is a frozen value), and a file holding one edited quote thousands of times
    spent half a minute aligning it again and again."""

    def __init__(self, corpus: Path, library: Library | None = None) -> None:
        self.corpus = corpus
        self.root = corpus.resolve()
        self.library = library
        self.articles: dict[str, Article | None] = {}
        self.paths: dict[str, bool] = {}
        self.anchors: dict[tuple[int, str, str, str, int | None, int | None], Anchor] = {}
        self.corpora: dict[str, tuple[bool, bool]] = {}

    def corpus_of(self, recorded: str) -> tuple[bool, bool]:
        """(is this corpus, still exists) for a recorded corpus folder, looked up once per
        folder named: a file of thousands of bookmarks names a few corpora."""
        known = self.corpora.get(recorded)
        if known is None:
            try:
                path = Path(recorded).resolve()
                known = (path == self.root, path.is_dir())
            except (OSError, RuntimeError, ValueError):  # a loop, a NUL: not a folder here
                known = (False, False)
            self.corpora[recorded] = known
        return known

    def safe(self, rel: str) -> bool:
        known = self.paths.get(rel)
        if known is None:
            known = self.paths[rel] = self._safe(rel)
        return known

    def _safe(self, rel: str) -> bool:
        p = PurePosixPath(rel.replace("\\", "/"))
        if p.is_absolute() or ".." in p.parts or not rel.strip():
            return False
        try:
            (self.corpus / p).resolve().relative_to(self.root)
        except (ValueError, OSError):
            return False
        return True

    def anchor(self, article: Article | None, b: Bookmark) -> Anchor:
        if article is None:  # nothing to align: as cheap as a look-up
            return anchor(None, b.quote, b.prefix, b.suffix, b.start, b.end)
        # Articles are kept in ``self.articles`` for the pass, so their ids stay theirs.
        key = (id(article), b.quote, b.prefix, b.suffix, b.start, b.end)
        found = self.anchors.get(key)
        if found is None:
            found = anchor(article.text, b.quote, b.prefix, b.suffix, b.start, b.end)
            self.anchors[key] = found
        return found

    def article(self, article_id: str) -> Article | None:
        if article_id not in self.articles:
            assert self.library is not None
            self.articles[article_id] = self.library.article(article_id)
        return self.articles[article_id]


def locate(library: Library, bookmark: Bookmark, places: _Places | None = None) -> Located:
    """Re-anchor one bookmark. A path outside the corpus is refused before anything is read."""
    places = places or _Places(library.corpus, library)
    path = bookmark.path
    if path is not None and not places.safe(path):
        return Located(
            bookmark,
            Anchor(ORPHANED, reason=f"path {path!r} leads outside the corpus; not opened"),
            None,
        )
    target = article_id(path) if path else bookmark.article
    article = places.article(target) if target else None
    if article is None and bookmark.article and bookmark.article != target:
        article = places.article(bookmark.article)
    return Located(bookmark, places.anchor(article, bookmark), article)


def by_corpus(library: Library, f: BookmarkFile) -> tuple[list[Located], list[Elsewhere]]:
    """This corpus's bookmarks, re-anchored, and the others, apart.

    A bookmark records the corpus folder it was made in (``corpus:``). It is this corpus's
    when that is this folder, or when that folder is gone and its article is here (the
    corpus was moved or renamed). One written before xref recorded the corpus is this
    corpus's when its article is here, else it is counted with the other corpora — unless
    nothing can tell (no article, no path: a hand-written entry) or its path leads outside
    the corpus: those are shown here, with the reason, rather than hidden.

    The cycle collector is paused meanwhile, as for the read: with a large file's nodes and
    values alive, its passes over them (set off by the small objects made per bookmark) were
    a fifth of a listing."""
    places = _Places(library.corpus, library)
    here: list[Located] = []
    elsewhere: list[Elsewhere] = []
    with no_cycle_collection():
        for b in f.bookmarks:
            recorded = b.corpus
            if recorded is not None:
                ours, exists = places.corpus_of(recorded)
                if not ours and exists:
                    elsewhere.append(Elsewhere(b, recorded))
                    continue
                x = locate(library, b, places)
                if ours or x.article is not None:
                    here.append(x)
                else:
                    elsewhere.append(Elsewhere(b, recorded))
                continue
            x = locate(library, b, places)
            names_none = not b.path and not b.article
            if x.article is not None or names_none or (b.path and not places.safe(b.path)):
                here.append(x)
            else:
                elsewhere.append(Elsewhere(b, None))
    return here, elsewhere


def locate_all(library: Library, f: BookmarkFile) -> list[Located]:
    """This corpus's bookmarks, re-anchored (see ``by_corpus``)."""
    return by_corpus(library, f)[0]


def other_corpora(elsewhere: list[Elsewhere]) -> list[tuple[str | None, int]]:
    """(corpus folder, bookmarks) for the other corpora, most bookmarks first; None stands
    for bookmarks that record no corpus and whose article is not here."""
    counts: dict[str | None, int] = {}
    for x in elsewhere:
        counts[x.corpus] = counts.get(x.corpus, 0) + 1
    return sorted(counts.items(), key=lambda kv: (-kv[1], kv[0] is None, kv[0] or ""))


def describe_others(elsewhere: list[Elsewhere]) -> str:
    """ "3 bookmarks of other corpora: /news/2019 (2), no corpus recorded (1)", or ""."""
    if not elsewhere:
        return ""
    parts = [
        f"{shown(c) if c is not None else 'no corpus recorded'} ({n})"
        for c, n in other_corpora(elsewhere)
    ]
    n = len(elsewhere)
    return f"{n} bookmark{'s' if n != 1 else ''} of other corpora: " + ", ".join(parts)


def accept(store: BookmarkStore, located: Iterable[Located]) -> int:
    """Write the new places of moved and fuzzy bookmarks back. A fuzzy match rewrites the quote
    to the article's current text, keeping the first wording in ``original_quote``."""
    todo = {x.bookmark.id: x for x in located if x.state in (MOVED, FUZZY) and x.article}

    def edit(f: BookmarkFile) -> int:
        n = 0
        for bid, x in todo.items():
            e = f.find(bid)
            if e is None or e.get("quote") != x.bookmark.quote:
                continue  # changed by someone else meanwhile
            assert x.article is not None and x.anchor.start is not None
            s, t = x.anchor.start, x.anchor.end or x.anchor.start
            text = x.article.text
            if x.state == FUZZY:
                e.setdefault("original_quote", e.get("quote"))
                e["quote"] = text[s:t]
            e["prefix"], e["suffix"] = context_of(text, s, t)
            e["start"], e["end"] = s, t
            e["passage"] = x.article.passage_at(s)
            n += 1
        return n

    return store.change(edit) if todo else 0


class QuoteNotFound(Exception):
    """The quote given to ``bookmark add`` is not in the article."""


def find_quote(text: str, quote: str) -> tuple[int, int, int]:
    """(start, end, occurrences) of ``quote`` in ``text``; runs of white space in the quote
    match any white space, since a quote pasted from a terminal rarely keeps line breaks."""
    q = quote.strip()
    if not q:
        raise QuoteNotFound("the quote is empty")
    i = text.find(q)
    if i >= 0:
        return i, i + len(q), text.count(q)
    matches = list(any_spacing(q).finditer(text))
    if not matches:
        raise QuoteNotFound("the quote is not in the article")
    return matches[0].start(), matches[0].end(), len(matches)


def entry_for(
    article: Article,
    start: int,
    end: int,
    note: str = "",
    tags: list[str] | None = None,
    corpus: Path | None = None,
) -> dict[str, Any]:
    """A new bookmark for ``article.text[start:end]`` of the corpus folder ``corpus``, its
    title cleaned of control characters (the file is read in terminals too)."""
    return make_entry(
        article.id,
        clean(article.title),
        article.path,
        article.passage_at(start),
        article.text,
        start,
        end,
        note,
        tags,
        None if corpus is None else str(corpus.resolve()),
    )


def markdown(located: list[Located], group: str = "article") -> str:
    """Each quote with its title, byline, date, passage, source path and web address (where
    known: ``citation``) and note, grouped by article or by tag.
    Every field is outside text (the article's or the reader's) and goes through ``shown``:
    the export is often read with ``cat`` in a terminal."""
    groups: dict[str, list[Located]] = {}
    for x in located:
        if group == "tag":
            for tag in x.bookmark.tags or ["(untagged)"]:
                groups.setdefault(shown(tag), []).append(x)
        else:
            key = x.article.title if x.article else (x.bookmark.title or x.bookmark.article)
            groups.setdefault(shown(key), []).append(x)
    out = ["# Bookmarks", ""]
    for name in sorted(groups, key=str.casefold) if group == "tag" else groups:
        out += [f"## {name}", ""]
        for x in groups[name]:
            b = x.bookmark
            out.append(f"> {shown(b.quote)}")
            out.append("")
            source = shown(x.article.title) if x.article else shown(b.title or b.article)
            bits = [f"*{source}*"]
            if x.article and x.article.byline:
                bits.append(shown(x.article.byline))
            if x.article and x.article.date:
                bits.append(shown(x.article.date))
            if x.passage is not None:
                bits.append(f"¶ {x.passage}")
            path = x.article.path if x.article else (b.path or b.article)
            bits.append("`" + shown(path).replace("`", "'") + "`")
            url = url_of(b, x.article)
            if url:
                bits.append(f"<{shown(url)}>")
            if x.state != EXACT:
                bits.append(shown(x.anchor.describe()))
            out.append("— " + ", ".join(bits))
            if b.note:
                out += ["", shown(b.note, multiline=True)]
            if b.tags:
                out += ["", "Tags: " + ", ".join(f"#{shown(t)}" for t in b.tags)]
            out.append("")
    return "\n".join(out).rstrip() + "\n"
