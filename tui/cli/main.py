"""The ``xref`` parser and dispatch, and the ``index`` and ``search`` commands.

Exit status: 0 on success (a search without hits included), 1 when something asked for does
not exist (an entity, a quote), 2 for a usage error or a malformed query. Every error is one
line on stderr; a traceback means a bug.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from index.bundled import bundled_corpus
from tui.cli.args import build_parser, parse
from tui.cli.common import (
    UsageError,
    can_write_unicode,
    dump_json,
    ensure_index,
    progress_bar,
    snippet,
    warn_update,
)
from tui.sanitise import shown
from tui.services import Services, make_services

if TYPE_CHECKING:
    from index.store import UpdateSummary


def summary_line(s: UpdateSummary) -> str:
    line = (
        f"{s.articles} articles, {s.passages} passages indexed in {s.seconds:.2f} s "
        f"({s.added} added, {s.changed} changed, {s.removed} removed)"
    )
    if s.skipped:
        reasons: dict[str, int] = {}
        for sk in s.skipped:
            reasons[sk.reason] = reasons.get(sk.reason, 0) + 1
        line += "; skipped " + ", ".join(f"{n} {shown(r)}" for r, n in sorted(reasons.items()))
    return line


def cmd_index(services: Services, args: argparse.Namespace) -> int:
    summary = services.update(
        progress=progress_bar(sys.stderr),
        rebuild=args.rebuild,
        on_wait=lambda: print("xref: waiting for another xref…", file=sys.stderr),
    )
    warn_update(summary)
    print(summary_line(summary))
    if summary.articles == 0:
        from index.formats import ALL_SUFFIXES
        from index.reading import other_kinds

        kinds = other_kinds(services.corpus)
        if kinds:
            listed = ", ".join(f"{n} {shown(k)}" for k, n in sorted(kinds.items()))
            reads = " ".join(sorted(set(ALL_SUFFIXES)))
            print(f"xref: not read: {listed} (xref reads {reads})", file=sys.stderr)
    return 0


def cmd_search(services: Services, args: argparse.Namespace) -> int:
    if args.limit < 1:
        raise UsageError("--limit must be at least 1")
    from index.search import QueryError, SearchEngine
    from tui.cli.query_syntax import problem

    malformed = problem(args.query)
    if malformed:
        raise QueryError(malformed)
    ensure_index(services)
    if "entity:" in args.query.lower():
        from tui.cli.entity_search import search_entities

        found = search_entities(services, args.query, args.limit)
        if found is None:
            return 1
        result = found
    else:
        engine = SearchEngine(services.store)
        try:
            result = engine.search(args.query, limit=args.limit)
        finally:
            engine.close()
    if args.json:
        dump_json(result.to_json())
        return 0
    one = result.total == 1
    bound = "" if result.total_exact else "at least "  # a phrase in a large corpus
    print(
        f"{bound}{result.total} article{'' if one else 's'} match{'es' if one else ''} "
        f"{shown(repr(args.query))}"
    )
    if result.suggestion:
        print(f"did you mean: {shown(result.suggestion)}")
    for hit in result.results:
        meta = " · ".join(x for x in (hit.byline, hit.date) if x)
        print(f"\n{shown(hit.title)}  [{shown(hit.id)}]" + (f"  {shown(meta)}" if meta else ""))
        for p in hit.passages:
            line = snippet(p.text, [(s - p.start, e - p.start) for s, e in p.highlights])
            print(f"  ¶{p.passage}: {shown(line)}")
    return 0


def resolve_paths(args: argparse.Namespace) -> dict[str, Path | None]:
    corpus = (
        args.corpus
        or (Path(os.environ["XREF_CORPUS"]) if os.environ.get("XREF_CORPUS") else None)
        or bundled_corpus()
    )
    index_dir = args.index_dir or (
        Path(os.environ["XREF_INDEX_DIR"]) if os.environ.get("XREF_INDEX_DIR") else None
    )
    bookmarks = args.bookmarks or (
        Path(os.environ["XREF_BOOKMARKS"]) if os.environ.get("XREF_BOOKMARKS") else None
    )
    return {
        "corpus": corpus,
        "index_dir": index_dir,
        "bookmarks": bookmarks,
        "catalogue": args.catalogue,
    }


def corpus_problem(corpus: Path) -> str | None:
    """Why ``corpus`` cannot be read as a corpus, in one line; None when it is a folder.
    A file given as the corpus is named as a file: "not found" would send the reader looking
    for something that is there."""
    if corpus.is_dir():
        return None
    if corpus.exists():
        return f"--corpus wants a folder of articles; {shown(corpus)} is a file, not a folder"
    return f"corpus folder not found: {shown(corpus)}"


def _tolerate_encoding() -> None:
    """With ``PYTHONIOENCODING=ascii`` (or a C locale), print what can be printed and replace
    the rest with ``?`` instead of dying on the first curly quote; JSON output escapes
    non-ASCII characters instead (``dump_json``), so it stays exact."""
    for stream in (sys.stdout, sys.stderr):
        if not can_write_unicode(stream) and hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="replace")


def _usable_state_dir(path: Path) -> str | None:
    """Why the app cannot keep its log and settings in ``path`` (``XDG_STATE_HOME`` naming a
    file, say), or None. Checked before the app starts: a traceback there would be printed
    over a half-drawn screen."""
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        return f"cannot use {shown(path)} for the log and settings: {exc.strerror or exc}"
    if not path.is_dir():
        return f"cannot use {shown(path)} for the log and settings: not a directory"
    return None


def main(argv: Sequence[str] | None = None) -> int:
    _tolerate_encoding()
    parser = build_parser()
    try:
        args = parse(parser, argv)
    except UsageError as exc:
        print(f"xref: {shown(exc)} (see xref --help)", file=sys.stderr)
        return 2
    except SystemExit as exc:  # --help, --version: printed; an exit status, not an exception
        return exc.code if isinstance(exc.code, int) else 0
    paths = resolve_paths(args)
    corpus = paths["corpus"]
    assert corpus is not None
    problem = corpus_problem(corpus)
    if problem:
        print(f"xref: {problem}", file=sys.stderr)
        return 2
    services = make_services(
        corpus,
        paths["index_dir"],
        bookmarks=paths["bookmarks"],
        catalogue=paths["catalogue"],
        use_catalogue=not args.no_catalogue,
    )
    if args.command is None:
        return _open_reader(services)
    return _run_command(services, args)


def _open_reader(services: Services) -> int:
    """The app, once what would break it half-drawn has been checked."""
    if not can_write_unicode(sys.stdout):
        print(
            f"xref: the reader needs a UTF-8 terminal; the output encoding is "
            f"{sys.stdout.encoding} (see PYTHONIOENCODING and LANG)",
            file=sys.stderr,
        )
        return 2
    problem = _usable_state_dir(services.state_dir)
    if problem:
        print(f"xref: {problem} (see XDG_STATE_HOME)", file=sys.stderr)
        return 2
    from tui.app import run_app

    return run_app(services)


def _run_command(services: Services, args: argparse.Namespace) -> int:
    """One subcommand, its expected errors turned into one line and an exit status."""
    # Imported only for commands: the app must not wait for Whoosh before its first frame.
    from index.index_folder import IndexDirRefused
    from index.search import QueryError
    from index.store import IndexProblem

    handlers: dict[str, Callable[[Services, argparse.Namespace], int]] = {
        "index": cmd_index,
        "search": cmd_search,
    }
    # Each command imports only its own module: a search loads no bookmark or YAML code.
    if args.command in ("entities", "mentions"):
        from tui.cli.entities_cli import cmd_entities, cmd_mentions

        handlers.update(entities=cmd_entities, mentions=cmd_mentions)
    if args.command == "entity":
        from tui.cli.entity_cli import cmd_entity

        handlers.update(entity=cmd_entity)
    if args.command in ("bookmarks", "bookmark"):
        from tui.cli.bookmarks_cli import cmd_bookmark, cmd_bookmarks

        handlers.update(bookmarks=cmd_bookmarks, bookmark=cmd_bookmark)
    try:
        return handlers[args.command](services, args)
    except UsageError as exc:
        print(f"xref: {shown(exc)}", file=sys.stderr)
        return 2
    except QueryError as exc:
        print(f"xref: bad query: {shown(exc)}", file=sys.stderr)
        return 2
    except IndexDirRefused as exc:
        print(f"xref: {exc}", file=sys.stderr)
        return 2
    except IndexProblem as exc:
        print(f"xref: index problem: {shown(exc)}", file=sys.stderr)
        return 1
    except BrokenPipeError:
        # The reader closed the pipe (``| head``): stop quietly, as Unix tools do.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except (OSError, NotADirectoryError) as exc:
        print(f"xref: {shown(exc)}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("xref: interrupted", file=sys.stderr)
        return 130
