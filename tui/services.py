"""What the app and the command line work with, built from paths so tests can point every
one of them at a temporary folder (``make_services``).

The library (Whoosh, the gazetteer, the catalogue) is made on first use: the app draws its
first frame before any of that is imported or read, and builds it in its indexing worker.
"""

from __future__ import annotations

import os
import threading
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


@dataclass
class Services:
    corpus: Path
    index_dir: Path | None
    bookmarks_path: Path
    state_dir: Path
    catalogue: Path | None = None
    use_catalogue: bool = True
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
) -> Services:
    return Services(
        corpus.resolve(),
        index_dir,
        bookmarks or default_bookmarks(),
        state_dir or default_state(),
        catalogue,
        use_catalogue,
    )
