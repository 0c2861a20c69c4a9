"""The Textual app: ``app`` (the thin App and its factory), ``screens/`` (the main screen,
bookmarks, help and pickers), ``widgets/`` (one per pane), the messages panes post up, and
``render`` (outside text made safe to draw)."""

from tui.app.app import XrefApp, make_app, run_app

__all__ = ["XrefApp", "make_app", "run_app"]
