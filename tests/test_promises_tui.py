"""README promises of the app that had no test: keys ``x s H N``, PgUp/PgDn/Space, Shift+Tab,
mouse clicks on passages and mentions, the palette's "Open article…" and "Re-index", and the
sidebar's "more articles". Driven by the Pilot; posted messages recorded with a message hook.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from textual.message import Message
from textual.pilot import Pilot

from tests.conftest import SEEDS
from tests.test_tui import app_for, ids_of, searched, sent, settle, type_query, until
from tui.app import XrefApp
from tui.app.messages import ArticleChosen, MoreLinesWanted, PassageMoved
from tui.app.screens.dialogs import Picker
from tui.app.screens.main import PAGE, MainScreen
from tui.app.widgets.reader import PassageBlock

LONG = "002_3984d9d2ab9b0048"  # the longest seed: several screens at 200x60


def main(app: XrefApp) -> MainScreen:
    assert isinstance(app.screen, MainScreen)
    return app.screen


async def opened(app: XrefApp, pilot: Pilot, article: str, passage: int = 0) -> MainScreen:
    screen = main(app)
    screen.open_article(article, passage)
    screen.reader.focus()
    await settle(app, pilot)
    return screen


async def test_x_and_s_fold_the_side_panes(tmp_path: Path) -> None:
    app = app_for(tmp_path)
    async with app.run_test(size=(200, 60)) as pilot:
        await settle(app, pilot)
        screen = await opened(app, pilot, LONG)
        assert screen.xref.region.width > 0 and screen.search.region.width > 0
        await pilot.press("x")
        await pilot.pause()
        assert screen.xref.region.width == 0 and screen.search.region.width > 0
        await pilot.press("s")
        await pilot.pause()
        assert screen.search.region.width == 0
        assert screen.reader.region.width == app.size.width  # the reader takes the room
        await pilot.press("x", "s")
        await pilot.pause()
        assert screen.xref.region.width > 0 and screen.search.region.width > 0


async def test_x_and_s_show_a_folded_pane_over_the_reader_when_narrow(tmp_path: Path) -> None:
    app = app_for(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        screen = await opened(app, pilot, LONG)
        assert screen.xref.region.width == 0 and screen.search.region.width == 0
        await pilot.press("x")
        await pilot.pause()
        assert screen.xref.region.width > 0 and screen.reader.region.width == 0
        assert app.focused is screen.xref.entity_list
        await pilot.press("s")  # the results replace the sidebar
        await pilot.pause()
        assert screen.search.region.width > 0 and screen.xref.region.width == 0
        assert app.focused is screen.search.results
        await pilot.press("s")  # and fold away again, back to the reader
        await pilot.pause()
        assert screen.reader.region.width > 0 and app.focused is screen.reader


async def test_H_goes_back_like_backspace(tmp_path: Path) -> None:
    app = app_for(tmp_path)
    async with app.run_test(size=(200, 60)) as pilot:
        await settle(app, pilot)
        screen = await opened(app, pilot, LONG, 3)
        await opened(app, pilot, "000_10688c53cc6a5332", 1)
        await pilot.press("H")
        await settle(app, pilot)
        assert screen.reader.article is not None and screen.reader.article.id == LONG
        assert screen.reader.cursor == 3
        await pilot.press("L")
        await settle(app, pilot)
        assert screen.reader.article.id == "000_10688c53cc6a5332"


async def test_N_goes_to_the_previous_hit(tmp_path: Path) -> None:
    app = app_for(tmp_path)
    async with app.run_test(size=(200, 60)) as pilot:
        await settle(app, pilot)
        await type_query(app, pilot, "Aliyev")
        screen = await opened(app, pilot, LONG)
        reader = screen.reader
        assert reader.article is not None
        hit_passages = sorted({reader.article.passage_at(s) for s, _ in reader.hits})
        assert len(hit_passages) > 2
        await pilot.press("G")
        await settle(app, pilot)
        last = reader.cursor
        await pilot.press("N")
        first = reader.cursor
        assert first == max(p for p in hit_passages if p < last)
        await pilot.press("N")
        assert reader.cursor == max(p for p in hit_passages if p < first)
        before = reader.cursor
        await pilot.press("n")
        assert reader.cursor == min(p for p in hit_passages if p > before)


async def test_page_keys_move_the_current_passage_with_the_view(tmp_path: Path) -> None:
    app = app_for(tmp_path)
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(app, pilot)
        screen = await opened(app, pilot, LONG)
        reader = screen.reader
        assert reader.max_scroll_y > reader.size.height  # more than two screens of text

        def on_screen(passage: int) -> bool:
            block = next(b for b in reader.query(PassageBlock) if b.block.passage == passage)
            return reader.scroll_y <= block.virtual_region.y < reader.scroll_y + \
                reader.size.height

        for key in ("pagedown", "space"):
            before = reader.cursor
            await pilot.press(key)
            await settle(app, pilot)
            assert reader.cursor > before and on_screen(reader.cursor), key
        down = reader.cursor
        await pilot.press("pageup")
        await settle(app, pilot)
        assert reader.cursor < down and on_screen(reader.cursor)


async def test_shift_tab_goes_to_the_previous_mention(tmp_path: Path) -> None:
    app = app_for(tmp_path)
    async with app.run_test(size=(200, 60)) as pilot:
        await settle(app, pilot)
        screen = await opened(app, pilot, LONG, 5)
        reader = screen.reader
        assert reader.article is not None
        start = reader.article.passages[5].start
        await pilot.press("shift+tab")  # from the passage: the last mention before it
        m = reader.current_mention
        assert m is not None
        assert m == max((x for x in reader.mentions if x.start < start), key=lambda x: x.start)
        await pilot.press("tab", "tab", "shift+tab")
        after = reader.current_mention
        assert after is not None and after.start > m.start
        assert after == min((x for x in reader.mentions if x.start > m.start),
                            key=lambda x: x.start)
        assert reader.cursor == after.passage


async def test_clicking_a_passage_makes_it_current(tmp_path: Path) -> None:
    posted: list[Message] = []
    app = app_for(tmp_path)
    async with app.run_test(size=(200, 60), message_hook=posted.append) as pilot:
        await settle(app, pilot)
        screen = await opened(app, pilot, LONG)
        reader = screen.reader
        visible = [b for b in reader.query(PassageBlock)
                   if b.region.height and b.block.passage > 0]
        target = visible[2]
        assert await pilot.click(target, offset=(2, 0))
        await settle(app, pilot)
        assert reader.cursor == target.block.passage
        moved = sent(posted, PassageMoved)
        assert moved and (moved[-1].article_id, moved[-1].passage) == (LONG,
                                                                       target.block.passage)


async def test_clicking_a_mention_shows_its_cross_references(tmp_path: Path) -> None:
    app = app_for(tmp_path)
    async with app.run_test(size=(200, 60)) as pilot:
        await settle(app, pilot)
        screen = await opened(app, pilot, LONG)
        reader = screen.reader
        assert reader.article is not None and screen.entity_id is None
        # A mention on the first line of a visible block: its column is its offset in the
        # block's text, after the passage number ("  3 ").
        label = 4
        width = reader.scrollable_content_region.width - label
        block, m = next((b, m) for b in reader.query(PassageBlock) if b.region.height
                        for m in reader.mentions
                        if b.block.start <= m.start and m.end - b.block.start < width // 2
                        and "\n" not in reader.article.text[b.block.start : m.end])
        x = label + (m.start - block.block.start) + 1
        assert await pilot.click(block, offset=(x, 0))
        await settle(app, pilot)
        assert screen.entity_id == m.entity
        others = {line.article_id for line in screen.xref._lines}
        assert others == set(screen.library.entity_articles(m.entity)) - {LONG}


async def test_palette_open_article(tmp_path: Path) -> None:
    app = app_for(tmp_path)
    async with app.run_test(size=(160, 50)) as pilot:
        await settle(app, pilot)
        screen = main(app)
        wanted = screen.library.article("003_3008ca76504e7be7")
        assert wanted is not None
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"Open article", "enter")
        await until(pilot, lambda: isinstance(app.screen, Picker), "the article picker")
        await pilot.press(*wanted.title[:30], "enter")
        await settle(app, pilot)
        assert app.screen is screen
        assert screen.reader.article is not None and screen.reader.article.id == wanted.id


async def test_palette_reindex_reads_a_new_file(tmp_path: Path) -> None:
    corpus = tmp_path / "c"
    shutil.copytree(SEEDS, corpus)
    app = app_for(tmp_path, corpus)
    async with app.run_test(size=(160, 50)) as pilot:
        await settle(app, pilot)
        screen = main(app)
        (corpus / "new.txt").write_text("A new article\n\nXylophonist met Hasanov.\n",
                                        encoding="utf-8")
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"Re-index", "enter")
        await until(pilot, lambda: not screen.ready or "1 article indexed" in
                    str(screen.query_one("#status").render()), "the index worker")
        await settle(app, pilot)
        assert "1 article indexed" in str(screen.query_one("#status").render())
        await type_query(app, pilot, "Xylophonist")
        assert ids_of(screen.search.results) == ["new\t1"]
        await searched(app, pilot, "Xylophonist")


async def test_more_articles_in_the_sidebar(tmp_path: Path, wikinews: Path) -> None:
    posted: list[Message] = []
    app = app_for(tmp_path, wikinews)
    async with app.run_test(size=(200, 60), message_hook=posted.append) as pilot:
        await settle(app, pilot)
        screen = main(app)
        library = screen.library
        entity = library.entities()[0]  # most cited
        articles = library.entity_articles(entity.id)
        assert len(articles) > PAGE + 1, "no entity has more than a page of articles"
        screen.open_article(articles[0])
        await settle(app, pilot)
        screen.show_entity(entity.id)
        await settle(app, pilot)
        lines = screen.xref.line_list
        shown = {line.article_id for line in screen.xref._lines}
        assert len(shown) == PAGE
        last = lines.get_option_at_index(lines.option_count - 1)
        assert last.id == "more"
        assert f"{len(articles) - 1 - PAGE} more article" in str(last.prompt)
        lines.focus()
        lines.highlighted = lines.option_count - 1
        await pilot.press("enter")
        await settle(app, pilot)
        assert sent(posted, MoreLinesWanted)
        assert not sent(posted, ArticleChosen)  # the row shows more; it opens nothing
        shown = {line.article_id for line in screen.xref._lines}
        assert len(shown) == min(len(articles) - 1, 2 * PAGE)
        while lines.get_option_at_index(lines.option_count - 1).id == "more":
            lines.highlighted = lines.option_count - 1
            await pilot.press("enter")
            await settle(app, pilot)
        assert {line.article_id for line in screen.xref._lines} == set(articles) - {articles[0]}
