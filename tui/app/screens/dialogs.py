"""Small modal screens: help generated from the bindings, and a filterable picker."""

from __future__ import annotations

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.dom import DOMNode
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from tui.app.render import plain


def help_rows(sections: list[tuple[str, DOMNode]]) -> list[tuple[str, str, str]]:
    """(where, keys, description) for every binding of each named screen or pane, once each:
    the help is generated from the bindings, so it cannot fall behind them."""
    rows = []
    seen = set()
    for where, node in sections:
        for b in node.BINDINGS:
            binding = b if isinstance(b, Binding) else Binding(*b)
            if (where, binding.action) in seen:
                continue
            seen.add((where, binding.action))
            keys = " ".join(k.strip() for k in binding.key.split(","))
            rows.append((where, keys, binding.description or binding.action))
    return rows


class HelpScreen(ModalScreen[None]):
    """Every binding of the screen below and its panes, with its description."""

    BINDINGS = [Binding("escape,q,question_mark", "dismiss", "Close")]

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
            text.append(f"  {keys:<22}", style="bold")
            text.append(f"{description}\n")
        text.append("\nEscape or ? closes this help.", style="dim")
        with Vertical(id="help-box"):
            yield Static(text, id="help-text")

    def action_dismiss(self) -> None:  # type: ignore[override]
        self.dismiss(None)


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
