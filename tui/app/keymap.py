"""The main screen's keys and the help built from every pane's keys.

Kept apart from the screen so that the help's sections (moving between panes, everywhere,
each pane, the bookmarks screen) are read in one place. A binding's ``description`` is what
the footer shows (short: 80 columns hold the keys that matter); its ``tooltip`` is the help's
longer line. The footer shows at most what fits 80 columns in its compact form: the keys a
newcomer needs to find the rest (``?``).
"""

from __future__ import annotations

from collections.abc import Sequence

from textual.binding import Binding

from tui.app.screens.bookmarks import BookmarksScreen
from tui.app.screens.dialogs import BindingLike, Row, help_rows
from tui.app.widgets.landing import LandingList
from tui.app.widgets.query_box import QueryBox
from tui.app.widgets.reader import Reader
from tui.app.widgets.search_pane import SearchPane
from tui.app.widgets.xref_pane import XrefPane

# ``/`` goes first (priority) so that a paste right behind it lands in the box; it steps
# aside, like every key of the screen, while the box has focus and keys are text.
SCREEN_BINDINGS: list[BindingLike] = [
    Binding("slash", "focus_search", "Search", priority=True, tooltip="Search (as you type)"),
    Binding("backspace,H", "back", "Back", tooltip="Back in the history"),
    Binding("L", "forward", "Forward", show=False, tooltip="Forward in the history"),
    Binding(
        "s",
        "toggle_results",
        "Results",
        show=False,
        tooltip="Show and focus the results, or fold them away",
    ),
    Binding(
        "x",
        "toggle_xref",
        "Sidebar",
        tooltip="Show and focus the cross-references, or fold them away",
    ),
    Binding("e", "focus_entities", "Entities", show=False, tooltip="The open article's entities"),
    Binding(
        "escape",
        "escape",
        "Back out",
        show=False,
        tooltip="Back out one step: close a pane, leave a list for the reader, go back",
    ),
    Binding("r", "related", "Related", tooltip="Passages elsewhere related to the current one"),
    Binding("b", "bookmark", "Bookmark", tooltip="Bookmark the selection or current sentence"),
    Binding("B", "bookmarks", "Bookmarks", show=False, tooltip="The bookmarks screen"),
    Binding("t", "toggle_theme", "Theme", show=False, tooltip="Dark or light theme (kept)"),
    Binding("M", "fix_merge", "Merge", show=False, tooltip="Merge the entity with another…"),
    Binding("R", "fix_rename", "Rename", show=False, tooltip="Rename the entity…"),
    Binding("T", "fix_type", "Type", show=False, tooltip="Change the entity's type…"),
    Binding("I", "fix_ignore", "Not an entity", show=False, tooltip="Mark the name as no entity"),
    Binding("U", "fix_undo", "Undo fix", show=False, tooltip="Undo the last entity fix"),
    Binding("question_mark", "help", "Help", tooltip="This help"),
    Binding("q", "quit", "Quit", tooltip="Quit xref"),
]
PANE_ACTIONS = {"focus_search", "back", "forward", "toggle_results", "toggle_xref"}
PANE_ACTIONS |= {"focus_entities", "escape"}
FIX_ACTIONS = {"fix_merge", "fix_rename", "fix_type", "fix_ignore", "fix_undo"}


def help_sections() -> list[Row]:
    """Every key of the app, by where it works."""
    screen = [b for b in SCREEN_BINDINGS if isinstance(b, Binding)]
    moving: list[BindingLike] = [b for b in screen if b.action in PANE_ACTIONS]
    moving.append(("tab,shift+tab", "focus_next", "Next or previous pane (in a list)"))
    everywhere: list[BindingLike] = [
        b for b in screen if b.action not in PANE_ACTIONS | FIX_ACTIONS
    ]
    fixes: list[BindingLike] = [b for b in screen if b.action in FIX_ACTIONS]
    everywhere.append(("ctrl+p", "palette", "Command palette: open article, go to entity, help…"))
    sections: list[tuple[str, Sequence[BindingLike]]] = [
        ("Moving between panes", moving),
        ("Everywhere", everywhere),
        (
            "Search box (keys are text here)",
            [
                ("enter", "submit", "To the results"),
                *QueryBox.BINDINGS,
            ],
        ),
        (
            "Results",
            [
                ("up,down,enter", "open", "Move, open a result at its best passage"),
                *SearchPane.BINDINGS,
            ],
        ),
        ("Reader", Reader.BINDINGS),
        (
            "Cross-references",
            [
                ("enter", "entity", "On a name: every other article that mentions it"),
                ("enter ", "line", "On a line: open that article there; on a title: fold it"),
                *XrefPane.BINDINGS,
            ],
        ),
        (
            "Fixing entities (the name under the cursor, the mention, else the one listed)",
            fixes,
        ),
        (
            "Start page (nothing open)",
            [
                ("enter", "landing", "On a name: its cross-references; on an article: open it"),
                *LandingList.BINDINGS,
            ],
        ),
        ("Bookmarks screen (B)", BookmarksScreen.BINDINGS),
    ]
    rows = help_rows(sections)
    at = max(i for i, row in enumerate(rows) if row[0].startswith("Search box")) + 1
    rows.insert(at, (rows[at - 1][0], "queries", 'words "a phrase" AND OR NOT pre* fuzzy~ title:x'))
    return rows
