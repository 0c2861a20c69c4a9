"""What every ``xref`` command shares: usage errors, bringing the index up to date before a
command reads it, warnings on stderr, JSON and text that survive any terminal encoding.

Its own module so that the command modules (``main``, ``entities_cli``, ``bookmarks_cli``)
import it and not each other: the parser in ``main`` imports the commands, never the reverse.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, NoReturn, TextIO

from index.text import window
from tui.sanitise import shown, to_json
from tui.services import Services

if TYPE_CHECKING:
    from index.store import UpdateSummary


class UsageError(Exception):
    """Raised instead of argparse's exit so that every usage error is one line, exit 2."""


class Parser(argparse.ArgumentParser):
    """argparse's parser with one-line usage errors, remembering its subcommand actions so
    that options can be given to every command after the parser is built (``args``)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.command_actions: list[Any] = []

    def add_subparsers(self, **kwargs: Any) -> Any:
        action = super().add_subparsers(**kwargs)
        self.command_actions.append(action)
        return action

    def error(self, message: str) -> NoReturn:
        raise UsageError(message)


def progress_bar(stream: TextIO) -> Callable[[int, int], None] | None:
    """A one-line indexing bar on ``stream`` when it is a terminal; None for a pipe or a log,
    which should not fill with carriage returns."""
    if not stream.isatty():
        return None

    def show(done: int, total: int) -> None:
        if total == 0:
            return
        width = 30
        filled = width * done // total
        stream.write(f"\rindexing [{'#' * filled}{' ' * (width - filled)}] {done}/{total}")
        if done == total:
            stream.write("\r" + " " * (width + 30) + "\r")
        stream.flush()

    return show


def warn_update(s: UpdateSummary) -> None:
    """What an update did that the user should know: a rebuild, files skipped, warnings."""
    if s.rebuilt_because:
        print(f"xref: rebuilt the index: {shown(s.rebuilt_because)}", file=sys.stderr)
    for sk in s.skipped:
        print(f"xref: skipped {shown(sk.path)}: {shown(sk.reason)}", file=sys.stderr)
    for w in s.warnings:
        print(f"xref: warning: {shown(w)}", file=sys.stderr)


def ensure_index(services: Services) -> UpdateSummary:
    """Bring the index up to date before a command reads it; quiet unless it was built or
    updated, so that ``xref search`` on an unchanged corpus prints only its answer.

    Files skipped are named when the index is built or updated — once, when xref found them
    out — and not again by every command that only reads it (``xref index`` lists them each
    time). The store reports progress only when it takes the writer's path, so a progress
    call is the sign that this command indexed: the summary alone cannot tell a new
    unreadable file (which changes the index's memory of skipped files) from an old one."""

    def waiting() -> None:
        print("xref: another xref is indexing this corpus; waiting…", file=sys.stderr)

    bar = progress_bar(sys.stderr)
    indexed = False

    def progress(done: int, total: int) -> None:
        nonlocal indexed
        indexed = True
        if bar is not None:
            bar(done, total)

    summary = services.update(progress=progress, on_wait=waiting)
    if indexed or summary.touched or summary.rebuilt_because:
        warn_update(summary)
    return summary


def fail(message: str, code: int = 1) -> int:
    """One line on stderr and the exit status: how every command reports a problem."""
    print(f"xref: {shown(message)}", file=sys.stderr)
    return code


def can_write_unicode(stream: TextIO) -> bool:
    encoding = getattr(stream, "encoding", None) or "ascii"
    try:
        "“¶…”".encode(encoding)
    except (UnicodeEncodeError, LookupError):
        return False
    return True


def dump_json(value: object) -> None:
    """JSON on stdout: UTF-8 as is when the stream can carry it, else ``\\u`` escapes."""
    print(to_json(value, ensure_ascii=not can_write_unicode(sys.stdout)))


def snippet(text: str, marks: list[tuple[int, int]], width: int = 160) -> str:
    """A line of ``width`` characters of a passage from a little before its first mark, the
    marks shown as »word« (search results)."""
    lo, hi = window(
        len(text), marks[0][0] if marks else 0, 0, width // 3, width - width // 3, fixed=True
    )
    out = []
    pos = lo
    for s, e in marks:
        if s < lo or e > hi:
            continue
        out.append(text[pos:s])
        out.append(f"»{text[s:e]}«")
        pos = e
    out.append(text[pos:hi])
    return ("…" if lo else "") + "".join(out).replace("\n", " ") + ("…" if hi < len(text) else "")


def kwic(text: str, start: int, end: int, width: int = 60) -> str:
    """A keyword-in-context line: the mention, marked [like this], with up to ``width``
    characters either side that lie on its own line of text."""
    lo, hi = window(len(text), start, end, width, width)
    line_lo = text.rfind("\n", lo, start) + 1 or lo
    line_hi = text.find("\n", end, hi)
    line_hi = hi if line_hi < 0 else line_hi
    left = "…" if line_lo == lo and lo > 0 else ""
    right = "…" if line_hi == hi and hi < len(text) else ""
    body = f"{left}{text[line_lo:start]}[{text[start:end]}]{text[end:line_hi]}{right}"
    return " ".join(body.split())
