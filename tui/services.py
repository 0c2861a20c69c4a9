"""What the app and the command line work with, built from paths so tests can point every
one of them at a temporary folder (``make_services``).

The library (Whoosh, the gazetteer, the catalogue) is made on first use: the app draws its
first frame before any of that is imported or read, and builds it in its indexing worker.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from index.library import Library
    from index.store import Store, UpdateSummary


def default_bookmarks() -> Path:
    base = Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share")
    return base / "xref" / "bookmarks.yaml"


def default_state() -> Path:
    base = Path(os.environ.get("XDG_STATE_HOME") or Path.home() / ".local" / "state")
    return base / "xref"


def system_open(target: str) -> bool:
    """Open a file or URL in the desktop's viewer, detached from the terminal; False when
    there is none. Only a graphical opener is used (``xdg-open`` with a display, ``open`` on
    macOS): ``webbrowser`` falls back to text browsers that would take over the terminal the
    app is drawn in."""
    if sys.platform == "darwin":
        command = shutil.which("open")
    elif os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"):
        command = shutil.which("xdg-open")
    else:
        command = None
    if command is None:
        return False
    try:
        subprocess.Popen(
            [command, target],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
    except OSError:
        return False
    return True


@dataclass
class Services:
    corpus: Path
    index_dir: Path | None
    bookmarks_path: Path
    state_dir: Path
    catalogue: Path | None = None
    use_catalogue: bool = True
    # Opens a file or URL in the system viewer; tests give one that records instead.
    opener: Callable[[str], bool] = system_open
    _library: Library | None = field(default=None, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    @property
    def library(self) -> Library:
        with self._lock:
            if self._library is None:
                from index.library import Library

                self._library = Library(
                    self.corpus,
                    self.index_dir,
                    catalogue=self.catalogue,
                    use_catalogue=self.use_catalogue,
                )
            return self._library

    @property
    def catalogue_file(self) -> Path | None:
        """The catalogue in force, which entity fixes are written to (even before it exists);
        None under ``--no-catalogue``."""
        if not self.use_catalogue:
            return None
        return self.catalogue or self.corpus / "entities.yaml"

    def refresh(self) -> None:
        """Forget the library: the next use makes one that reads the catalogue again (the
        library holds the catalogue, and the extractor made from it, as first read)."""
        with self._lock:
            if self._library is not None:
                self._library.close()
            self._library = None

    @property
    def store(self) -> Store:
        return self.library.store

    def update(self, **kwargs: Any) -> UpdateSummary:
        return self.library.update(**kwargs)


def make_services(
    corpus: Path,
    index_dir: Path | None = None,
    bookmarks: Path | None = None,
    catalogue: Path | None = None,
    use_catalogue: bool = True,
    state_dir: Path | None = None,
    opener: Callable[[str], bool] | None = None,
) -> Services:
    return Services(
        corpus.resolve(),
        index_dir,
        bookmarks or default_bookmarks(),
        state_dir or default_state(),
        catalogue,
        use_catalogue,
        opener or system_open,
    )
