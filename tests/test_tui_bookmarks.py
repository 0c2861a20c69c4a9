"""Bookmarks in the app, driven by the Pilot: select, save with note and tags, list, filter,
open at the excerpt, edit, delete and undo, states after the article changed, read-only."""

from __future__ import annotations

from pathlib import Path

import yaml
from textual.widgets import Input, OptionList

from tests.conftest import SEEDS
from tests.test_tui import app_for, settle
from tui.app import XrefApp
from tui.app.screens.bookmarks import BookmarkDialog, BookmarksScreen
from tui.app.screens.main import MainScreen
from tui.bookmarks.store import BookmarkStore

ARTICLE = "004_8c0c6ff0117b03a7"


async def open_at(app: XrefApp, pilot, article: str, passage: int) -> MainScreen:  # type: ignore[no-untyped-def]
    screen = app.screen
    assert isinstance(screen, MainScreen)
    screen.open_article(article, passage)
    screen.reader.focus()
    await settle(app, pilot)
    return screen


def entries(tmp_path: Path) -> list[dict]:
    return yaml.safe_load((tmp_path / "bookmarks.yaml").read_text(encoding="utf-8"))["bookmarks"]


async def test_b_saves_the_current_sentence_with_note_and_tags(tmp_path: Path) -> None:
    app = app_for(tmp_path)
    async with app.run_test(size=(160, 50)) as pilot:
        await settle(app, pilot)
        screen = await open_at(app, pilot, ARTICLE, 10)
        await pilot.press("b")
        await settle(app, pilot)
        assert isinstance(app.screen, BookmarkDialog)
        await pilot.press(*"humane", "enter", *"restraint war", "enter")
        await settle(app, pilot)
        assert app.screen is screen
        [e] = entries(tmp_path)
        article = screen.reader.article
        assert article is not None
        p = article.passages[10]
        # The default excerpt is the passage's first sentence: inside it, ending at a stop.
        assert p.start == e["start"] < e["end"] <= p.end
        assert article.text[e["start"] : e["end"]] == e["quote"]
        assert e["quote"].rstrip("”\"'").endswith((".", "!", "?")) or e["end"] == p.end
        assert e["note"] == "humane" and e["tags"] == ["restraint", "war"]
        assert e["passage"] == 10 and e["path"] == f"{ARTICLE}.txt"


async def test_keyboard_selection_grows_by_sentence_and_word(tmp_path: Path) -> None:
    app = app_for(tmp_path)
    async with app.run_test(size=(160, 50)) as pilot:
        await settle(app, pilot)
        screen = await open_at(app, pilot, ARTICLE, 10)
        reader = screen.reader
        await pilot.press("v")
        first = reader.selection
        assert first is not None
        await pilot.press("v")  # the next sentence joins
        two = reader.selection
        assert two is not None and two[0] == first[0] and two[1] > first[1]
        await pilot.press("greater_than_sign")
        three = reader.selection
        assert three is not None and three[1] > two[1]
        assert reader.article.text[two[1] : three[1]].strip().count(" ") == 0  # one word
        await pilot.press("less_than_sign")
        assert reader.selection is not None and reader.selection[1] <= three[1]
        await pilot.press("V")
        p = reader.article.passages[10]
        assert reader.selection == (p.start, p.end)
        await pilot.press("b")
        await settle(app, pilot)
        await pilot.press("enter", "enter")
        await settle(app, pilot)
        [e] = entries(tmp_path)
        assert (e["start"], e["end"]) == (p.start, p.end)
        assert reader.selection is None  # saved: selection cleared
        await pilot.press("v", "escape")  # Escape clears a selection before backing out
        assert reader.selection is None and reader.article.id == ARTICLE


async def test_escape_in_the_dialog_saves_nothing(tmp_path: Path) -> None:
    app = app_for(tmp_path)
    async with app.run_test(size=(160, 50)) as pilot:
        await settle(app, pilot)
        await open_at(app, pilot, ARTICLE, 3)
        await pilot.press("b")
        await settle(app, pilot)
        await pilot.press(*"draft", "escape")
        await settle(app, pilot)
        assert not (tmp_path / "bookmarks.yaml").exists()


async def _saved(tmp_path: Path, quote: str, article: str = ARTICLE, **extra: object) -> None:
    text = (SEEDS / f"{article}.txt").read_text(encoding="utf-8-sig")
    from index.corpus import parse_article
    from tui.bookmarks.model import make_entry

    a = parse_article(f"{article}.txt", text)
    s = text.index(quote)
    entry = make_entry(article, a.title, a.path, a.passage_at(s), text, s, s + len(quote),
                       **extra)  # type: ignore[arg-type]
    BookmarkStore(tmp_path / "bookmarks.yaml").add(entry)


async def test_bookmarks_screen_lists_filters_opens_edits_deletes_undoes(tmp_path: Path) -> None:
    await _saved(tmp_path, "President Aliyev showed humanity", note="humane", tags=["restraint"])
    await _saved(tmp_path, "Minsk Group", article="001_217ba6ce37b2a28a", tags=["diplomacy"])
    app = app_for(tmp_path)
    async with app.run_test(size=(160, 50)) as pilot:
        await settle(app, pilot)
        main = app.screen
        await pilot.press("escape")  # out of the search box, where B would be typed
        await pilot.press("B")
        await settle(app, pilot)
        bm = app.screen
        assert isinstance(bm, BookmarksScreen)
        lst = bm.query_one("#bookmarks-list", OptionList)
        assert lst.option_count == 2
        assert [x.state for x in bm.located] == ["exact", "exact"]
        # Filter by tag, then by a word.
        await pilot.press("slash", *"#diplomacy")
        await settle(app, pilot)
        assert [x.bookmark.tags for x in bm.shown] == [["diplomacy"]]
        bm.query_one("#bookmarks-filter", Input).value = "humanity"
        await settle(app, pilot)
        assert [x.bookmark.note for x in bm.shown] == ["humane"]
        # Edit its note and tags.
        lst.focus()
        await pilot.press("e")
        await settle(app, pilot)
        note = app.screen.query_one("#bookmark-note", Input)
        note.value = "humane, said the minister"
        await pilot.press("enter", "end", *" mercy", "enter")
        await settle(app, pilot)
        e = next(x for x in entries(tmp_path) if x.get("note", "").startswith("humane"))
        assert e["note"] == "humane, said the minister" and e["tags"] == ["restraint", "mercy"]
        # Enter opens the article at the excerpt, highlighted.
        assert app.screen is bm
        await pilot.press("enter")
        await settle(app, pilot)
        assert app.screen is main
        reader = main.reader
        assert reader.article.id == ARTICLE
        assert reader.mark is not None
        assert reader.article.text[reader.mark[0] : reader.mark[1]] == \
            "President Aliyev showed humanity"
        assert reader.cursor == reader.article.passage_at(reader.mark[0])
        # Delete, then undo.
        await pilot.press("B")
        await settle(app, pilot)
        bm = app.screen
        assert isinstance(bm, BookmarksScreen)
        await pilot.press("d")
        await settle(app, pilot)
        assert len(entries(tmp_path)) == 1
        await pilot.press("u")
        await settle(app, pilot)
        assert len(entries(tmp_path)) == 2
        assert bm.query_one("#bookmarks-list", OptionList).option_count == 2


async def test_states_after_the_article_changed(tmp_path: Path) -> None:
    import shutil

    corpus = tmp_path / "corpus"
    shutil.copytree(SEEDS, corpus)
    quote = "President Aliyev showed humanity"
    await _saved(tmp_path, quote)
    await _saved(tmp_path, "Minsk Group", article="001_217ba6ce37b2a28a")
    path = corpus / f"{ARTICLE}.txt"
    path.chmod(0o644)
    path.write_text("Editor's note: updated.\n" + path.read_text(encoding="utf-8-sig"),
                    encoding="utf-8")
    other = corpus / "001_217ba6ce37b2a28a.txt"
    other.chmod(0o644)
    other.write_text(other.read_text(encoding="utf-8-sig").replace("Minsk Group", "group"),
                     encoding="utf-8")
    app = app_for(tmp_path, corpus)
    async with app.run_test(size=(160, 50)) as pilot:
        await settle(app, pilot)
        await pilot.press("escape", "B")
        await settle(app, pilot)
        bm = app.screen
        assert isinstance(bm, BookmarksScreen)
        assert [x.state for x in bm.located] == ["moved", "orphaned"]
        text = str(bm.query_one("#bookmarks-list", OptionList).get_option_at_index(1).prompt)
        assert "orphaned" in text and "Minsk Group" in text  # shown with its quote
        await pilot.press("a")  # accept the new place
        await settle(app, pilot)
        assert [x.state for x in bm.located] == ["exact", "orphaned"]
        assert len(entries(tmp_path)) == 2


async def test_a_broken_file_is_read_only_and_untouched(tmp_path: Path) -> None:
    path = tmp_path / "bookmarks.yaml"
    path.write_bytes(b"version: 1\nbookmarks:\n  - id: a\n    quote: 'unclosed\n")
    before = path.read_bytes()
    app = app_for(tmp_path)
    async with app.run_test(size=(160, 50)) as pilot:
        await settle(app, pilot)
        await open_at(app, pilot, ARTICLE, 10)
        await pilot.press("b")
        await settle(app, pilot)
        assert isinstance(app.screen, MainScreen)  # no dialog: nothing could be saved
        await pilot.press("B")
        await settle(app, pilot)
        status = str(app.screen.query_one("#bookmarks-status").render())
        assert "Read-only" in status and "line" in status
        await pilot.press("d", "a", "escape")
        await settle(app, pilot)
    assert path.read_bytes() == before
