"""Shared fixtures: the real seeds and Wikinews corpora, indexed into temporary folders."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from index.bundled import bundled_corpus
from index.library import Library

ROOT = Path(__file__).resolve().parent.parent
# The shared development corpus beside the checkout, else the copy kept in the repository
# (same files, with their attribution), so that a fresh clone anywhere runs every test.
_SHARED = ROOT.parent / "shared" / "corpora" / "wikinews"
WIKINEWS = _SHARED if _SHARED.is_dir() else ROOT / "tests" / "data" / "wikinews"
SEEDS = bundled_corpus()


@pytest.fixture(autouse=True)
def _private_home(tmp_path_factory: pytest.TempPathFactory,
                  monkeypatch: pytest.MonkeyPatch) -> None:
    """No test touches the real home: caches, data and state go to a temporary folder."""
    home = tmp_path_factory.mktemp("home")
    for var, sub in (("XDG_CACHE_HOME", "cache"), ("XDG_DATA_HOME", "data"),
                     ("XDG_STATE_HOME", "state"), ("XDG_CONFIG_HOME", "config")):
        monkeypatch.setenv(var, str(home / sub))
    for var in ("XREF_CORPUS", "XREF_INDEX_DIR", "XREF_BOOKMARKS"):
        monkeypatch.delenv(var, raising=False)


@pytest.fixture(scope="session")
def wikinews() -> Path:
    if not WIKINEWS.is_dir():
        pytest.fail(f"the Wikinews corpus is missing: {WIKINEWS}")
    return WIKINEWS


@pytest.fixture(scope="session")
def seeds_lib(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Library]:
    lib = Library(SEEDS, tmp_path_factory.mktemp("seeds-index"))
    lib.update()
    yield lib
    lib.close()


@pytest.fixture(scope="session")
def seeds_lib_nocat(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Library]:
    lib = Library(SEEDS, tmp_path_factory.mktemp("seeds-index-nocat"), use_catalogue=False)
    lib.update()
    yield lib
    lib.close()


@pytest.fixture(scope="session")
def wiki_lib(tmp_path_factory: pytest.TempPathFactory, wikinews: Path) -> Iterator[Library]:
    lib = Library(wikinews, tmp_path_factory.mktemp("wiki-index"))
    lib.update()
    yield lib
    lib.close()


@pytest.fixture
def corpus_copy(tmp_path: Path) -> Path:
    """A writable copy of the seeds (with the catalogue) to change under the index."""
    dest = tmp_path / "corpus"
    shutil.copytree(SEEDS, dest)
    for f in dest.iterdir():
        os.chmod(f, 0o644)
    return dest


def ids(values: list[str]) -> list[str]:
    """Article ids shortened to their seed number ("000"), sorted."""
    return sorted(v[:3] for v in values)
