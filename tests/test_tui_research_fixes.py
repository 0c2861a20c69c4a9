"""Issue 12 item 4 in the app: merge, rename, change type, ignore and undo from where the
entity is seen, each written to ``entities.yaml`` as a person would write it, applied by a
re-link in a worker, and still there when the app is opened again on the same folders."""

from __future__ import annotations

import shutil
from pathlib import Path

from textual.widgets import Input

from tests.test_tui import app_for, settle
from tests.test_tui_research import entity_listed
from tui.app import XrefApp
from tui.app.screens.dialogs import Picker, Prompt
from tui.app.screens.main import MainScreen


async def pick(app: XrefApp, pilot, words: str) -> None:  # type: ignore[no-untyped-def]
    """Type into the open picker and take its first row."""
    assert isinstance(app.screen, Picker)
    await pilot.press(*words, "enter")
    await settle(app, pilot)


async def fixed(app: XrefApp, pilot, key: str, *then: str) -> MainScreen:  # type: ignore[no-untyped-def]
    await pilot.press(key)
    await settle(app, pilot)
    for words in then:
        if isinstance(app.screen, Prompt):
            app.screen.query_one(Input).value = words
            await pilot.press("enter")
            await settle(app, pilot)
        else:
            await pick(app, pilot, words)
    screen = app.screen
    assert isinstance(screen, MainScreen) and screen.ready
    return screen


async def test_merge_rename_type_ignore_undo_and_restart(tmp_path: Path, wikinews: Path) -> None:
    corpus = tmp_path / "corpus"
    shutil.copytree(wikinews, corpus)
    catalogue = corpus / "entities.yaml"
    app = app_for(tmp_path, corpus)
    async with app.run_test(size=(200, 60)) as pilot:
        screen = await entity_listed(app, pilot, "apple")
        lib = screen.library
        before = set(lib.entity_articles("apple")) | set(lib.entity_articles("apple-inc"))
        # Merge: the entity listed with one picked by name.
        screen = await fixed(app, pilot, "M", "Apple Inc")
        merged = screen.library.find_entity("Apple")[0]
        assert merged is not None and {"apple", "apple inc"} <= set(merged.keys)
        assert set(screen.library.entity_articles(merged.id)) == before
        assert screen.entity_id == merged.id  # still listed, as it now is
        # Rename, from the open article's entity list; an untyped name asks its type.
        screen.show_entity("dow-jones")
        await settle(app, pilot)
        screen = await fixed(app, pilot, "R", "Dow Jones Index", "organisation")
        renamed = screen.library.find_entity("Dow Jones")[0]
        assert renamed is not None and renamed.name == "Dow Jones Index"
        assert renamed.type == "organisation"
        # Type, from a name under the cursor in the sidebar.
        screen.show_entity("chrysler")
        await settle(app, pilot)
        screen = await fixed(app, pilot, "T", "organisation")
        assert screen.library.links.entities["chrysler"].type == "organisation"
        # Not an entity: UTC, then Chapter; undo takes Chapter back.
        for name in ("utc", "chapter"):
            screen.show_entity(name)
            await settle(app, pilot)
            screen = await fixed(app, pilot, "I")
            assert name not in screen.library.links.entities
        screen = await fixed(app, pilot, "U")
        assert "chapter" in screen.library.links.entities
        assert "utc" not in screen.library.links.entities
    written = catalogue.read_text(encoding="utf-8")
    assert written.endswith(
        "version: 1\n"
        "merges:\n"
        "  - [Apple, Apple Inc]\n"
        "entities:\n"
        "  - name: Dow Jones Index\n"
        "    type: organisation\n"
        "    aliases: [Dow Jones]\n"
        "  - name: Chrysler\n"
        "    type: organisation\n"
        "ignore: [UTC]\n"
    ), written
    # A new app on the same folders: the fixes hold.
    again = app_for(tmp_path, corpus)
    async with again.run_test(size=(200, 60)) as pilot:
        await settle(again, pilot)
        screen = again.screen
        assert isinstance(screen, MainScreen)
        links = screen.library.links.entities
        assert "utc" not in links and "chapter" in links
        assert links["chrysler"].type == "organisation"
        apple = screen.library.find_entity("Apple")[0]
        assert apple is not None and {"apple", "apple inc"} <= set(apple.keys)
        assert screen.library.find_entity("Dow Jones")[0].name == "Dow Jones Index"  # type: ignore[union-attr]


async def test_a_fix_on_a_hand_written_catalogue_keeps_its_comments(
    corpus_copy: Path, tmp_path: Path
) -> None:
    """The seeds' catalogue (comments, block lists): an ignore from a mention in the reader
    appends the name to ``ignore: []``; everything else stays byte for byte; undo restores."""
    catalogue = corpus_copy / "entities.yaml"
    original = catalogue.read_text(encoding="utf-8")
    app = app_for(tmp_path, corpus_copy)
    async with app.run_test(size=(160, 44)) as pilot:
        screen = await entity_listed(app, pilot, "armed-forces")
        screen.reader.focus()
        await settle(app, pilot)
        mentions = screen.reader.mentions
        screen.reader.mention_cursor = next(
            i for i, m in enumerate(mentions) if m.entity == "armed-forces"
        )
        screen.entity_id = None  # the mention decides, not the entity listed
        screen = await fixed(app, pilot, "I")
        assert catalogue.read_text(encoding="utf-8") == original.replace(
            "ignore: []", "ignore: [Armed Forces]"
        )
        assert "armed-forces" not in screen.library.links.entities
        screen = await fixed(app, pilot, "U")
        assert catalogue.read_text(encoding="utf-8") == original
        assert "armed-forces" in screen.library.links.entities
        # Nothing left to undo: one line, nothing changed.
        await pilot.press("U")
        await settle(app, pilot)
        assert catalogue.read_text(encoding="utf-8") == original


async def test_fix_commands_are_in_the_palette_and_help(tmp_path: Path) -> None:
    app = app_for(tmp_path)
    async with app.run_test(size=(160, 44)) as pilot:
        await settle(app, pilot)
        titles = [c.title for c in app.get_system_commands(app.screen)]
        for wanted in (
            "Merge entity with…",
            "Rename entity…",
            "Change entity type…",
            "Not an entity",
            "Undo entity fix",
            "Sort cross-references",
            "Narrow to articles also naming…",
            "Narrow to articles matching…",
            "Open original",
        ):
            assert wanted in titles
        await pilot.press("question_mark")
        await settle(app, pilot)
        text = str(app.screen.query_one("#help-text").render())
        for words in (
            "Merge the entity",
            "Undo the last entity fix",
            "Fold or unfold",
            "link the name",
            "Open the original file",
        ):
            assert words in text
