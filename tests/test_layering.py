"""``index`` is a library with no UI: it never imports Textual or the ``tui`` package."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_index_never_imports_textual_or_tui() -> None:
    offenders = []
    for path in (ROOT / "index").rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            offenders += [f"{path.name}: {n}" for n in names
                          if n.split(".")[0] in ("textual", "tui", "rich")]
    assert offenders == []


def test_whoosh_stays_behind_the_store_and_search_modules() -> None:
    allowed = {"store.py", "search.py", "library.py"}
    users = sorted(p.name for p in (ROOT / "index").rglob("*.py")
                   if "whoosh" in p.read_text(encoding="utf-8") and p.name not in allowed)
    assert users == []
    for path in (ROOT / "tui").rglob("*.py"):
        assert "import whoosh" not in path.read_text(encoding="utf-8")
        assert "from whoosh" not in path.read_text(encoding="utf-8")
