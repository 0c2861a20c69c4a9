"""SVG snapshots of the app on the seeds: the three panes, the folded 80×24 layout, the bookmark
dialog, the landing page. A change in layout or styling shows up as a diff of the SVG.

Update after a deliberate change with ``XREF_UPDATE_SNAPSHOTS=1 pytest tests/test_snapshots.py``
and look at the new files (the README shows ``landing.svg``).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.test_tui import app_for, settle, type_query
from tui.app import XrefApp

SNAPSHOTS = Path(__file__).parent / "snapshots"


def compare(app: XrefApp, name: str, tmp_path: Path) -> None:
    svg = app.export_screenshot(title="xref")
    expected = SNAPSHOTS / f"{name}.svg"
    if os.environ.get("XREF_UPDATE_SNAPSHOTS") or not expected.exists():
        if not os.environ.get("XREF_UPDATE_SNAPSHOTS"):
            pytest.fail(f"no snapshot {expected}; create it with XREF_UPDATE_SNAPSHOTS=1")
        SNAPSHOTS.mkdir(exist_ok=True)
        expected.write_text(svg, encoding="utf-8")
        return
    if svg != expected.read_text(encoding="utf-8"):
        actual = tmp_path / f"{name}.svg"
        actual.write_text(svg, encoding="utf-8")
        pytest.fail(f"the screen differs from {expected}; this run drew {actual}")


async def _hasanov(app: XrefApp, pilot) -> None:  # type: ignore[no-untyped-def]
    await settle(app, pilot)
    await type_query(app, pilot, "Hasanov")
    await pilot.press("enter", "enter")
    await settle(app, pilot)
    app.screen.show_entity("zakir-hasanov")  # type: ignore[attr-defined]
    await settle(app, pilot)


async def test_three_panes(tmp_path: Path) -> None:
    app = app_for(tmp_path)
    async with app.run_test(size=(160, 44)) as pilot:
        await _hasanov(app, pilot)
        compare(app, "three_panes", tmp_path)


async def test_folded_at_80x24(tmp_path: Path) -> None:
    app = app_for(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await _hasanov(app, pilot)
        compare(app, "folded_80x24", tmp_path)


async def test_landing(tmp_path: Path) -> None:
    """The README's screenshot: the corpus at a glance, and Enter on its most cited person."""
    app = app_for(tmp_path)
    async with app.run_test(size=(160, 44)) as pilot:
        await settle(app, pilot)
        await pilot.press("enter")
        await settle(app, pilot)
        compare(app, "landing", tmp_path)


async def test_bookmark_dialog(tmp_path: Path) -> None:
    app = app_for(tmp_path)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
        app.screen.open_article("004_8c0c6ff0117b03a7", 10)  # type: ignore[attr-defined]
        app.screen.reader.focus()  # type: ignore[attr-defined]
        await settle(app, pilot)
        await pilot.press("v", "b")
        await settle(app, pilot)
        await pilot.press(*"humane")
        await settle(app, pilot)
        compare(app, "bookmark_dialog", tmp_path)
