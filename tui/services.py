"""What the app and the command line work with, built from paths so tests can point every
one of them at a temporary folder (``make_services``)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from index.library import Library


def default_bookmarks() -> Path:
    base = Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share")
    return base / "xref" / "bookmarks.yaml"


def default_state() -> Path:
    base = Path(os.environ.get("XDG_STATE_HOME") or Path.home() / ".local" / "state")
    return base / "xref"


@dataclass
class Services:
    library: Library
    bookmarks_path: Path
    state_dir: Path

    @property
    def store(self):  # type: ignore[no-untyped-def]
        return self.library.store

    def update(self, **kwargs):  # type: ignore[no-untyped-def]
        return self.library.update(**kwargs)


def make_services(corpus: Path, index_dir: Path | None = None, bookmarks: Path | None = None,
                  catalogue: Path | None = None, use_catalogue: bool = True,
                  state_dir: Path | None = None) -> Services:
    library = Library(corpus, index_dir, catalogue=catalogue, use_catalogue=use_catalogue)
    return Services(library, bookmarks or default_bookmarks(), state_dir or default_state())
