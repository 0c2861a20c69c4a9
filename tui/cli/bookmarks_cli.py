"""``xref bookmarks [verify|export]`` and ``xref bookmark add``: thin calls into the bookmark
store and its re-anchoring."""

from __future__ import annotations

import argparse
import sys

from index.files import write_atomic
from tui.bookmarks.anchor import AMBIGUOUS, ORPHANED
from tui.bookmarks.model import BookmarksError, ReadOnly
from tui.bookmarks.ops import (
    Elsewhere,
    Located,
    QuoteNotFound,
    accept,
    by_corpus,
    describe_others,
    entry_for,
    find_quote,
    markdown,
    other_corpora,
)
from tui.bookmarks.store import BookmarkStore
from tui.cli.common import dump_json, ensure_index, fail
from tui.sanitise import shown
from tui.services import Services


def _store(services: Services) -> BookmarkStore:
    return BookmarkStore(services.bookmarks_path)


def cmd_bookmarks(services: Services, args: argparse.Namespace) -> int:
    store = _store(services)
    try:
        f = store.load()
    except BookmarksError as exc:
        return fail(str(exc))
    ensure_index(services)
    located, elsewhere = by_corpus(services.library, f)
    if args.action == "export":
        if args.format == "jsonld":
            from tui.bookmarks.export import jsonld

            text = jsonld(located, str(services.library.corpus))
        else:
            text = markdown(located, group=args.group)
        if elsewhere:
            print(f"xref: not exported: {describe_others(elsewhere)}", file=sys.stderr)
        if args.output:
            try:
                write_atomic(args.output, text)
            except OSError as exc:
                return fail(f"cannot write {args.output}: {exc.strerror}")
            print(f"wrote {len(located)} bookmarks to {shown(args.output)}", file=sys.stderr)
        else:
            sys.stdout.write(text)
        return 0
    if args.action == "verify" and args.accept:
        try:
            n = accept(store, located)
        except BookmarksError as exc:
            return fail(str(exc))
        print(
            f"xref: wrote {n} new place{'s' if n != 1 else ''} back to {shown(store.path)}",
            file=sys.stderr,
        )
        located, elsewhere = by_corpus(services.library, store.load())
    if args.json:
        dump_json(
            {
                "file": str(store.path),
                "corpus": str(services.library.corpus),
                "bookmarks": [x.to_json() for x in located],
                "other_corpora": [
                    {"corpus": c, "bookmarks": n} for c, n in other_corpora(elsewhere)
                ],
            }
        )
    else:
        _print_list(services, store, located, elsewhere)
    if args.action == "verify":
        # Only this corpus's bookmarks can be checked here; the others are not broken.
        bad = [x for x in located if x.state in (AMBIGUOUS, ORPHANED)]
        return 1 if bad else 0
    return 0


def _print_list(
    services: Services, store: BookmarkStore, located: list[Located], elsewhere: list[Elsewhere]
) -> None:
    """This corpus's bookmarks with their states, then the other corpora's, counted apart."""
    if not located:
        print(f"no bookmarks of {shown(services.library.corpus)} in {shown(store.path)}")
    else:
        for x in located:
            b = x.bookmark
            where = f"¶{x.passage}" if x.passage is not None else "¶?"
            quote = shown(b.quote)
            if len(quote) > 90:
                quote = quote[:89] + "…"
            print(f"{shown(b.id)}  {x.anchor.describe():<11} {shown(b.article)} {where}  “{quote}”")
            if x.anchor.reason:
                print(f"{'':10}{shown(x.anchor.reason)}")
            if b.note or b.tags:
                extra = shown(b.note)
                tags = " ".join(f"#{shown(t)}" for t in b.tags)
                print(f"{'':10}{extra}{'  ' if extra and tags else ''}{tags}")
    if elsewhere:
        print(f"\n{describe_others(elsewhere)}; xref --corpus FOLDER bookmarks lists them")


def cmd_bookmark(services: Services, args: argparse.Namespace) -> int:
    ensure_index(services)
    article = services.library.article(args.article.removesuffix(".txt").removesuffix(".md"))
    if article is None:
        return fail(f"no article {args.article!r} in {services.library.corpus}")
    try:
        start, end, count = find_quote(article.text, args.quote)
    except QuoteNotFound as exc:
        return fail(f"{exc}: {args.article}")
    if count > 1:
        print(
            f"xref: the quote occurs {count} times; bookmarked the first, in passage "
            f"{article.passage_at(start)}",
            file=sys.stderr,
        )
    entry = entry_for(article, start, end, args.note, args.tag, corpus=services.library.corpus)
    try:
        saved = _store(services).add(entry)
    except ReadOnly as exc:
        return fail(f"bookmarks are read-only: {exc}")
    except BookmarksError as exc:
        return fail(str(exc))
    if args.json:
        out = dict(saved)
        out["created"] = str(out["created"].isoformat())
        dump_json(out)
    else:
        print(
            f"bookmarked {saved['id']}: {shown(article.id)} ¶{saved['passage']} "
            f"[{start}:{end}] in {shown(services.bookmarks_path)}"
        )
    return 0
