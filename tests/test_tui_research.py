"""Issue 12 in the app: the cross-reference list sorted, filtered and folded, the entity's
card, co-mention narrowing (another entity, a query), a search restricted to an entity, and
unlinked mentions — on the seeds and the Wikinews articles."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Input, OptionList, Static

from tests.test_promises_tui import main, opened
from tests.test_tui import app_for, settle, type_query
from tui.app import XrefApp
from tui.app.screens.dialogs import Prompt
from tui.app.screens.main import MainScreen

US = "united-states"
GM = "general-motors"


def listed(screen: MainScreen) -> list[str]:
    """The articles of the list, in order, each once."""
    out: list[str] = []
    for line in screen.xref._lines:
        if not out or out[-1] != line.article_id:
            out.append(line.article_id)
    return out


def subtitle(screen: MainScreen) -> str:
    return str(screen.query_one("#xref-subtitle", Static).render())


async def all_pages(app: XrefApp, screen: MainScreen, pilot) -> None:  # type: ignore[no-untyped-def]
    while screen.xrefs.listing and screen.xrefs.listing.shown < len(screen.xrefs.listing.ids):
        screen.xrefs.more()
        await settle(app, pilot)


async def entity_listed(app: XrefApp, pilot, entity: str) -> MainScreen:  # type: ignore[no-untyped-def]
    """The entity's first article open, its other articles listed and the lines focused."""
    await settle(app, pilot)
    screen = main(app)
    await opened(app, pilot, screen.library.entity_articles(entity)[0])
    screen.show_entity(entity)
    await settle(app, pilot)
    return screen


async def test_sort_by_date_title_and_mentions(tmp_path: Path, wikinews: Path) -> None:
    app = app_for(tmp_path, wikinews)
    async with app.run_test(size=(200, 60)) as pilot:
        screen = await entity_listed(app, pilot, US)
        infos = {a.id: a for a in screen.library.articles()}
        total = len(screen.library.entity_articles(US)) - 1
        assert f"{total} other articles" in subtitle(screen) and "by date" in subtitle(screen)
        await all_pages(app, screen, pilot)
        order = listed(screen)
        assert len(order) == total
        dates = [infos[a].date or "" for a in order]
        assert dates == sorted(dates, reverse=True)  # newest first
        screen.xref.focus_lines()
        await pilot.press("o")
        await settle(app, pilot)
        assert "by title" in subtitle(screen)
        titles = [infos[a].title.casefold() for a in listed(screen)]
        assert titles == sorted(titles)
        await pilot.press("o")
        await settle(app, pilot)
        assert "by mentions" in subtitle(screen)
        profile = screen.xrefs._profiles[US]
        counts = [profile.per_article[a] for a in listed(screen)]
        assert counts == sorted(counts, reverse=True) and counts[0] > 1
        # Each article's heading says its mentions; the sort is kept for the next entity.
        lst = screen.xref.line_list
        first = str(lst.get_option_at_index(0).prompt)
        assert f"{counts[0]} mentions" in first
        screen.show_entity(GM)
        await settle(app, pilot)
        assert "by mentions" in subtitle(screen)


async def test_the_card_counts_names_dates_and_co_mentions(tmp_path: Path, wikinews: Path) -> None:
    app = app_for(tmp_path, wikinews)
    async with app.run_test(size=(200, 60)) as pilot:
        screen = await entity_listed(app, pilot, US)
        card = str(screen.query_one("#card-head", Static).render())
        assert "United States (place)" in card
        assert "US ×147" in card and "U.S. ×55" in card and "America ×11" in card
        assert "87 articles · 256 mentions · 2005-01-29 – 2013-12-10" in card
        assert "256 mentions" in subtitle(screen)
        co = screen.xref.card.co_list
        names = [str(co.get_option_at_index(i).prompt) for i in range(1, co.option_count)]
        assert "General Motors" in names[0]
        # Enter on one follows it: its own list and card.
        co.focus()
        co.highlighted = 1
        await pilot.press("enter")
        await settle(app, pilot)
        assert screen.entity_id == GM
        assert "General Motors (organisation)" in str(
            screen.query_one("#card-head", Static).render()
        )


async def test_filter_words_in_title_or_context(tmp_path: Path, wikinews: Path) -> None:
    app = app_for(tmp_path, wikinews)
    async with app.run_test(size=(200, 60)) as pilot:
        screen = await entity_listed(app, pilot, US)
        before = len(screen.xrefs.listing.ids)  # type: ignore[union-attr]
        screen.xref.focus_lines()
        await pilot.press("f")
        box = screen.query_one("#xref-filter", Input)
        assert box.has_focus and box.display
        await pilot.press(*"tanker")
        await settle(app, pilot)
        kept = listed(screen)
        assert kept and len(kept) < before and "filter 'tanker'" in subtitle(screen)
        for aid in kept:
            lines = [x for x in screen.xref._lines if x.article_id == aid]
            words = (lines[0].title + " ".join(x.text for x in lines)).casefold()
            assert "tanker" in words
        # q is text in the box, not quit; Escape goes back to the lines, the filter kept.
        await pilot.press("q")
        assert app.is_running and box.value == "tankerq"
        await pilot.press("backspace", "escape")
        await settle(app, pilot)
        assert screen.xref.lines_focused() and listed(screen) == kept
        await pilot.press("W")  # widen: every narrowing and the filter dropped
        await settle(app, pilot)
        assert len(screen.xrefs.listing.ids) == before and not box.display  # type: ignore[union-attr]


async def test_fold_an_article_and_all(tmp_path: Path) -> None:
    app = app_for(tmp_path)
    async with app.run_test(size=(160, 44)) as pilot:
        screen = await entity_listed(app, pilot, "ilham-aliyev")
        lst = screen.xref.line_list

        def rows() -> list[str]:
            return [lst.get_option_at_index(i).id or "" for i in range(lst.option_count)]

        first = listed(screen)[0]
        n = sum(1 for x in screen.xref._lines if x.article_id == first)
        before = len(rows())
        assert rows()[0].startswith("a:") and lst.highlighted == 1  # on the first line
        await pilot.press("z")  # fold the article under the cursor
        assert len(rows()) == before - n and lst.highlighted == 0
        assert "▸" in str(lst.get_option_at_index(0).prompt)
        await pilot.press("enter")  # Enter on a title unfolds it
        assert len(rows()) == before
        await pilot.press("Z")
        assert all(r.startswith("a:") for r in rows())
        await pilot.press("Z")
        assert len(rows()) == before


async def test_narrow_to_a_co_mentioned_entity_and_a_query(tmp_path: Path, wikinews: Path) -> None:
    app = app_for(tmp_path, wikinews)
    async with app.run_test(size=(200, 60)) as pilot:
        screen = await entity_listed(app, pilot, GM)
        lib = screen.library
        everything = set(listed(screen))
        co = screen.xref.card.co_list
        ids = [co.get_option_at_index(i).id for i in range(co.option_count)]
        co.focus()
        co.highlighted = ids.index("chrysler")
        await pilot.press("w")
        await settle(app, pilot)
        both = set(lib.entity_articles(GM)) & set(lib.entity_articles("chrysler"))
        current = screen.reader.article.id  # type: ignore[union-attr]
        assert set(listed(screen)) == both - {current} and "with Chrysler" in subtitle(screen)
        assert set(listed(screen)) < everything
        # And a query: the articles among those that it matches.
        screen.xref.focus_lines()
        await pilot.press("m")
        await settle(app, pilot)
        assert isinstance(app.screen, Prompt)
        await pilot.press(*"bankruptcy", "enter")
        await settle(app, pilot)
        matched = {h.id for h in lib.search("bankruptcy", limit=200).results}
        assert set(listed(screen)) == (both - {current}) & matched
        assert "matching 'bankruptcy'" in subtitle(screen)
        # w again on the same name widens; W drops the rest.
        co.focus()
        await pilot.press("w")
        await settle(app, pilot)
        assert "with Chrysler" not in subtitle(screen)
        await pilot.press("W")
        await settle(app, pilot)
        assert set(listed(screen)) == everything


async def test_narrow_from_the_open_article(tmp_path: Path) -> None:
    """``w`` on one of the open article's names keeps the articles naming both."""
    app = app_for(tmp_path)
    async with app.run_test(size=(160, 44)) as pilot:
        screen = await entity_listed(app, pilot, "armenia")
        lib = screen.library
        entities = screen.xref.entity_list
        entities.focus()
        ids = [entities.get_option_at_index(i).id for i in range(entities.option_count)]
        entities.highlighted = ids.index("zakir-hasanov")
        await pilot.press("w")
        await settle(app, pilot)
        here = screen.reader.article.id  # type: ignore[union-attr]
        both = set(lib.entity_articles("armenia")) & set(lib.entity_articles("zakir-hasanov"))
        assert set(listed(screen)) == both - {here}
        assert "with Zakir Hasanov" in subtitle(screen)


async def test_search_restricted_to_an_entity(tmp_path: Path, wikinews: Path) -> None:
    app = app_for(tmp_path, wikinews)
    async with app.run_test(size=(200, 60)) as pilot:
        await settle(app, pilot)
        screen = main(app)
        await type_query(app, pilot, 'entity:"General Motors" bankruptcy')
        last = screen.search.last
        assert last is not None and last.total > 0
        gm = set(screen.library.entity_articles(GM))
        assert {h.id for h in last.results} <= gm
        assert last.total < screen.library.search("bankruptcy", limit=1).total
        await type_query(app, pilot, "entity:Nobodyatall")
        status = str(screen.query_one("#search-status", Static).render())
        assert "no entity matches 'Nobodyatall'" in status


async def test_unlinked_mentions_listed_and_linked_by_a_key(tmp_path: Path, wikinews: Path) -> None:
    """GM is written in an article where the linker left it undecided: it is listed under the
    linked articles, ``l`` writes the alias to the catalogue, and after the re-link the place
    is a linked mention and no longer listed."""
    import shutil

    corpus = tmp_path / "corpus"
    shutil.copytree(wikinews, corpus)
    app = app_for(tmp_path, corpus)
    async with app.run_test(size=(200, 60)) as pilot:
        screen = await entity_listed(app, pilot, GM)
        places = screen.xrefs.unlinked
        assert places and all(u.form in ("General Motors", "GM") for u in places)
        target = next(u for u in places if u.form == "GM")
        lst: OptionList = screen.xref.unlinked_list
        assert lst.display and lst.option_count == len(places)
        text = screen.reader.article.text if screen.reader.article else ""
        assert text is not None
        lst.focus()
        lst.highlighted = places.index(target)
        await pilot.press("l")
        await settle(app, pilot)
        catalogue = (corpus / "entities.yaml").read_text(encoding="utf-8")
        assert "- name: General Motors\n    type: organisation\n    aliases: [GM]\n" in catalogue
        linked = [m for m in screen.library.mentions(target.article_id) if m.start == target.start]
        assert linked and linked[0].entity == GM
        assert all(
            (u.article_id, u.start) != (target.article_id, target.start)
            for u in screen.xrefs.unlinked
        )
        # Enter on an unlinked place opens it there.
        if screen.xrefs.unlinked:
            u = screen.xrefs.unlinked[0]
            lst.focus()
            lst.highlighted = 0
            await pilot.press("enter")
            await settle(app, pilot)
            assert screen.reader.article.id == u.article_id  # type: ignore[union-attr]
            assert screen.reader.mark == (u.start, u.end)
