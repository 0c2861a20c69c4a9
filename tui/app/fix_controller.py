"""Fixing entities from the app: merge, rename, change type, ignore, link an unlinked name,
and undo — each a change to the catalogue (``index.entity_fixes`` says which entry,
``index.catalogue_journal`` writes it with its undo), applied by bringing the index up to date
in the status bar's worker, as the command line's ``xref entity`` does.

Dialogs ask what is missing (the other entity, the new name, the type); the catalogue is
written in a worker thread and a refused change is one line in a toast, never a traceback.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from textual.worker import get_current_worker

from tui.app.screens.dialogs import Picker, Prompt, entity_rows

if TYPE_CHECKING:
    from index.entity_fixes import Fix
    from index.library import Library
    from tui.app.screens.main import MainScreen

TYPE_ROWS = [
    ("person", "person"),
    ("place", "place"),
    ("event", "event"),
    ("organisation", "organisation"),
]


class FixController:
    def __init__(self, screen: MainScreen) -> None:
        self.screen = screen

    @property
    def library(self) -> Library:
        return self.screen.library

    def _name(self, entity_id: str) -> str:
        entity = self.library.links.entities.get(entity_id)
        return entity.name if entity else entity_id

    def _make(self, build: Callable[[], Fix]) -> None:
        """Build the fix (a ``FixError`` is the reader's mistake: one line) and write it."""
        from index.entity_fixes import FixError

        try:
            fix = build()
        except FixError as exc:
            self.screen.notify(str(exc), severity="warning")
            return
        self._write(fix.label, fix.entity, lambda path, journal: _edit(path, journal, fix))

    def _write(self, label: str, show: str | None, do: Callable[..., object]) -> None:
        services = self.screen.services
        path = services.catalogue_file
        if path is None:
            self.screen.notify("--no-catalogue: there is no catalogue to write the fix to")
            return
        from index import catalogue_journal

        journal = catalogue_journal.journal_for(services.state_dir, path)

        def work() -> None:
            try:
                done = do(path, journal)
            except (catalogue_journal.CatalogueWriteError, OSError) as exc:
                message = str(exc) if not isinstance(exc, OSError) else exc.strerror or str(exc)
                if not get_current_worker().is_cancelled:
                    self.screen.app.call_from_thread(
                        self.screen.notify, f"Not changed: {message}", severity="error"
                    )
                return
            said = f"{label} — U undoes" if label else f"Undid: {getattr(done, 'label', '')}"
            self.screen.app.call_from_thread(self.screen.relink, said, show)

        self.screen.run_worker(work, thread=True, group="fix", exit_on_error=False)

    # --- the fixes -----------------------------------------------------------------------

    def merge(self, entity_id: str) -> None:
        from index import entity_fixes

        rows = [r for r in entity_rows(self.library) if r[0] != entity_id]

        def chosen(other: str | None) -> None:
            if other:
                self._make(lambda: entity_fixes.merge(self.library, [entity_id, other]))

        self.screen.app.push_screen(Picker(f"Merge {self._name(entity_id)} with…", rows), chosen)

    def rename(self, entity_id: str) -> None:
        from index import entity_fixes
        from index.entities import TYPES

        entity = self.library.links.entities.get(entity_id)
        if entity is None:
            return

        def named(new: str | None) -> None:
            if not new or not new.strip():
                return
            if entity.type in TYPES:
                self._make(lambda: entity_fixes.rename(self.library, entity_id, new))
            else:  # an untyped name needs its type said before it is written
                lib = self.library
                self._ask_type(
                    f"Type of {new}",
                    lambda t: self._make(lambda: entity_fixes.rename(lib, entity_id, new, t)),
                )

        self.screen.app.push_screen(Prompt(f"Rename {entity.name} to", entity.name), named)

    def retype(self, entity_id: str) -> None:
        from index import entity_fixes

        self._ask_type(
            f"Type of {self._name(entity_id)}",
            lambda t: self._make(lambda: entity_fixes.retype(self.library, entity_id, t)),
        )

    def ignore(self, entity_id: str) -> None:
        from index import entity_fixes

        self._make(lambda: entity_fixes.ignore(self.library, entity_id))

    def link(self, entity_id: str, form: str) -> None:
        """An unlinked place: its name goes to the entity's catalogue entry as an alias."""
        from index.entities import TYPES
        from index.unlinked import link_fix

        entity = self.library.links.entities.get(entity_id)
        if entity is not None and entity.type not in TYPES:
            self._ask_type(
                f"Type of {entity.name}",
                lambda t: self._make(lambda: link_fix(self.library, entity_id, form, t)),
            )
            return
        self._make(lambda: link_fix(self.library, entity_id, form))

    def undo(self) -> None:
        from index import catalogue_journal

        self._write("", None, catalogue_journal.undo)

    def _ask_type(self, title: str, then: Callable[[str], None]) -> None:
        def chosen(type_: str | None) -> None:
            if type_:
                then(type_)

        self.screen.app.push_screen(Picker(title, TYPE_ROWS), chosen)


def _edit(path: object, journal: object, fix: Fix) -> object:
    from pathlib import Path

    from index import catalogue_journal

    assert isinstance(path, Path) and isinstance(journal, Path)
    return catalogue_journal.edit(path, journal, fix.label, fix.change)
