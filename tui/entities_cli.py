"""Moved to ``tui.cli.entities_cli``. Kept only because ``bench/scorers.py`` imports it from
here (that file belongs to another change); delete once it imports the new place."""

from tui.cli.entities_cli import cmd_entities, cmd_mentions

__all__ = ["cmd_entities", "cmd_mentions"]
