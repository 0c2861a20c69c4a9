"""One bookmarks file, several corpora (issue 11, item 8): each bookmark records the corpus
folder it was made in; the command line and the bookmarks screen show this corpus's and count
the others apart, never as orphaned, and ``verify`` exits 0 for them. Bookmarks written before
the corpus was recorded belong to the corpus their article is in."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from textual.widgets import OptionList

from tests.conftest import SEEDS
from tests.test_cli import run
from tests.test_tui import app_for, settle
from tui.app.screens.bookmarks import BookmarksScreen
from tui.bookmarks.store import BookmarkStore

ARTICLE = "004_8c0c6ff0117b03a7"
QUOTE = "President Aliyev showed humanity"
OTHER_QUOTE = "Blair met Iraqi leaders"


@pytest.fixture
def corpora(tmp_path: Path) -> tuple[Path, Path]:
    """The seeds, and a small corpus whose one article shares no id with them."""
    seeds = tmp_path / "seeds"
    shutil.copytree(SEEDS, seeds)
    other = tmp_path / "other"
    other.mkdir()
    (other / "a1.txt").write_text(
        "Tony Blair visits Baghdad\n\nPrime Minister Tony Blair arrived in Baghdad on Monday. "
        "Blair met Iraqi leaders and said the talks went well.\n",
        encoding="utf-8",
    )
    return seeds, other


def xref(tmp_path: Path, corpus: Path, *args: str, check_rc: int | None = 0):  # type: ignore[no-untyped-def]
    return run("--corpus", str(corpus), "--bookmarks", str(tmp_path / "b.yaml"), *args,
               index_dir=tmp_path / f"ix-{corpus.name}", check_rc=check_rc)


def test_each_bookmark_records_its_corpus_and_shows_with_it(
    tmp_path: Path, corpora: tuple[Path, Path]
) -> None:
    seeds, other = corpora
    xref(tmp_path, seeds, "bookmark", "add", ARTICLE, "--quote", QUOTE)
    xref(tmp_path, other, "bookmark", "add", "a1", "--quote", OTHER_QUOTE)
    text = (tmp_path / "b.yaml").read_text(encoding="utf-8")
    assert f"  corpus: {seeds.resolve()}\n" in text and f"  corpus: {other.resolve()}\n" in text
    for here, there, quote in ((seeds, other, QUOTE), (other, seeds, OTHER_QUOTE)):
        proc = xref(tmp_path, here, "bookmarks", "verify")  # exit 0: nothing is broken
        assert "orphaned" not in proc.stdout and quote in proc.stdout
        assert proc.stdout.rstrip().endswith(
            f"1 bookmark of other corpora: {there.resolve()} (1); "
            "xref --corpus FOLDER bookmarks lists them"
        )
        out = json.loads(xref(tmp_path, here, "bookmarks", "--json").stdout)
        assert [b["quote"] for b in out["bookmarks"]] == [quote]
        assert [b["state"] for b in out["bookmarks"]] == ["exact"]
        assert out["corpus"] == str(here.resolve())
        assert out["other_corpora"] == [{"corpus": str(there.resolve()), "bookmarks": 1}]
    # Export writes this corpus's quotes and says what it left out.
    proc = xref(tmp_path, other, "bookmarks", "export")
    assert OTHER_QUOTE in proc.stdout and QUOTE not in proc.stdout
    assert proc.stderr == (
        f"xref: not exported: 1 bookmark of other corpora: {seeds.resolve()} (1)\n"
    )


def test_a_broken_bookmark_of_this_corpus_still_fails_verify(
    tmp_path: Path, corpora: tuple[Path, Path]
) -> None:
    seeds, other = corpora
    xref(tmp_path, seeds, "bookmark", "add", ARTICLE, "--quote", QUOTE)
    xref(tmp_path, other, "bookmark", "add", "a1", "--quote", OTHER_QUOTE)
    (other / "a1.txt").write_text("Tony Blair visits Baghdad\n\nNothing else.\n", encoding="utf-8")
    proc = xref(tmp_path, other, "bookmarks", "verify", check_rc=1)
    assert "orphaned" in proc.stdout and "1 bookmark of other corpora" in proc.stdout
    xref(tmp_path, seeds, "bookmarks", "verify")  # the seeds' own bookmark is fine


OLD = f"""\
# written by hand and by an xref that did not record the corpus
version: 1
bookmarks:
- id: old1
  article: {ARTICLE}
  path: {ARTICLE}.txt   # keep
  quote: {QUOTE}
  start: 1517
  end: 1549
- id: old2
  article: gone
  quote: from a corpus long closed
"""


def test_bookmarks_without_a_corpus_belong_where_their_article_is(
    tmp_path: Path, corpora: tuple[Path, Path]
) -> None:
    seeds, other = corpora
    (tmp_path / "b.yaml").write_text(OLD, encoding="utf-8")
    out = json.loads(xref(tmp_path, seeds, "bookmarks", "verify", "--json").stdout)
    assert [(b["id"], b["state"]) for b in out["bookmarks"]] == [("old1", "exact")]
    assert out["other_corpora"] == [{"corpus": None, "bookmarks": 1}]  # "gone" is not here
    proc = xref(tmp_path, other, "bookmarks", "verify")
    assert "orphaned" not in proc.stdout
    assert "2 bookmarks of other corpora: no corpus recorded (2)" in proc.stdout
    # Adding one leaves the old entries, comments and all, as they were.
    xref(tmp_path, other, "bookmark", "add", "a1", "--quote", OTHER_QUOTE)
    assert (tmp_path / "b.yaml").read_text(encoding="utf-8").startswith(OLD)


def test_a_moved_corpus_keeps_its_bookmarks(tmp_path: Path, corpora: tuple[Path, Path]) -> None:
    seeds, _ = corpora
    xref(tmp_path, seeds, "bookmark", "add", ARTICLE, "--quote", QUOTE)
    moved = seeds.rename(tmp_path / "renamed")
    out = json.loads(xref(tmp_path, moved, "bookmarks", "verify", "--json").stdout)
    assert [b["state"] for b in out["bookmarks"]] == ["exact"] and out["other_corpora"] == []


async def test_the_screen_lists_this_corpus_and_counts_the_others_apart(
    tmp_path: Path, corpora: tuple[Path, Path]
) -> None:
    seeds, other = corpora
    xref(tmp_path, seeds, "bookmark", "add", ARTICLE, "--quote", QUOTE)
    xref(tmp_path, other, "bookmark", "add", "a1", "--quote", OTHER_QUOTE)
    shutil.copy(tmp_path / "b.yaml", tmp_path / "bookmarks.yaml")  # where app_for looks
    app = app_for(tmp_path, other)
    async with app.run_test(size=(160, 50)) as pilot:
        await settle(app, pilot)
        store = BookmarkStore(tmp_path / "bookmarks.yaml")
        app.push_screen(BookmarksScreen(app.services.library, store))
        await settle(app, pilot)
        bm = app.screen
        assert isinstance(bm, BookmarksScreen)
        assert [x.bookmark.quote for x in bm.located] == [OTHER_QUOTE]
        assert [x.state for x in bm.located] == ["exact"]
        lst = bm.query_one("#bookmarks-list", OptionList)
        assert lst.option_count == 2
        last = lst.get_option_at_index(1)
        assert last.disabled and "1 bookmark of other corpora" in str(last.prompt)
        assert str(seeds.resolve()) in str(last.prompt)
        rows = [str(lst.get_option_at_index(i).prompt) for i in range(lst.option_count)]
        assert not any("orphaned" in r for r in rows)
        status = str(bm.query_one("#bookmarks-status").render())
        assert "1 bookmark of other corpora" in status
        await pilot.press("down", "down")  # the count is not a bookmark to open
        assert bm.current is not None and bm.current.bookmark.quote == OTHER_QUOTE
