"""Small modal screens: help generated from the bindings, and a filterable picker."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.keys import format_key
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from tui.app.render import plain

if TYPE_CHECKING:
    from index.library import Library

# Keys as the README and a keyboard name them, not as Textual does ("slash", "question_mark").
KEY_NAMES = {
    "backspace": "Backspace",
    "escape": "Escape",
    "enter": "Enter",
    "tab": "Tab",
    "shift+tab": "Shift+Tab",
    "space": "Space",
    "pagedown": "PgDn",
    "pageup": "PgUp",
    "home": "Home",
    "end": "End",
    "delete": "Delete",
    "down": "↓",
    "up": "↑",
    "ctrl+p": "Ctrl+P",
}

Row = tuple[str, str, str]  # (section, keys, what)
BindingLike = Binding | tuple[str, str] | tuple[str, str, str]


def key_name(key: str) -> str:
    """A key as a person names it: ``/`` for slash, ``>`` for greater_than_sign."""
    key = key.strip()
    return KEY_NAMES.get(key) or format_key(key)


def help_rows(sections: list[tuple[str, Sequence[BindingLike]]]) -> list[Row]:
    """(section, keys, description) for every binding of each section, once each: the help
    is generated from the bindings, so it cannot fall behind them. A binding's tooltip is
    its long description (the footer shows the short one); a section named twice is one."""
    rows: list[Row] = []
    seen = set()
    order: dict[str, int] = {}
    for where, bindings in sections:
        order.setdefault(where, len(order))
        for b in bindings:
            binding = b if isinstance(b, Binding) else Binding(*b)
            if (where, binding.action) in seen:
                continue
            seen.add((where, binding.action))
            keys = " ".join(key_name(k) for k in binding.key.split(","))
            rows.append((where, keys, binding.tooltip or binding.description or binding.action))
    return sorted(rows, key=lambda row: order[row[0]])  # stable: bindings keep their order


class HelpScreen(ModalScreen[None]):
    """Every binding of the screen below and its panes, with its description."""

    BINDINGS = [
        Binding("escape,q,question_mark", "dismiss", "Close"),
        Binding("j,down", "scroll(1)", "Down", show=False),
        Binding("k,up", "scroll(-1)", "Up", show=False),
    ]

    def __init__(self, rows: list[tuple[str, str, str]]) -> None:
        super().__init__()
        self.rows = rows

    def compose(self) -> ComposeResult:
        text = Text()
        text.append("xref — keys\n\n", style="bold")
        last = None
        for where, keys, description in self.rows:
            if where != last:
                text.append(f"{where}\n", style="bold underline")
                last = where
            text.append(f"  {keys:<24}", style="bold")
            text.append(f"{description}\n")
        text.append("\nEscape or ? closes this help.", style="dim")
        with VerticalScroll(id="help-box"):
            yield Static(text, id="help-text")

    def action_dismiss(self) -> None:  # type: ignore[override]
        self.dismiss(None)

    def action_scroll(self, rows: int) -> None:
        self.query_one("#help-box").scroll_relative(y=rows, animate=False)


def article_rows(library: Library) -> list[tuple[str, str]]:
    """The "Open article" picker's rows: every title with its id."""
    return [(a.id, f"{a.title}  [{a.id}]") for a in library.articles()]


def entity_rows(library: Library) -> list[tuple[str, str]]:
    """The "Go to entity" picker's rows, most cited first."""
    return [
        (e.id, f"{e.name} ({e.type}, {len(e.article_ids)} articles)") for e in library.entities()
    ]


class Picker(ModalScreen[str | None]):
    """Type to filter a list; Enter returns the id of the chosen row."""

    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, title: str, rows: list[tuple[str, str]]) -> None:
        super().__init__()
        self.title_text = title
        self.rows = rows

    def compose(self) -> ComposeResult:
        with Vertical(id="picker-box"):
            yield Static(Text(self.title_text, style="bold"))
            yield Input(placeholder="type to filter", id="picker-input")
            yield OptionList(id="picker-list")

    def on_mount(self) -> None:
        self._fill("")
        self.query_one("#picker-input", Input).focus()

    def _fill(self, needle: str) -> None:
        lst = self.query_one("#picker-list", OptionList)
        lst.clear_options()
        words = needle.lower().split()
        lst.add_options(
            [
                Option(plain(label), id=ident)
                for ident, label in self.rows
                if all(w in label.lower() for w in words)
            ][:500]
        )
        if lst.option_count:
            lst.highlighted = 0

    def on_input_changed(self, event: Input.Changed) -> None:
        self._fill(event.value)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        lst = self.query_one("#picker-list", OptionList)
        if lst.highlighted is not None:
            self.dismiss(lst.get_option_at_index(lst.highlighted).id)

    def on_key(self, event: events.Key) -> None:
        lst = self.query_one("#picker-list", OptionList)
        if event.key in ("down", "up"):
            lst.action_cursor_down() if event.key == "down" else lst.action_cursor_up()
            event.stop()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    def action_cancel(self) -> None:
        self.dismiss(None)


class Prompt(ModalScreen[str | None]):
    """One line to type (a new name, a query); Enter returns it, Escape nothing."""

    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, title: str, value: str = "", placeholder: str = "") -> None:
        super().__init__()
        self.title_text = title
        self.value = value
        self.placeholder = placeholder

    def compose(self) -> ComposeResult:
        with Vertical(id="prompt-box"):
            yield Static(plain(self.title_text))
            yield Input(value=self.value, placeholder=self.placeholder, id="prompt-input")

    def on_mount(self) -> None:
        self.query_one("#prompt-input", Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.dismiss(event.value)

    def action_cancel(self) -> None:
        self.dismiss(None)
