"""The shape of the code, kept by tests: ``index`` is a library with no UI, Whoosh stays behind
the engine modules, and the bookmark store works without Textual."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _imports(path: Path) -> list[str]:
    """Every module ``path`` imports, at any level (function-level imports included)."""
    names: list[str] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names += [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.append(node.module)
    return names


def _offenders(folder: Path, forbidden: tuple[str, ...]) -> list[str]:
    return [
        f"{path.relative_to(ROOT)}: {n}"
        for path in sorted(folder.rglob("*.py"))
        for n in _imports(path)
        if n.split(".")[0] in forbidden
    ]


def test_index_never_imports_textual_or_tui() -> None:
    assert _offenders(ROOT / "index", ("textual", "tui", "rich")) == []


def test_whoosh_stays_behind_the_store_and_search_modules() -> None:
    """Only the engine modules (the store and search, split by job) import Whoosh: everything
    else, in ``index`` and ``tui``, works with the plain dataclasses they return, so the
    engine could change alone."""
    engine = {
        ROOT / "index" / f"{name}.py"
        for name in (
            "store",
            "schema",
            "manifest",
            "update",
            "workers",
            "search",
            "queries",
            "topn",
        )
    }
    users = [
        f"{path.relative_to(ROOT)}: {n}"
        for top in ("index", "tui")
        for path in sorted((ROOT / top).rglob("*.py"))
        if path not in engine
        for n in _imports(path)
        if n.split(".")[0] == "whoosh"
    ]
    assert users == []


def test_the_bookmark_store_needs_no_textual() -> None:
    """The command line uses the bookmark store too: it must not load the UI toolkit."""
    assert _offenders(ROOT / "tui" / "bookmarks", ("textual", "rich", "tui.app")) == []
    assert [
        n
        for n in _offenders(ROOT / "tui" / "bookmarks", ("tui",))
        if not n.split(": ")[1].startswith(("tui.bookmarks", "tui.sanitise"))
    ] == []


def test_the_command_line_modules_import_no_circle() -> None:
    """``tui.cli.main`` imports the command modules; they import ``common``, never ``main``."""
    for path in (ROOT / "tui" / "cli").glob("*.py"):
        if path.name not in ("main.py", "__init__.py", "__main__.py"):
            assert "tui.cli.main" not in _imports(path), path.name
            assert "tui.cli" not in _imports(path), path.name
