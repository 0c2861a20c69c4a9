"""Issue 11, the app as a newcomer meets it: focus at start, every result reachable, Escape
that never sticks, followed passages in view, the sidebar's list true to the article being
read, pastes that are never lost, readable help and footer, the landing page."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual import events
from textual.pilot import Pilot
from textual.widgets import Input
from textual.widgets._footer import FooterKey

from tests.test_promises_tui import main, opened
from tests.test_tui import SIZES, app_for, ids_of, settle, type_query, until
from tui.app import XrefApp
from tui.app.screens.dialogs import HelpScreen
from tui.app.screens.main import MainScreen
from tui.app.widgets.landing import Landing
from tui.app.widgets.passage_block import PassageBlock
from tui.app.widgets.search_pane import LIMIT, MORE, PLACEHOLDER, title_key

HASANOV = "zakir-hasanov"


async def most_cited_in_the_sidebar(app: XrefApp, pilot: Pilot) -> MainScreen:
    """The first article citing the most cited entity, and that entity's context lines."""
    await settle(app, pilot)
    screen = main(app)
    entity = screen.library.entities()[0]
    await opened(app, pilot, screen.library.entity_articles(entity.id)[0])
    screen.show_entity(entity.id)
    await settle(app, pilot)
    return screen


@pytest.mark.parametrize("size", SIZES)
async def test_one_letter_keys_are_keys_at_start(tmp_path: Path, size: tuple[int, int]) -> None:
    """Item 2: nothing is typed into the box at start; ``/`` focuses it, and in it ``/ ? q t``
    are text, the footer no longer offering them; Escape leaves it for the reader."""
    app = app_for(tmp_path)
    async with app.run_test(size=size) as pilot:
        await settle(app, pilot)
        screen = main(app)
        box = screen.query_one("#query", Input)
        assert not box.has_focus
        await pilot.press("slash", *"Hasanov")
        await until(pilot, lambda: screen.search.query_text == "Hasanov", "the search")
        assert box.value == "Hasanov"
        footer = {b.binding.action for b in screen.active_bindings.values() if b.binding.show}
        assert not footer & {"focus_search", "help", "quit", "toggle_theme"}
        await pilot.press("question_mark", "q", "t", "slash")
        assert box.value == "Hasanov?qt/" and app.is_running
        assert app.theme == "textual-dark"
        await pilot.press("escape")
        await pilot.pause()
        assert not box.has_focus and screen.reader.content_focused()
        footer = {b.binding.action for b in screen.active_bindings.values() if b.binding.show}
        assert {"focus_search", "help", "quit"} <= footer
        box.value = "Hasanov"
        await until(pilot, lambda: screen.search.query_text == "Hasanov", "the search")
        await settle(app, pilot)
        await pilot.press("slash", "down")  # ↓ goes on to the results
        await pilot.pause()
        assert app.focused is screen.search.results
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)


async def test_every_result_is_reachable(tmp_path: Path, wikinews: Path) -> None:
    """Item 3: the count is the whole count, and the last row loads the next page."""
    app = app_for(tmp_path, wikinews)
    async with app.run_test(size=(200, 60)) as pilot:
        await settle(app, pilot)
        screen = main(app)
        await type_query(app, pilot, "the")
        last = screen.search.last
        assert last is not None and last.total > 2 * LIMIT
        status = str(screen.search.query_one("#search-status").render())
        assert status == f"{last.total} articles"
        results = screen.search.results
        assert len(ids_of(results)) == LIMIT + 1 and ids_of(results)[-1] == MORE
        screen.search.focus_results()
        await pilot.press("end")  # reaching the last row reads on
        await settle(app, pilot)
        assert len(ids_of(results)) == 2 * LIMIT + 1
        assert results.highlighted == LIMIT  # on the first new result, not back at the top
        while ids_of(results)[-1] == MORE:
            await pilot.press("end")
            await settle(app, pilot)
        assert len(ids_of(results)) == last.total


async def test_escape_never_sticks_in_the_sidebar(tmp_path: Path) -> None:
    """Item 4: lines → entities → reader, with Escape alone."""
    app = app_for(tmp_path)
    async with app.run_test(size=(200, 60)) as pilot:
        await settle(app, pilot)
        screen = await opened(app, pilot, "004_8c0c6ff0117b03a7")
        screen.show_entity(HASANOV)
        await settle(app, pilot)
        assert app.focused is screen.xref.line_list
        await pilot.press("escape")
        assert app.focused is screen.xref.entity_list
        await pilot.press("escape")
        assert app.focused is screen.reader
        await pilot.press("e", "escape")  # straight from the entity list, too
        assert app.focused is screen.reader


@pytest.mark.parametrize("size", SIZES)
async def test_a_followed_line_is_near_the_top(tmp_path: Path, wikinews: Path,
                                               size: tuple[int, int]) -> None:
    """Item 5: the target passage lands in the upper half of the reader, also when it is
    the last one of its article."""
    app = app_for(tmp_path, wikinews)
    async with app.run_test(size=size) as pilot:
        screen = await most_cited_in_the_sidebar(app, pilot)
        lines = screen.xref._lines
        # The line deepest into its article, relative to the article's length.
        target = max(range(len(lines)), key=lambda i: lines[i].passage)
        lst = screen.xref.line_list
        lst.highlighted = next(i for i in range(lst.option_count)
                               if lst.get_option_at_index(i).id == str(target))
        await pilot.press("enter")
        await settle(app, pilot)
        reader = screen.reader
        assert reader.cursor == lines[target].passage
        block = next(b for b in reader.query(PassageBlock)
                     if b.block.passage == reader.cursor)
        row = block.virtual_region.y - reader.scroll_y
        assert 0 <= row <= reader.scrollable_content_region.height // 2, row


@pytest.mark.parametrize("size", SIZES)
async def test_other_articles_never_list_the_one_being_read(tmp_path: Path,
                                                            size: tuple[int, int]) -> None:
    """Item 6: after following a line, and after Backspace, the sidebar lists the other
    articles (the one just left among them) and the entity stays selected."""
    app = app_for(tmp_path)
    async with app.run_test(size=size) as pilot:
        await settle(app, pilot)
        screen = await opened(app, pilot, "004_8c0c6ff0117b03a7")
        screen.show_entity(HASANOV)
        await settle(app, pilot)
        all_three = set(screen.library.entity_articles(HASANOV))

        def listed() -> set[str]:
            return {line.article_id for line in screen.xref._lines}

        assert listed() == all_three - {"004_8c0c6ff0117b03a7"}
        await pilot.press("enter")  # follow the first line
        await settle(app, pilot)
        here = screen.reader.article
        assert here is not None and here.id != "004_8c0c6ff0117b03a7"
        assert listed() == all_three - {here.id}
        assert "2 other articles" in str(screen.query_one("#xref-subtitle").render())
        await pilot.press("backspace")
        await settle(app, pilot)
        assert screen.reader.article.id == "004_8c0c6ff0117b03a7"
        assert screen.entity_id == HASANOV
        assert listed() == all_three - {"004_8c0c6ff0117b03a7"}


async def test_a_paste_behind_ctrl_u_is_kept(tmp_path: Path) -> None:
    """Item 7: "iraq", ctrl+u and a paste arriving together: the box ends with the pasted
    text (ctrl+u used to bubble up to the app and run after the paste, deleting it)."""
    app = app_for(tmp_path)
    async with app.run_test(size=(200, 60)) as pilot:
        await settle(app, pilot)
        screen = main(app)
        box = screen.query_one("#query", Input)
        for _ in range(5):
            await pilot.press("slash")
            for key in ("i", "r", "a", "q"):
                app.post_message(events.Key(key, key))
            app.post_message(events.Key("ctrl+u", None))
            app.post_message(events.Paste('"Tony Blair"'))
            await until(pilot, lambda: screen.search.query_text == box.value, "the search")
            await settle(app, pilot)
            assert box.value == '"Tony Blair"'
            assert screen.search.query_text == '"Tony Blair"'
            await pilot.press("escape")
        # ``/`` then a paste at once: the paste lands in the box, not in the list.
        app.post_message(events.Key("slash", "/"))
        app.post_message(events.Paste("Hasanov"))
        await until(pilot, lambda: screen.search.query_text == "Hasanov", "the paste")
        assert box.value == "Hasanov"


async def test_help_names_keys_as_people_do(tmp_path: Path) -> None:
    """Item 9: ``/ ? >`` not "slash", each section once, panes and the bookmarks screen
    covered; Help in the palette."""
    app = app_for(tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        titles = [c.title for c in app.get_system_commands(app.screen)]
        assert "Help" in titles
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        rows = app.screen.rows
        keys = " ".join(k for _, k, _ in rows)
        for raw in ("slash", "question_mark", "greater_than_sign", "backspace", "escape"):
            assert raw not in keys
        for human in ("/", "?", ">", "Backspace", "Escape", "Ctrl+P", "Tab"):
            assert human in keys.split()
        sections = [where for where, _, _ in rows]
        runs = [w for i, w in enumerate(sections) if i == 0 or sections[i - 1] != w]
        assert len(runs) == len(set(runs))  # each section once
        assert "Moving between panes" in runs and "Bookmarks screen (B)" in runs


@pytest.mark.parametrize("focus", ["reader", "landing"])
async def test_the_footer_at_80_columns_shows_what_matters(tmp_path: Path, focus: str) -> None:
    """Item 9: at 80 columns the footer holds search, back, sidebar, related, bookmark,
    help and quit, every one inside the screen."""
    app = app_for(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        if focus == "reader":
            await opened(app, pilot, "004_8c0c6ff0117b03a7")
        await pilot.pause()
        keys = [k for k in app.screen.query(FooterKey) if k.region.width]
        shown = {k.action for k in keys if k.region.right <= 80}
        assert {"focus_search", "back", "toggle_xref", "help", "quit"} <= shown
        assert all(k.region.right <= 80 for k in keys)


async def test_the_overlay_gives_the_entities_the_room(tmp_path: Path) -> None:
    """Item 9: with no lines to show, the sidebar's entity list takes the pane."""
    app = app_for(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        screen = await opened(app, pilot, "002_3984d9d2ab9b0048")
        await pilot.press("x")
        await pilot.pause()
        pane = screen.xref.region.height
        assert screen.xref.entity_list.region.height >= pane - 5


async def test_status_titles_plurals_placeholder(tmp_path: Path, wikinews: Path) -> None:
    """Item 10: the status bar shows a long title whole where it fits; "1 hit"; the
    placeholder fits the narrowest search pane."""
    app = app_for(tmp_path, wikinews)
    async with app.run_test(size=(200, 60)) as pilot:
        await settle(app, pilot)
        screen = main(app)
        longest = max(screen.library.articles(), key=lambda a: len(a.title))
        assert len(longest.title) > 60
        await opened(app, pilot, longest.id)
        status = str(screen.query_one("#status").render())
        assert longest.title in status and status.endswith("passages")
        await type_query(app, pilot, "A380")
        texts = [str(o.prompt) for o in screen.search.results._options]
        assert not any("\n1 hits" in t or " 1 hits" in t for t in texts)
    assert len(PLACEHOLDER) <= 28 - 6  # the pane's min-width less borders and padding


async def test_context_lines_are_words_once_each(tmp_path: Path, wikinews: Path) -> None:
    """Item 10: context lines start and end on word boundaries; a passage is listed once;
    related passages show a sentence or so."""
    from tui.app.widgets.xref_pane import _context

    app = app_for(tmp_path, wikinews)
    async with app.run_test(size=(200, 60)) as pilot:
        screen = await most_cited_in_the_sidebar(app, pilot)
        lines = screen.xref._lines
        assert len({(x.article_id, x.passage) for x in lines}) == len(lines)
        for line in lines:
            shown = str(_context(line)).split(" ", 1)[1]
            body = shown.removeprefix("…").removesuffix("…")
            text = line.text.replace("\n", " ")
            at = text.find(body)
            assert at != -1, shown
            assert at == 0 or text[at - 1].isspace(), shown  # starts on a word
            end = at + len(body)
            assert end == len(text) or text[end].isspace(), shown  # ends on a word
        screen.reader.focus()
        await pilot.press("r")
        await settle(app, pilot)
        related = screen.xref._lines
        assert related
        assert all(len(str(_context(x))) >= min(80, len(x.text)) for x in related)


async def test_progress_says_what_it_does(tmp_path: Path) -> None:
    """Item 10: once every file is read, the bar says "Linking…" instead of sitting at 100%."""
    app = app_for(tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        status = main(app).status
        status.busy(True)
        status.progress(5, 5)
        assert str(status.query_one("#status").render()).startswith("Linking names across 5")
        status.progress(2, 5)
        assert str(status.query_one("#status").render()) == "Reading 2/5 articles…"


def test_titles_sort_on_their_folded_words() -> None:
    """Item 11: "$1m…", "&#163;1.8m…" and quoted titles file under their first word."""
    titles = ['"Zebra" crossing', "Apple falls", "&#163;1.8m for Brown", "$1m prize",
              "'Mango' season", "Éclair day", "banana"]
    ordered = sorted(titles, key=title_key)
    assert ordered == ["&#163;1.8m for Brown", "$1m prize", "Apple falls", "banana",
                       "Éclair day", "'Mango' season", '"Zebra" crossing']


@pytest.mark.parametrize("size", SIZES)
async def test_the_landing_shows_the_corpus_at_a_glance(tmp_path: Path,
                                                        size: tuple[int, int]) -> None:
    """The landing: counts, the most cited of each type; Enter on a name opens its
    cross-references (every article, none being read)."""
    app = app_for(tmp_path)
    async with app.run_test(size=size) as pilot:
        await settle(app, pilot)
        screen = main(app)
        landing = screen.query_one(Landing)
        assert landing.region.height > 0
        head = str(landing.query_one("#landing-head").render())
        assert "5 articles" in head and "entities" in head
        rows = landing.rows
        assert app.focused is rows
        ids = ids_of(rows)
        assert "e\tilham-aliyev" in ids and any(i.startswith("e\t") for i in ids[5:])
        text = " ".join(str(rows.get_option_at_index(i).prompt) for i in range(rows.option_count))
        assert "Most cited persons" in text and "Most cited places" in text
        rows.highlighted = ids.index(f"e\t{HASANOV}") + 1  # the headings have no id
        await pilot.press("enter")
        await settle(app, pilot)
        assert screen.entity_id == HASANOV
        assert {line.article_id for line in screen.xref._lines} == set(
            screen.library.entity_articles(HASANOV))
        assert screen.xref.region.width > 0
        await pilot.press("enter")  # and a line opens its article
        await settle(app, pilot)
        assert screen.reader.article is not None and landing.display is False


async def test_the_landing_lists_the_newest_articles(tmp_path: Path, wikinews: Path) -> None:
    app = app_for(tmp_path, wikinews)
    async with app.run_test(size=(200, 60)) as pilot:
        await settle(app, pilot)
        rows = main(app).query_one(Landing).rows
        articles = [i.split("\t")[1] for i in ids_of(rows) if i.startswith("a\t")]
        library = main(app).library
        dates = [library.article(a).date for a in articles]
        newest = max(a.date or "" for a in library.articles())
        assert articles and dates[0] == newest and dates == sorted(dates, reverse=True)
        rows.highlighted = next(i for i in range(rows.option_count)
                                if rows.get_option_at_index(i).id == f"a\t{articles[0]}")
        await pilot.press("enter")
        await settle(app, pilot)
        assert main(app).reader.article.id == articles[0]
