"""The installed ``xref`` in tmux on corpora other than the seeds: a folder of a few hundred
real articles (the Wikinews corpus, twice, in two sub-folders) and an empty folder. What a
newcomer does first: wait for the index, search, open a result, look at the sidebar, quit —
and on an empty folder, be told so in one line, search without a traceback, quit."""

from __future__ import annotations

import re
import shutil
import subprocess
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import WIKINEWS
from tests.test_cli import XREF
from tests.test_e2e_tmux import Terminal


def start(tmp_path: Path, corpus: Path, width: int, height: int) -> Terminal:
    if shutil.which("tmux") is None:
        pytest.fail("tmux is needed for the end-to-end test (.ci/run installs it)")
    assert XREF
    env = {
        "XDG_CACHE_HOME": tmp_path / "cache",
        "XDG_DATA_HOME": tmp_path / "data",
        "XDG_STATE_HOME": tmp_path / "state",
        "XDG_CONFIG_HOME": tmp_path / "config",
    }
    command = " ".join(f"{k}={v}" for k, v in env.items())
    command += f" TERM=xterm-256color COLORTERM=truecolor {XREF} --corpus {corpus}"
    term = Terminal(f"xref-{uuid.uuid4().hex[:8]}", width, height)
    term.tmux("new-session", "-d", "-s", term.name, "-x", str(width), "-y", str(height), command)
    return term


@pytest.fixture(params=[(200, 60), (80, 24)], ids=["200x60", "80x24"])
def size(request: pytest.FixtureRequest) -> tuple[int, int]:
    return request.param  # type: ignore[no-any-return]


@pytest.fixture
def terminal_on(tmp_path: Path, size: tuple[int, int]) -> Iterator[list[Terminal]]:
    started: list[Terminal] = []
    yield started
    for term in started:
        subprocess.run(["tmux", "-L", term.name, "kill-server"], capture_output=True)


def quit_(term: Terminal) -> None:
    term.keys("q")
    deadline = time.monotonic() + 10
    while term.alive():
        assert time.monotonic() < deadline, "xref did not quit on q"
        time.sleep(0.1)


def test_a_folder_of_a_few_hundred_articles(
    tmp_path: Path, size: tuple[int, int], terminal_on: list[Terminal]
) -> None:
    corpus = tmp_path / "clippings"
    for part in ("2008", "2009"):
        shutil.copytree(WIKINEWS, corpus / part, ignore=shutil.ignore_patterns("*.md"))
    n = len(list(corpus.rglob("*.txt")))
    assert n >= 240
    term = start(tmp_path, corpus, *size)
    terminal_on.append(term)
    term.wait_for(lambda s: f"{n} articles" in s and "Ready" in s, "the index", timeout=240)
    assert "Traceback" not in term.screen()
    term.keys("/")
    term.text("Airbus")
    shown = term.wait_for(
        lambda s: re.search(r"│ \d+ articles +│", s) is not None, "results for Airbus"
    )
    count = int(re.search(r"│ (\d+) articles +│", shown).group(1))  # type: ignore[union-attr]
    assert count > 20  # more than one page of results
    term.keys("Enter", "Enter")  # into the results, open the best one
    term.wait_for(
        lambda s: re.search(r"· \d+ passages\s*$", s, re.M) is not None, "an article to open"
    )
    term.keys("Tab", "Enter")  # the first mention, then its cross-references
    term.wait_for(
        lambda s: re.search(r"\d+ other articles?", s) is not None, "the sidebar's other articles"
    )
    assert "Traceback" not in term.screen()
    term.keys("Escape")
    time.sleep(0.5)
    quit_(term)


def test_an_empty_folder(
    tmp_path: Path, size: tuple[int, int], terminal_on: list[Terminal]
) -> None:
    corpus = tmp_path / "empty"
    corpus.mkdir()
    term = start(tmp_path, corpus, *size)
    terminal_on.append(term)
    shown = term.wait_for(
        lambda s: "0 articles" in s or "no articles" in s.lower(),
        "the empty corpus to be named",
        timeout=60,
    )
    assert "Traceback" not in shown
    term.keys("/")
    term.text("anything")
    time.sleep(1.0)
    shown = term.screen()
    assert "Traceback" not in shown and "search failed" not in shown, shown
    term.keys("Escape")
    time.sleep(0.5)  # an Escape and a key right behind it read as Alt+key
    quit_(term)
