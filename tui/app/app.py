"""The Textual app: thin. It builds the main screen and holds the services (corpus, index,
bookmarks, state folder) that tests replace with temporary paths through ``make_app``."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from textual.app import App, SystemCommand
from textual.screen import Screen

from index.files import write_atomic
from tui.app.bookmark_controller import BookmarkController
from tui.app.render import use_palette
from tui.app.screens.main import MainScreen
from tui.bookmarks.store import BookmarkStore
from tui.services import Services, make_services

log = logging.getLogger("xref")
THEMES = ("textual-dark", "textual-light")


class XrefApp(App[int]):
    CSS_PATH = "app.tcss"
    TITLE = "xref"
    ENABLE_COMMAND_PALETTE = True

    def __init__(self, services: Services) -> None:
        super().__init__()
        self.services = services
        self.settings_path = services.state_dir / "settings.json"
        self.theme = self._load_settings().get("theme", THEMES[0])

    def on_mount(self) -> None:
        self.theme_changed_signal.subscribe(self, self._restyle)
        self._restyle()
        services = self.services
        store = BookmarkStore(services.bookmarks_path)
        self.push_screen(MainScreen(services, BookmarkController(store, lambda: services.library)))

    # --- settings ------------------------------------------------------------------------

    def _load_settings(self) -> dict[str, str]:
        try:
            data = json.loads(self.settings_path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        return data if isinstance(data, dict) else {}

    def _save_settings(self, **values: str) -> None:
        data = self._load_settings() | values
        try:
            write_atomic(self.settings_path, json.dumps(data))
        except OSError as exc:
            self.notify(f"Could not save settings: {exc.strerror}", severity="warning")

    def _restyle(self, *_: object) -> None:
        """Mentions take the colours made for the theme (dark or light) and are repainted."""
        use_palette(self.current_theme.dark)
        for screen in self.screen_stack:
            if isinstance(screen, MainScreen):
                screen.restyle()

    def action_toggle_xref_theme(self) -> None:
        self.theme = THEMES[1] if self.theme == THEMES[0] else THEMES[0]
        self._save_settings(theme=self.theme)

    # --- commands ------------------------------------------------------------------------

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        if isinstance(screen, MainScreen):
            yield SystemCommand(
                "Open article…", "Pick an article by title", screen.action_open_article
            )
            yield SystemCommand(
                "Go to entity…",
                "Pick a person, place, event or organisation",
                screen.action_goto_entity,
            )
            yield SystemCommand(
                "Related passages",
                "Passages elsewhere related to the current one",
                screen.action_related,
            )
            yield SystemCommand(
                "Bookmarks", "List, open and edit bookmarked excerpts", screen.action_bookmarks
            )
            yield SystemCommand(
                "Bookmark excerpt", "Save the selection or current sentence", screen.action_bookmark
            )
            yield from research_commands(screen)
            yield SystemCommand(
                "Re-index", "Update the index for changed files", lambda: screen.reindex()
            )
            yield SystemCommand("Help", "Every key, by where it works", screen.action_help)
        yield SystemCommand(
            "Toggle theme", "Switch between dark and light", self.action_toggle_xref_theme
        )
        yield SystemCommand("Quit", "Quit xref", self.action_quit)


def research_commands(screen: MainScreen) -> Iterable[SystemCommand]:
    """The palette's commands for following and fixing entities, and for originals."""
    rows = [
        ("Sort cross-references", "By date, title or mentions (o)", screen.action_cycle_sort),
        ("Narrow to articles also naming…", "Another entity (w)", screen.action_narrow_with),
        ("Narrow to articles matching…", "A query (m)", screen.action_matching),
        ("Widen cross-references", "Drop every narrowing and the filter (W)", screen.action_widen),
        ("Merge entity with…", "One entity from now on (M)", screen.action_fix_merge),
        ("Rename entity…", "Its name; the old one stays an alias (R)", screen.action_fix_rename),
        ("Change entity type…", "Person, place, event, organisation (T)", screen.action_fix_type),
        ("Not an entity", "Ignore the name from now on (I)", screen.action_fix_ignore),
        (
            "Undo entity fix",
            "Take back the last catalogue change (U)",
            screen.action_fix_undo,
        ),
        (
            "Open original",
            "The file in the system viewer (O)",
            screen.action_open_original,
        ),
        ("Open web address", "The article's URL in the system viewer", screen.action_open_web),
    ]
    for title, help_text, action in rows:
        yield SystemCommand(title, help_text, action)


def setup_logging(state_dir: Path) -> Path:
    state_dir.mkdir(parents=True, exist_ok=True)
    path = state_dir / "xref.log"
    handler = logging.FileHandler(path, encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(message)s"))
    logger = logging.getLogger("xref")
    logger.handlers[:] = [handler]
    logger.setLevel(logging.INFO)
    return path


def make_app(
    corpus: Path,
    index_dir: Path | None = None,
    bookmarks: Path | None = None,
    state_dir: Path | None = None,
    use_catalogue: bool = True,
    catalogue: Path | None = None,
    opener: Callable[[str], bool] | None = None,
) -> XrefApp:
    """The app on temporary paths, for tests (``opener`` stands in for the system viewer)."""
    services = make_services(
        corpus,
        index_dir,
        bookmarks=bookmarks,
        catalogue=catalogue,
        use_catalogue=use_catalogue,
        state_dir=state_dir,
        opener=opener,
    )
    return XrefApp(services)


def run_app(services: Services) -> int:
    """Run the app. An unhandled error is Textual's to handle: it stops the app and prints the
    traceback once the terminal is restored (a bug shown, not hidden behind a toast while the
    app goes on in an unknown state); the log notes it beside the rest of the session."""
    setup_logging(services.state_dir)
    app = XrefApp(services)
    app.run()
    code = app.return_code or 0
    if code:
        log.error("stopped on an unhandled error (exit status %d; traceback on stderr)", code)
    return code
