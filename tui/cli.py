"""The ``xref`` command line: thin calls into ``index`` (and the app, with no subcommand).

Exit status: 0 on success (a search without hits included), 1 when something asked for does
not exist (an entity, a quote), 2 for a usage error or a malformed query. Every error is one
line on stderr; a traceback means a bug.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

from index.bundled import bundled_corpus
from tui.sanitise import shown
from tui.services import Services, make_services

if TYPE_CHECKING:
    from index.store import UpdateSummary


class UsageError(Exception):
    """Raised instead of argparse's exit so that every usage error is one line, exit 2."""


class Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        raise UsageError(message)


def build_parser() -> Parser:
    p = Parser(
        prog="xref",
        description="Read a folder of news articles and follow the people, places and events "
        "they mention. With no command, opens the reader.",
    )
    p.add_argument("--corpus", type=Path, default=None,
                   help="folder of .txt/.md articles (default: $XREF_CORPUS or the bundled seeds)")
    p.add_argument("--index-dir", type=Path, default=None,
                   help="where the index lives (default: $XREF_INDEX_DIR or the XDG cache)")
    p.add_argument("--catalogue", type=Path, default=None,
                   help="entity catalogue YAML (default: entities.yaml in the corpus)")
    p.add_argument("--no-catalogue", action="store_true",
                   help="ignore the entity catalogue: automatic extraction only")
    p.add_argument("--bookmarks", type=Path, default=None,
                   help="bookmarks YAML (default: $XREF_BOOKMARKS or "
                   "$XDG_DATA_HOME/xref/bookmarks.yaml)")
    sub = p.add_subparsers(dest="command", metavar="COMMAND", parser_class=Parser)

    s = sub.add_parser("index", help="build or update the index",
                       description="Build the index, or update it for added, changed and "
                       "removed files.")
    s.add_argument("--rebuild", action="store_true", help="start again from nothing")

    s = sub.add_parser("search", help="search the corpus",
                       description="Search with the Whoosh query language: words, AND/OR/NOT, "
                       '"phrases", prefix*, fuzzy~, title: and author:.')
    s.add_argument("query")
    s.add_argument("--limit", type=int, default=10, help="articles to list (default 10)")
    s.add_argument("--json", action="store_true", help="machine-readable output")

    s = sub.add_parser("entities", help="list persons, places, events and organisations",
                       description="List the entities found in the corpus, most cited first.")
    s.add_argument("--article", help="only the entities of this article (with its mentions)")
    s.add_argument("--type", choices=["person", "place", "event", "organisation"])
    s.add_argument("--json", action="store_true", help="machine-readable output")

    s = sub.add_parser("mentions", help="every article that mentions an entity",
                       description="QUERY is an entity id, its name or any alias, in any case.")
    s.add_argument("query")
    s.add_argument("--json", action="store_true", help="machine-readable output")

    add_bookmark_commands(sub)
    return p


def add_bookmark_commands(sub: Any) -> None:
    """The arguments of ``xref bookmarks`` and ``xref bookmark``, here with the others so
    that parsing (and ``--help``) imports no bookmark or YAML code."""
    s = sub.add_parser("bookmarks", help="list, verify or export bookmarks",
                       description="List the bookmarks with where each quote is now: exact, "
                       "moved, fuzzy (with its score), ambiguous or orphaned.")
    s.add_argument("--json", action="store_true", help="machine-readable output")
    actions = s.add_subparsers(dest="action", metavar="ACTION", parser_class=type(s))
    v = actions.add_parser("verify", help="re-anchor every bookmark and print its state",
                           description="Re-anchor every bookmark after the corpus changed. "
                           "Exit 1 when one is ambiguous or orphaned.")
    v.add_argument("--accept", action="store_true",
                   help="write the new places of moved and fuzzy bookmarks back to the file")
    v.add_argument("--json", action="store_true", help="machine-readable output")
    e = actions.add_parser("export", help="write the bookmarks as Markdown",
                           description="Each quote with its title, byline, passage and note.")
    e.add_argument("--format", choices=["markdown"], default="markdown")
    e.add_argument("--group", choices=["article", "tag"], default="article",
                   help="group quotes by article (default) or by tag")
    e.add_argument("-o", "--output", type=Path, help="write to this file instead of stdout")

    b = sub.add_parser("bookmark", help="add a bookmark (for scripts)",
                       description="Add a bookmark. Refuses, with exit 1, a quote that is not "
                       "in the article.")
    acts = b.add_subparsers(dest="action", metavar="ACTION", required=True,
                            parser_class=type(s))
    a = acts.add_parser("add", help="bookmark a quote of an article",
                        description="ARTICLE is an article id (its path without suffix).")
    a.add_argument("article")
    a.add_argument("--quote", required=True, help="the exact text to keep")
    a.add_argument("--note", default="", help="a note of yours")
    a.add_argument("--tag", action="append", default=[], help="a tag (repeatable)")
    a.add_argument("--json", action="store_true", help="print the new bookmark as JSON")


def _progress(stream: Any) -> Any:
    if not stream.isatty():
        return None

    def show(done: int, total: int) -> None:
        if total == 0:
            return
        width = 30
        filled = width * done // total
        stream.write(f"\rindexing [{'#' * filled}{' ' * (width - filled)}] {done}/{total}")
        if done == total:
            stream.write("\r" + " " * (width + 30) + "\r")
        stream.flush()

    return show


def summary_line(s: UpdateSummary) -> str:
    line = (f"{s.articles} articles, {s.passages} passages indexed in {s.seconds:.2f} s "
            f"({s.added} added, {s.changed} changed, {s.removed} removed)")
    if s.skipped:
        reasons: dict[str, int] = {}
        for sk in s.skipped:
            reasons[sk.reason] = reasons.get(sk.reason, 0) + 1
        line += "; skipped " + ", ".join(f"{n} {shown(r)}" for r, n in sorted(reasons.items()))
    return line


def _warn_update(s: UpdateSummary) -> None:
    if s.rebuilt_because:
        print(f"xref: rebuilt the index: {shown(s.rebuilt_because)}", file=sys.stderr)
    for sk in s.skipped:
        print(f"xref: skipped {shown(sk.path)}: {shown(sk.reason)}", file=sys.stderr)
    for w in s.warnings:
        print(f"xref: warning: {shown(w)}", file=sys.stderr)


def _ensure(services: Services, quiet: bool = True) -> UpdateSummary:
    def waiting() -> None:
        print("xref: another xref is indexing this corpus; waiting…", file=sys.stderr)

    summary = services.update(progress=_progress(sys.stderr), on_wait=waiting)
    if summary.touched or summary.rebuilt_because or summary.skipped or not quiet:
        _warn_update(summary)
    return summary


def cmd_index(services: Services, args: argparse.Namespace) -> int:
    summary = services.update(progress=_progress(sys.stderr), rebuild=args.rebuild,
                              on_wait=lambda: print("xref: waiting for another xref…",
                                                    file=sys.stderr))
    _warn_update(summary)
    print(summary_line(summary))
    return 0


def cmd_search(services: Services, args: argparse.Namespace) -> int:
    if args.limit < 1:
        raise UsageError("--limit must be at least 1")
    from index.search import SearchEngine

    _ensure(services)
    engine = SearchEngine(services.store)
    try:
        result = engine.search(args.query, limit=args.limit)
    finally:
        engine.close()
    if args.json:
        dump_json(result.to_json())
        return 0
    print(f"{result.total} article{'s' if result.total != 1 else ''} match "
          f"{shown(repr(args.query))}")
    if result.suggestion:
        print(f"did you mean: {shown(result.suggestion)}")
    for hit in result.results:
        meta = " · ".join(x for x in (hit.byline, hit.date) if x)
        print(f"\n{shown(hit.title)}  [{shown(hit.id)}]" + (f"  {shown(meta)}" if meta else ""))
        for p in hit.passages:
            snippet = _snippet(p.text, [(s - p.start, e - p.start) for s, e in p.highlights])
            print(f"  ¶{p.passage}: {shown(snippet)}")
    return 0


def _snippet(text: str, marks: list[tuple[int, int]], width: int = 160) -> str:
    """A window of a passage around its first highlight, marks shown as »word«."""
    if not marks:
        return text[:width] + ("…" if len(text) > width else "")
    first = marks[0][0]
    lo = max(0, first - width // 3)
    hi = min(len(text), lo + width)
    out = []
    pos = lo
    for s, e in marks:
        if s < lo or e > hi:
            continue
        out.append(text[pos:s])
        out.append(f"»{text[s:e]}«")
        pos = e
    out.append(text[pos:hi])
    return ("…" if lo else "") + "".join(out).replace("\n", " ") + ("…" if hi < len(text) else "")


def resolve_paths(args: argparse.Namespace) -> dict[str, Path | None]:
    corpus = args.corpus or (Path(os.environ["XREF_CORPUS"]) if os.environ.get("XREF_CORPUS")
                             else None) or bundled_corpus()
    index_dir = args.index_dir or (Path(os.environ["XREF_INDEX_DIR"])
                                   if os.environ.get("XREF_INDEX_DIR") else None)
    bookmarks = args.bookmarks or (Path(os.environ["XREF_BOOKMARKS"])
                                   if os.environ.get("XREF_BOOKMARKS") else None)
    return {"corpus": corpus, "index_dir": index_dir, "bookmarks": bookmarks,
            "catalogue": args.catalogue}


def _can_write_unicode(stream: Any) -> bool:
    encoding = getattr(stream, "encoding", None) or "ascii"
    try:
        "“¶…”".encode(encoding)
    except (UnicodeEncodeError, LookupError):
        return False
    return True


def _tolerate_encoding() -> None:
    """With ``PYTHONIOENCODING=ascii`` (or a C locale), print what can be printed and replace
    the rest with ``?`` instead of dying on the first curly quote; JSON output escapes
    non-ASCII characters instead (``dump_json``), so it stays exact."""
    for stream in (sys.stdout, sys.stderr):
        if not _can_write_unicode(stream) and hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="replace")


def dump_json(value: Any) -> None:
    """JSON on stdout: UTF-8 as is when the stream can carry it, else ``\\u`` escapes."""
    from tui.sanitise import to_json

    print(to_json(value, ensure_ascii=not _can_write_unicode(sys.stdout)))


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
        args = parser.parse_args(argv)
    except UsageError as exc:
        print(f"xref: {shown(exc)} (see xref --help)", file=sys.stderr)
        return 2
    paths = resolve_paths(args)
    corpus = paths["corpus"]
    assert corpus is not None
    if not corpus.is_dir():
        print(f"xref: corpus folder not found: {shown(corpus)}", file=sys.stderr)
        return 2
    services = make_services(corpus, paths["index_dir"], bookmarks=paths["bookmarks"],
                             catalogue=paths["catalogue"], use_catalogue=not args.no_catalogue)
    if args.command is None:
        if not _can_write_unicode(sys.stdout):
            print(f"xref: the reader needs a UTF-8 terminal; the output encoding is "
                  f"{sys.stdout.encoding} (see PYTHONIOENCODING and LANG)", file=sys.stderr)
            return 2
        problem = _usable_state_dir(services.state_dir)
        if problem:
            print(f"xref: {problem} (see XDG_STATE_HOME)", file=sys.stderr)
            return 2
        from tui.app import run_app

        return run_app(services)
    # Imported only for commands: the app must not wait for Whoosh before its first frame.
    from index.index_folder import IndexDirRefused
    from index.search import QueryError
    from index.store import IndexProblem
    handlers = {
        "index": cmd_index,
        "search": cmd_search,
    }
    # Each command imports only its own module: a search loads no bookmark or YAML code.
    if args.command in ("entities", "mentions"):
        from tui.entities_cli import cmd_entities, cmd_mentions

        handlers["entities"] = cmd_entities
        handlers["mentions"] = cmd_mentions
    if args.command in ("bookmarks", "bookmark"):
        from tui.bookmarks_cli import cmd_bookmark, cmd_bookmarks

        handlers["bookmarks"] = cmd_bookmarks
        handlers["bookmark"] = cmd_bookmark
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


if __name__ == "__main__":
    sys.exit(main())
