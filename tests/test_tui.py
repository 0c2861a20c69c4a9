"""The app, driven by Textual's Pilot on the real seeds in temporary folders."""

from __future__ import annotations

import asyncio
import json
import threading
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import pytest
from textual.message import Message
from textual.pilot import Pilot
from textual.widgets import Input, OptionList

from index.search import SearchResult
from tests.conftest import SEEDS
from tui.app import XrefApp, make_app
from tui.app.messages import QueryChanged
from tui.app.screens.dialogs import HelpScreen
from tui.app.screens.main import MainScreen
from tui.app.widgets.reader import MOUNT_STEP, PassageBlock

SIZES = [(200, 60), (80, 24)]


def app_for(tmp_path: Path, corpus: Path = SEEDS) -> XrefApp:
    return make_app(corpus, tmp_path / "ix", tmp_path / "bookmarks.yaml", tmp_path / "state")


async def settle(app: XrefApp, pilot: Pilot) -> None:
    """Wait for every worker (indexing, searching, mounting), then for the screen."""
    for _ in range(3):
        await pilot.pause()
        await app.workers.wait_for_complete()
    await pilot.pause()


M = TypeVar("M", bound=Message)


def sent(posted: list[Message], kind: type[M]) -> list[M]:
    """The messages of ``kind`` among those a ``message_hook`` saw, each once: the hook sees a
    bubbling message again at every node it reaches."""
    return list({id(m): m for m in posted if isinstance(m, kind)}.values())


def ids_of(lst: OptionList) -> list[str]:
    return [o.id for o in (lst.get_option_at_index(i) for i in range(lst.option_count)) if o.id]


async def type_query(app: XrefApp, pilot: Pilot, text: str) -> None:
    box = app.screen.query_one("#query", Input)
    if not box.has_focus:
        await pilot.press("slash")
    box.value = ""
    if len(text) > 40:
        box.value = text  # as if pasted
    else:
        await pilot.press(*text)
    await searched(app, pilot, text)


async def until(pilot: Pilot, condition: Callable[[], bool], what: str) -> None:
    """Let the app run until ``condition`` holds (a timer has fired, a worker has posted)."""
    for _ in range(1000):
        if condition():
            return
        await pilot.pause(0.01)
    pytest.fail(f"the app never reached: {what}")


async def searched(app: XrefApp, pilot: Pilot, text: str) -> None:
    """Wait until the search pane has taken ``text`` (its debounce timer fired) and every
    search it started has ended."""
    search = app.screen.search
    await until(pilot, lambda: search.query_text == text, f"a search for {text!r}")
    await settle(app, pilot)


@pytest.mark.parametrize("size", SIZES)
async def test_the_hasanov_flow(tmp_path: Path, size: tuple[int, int]) -> None:
    app = app_for(tmp_path)
    async with app.run_test(size=size) as pilot:
        await settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, MainScreen) and screen.ready
        await type_query(app, pilot, "Hasanov")
        results = ids_of(screen.search.results)
        assert sorted(r[:3] for r in results) == ["000", "001", "004"]
        assert screen.search.results.region.width > 0  # visible, also at 80x24
        await pilot.press("enter", "enter")  # into the results, open the first
        await settle(app, pilot)
        first = screen.reader.article
        assert first is not None and first.id == results[0].split("\t")[0]
        assert screen.reader.region.width > 0
        start_passage = screen.reader.cursor
        assert screen.reader.hits  # the search terms are highlighted in the reader
        # The sidebar lists Zakir Hasanov under persons.
        await pilot.press("e")
        await settle(app, pilot)
        entities = screen.xref.entity_list
        assert screen.xref.region.width > 0
        persons_end = next(i for i in range(1, entities.option_count)
                           if entities.get_option_at_index(i).disabled)
        persons = [entities.get_option_at_index(i).id for i in range(1, persons_end)]
        assert "zakir-hasanov" in persons
        entities.highlighted = persons.index("zakir-hasanov") + 1
        await pilot.press("enter")
        await settle(app, pilot)
        lines = screen.xref.line_list
        others = {line.article_id for line in screen.xref._lines}
        assert others == {"000_10688c53cc6a5332", "001_217ba6ce37b2a28a", "004_8c0c6ff0117b03a7"} \
            - {first.id}
        assert all("Hasanov" in line.text[line.start - line.offset : line.end - line.offset]
                   for line in screen.xref._lines)
        # Enter on a context line opens that article at that passage, the mention marked.
        assert lines.highlighted is not None
        target = screen.xref._lines[int(lines.get_option_at_index(lines.highlighted).id)]
        await pilot.press("enter")
        await settle(app, pilot)
        assert screen.reader.article.id == target.article_id
        assert screen.reader.cursor == target.passage
        assert screen.reader.mark == (target.start, target.end)
        assert screen.reader.article.text[target.start : target.end] in ("Hasanov",
                                                                         "Zakir Hasanov")
        # Back returns to the first article where it was.
        await pilot.press("backspace")
        await settle(app, pilot)
        assert screen.reader.article.id == first.id
        assert screen.reader.cursor == start_passage
        await pilot.press("L")  # and forward again
        await settle(app, pilot)
        assert screen.reader.article.id == target.article_id


async def test_empty_query_lists_every_article_sortable(tmp_path: Path) -> None:
    app = app_for(tmp_path)
    async with app.run_test(size=(200, 60)) as pilot:
        await settle(app, pilot)
        search = app.screen.search
        by_title = ids_of(search.results)
        assert len(by_title) == 5
        titles = [app.screen.library.article(i.split("\t")[0]).title.lower() for i in by_title]
        assert titles == sorted(titles)
        search.results.focus()
        await pilot.press("o")  # the seeds have no dates: nothing to sort by but the title
        await settle(app, pilot)
        status = str(search.query_one("#search-status").render())
        assert status == "5 articles" and search.sort_by == "title"
        assert "toggle_sort" not in {b.binding.action for b in app.screen.active_bindings.values()}


async def test_articles_with_dates_sort_by_date(tmp_path: Path, wikinews: Path) -> None:
    app = app_for(tmp_path, wikinews)
    async with app.run_test(size=(200, 60)) as pilot:
        await settle(app, pilot)
        search = app.screen.search
        search.results.focus()
        assert "by title (o: by date)" in str(search.query_one("#search-status").render())
        await pilot.press("o")
        await settle(app, pilot)
        assert "by date" in str(search.query_one("#search-status").render())
        library = app.screen.library
        dates = [library.article(i.split("\t")[0]).date or "" for i in ids_of(search.results)]
        assert dates == sorted(dates, reverse=True) and dates[0]


async def test_bad_query_and_no_hits_are_explained(tmp_path: Path) -> None:
    app = app_for(tmp_path)
    async with app.run_test(size=(200, 60)) as pilot:
        await settle(app, pilot)
        await type_query(app, pilot, "x" * 1200)
        status = app.screen.query_one("#search-status")
        assert "too long" in str(status.render())
        assert status.has_class("-error")
        await type_query(app, pilot, "Hasanvo")
        assert "did you mean: Hasanov" in str(status.render())
        assert app.screen.search.results.option_count == 0


async def test_stale_results_are_dropped(tmp_path: Path,
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    """A search still running when the query changes is not shown: the search for "Art" is
    held until "sakh" has been typed, then its result arrives late and must be dropped."""
    posted: list[Message] = []

    def shown() -> list[str]:
        return [m.query for m in sent(posted, QueryChanged)]

    app = app_for(tmp_path)
    async with app.run_test(size=(200, 60), message_hook=posted.append) as pilot:
        await settle(app, pilot)
        library = app.services.library
        real_search = library.search
        entered, release = threading.Event(), threading.Event()

        def held(text: str, limit: int = 10) -> SearchResult:
            if text == "Art":
                entered.set()
                release.wait(30)
            return real_search(text, limit=limit)

        monkeypatch.setattr(library, "search", held)
        await pilot.press("slash", *"Art")  # the box has no focus at start
        assert await asyncio.to_thread(entered.wait, 30), "the search for 'Art' never ran"
        await pilot.press(*"sakh")
        before = len(shown())
        release.set()
        await until(pilot, lambda: len(shown()) > before, "a result shown after the release")
        assert shown()[before:] == ["Artsakh"]
        await settle(app, pilot)
        assert [i[:3] for i in ids_of(app.screen.search.results)] == ["003"]
        assert app.screen.search.last is not None
        assert app.screen.search.last.query == "Artsakh"


async def test_reader_keys_mentions_and_hits(tmp_path: Path) -> None:
    app = app_for(tmp_path)
    async with app.run_test(size=(200, 60)) as pilot:
        await settle(app, pilot)
        screen = app.screen
        await type_query(app, pilot, "Aliyev")
        screen.open_article("004_8c0c6ff0117b03a7", 0)
        screen.reader.focus()
        await settle(app, pilot)
        reader = screen.reader
        await pilot.press("j", "j")
        assert reader.cursor == 2
        await pilot.press("k")
        assert reader.cursor == 1
        await pilot.press("G")
        await settle(app, pilot)
        assert reader.cursor == len(reader.article.passages) - 1
        await pilot.press("g")
        assert reader.cursor == 0
        await pilot.press("tab")
        m = reader.current_mention
        assert m is not None and m.start >= reader.article.passages[0].start
        await pilot.press("tab")
        assert reader.current_mention is not None and reader.current_mention.start > m.start
        await pilot.press("enter")
        await settle(app, pilot)
        assert screen.entity_id == reader.current_mention.entity
        reader.focus()
        await pilot.press("g", "n")
        hit_passages = {reader.article.passage_at(s) for s, _ in reader.hits}
        assert reader.cursor in hit_passages and reader.cursor > 0
        await pilot.press("c")
        assert app.clipboard == reader.article.passage_text(reader.cursor)


async def test_related_passages(tmp_path: Path) -> None:
    app = app_for(tmp_path)
    async with app.run_test(size=(200, 60)) as pilot:
        await settle(app, pilot)
        screen = app.screen
        screen.open_article("001_217ba6ce37b2a28a", 3)  # "Defence Minister Zakir Hasanov has said"
        screen.reader.focus()
        await settle(app, pilot)
        await pilot.press("r")
        await settle(app, pilot)
        lines = screen.xref._lines
        assert lines and all(line.article_id != "001_217ba6ce37b2a28a" for line in lines)
        assert any("Zakir Hasanov" in line.title for line in lines)
        await pilot.press("enter")
        await settle(app, pilot)
        assert screen.reader.article.id == lines[0].article_id


async def test_article_text_is_never_markup_and_escapes_are_stripped(tmp_path: Path) -> None:
    corpus = tmp_path / "c"
    corpus.mkdir()
    (corpus / "evil.txt").write_text(
        "Title [bold]not bold[/]\n\nA [red]tag[/red] and [/] and \x1b[31mred\x1b[0m "
        "and \x1b]0;pwned\x07 and \x07bell and Baku.\n", encoding="utf-8")
    app = app_for(tmp_path, corpus)
    async with app.run_test(size=(200, 60)) as pilot:
        await settle(app, pilot)
        app.screen.open_article("evil", 1)
        await settle(app, pilot)
        blocks = list(app.screen.reader.query(PassageBlock))
        shown = "".join(str(b.render()) for b in blocks)
        assert "[red]tag[/red] and [/] and red and  and bell and Baku." in shown
        assert "\x1b" not in shown and "\x07" not in shown and "pwned" not in shown
        head = str(app.screen.reader.query_one("#reader-head").render())
        assert "Title [bold]not bold[/]" in head


async def test_five_megabyte_paragraph_opens_without_freezing(tmp_path: Path) -> None:
    corpus = tmp_path / "c"
    corpus.mkdir()
    sentence = "Hasanov met Aliyev in Baku to talk about the Second Karabakh War. "
    (corpus / "huge.txt").write_text("Huge\n\n" + sentence * (5_000_000 // len(sentence)) + "\n")
    app = app_for(tmp_path, corpus)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        app.screen.open_article("huge", 1)
        await settle(app, pilot)
        blocks = list(app.screen.reader.query(PassageBlock))
        assert 0 < len(blocks) <= MOUNT_STEP + 1
        await pilot.press("j")  # the app still answers keys
        assert app.screen.reader.cursor == 1


async def test_theme_choice_is_kept(tmp_path: Path) -> None:
    app = app_for(tmp_path)
    async with app.run_test() as pilot:
        await settle(app, pilot)
        assert app.theme == "textual-dark"
        app.screen.reader.focus()
        await pilot.press("t")
        assert app.theme == "textual-light"
    saved = json.loads((tmp_path / "state" / "settings.json").read_text())
    assert saved == {"theme": "textual-light"}
    again = app_for(tmp_path)
    async with again.run_test() as pilot:
        assert again.theme == "textual-light"


async def test_help_is_generated_from_the_bindings(tmp_path: Path) -> None:
    app = app_for(tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        app.screen.reader.focus()
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        text = str(app.screen.query_one("#help-text").render())
        for words in ("Next mention", "Back", "Passages elsewhere related", "Sort", "Copy",
                      "Bookmark", "Select"):
            assert words in text
        await pilot.press("escape")
        assert isinstance(app.screen, MainScreen)


async def test_command_palette_offers_the_commands(tmp_path: Path) -> None:
    app = app_for(tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        titles = [c.title for c in app.get_system_commands(app.screen)]
        for wanted in ("Open article…", "Go to entity…", "Related passages", "Toggle theme",
                       "Re-index"):
            assert wanted in titles
        app.screen.action_goto_entity()
        await pilot.pause()
        await pilot.press(*"pashinyan", "enter")
        await settle(app, pilot)
        assert app.screen.entity_id == "nikol-pashinyan"


async def test_escape_backs_out_one_step(tmp_path: Path) -> None:
    app = app_for(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        screen = app.screen
        assert screen.has_class("-narrow")
        await pilot.press("slash")
        assert screen.has_class("-show-search")
        await pilot.press("escape")
        assert not screen.has_class("-show-search")
        assert screen.reader.content_focused()  # nothing open: the reader's landing list


async def test_mouse_click_opens_a_result(tmp_path: Path) -> None:
    app = app_for(tmp_path)
    async with app.run_test(size=(200, 60)) as pilot:
        await settle(app, pilot)
        await pilot.click("#results", offset=(3, 1))
        await pilot.pause()
        await pilot.click("#results", offset=(3, 1))
        await settle(app, pilot)
        assert app.screen.reader.article is not None


async def test_indexing_errors_are_shown_not_raised(tmp_path: Path) -> None:
    corpus = tmp_path / "gone"
    corpus.mkdir()
    app = app_for(tmp_path, corpus)
    corpus.rmdir()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        status = str(app.screen.query_one("#status").render())
        assert status.startswith("Indexing failed: corpus folder not found")


async def test_an_error_in_a_handler_fails_at_once(tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    """Textual's own exception handling: a handler that raises stops the app with status 1 and
    ``run_test`` re-raises the error, so a bug fails its test instead of hiding in a toast."""

    def broken(self: MainScreen) -> None:
        raise RuntimeError("a bug in a handler")

    monkeypatch.setattr(MainScreen, "action_help", broken)
    app = app_for(tmp_path)
    with pytest.raises(RuntimeError, match="a bug in a handler"):
        async with app.run_test(size=(120, 40)) as pilot:
            await settle(app, pilot)
            app.screen.reader.focus()
            await pilot.press("question_mark")
            await settle(app, pilot)
    assert app.return_code == 1
