"""Issue 13 in the app: the reader says where the text came from (file, web address, format,
a PDF's pages, the page of the current passage), and ``O`` opens the original in the system
viewer — an opener the tests replace through ``make_app``, so nothing is launched."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Static

from bench import format_samples as fs
from tests.conftest import SEEDS, WIKINEWS
from tests.test_promises_tui import main, opened
from tests.test_tui import settle
from tui.app import XrefApp, make_app


def corpus_of_formats(root: Path) -> Path:
    items = fs.samples(WIKINEWS, 3)
    long = fs.Sample(
        "A long report",
        "2020-05-01",
        "X",
        "https://r.example/report",
        tuple(f"Paragraph {i} says something about Boeing at length. " * 6 for i in range(30)),
    )
    root.mkdir()
    (root / "report.pdf").write_bytes(fs.pdf_bytes(long))
    (root / "page.html").write_text(fs.news_page(items[1], 0), encoding="utf-8")
    (root / "feed.jsonl").write_text(fs.jsonl_text(items[2:3]), encoding="utf-8")
    return root


def app_with(tmp_path: Path, corpus: Path, opened_: list[str], answer: bool = True) -> XrefApp:
    def opener(target: str) -> bool:
        opened_.append(target)
        return answer

    return make_app(corpus, tmp_path / "ix", tmp_path / "b.yaml", tmp_path / "state", opener=opener)


def head(app: XrefApp) -> str:
    return str(main(app).reader.query_one("#reader-head", Static).render())


async def test_the_reader_shows_the_source_and_o_opens_it(tmp_path: Path) -> None:
    pytest.importorskip("pdfminer")
    corpus = corpus_of_formats(tmp_path / "c")
    calls: list[str] = []
    app = app_with(tmp_path, corpus, calls)
    async with app.run_test(size=(160, 44)) as pilot:
        await settle(app, pilot)
        screen = await opened(app, pilot, "report")
        article = screen.reader.article
        assert article is not None and len(article.pages) > 1
        text = head(app)
        assert "from report.pdf" in text and "https://r.example/report" in text
        assert f"PDF, {len(article.pages)} pages" in text
        # The status bar cites the page of the current passage, and follows it.
        last = len(article.passages) - 1
        screen.reader.focus()
        await pilot.press("G")
        await settle(app, pilot)
        page = article.page_at(article.passages[last].start)
        status = str(screen.query_one("#status", Static).render())
        assert f"¶{last} p. {page}" in status and page == len(article.pages)
        await pilot.press("O")
        await settle(app, pilot)
        assert calls == [str(corpus.resolve() / "report.pdf")]
        screen.action_open_web()
        assert calls[-1] == "https://r.example/report"
        # A record of an export: its file is what opens.
        await opened(app, pilot, next(a.id for a in screen.library.articles() if "#" in a.id))
        assert "from feed.jsonl#" in head(app) and "JSONL" in head(app)
        screen.reader.focus()
        await pilot.press("O")
        assert calls[-1] == str(corpus.resolve() / "feed.jsonl")


async def test_no_viewer_is_one_line(tmp_path: Path) -> None:
    calls: list[str] = []
    app = app_with(tmp_path, SEEDS, calls, answer=False)
    async with app.run_test(size=(160, 44)) as pilot:
        await settle(app, pilot)
        screen = await opened(app, pilot, "004_8c0c6ff0117b03a7")
        assert "from 004_8c0c6ff0117b03a7.txt" in head(app)
        screen.reader.focus()
        await pilot.press("O")
        await settle(app, pilot)
        assert len(calls) == 1
        notes = [n.message for n in app._notifications]
        assert any(n.startswith("No viewer to open ") and "\n" not in n for n in notes)
        screen.action_open_web()  # a text file records no web address
        await pilot.pause()
        assert len(calls) == 1
        assert any("no web address" in n.message for n in app._notifications)


def test_the_system_opener_needs_a_display(monkeypatch: pytest.MonkeyPatch) -> None:
    """Without a display there is no viewer (a text browser would take the terminal)."""
    import sys

    from tui import services

    monkeypatch.setattr(sys, "platform", "linux")
    monkeypatch.delenv("DISPLAY", raising=False)
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    assert services.system_open("/nonexistent") is False
