"""The terminal obeys xref, never the text (issue 9, items 11 and 12).

A hostile corpus made here: a title carrying OSC 52 (clipboard), OSC 0 (window title) and
U+202E, file names that are markup (``[reverse]``, ``[link='x]``, ``[@click=app.quit]``), a
newline in a file name, a binary file whose name holds an escape sequence. The CLI and the
app must show all of it as inert text, and JSON must stay exact."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from tests.test_cli import run
from tests.test_tui import settle
from tui.app import make_app
from tui.app.render import plain
from tui.sanitise import shown, to_json

OSC52 = "\x1b]52;c;cm0gLXJmIH4=\x07"  # base64 of "rm -rf ~"
OSC0 = "\x1b]0;pwned\x07"
TITLE = f"Title {OSC52}with {OSC0}OSC and \u202e reversed"
NEWLINE_ID = "evil\nxref: fake line"
# What must never reach a terminal from outside text: ESC and every other C0 control but
# newline, C1 controls, bidirectional overrides and isolates.
RISKY = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
MARKUP_IDS = ["[reverse]X", "[link='x]y", "[@click=app.quit]"]


@pytest.fixture
def hostile(tmp_path: Path) -> Path:
    corpus = tmp_path / "corpus\x1b]0;folder\x07"
    corpus.mkdir()
    body = "\n\nPresident Ilham Aliyev met Vladimir Putin in Baku. Aliyev said peace was near.\n"
    (corpus / "osc.txt").write_text(TITLE + body, encoding="utf-8")
    for name in [*MARKUP_IDS, NEWLINE_ID]:
        (corpus / f"{name}.txt").write_text(f"Plain {len(name)}{body}", encoding="utf-8")
    (corpus / "bin\x1b]0;t\x07.txt").write_bytes(b"bin\x00\x01\x02")
    return corpus


def xref(tmp_path: Path, corpus: Path, *args: str, check_rc: int | None = 0):  # type: ignore[no-untyped-def]
    return run("--corpus", str(corpus), "--bookmarks", str(tmp_path / "b.yaml"), *args,
               index_dir=tmp_path / "ix", check_rc=check_rc)


def assert_inert(out: str) -> None:
    assert not RISKY.search(out), repr(RISKY.search(out))
    assert "\u2028" not in out and "\u2029" not in out


def test_shown_strips_escapes_controls_and_bidi() -> None:
    assert shown(TITLE) == "Title with OSC and  reversed"
    assert shown("a\nb\tc\u2028d") == "a b c d"
    assert shown("a\nb", multiline=True) == "a\nb"
    assert shown("\x9b31mred\u2066x\u2069\x85") == "redx"
    assert str(plain(TITLE)) == "Title with OSC and  reversed"


def test_json_stays_exact_and_inert() -> None:
    value = {"id": NEWLINE_ID, "title": TITLE + "\x9b\u2028"}
    text = to_json(value)
    assert json.loads(text) == value
    assert_inert(text)


def test_cli_output_is_inert(tmp_path: Path, hostile: Path) -> None:
    proc = xref(tmp_path, hostile, "index")
    assert_inert(proc.stdout + proc.stderr)
    assert "skipped bin.txt" in proc.stderr  # the skipped warning, on its line, cleaned
    for args in (["search", "Aliyev", "--limit", "20"], ["mentions", "Aliyev"], ["entities"]):
        proc = xref(tmp_path, hostile, *args)
        assert_inert(proc.stdout + proc.stderr)
        # A newline in a file name does not split a line: no line starts with a fake "xref:".
        assert not any(line.startswith("xref: fake") for line in proc.stdout.splitlines())
    search = xref(tmp_path, hostile, "search", "Aliyev", "--limit", "20").stdout
    assert "Title with OSC and  reversed  [osc]" in search
    assert "[evil xref: fake line]" in search
    for name in MARKUP_IDS:
        assert f"[{name}]" in search


def test_cli_json_keeps_exact_ids(tmp_path: Path, hostile: Path) -> None:
    out = xref(tmp_path, hostile, "search", "Aliyev", "--limit", "20", "--json").stdout
    assert_inert(out)
    ids = {r["id"] for r in json.loads(out)["results"]}
    assert NEWLINE_ID in ids and set(MARKUP_IDS) <= ids


def test_cli_bookmarks_and_export_are_inert(tmp_path: Path, hostile: Path) -> None:
    (tmp_path / "b.yaml").write_text(
        'version: 1\nbookmarks:\n- id: "x\\e]0;id\\a"\n  article: "evil\\nxref: fake line"\n'
        '  quote: "Aliyev\\u202e met"\n  note: "n\\e]52;c;eA==\\a"\n'
        '  tags: ["t\\e[2J", "\\u2066u"]\n', encoding="utf-8")
    xref(tmp_path, hostile, "index")
    for args in (["bookmarks"], ["bookmarks", "export"], ["bookmarks", "export", "--group",
                                                           "tag"]):
        proc = xref(tmp_path, hostile, *args, check_rc=None)
        assert proc.returncode == 0, proc.stderr
        assert_inert(proc.stdout + proc.stderr)
        assert not any(line.startswith("xref: fake") for line in proc.stdout.splitlines())
    assert "#t" in xref(tmp_path, hostile, "bookmarks").stdout


# --- the app ----------------------------------------------------------------------------------


def _notifications(app) -> list:  # type: ignore[no-untyped-def]
    return list(app._notifications)


async def test_app_shows_titles_and_names_inert_and_never_as_markup(tmp_path: Path,
                                                                    hostile: Path) -> None:
    from tui.app.screens.bookmarks import BookmarkDialog

    app = make_app(hostile, tmp_path / "ix", tmp_path / "b.yaml", tmp_path / "state")
    async with app.run_test(size=(160, 50)) as pilot:
        await settle(app, pilot)
        screen = app.screen
        assert_inert(screen.sub_title or "")
        results = screen.query_one("#results")
        prompts = [str(results.get_option_at_index(i).prompt)
                   for i in range(results.option_count)]
        assert_inert("\n".join(p.replace("\n", " ") for p in prompts))
        screen.open_article("osc", 0)
        screen.reader.focus()
        await settle(app, pilot)
        status = str(screen.query_one("#status").render())
        assert status.startswith("Title with OSC and  reversed")
        assert_inert(status)
        head = str(screen.reader.query_one("#reader-head").render())
        assert_inert(head)
        await pilot.press("b")
        await settle(app, pilot)
        assert isinstance(app.screen, BookmarkDialog)
        quote = str(app.screen.query_one("#bookmark-quote").render())
        assert "Title with OSC" in quote
        assert_inert(quote)
        await pilot.press("escape")
        await settle(app, pilot)
        # Names that are markup: opened, and named in a notification, as plain text.
        for name in MARKUP_IDS:
            screen.open_article(name, 0)
            await settle(app, pilot)
            assert screen.reader.article is not None and screen.reader.article.id == name
            screen.open_article(name + "-missing", 0)
            await settle(app, pilot)
        messages = [n for n in _notifications(app) if "-missing" in n.message]
        assert len(messages) == len(MARKUP_IDS)
        assert all(not n.markup for n in messages)
        assert any("[@click=app.quit]-missing" in n.message for n in messages)
        assert app.is_running


async def test_a_bookmarks_version_with_markup_is_shown_literally(tmp_path: Path,
                                                                  hostile: Path) -> None:
    (tmp_path / "b.yaml").write_text("version: '[link=x]2'\nbookmarks: []\n", encoding="utf-8")
    app = make_app(hostile, tmp_path / "ix", tmp_path / "b.yaml", tmp_path / "state")
    async with app.run_test(size=(160, 50)) as pilot:
        await settle(app, pilot)
        screen = app.screen
        screen.open_article("osc", 0)
        screen.reader.focus()
        await settle(app, pilot)
        await pilot.press("b")
        await settle(app, pilot)
        [note] = [n for n in _notifications(app) if "read-only" in n.message]
        assert "'[link=x]2'" in note.message and not note.markup
        assert app.is_running
