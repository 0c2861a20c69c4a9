"""Issue 11 item 12: text meets WCAG AA contrast (4.5:1) in the dark and the light theme —
measured on the colours the app really uses: the sidebar's article headings as the running
theme styles them, mentions of each type on the reader's and the sidebar's background, and
the focused mention."""

from __future__ import annotations

from pathlib import Path

import pytest
from rich.color import Color as RichColor
from textual.color import Color

from tests.test_promises_tui import main, opened
from tests.test_tui import app_for, settle
from tui.app import render

AA = 4.5


def luminance(c: Color) -> float:
    """WCAG relative luminance of an sRGB colour."""

    def channel(v: int) -> float:
        x = v / 255
        return x / 12.92 if x <= 0.04045 else ((x + 0.055) / 1.055) ** 2.4

    return 0.2126 * channel(c.r) + 0.7152 * channel(c.g) + 0.0722 * channel(c.b)


def contrast(a: Color, b: Color) -> float:
    hi, lo = sorted((luminance(a), luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def rgb(c: RichColor | None) -> Color:
    assert c is not None and c.triplet is not None, c
    return Color(*c.triplet)


def test_contrast_formula() -> None:
    assert contrast(Color(0, 0, 0), Color(255, 255, 255)) == pytest.approx(21)
    assert contrast(Color(119, 119, 119), Color(255, 255, 255)) == pytest.approx(4.48, abs=0.01)


@pytest.mark.parametrize("theme", ["textual-dark", "textual-light"])
async def test_text_meets_wcag_aa(tmp_path: Path, theme: str) -> None:
    app = app_for(tmp_path)
    async with app.run_test(size=(200, 60)) as pilot:
        await settle(app, pilot)
        app.theme = theme
        await pilot.pause()
        screen = await opened(app, pilot, "004_8c0c6ff0117b03a7")
        screen.show_entity("zakir-hasanov", focus=False)
        await settle(app, pilot)
        lines = screen.xref.line_list
        _, sidebar_bg = lines.background_colors
        _, reader_bg = main(app).reader.background_colors
        heading = lines.get_component_rich_style("option-list--option-disabled")
        assert contrast(rgb(heading.color), sidebar_bg) >= AA, heading
        for type_, style in render.TYPE_STYLES.items():
            for bg in (reader_bg, sidebar_bg):
                assert contrast(rgb(style.color), bg) >= AA, (theme, type_, bg)
        current = render.CURRENT_MENTION
        assert contrast(rgb(current.color), rgb(current.bgcolor)) >= AA
        assert contrast(rgb(render.MARK.color), rgb(render.MARK.bgcolor)) >= AA
        assert contrast(rgb(render.SELECTED.color), rgb(render.SELECTED.bgcolor)) >= AA
        # The reader really paints the focused mention with those colours.
        screen.reader.focus()
        await pilot.press("tab")
        await pilot.pause()
        m = screen.reader.current_mention
        assert m is not None
        block = next(v for v in screen.reader._views[m.passage])
        painted = str(block.render().spans)  # type: ignore[union-attr]
        assert "background=Color(29, 78, 216), foreground=Color(255, 255, 255)" in painted
        theirs = [rgb(style.color) for style in render.TYPE_STYLES.values()]
        assert any(f"foreground=Color({c.r}, {c.g}, {c.b})" in painted for c in theirs)
