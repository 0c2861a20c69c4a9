"""The arguments of ``xref bookmarks`` and ``xref bookmark``, apart from the commands: the
parser (and ``--help``) must not import bookmark or YAML code."""

from __future__ import annotations

from pathlib import Path
from typing import Any


def add_bookmark_commands(sub: Any) -> None:
    s = sub.add_parser(
        "bookmarks",
        help="list, verify or export bookmarks",
        description="List the bookmarks with where each quote is now: exact, "
        "moved, fuzzy (with its score), ambiguous or orphaned.",
    )
    s.add_argument("--json", action="store_true", help="machine-readable output")
    actions = s.add_subparsers(dest="action", metavar="ACTION", parser_class=type(s))
    v = actions.add_parser(
        "verify",
        help="re-anchor every bookmark and print its state",
        description="Re-anchor every bookmark after the corpus changed. "
        "Exit 1 when one is ambiguous or orphaned.",
    )
    v.add_argument(
        "--accept",
        action="store_true",
        help="write the new places of moved and fuzzy bookmarks back to the file",
    )
    v.add_argument("--json", action="store_true", help="machine-readable output")
    e = actions.add_parser(
        "export",
        help="write the bookmarks as Markdown or W3C Web Annotations",
        description="markdown: each quote with its title, byline, date, passage, source path, "
        "web address where known, and note. jsonld: W3C Web Annotations (TextQuoteSelector "
        "and TextPositionSelector) in one AnnotationCollection, for other annotation tools.",
    )
    e.add_argument("--format", choices=["markdown", "jsonld"], default="markdown")
    e.add_argument(
        "--group",
        choices=["article", "tag"],
        default="article",
        help="group quotes by article (default) or by tag (markdown)",
    )
    e.add_argument("-o", "--output", type=Path, help="write to this file instead of stdout")

    b = sub.add_parser(
        "bookmark",
        help="add a bookmark (for scripts)",
        description="Add a bookmark. Refuses, with exit 1, a quote that is not in the article.",
    )
    acts = b.add_subparsers(dest="action", metavar="ACTION", required=True, parser_class=type(s))
    a = acts.add_parser(
        "add",
        help="bookmark a quote of an article",
        description="ARTICLE is an article id (its path without suffix).",
    )
    a.add_argument("article")
    a.add_argument("--quote", required=True, help="the exact text to keep")
    a.add_argument("--note", default="", help="a note of yours")
    a.add_argument("--tag", action="append", default=[], help="a tag (repeatable)")
    a.add_argument("--json", action="store_true", help="print the new bookmark as JSON")
