"""The installed ``xref`` in a real terminal (tmux): start, search, open, follow a
cross-reference, back — keys sent with ``send-keys``, the screen read with ``capture-pane``."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from index.corpus import read_article
from tests.conftest import SEEDS
from tests.test_cli import XREF

HASANOV = ["000_10688c53cc6a5332", "001_217ba6ce37b2a28a", "004_8c0c6ff0117b03a7"]


def titles() -> dict[str, str]:
    return {aid: read_article(SEEDS, f"{aid}.txt").title for aid in HASANOV}


class Terminal:
    def __init__(self, name: str, width: int, height: int) -> None:
        self.name, self.width, self.height = name, width, height

    def tmux(self, *args: str) -> subprocess.CompletedProcess[str]:
        # A private server per terminal: no user configuration, no other session's size.
        return subprocess.run(["tmux", "-L", self.name, "-f", os.devnull, *args],
                              capture_output=True, text=True, check=True)

    def keys(self, *keys: str) -> None:
        self.tmux("send-keys", "-t", self.name, *keys)

    def text(self, *keys: str) -> None:
        self.tmux("send-keys", "-t", self.name, "-l", *keys)

    def alive(self) -> bool:
        return subprocess.run(["tmux", "-L", self.name, "has-session", "-t", self.name],
                              capture_output=True).returncode == 0

    def screen(self) -> str:
        return self.tmux("capture-pane", "-p", "-t", self.name).stdout

    def wait_for(self, test: Callable[[str], bool], what: str, timeout: float = 60) -> str:
        deadline = time.monotonic() + timeout
        while True:
            shown = self.screen()
            if test(shown):
                return shown
            if time.monotonic() > deadline:
                pytest.fail(f"timed out waiting for {what}; the screen shows:\n{shown}")
            time.sleep(0.1)


@pytest.fixture(params=[(200, 60), (80, 24)], ids=["200x60", "80x24"])
def terminal(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Terminal]:
    if shutil.which("tmux") is None:
        pytest.fail("tmux is needed for the end-to-end test (.ci/run installs it)")
    assert XREF
    width, height = request.param
    name = f"xref-{uuid.uuid4().hex[:8]}"
    env = {
        "XDG_CACHE_HOME": str(tmp_path / "cache"), "XDG_DATA_HOME": str(tmp_path / "data"),
        "XDG_STATE_HOME": str(tmp_path / "state"), "XDG_CONFIG_HOME": str(tmp_path / "config"),
        "TERM": "xterm-256color", "COLORTERM": "truecolor",
    }
    command = " ".join(f"{k}={v}" for k, v in env.items()) + f" {XREF}"
    term = Terminal(name, width, height)
    term.tmux("new-session", "-d", "-s", name, "-x", str(width), "-y", str(height), command)
    try:
        yield term
    finally:
        subprocess.run(["tmux", "-L", name, "kill-server"], capture_output=True)


def showing(shown: str, title: str) -> bool:
    """Whether the status line names the open article ``title``."""
    status = [line for line in shown.splitlines() if re.search(r"· \d+ passages\s*$", line)]
    return bool(status) and title[:30] in status[-1]


def test_search_open_follow_back_in_a_real_terminal(terminal: Terminal) -> None:
    t = titles()
    terminal.wait_for(lambda s: "5 articles" in s and "Ready" in s, "the index to be ready")
    terminal.keys("/")
    terminal.text("Hasanov")
    # The search pane's status line, not the landing's "Zakir Hasanov  3 articles".
    terminal.wait_for(lambda s: re.search(r"│ 3 articles +│", s) is not None,
                      "three results for Hasanov")
    terminal.keys("Enter")  # into the results
    terminal.keys("Enter")  # open the best one
    shown = terminal.wait_for(lambda s: any(showing(s, title) for title in t.values()),
                              "an article to open")
    first = next((aid for aid, title in t.items() if showing(shown, title)), None)
    assert first is not None, shown
    # Follow Zakir Hasanov from the command palette: "Go to entity…".
    terminal.keys("C-p")
    terminal.wait_for(lambda s: "Go to entity" in s or "Search for commands" in s, "palette")
    terminal.text("Go to entity")
    terminal.wait_for(lambda s: "Go to entity" in s, "the command")
    terminal.keys("Enter")
    terminal.wait_for(lambda s: "type to filter" in s, "the entity picker")
    terminal.text("Zakir Hasanov")
    terminal.wait_for(lambda s: "Zakir Hasanov (person" in s, "Zakir Hasanov in the picker")
    terminal.keys("Enter")
    shown = terminal.wait_for(lambda s: "2 other articles" in s,
                              "the sidebar to list the two other articles")
    terminal.keys("Enter")  # open the first context line
    others = [aid for aid in HASANOV if aid != first]
    shown = terminal.wait_for(
        lambda s: any(showing(s, t[aid]) for aid in others) and not showing(s, t[first]),
        "the other article to open")
    terminal.keys("BSpace")  # back
    terminal.wait_for(lambda s: showing(s, t[first]), "back to the first article")
    terminal.keys("q")
    deadline = time.monotonic() + 10
    while terminal.alive():  # xref exits, and the terminal with it
        assert time.monotonic() < deadline, "xref did not quit on q"
        time.sleep(0.1)


def test_keys_and_pastes_in_a_real_terminal(terminal: Terminal) -> None:
    """Issue 11 items 2 and 7 where the terminal matters: at start ``?`` opens the help (it is
    not typed into the box); "iraq", ctrl+u and a bracketed paste sent at once leave the
    pasted text in the box; ``/`` and a paste right behind it land in the box."""
    terminal.wait_for(lambda s: "5 articles" in s and "Ready" in s, "the index to be ready")
    terminal.keys("?")
    terminal.wait_for(lambda s: "Moving between panes" in s, "the help")
    terminal.keys("Escape")
    terminal.wait_for(lambda s: "Moving between panes" not in s, "the help to close")
    terminal.tmux("set-buffer", "Tony Blair")
    for _ in range(3):
        terminal.keys("/")
        terminal.text("iraq")
        terminal.keys("C-u")
        terminal.tmux("paste-buffer", "-p", "-t", terminal.name)
        terminal.wait_for(lambda s: "Tony Blair" in s and "No results" in s, "the pasted text")
        assert "iraq" not in terminal.screen()
        terminal.keys("C-u", "Escape")
    terminal.tmux("set-buffer", "Hasanov")
    terminal.keys("/")
    terminal.tmux("paste-buffer", "-p", "-t", terminal.name)
    terminal.wait_for(lambda s: re.search(r"│ 3 articles +│", s) is not None,
                      "the paste behind / searched")
