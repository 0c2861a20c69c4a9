"""The ``xref`` command line: thin calls into ``index`` and the bookmark store (and the app,
with no subcommand). ``main`` is the ``xref`` entry point.

- ``args``: the parser (global options, the commands' arguments), ``--version``;
- ``main``: the dispatch and the exit statuses; ``index`` and ``search``;
- ``common``: what every command shares (bring the index up to date, JSON output, errors);
- ``entities_cli``, ``bookmarks_cli``: ``entities``/``mentions``, ``bookmarks``/``bookmark``.
"""

from tui.cli.args import build_parser
from tui.cli.main import main

__all__ = ["build_parser", "main"]
