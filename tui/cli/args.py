"""The ``xref`` parser: global options, the corpus commands and ``--version``.

Apart from ``main`` (the dispatch) so that each stays small, and importing no command code:
``xref --help`` must not wait for Whoosh or YAML.

Two things a newcomer types that argparse refuses by default are accepted here:

- global options after the command (``xref search x --corpus DIR``): every command's parser
  carries them too, with ``SUPPRESS`` as the default so that a value given before the
  command is not reset by the command's parser;
- a query in several words without quotes (``xref search Blair Iraq``): the words are joined
  with spaces, which is what the quoted query would have been.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from tui.cli.bookmark_args import add_bookmark_commands
from tui.cli.common import Parser
from tui.cli.entity_args import add_entity_commands


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("xref-reader")
    except PackageNotFoundError:  # run from a checkout that was never installed
        return "unknown"


class _VersionAction(argparse.Action):
    """``--version``: the installed version is looked up (``importlib.metadata``, ~15 ms of
    imports) only when asked for, not by every command's start-up."""

    def __init__(self, option_strings: list[str], dest: str, **kwargs: Any) -> None:
        kwargs.update(nargs=0, default=argparse.SUPPRESS)
        super().__init__(option_strings, dest, **kwargs)

    def __call__(self, parser: argparse.ArgumentParser, *_args: Any, **_kwargs: Any) -> None:
        print(f"xref {_version()}")
        parser.exit()


def _add_global_options(p: argparse.ArgumentParser, after_command: bool) -> None:
    """The options every command reads. After the command they default to ``SUPPRESS``: absent
    there, they leave alone what was given (or defaulted) before it."""
    if after_command:
        target: Any = p.add_argument_group("global options (also accepted before the command)")
        default: Any = argparse.SUPPRESS
        flag_default: Any = argparse.SUPPRESS
    else:
        target, default, flag_default = p, None, False
    target.add_argument(
        "--corpus",
        type=Path,
        default=default,
        help="folder of articles (default: $XREF_CORPUS or the bundled seeds)",
    )
    target.add_argument(
        "--index-dir",
        type=Path,
        default=default,
        help="where the index lives (default: $XREF_INDEX_DIR or the XDG cache)",
    )
    target.add_argument(
        "--catalogue",
        type=Path,
        default=default,
        help="entity catalogue YAML (default: entities.yaml in the corpus)",
    )
    target.add_argument(
        "--no-catalogue",
        action="store_true",
        default=flag_default,
        help="ignore the entity catalogue: automatic extraction only",
    )
    target.add_argument(
        "--bookmarks",
        type=Path,
        default=default,
        help="bookmarks YAML (default: $XREF_BOOKMARKS or $XDG_DATA_HOME/xref/bookmarks.yaml)",
    )


def _commands(p: Parser) -> list[Parser]:
    """Every command's parser below ``p``, at any depth (``bookmarks verify``)."""
    found: list[Parser] = []
    for action in p.command_actions:
        for sub in dict.fromkeys(action.choices.values()):  # aliases share a parser
            found.append(sub)
            found += _commands(sub)
    return found


def build_parser() -> Parser:
    p = Parser(
        prog="xref",
        description="Read a folder of news articles and follow the people, places and events "
        "they mention. With no command, opens the reader.",
    )
    p.add_argument("--version", action=_VersionAction, help="show the version and exit")
    _add_global_options(p, after_command=False)
    sub = p.add_subparsers(dest="command", metavar="COMMAND", parser_class=Parser)
    _add_corpus_commands(sub)
    add_bookmark_commands(sub)
    add_entity_commands(sub)
    for command in _commands(p):
        _add_global_options(command, after_command=True)
    return p


class JoinedWords(argparse.Action):
    """A query given in several words, joined into one string with spaces (so that every
    caller of the parser, ``parse_args`` included, gets the query as one string)."""

    def __call__(self, parser: Any, namespace: Any, values: Any, option_string: Any = None) -> None:
        setattr(namespace, self.dest, " ".join(values))


def parse(parser: Parser, argv: Any) -> argparse.Namespace:
    """The arguments. Words after an option (``xref search Minsk --json Group``) are left
    over by argparse, which reads a positional list in one run; they belong to the query."""
    args, extra = parser.parse_known_args(argv)
    query = getattr(args, "query", None)
    if not extra:
        return args
    if not isinstance(query, str) or any(x.startswith("-") for x in extra):
        parser.error(f"unrecognized arguments: {' '.join(extra)}")
    args.query = " ".join([query, *extra])
    return args


def _add_corpus_commands(sub: Any) -> None:
    """``index``, ``search``, ``entities`` and ``mentions``: the commands that read the corpus."""

    s = sub.add_parser(
        "index",
        help="build or update the index",
        description="Build the index, or update it for added, changed and removed files.",
    )
    s.add_argument("--rebuild", action="store_true", help="start again from nothing")

    s = sub.add_parser(
        "search",
        help="search the corpus",
        description="Search with the Whoosh query language: words, AND/OR/NOT, "
        '"phrases", prefix*, fuzzy~, title: and author:. Words given without quotes are '
        "one query: xref search Blair Iraq is xref search 'Blair Iraq'. "
        'entity:NAME or entity:"A Name" keeps only the articles that mention that entity '
        "(repeatable); the rest of the query searches them.",
    )
    s.add_argument("query", nargs="+", metavar="QUERY", action=JoinedWords)
    s.add_argument("--limit", type=int, default=10, help="articles to list (default 10)")
    s.add_argument("--json", action="store_true", help="machine-readable output")

    s = sub.add_parser(
        "entities",
        help="list persons, places, events and organisations",
        description="List the entities found in the corpus, most cited first.",
    )
    s.add_argument("--article", help="only the entities of this article (with its mentions)")
    s.add_argument("--type", choices=["person", "place", "event", "organisation", "unknown"])
    s.add_argument("--json", action="store_true", help="machine-readable output")

    s = sub.add_parser(
        "mentions",
        help="every article that mentions an entity",
        description="QUERY is an entity id, its name or any alias, in any case (several "
        "words need no quotes). A name shared by several entities stands for the one it "
        "most often means; the others are listed on stderr.",
    )
    s.add_argument("query", nargs="+", metavar="QUERY", action=JoinedWords)
    s.add_argument(
        "--with",
        dest="with_",
        action="append",
        default=[],
        metavar="ENTITY",
        help="only articles that also mention ENTITY (repeatable: all of them)",
    )
    s.add_argument(
        "--matching", metavar="QUERY", help="only articles that this search query matches"
    )
    s.add_argument(
        "--format",
        choices=["text", "json", "csv"],
        default="text",
        help="csv: one row per mention, for a spreadsheet",
    )
    s.add_argument("--json", action="store_true", help="machine-readable output (--format json)")
    s.add_argument("-o", "--output", type=Path, help="write to this file instead of stdout")
