"""The search box: a Textual ``Input`` whose own editing keys keep their place in line.

Textual hands a printable key and a paste straight to the focused input, but a key the input
binds (ctrl+u, ctrl+w, backspace…) first bubbles up to the app, which then runs the binding:
a paste that arrives meanwhile is inserted first and the late ctrl+u deletes it ("iraq",
ctrl+u, paste "Tony Blair" left the box empty 8 times in 10). Here the box runs its own
bindings as the key arrives, so keys and pastes apply in the order they were typed.
"""

from __future__ import annotations

from collections.abc import Callable

from textual import events
from textual.binding import Binding
from textual.message import Message
from textual.widgets import Input


class QueryBox(Input):
    """Posts ``Left`` on Escape (the screen decides where the focus goes) and
    ``ResultsWanted`` on ↓."""

    BINDINGS = [
        Binding("escape", "leave", "Leave box", tooltip="Leave the box, back to the reader"),
        Binding("down", "results", "Results", show=False, tooltip="To the results"),
    ]

    class Left(Message):
        """Escape in the box: the reader wants out of it."""

    class ResultsWanted(Message):
        """↓ in the box: on to the results."""

    leads_to: Callable[[], None] | None = None  # Enter and ↓: the pane's "focus the results"

    async def _on_key(self, event: events.Key) -> None:
        focused = self.screen.focused
        if focused is not self and focused is not None:
            # Queued for the box before an Enter moved the focus on: it belongs where the
            # focus is now (Enter, Enter opens the first result, as typed).
            event.stop()
            event.prevent_default()
            focused.post_message(events.Key(event.key, event.character))
            return
        if event.key in ("enter", "down") and self.leads_to is not None:
            # Move the focus now, not after the message goes round: the next key is the list's.
            self.leads_to()
        for binding in self._bindings.key_to_bindings.get(event.key, ()):
            if await self.app.run_action(binding.action, self):
                event.stop()
                event.prevent_default()  # Input's own handler must not see it again
                return

    def action_leave(self) -> None:
        self.post_message(self.Left())

    def action_results(self) -> None:
        self.post_message(self.ResultsWanted())
