"""How xref writes a quote's prefix and suffix next to a paragraph break (issue 11, item 14):
one double-quoted line with ``\\n``, never a ``|+`` or ``|2-`` block with blank lines, and
entries already in the file left byte for byte."""

from __future__ import annotations

from pathlib import Path

import yaml

from tui.bookmarks.model import make_entry
from tui.bookmarks.store import BookmarkStore

TEXT = "The first paragraph ends here.\n\nThe second paragraph begins.\n\nA third one."
QUOTE = "The second paragraph begins."


def _entry() -> dict[str, object]:
    start = TEXT.index(QUOTE)
    return make_entry("a", "A title", "a.txt", 1, TEXT, start, start + len(QUOTE), "a note")


def _lines(text: str, key: str) -> list[str]:
    return [line for line in text.splitlines() if line.strip().startswith(f"{key}:")]


def test_context_next_to_a_paragraph_break_is_one_quoted_line(tmp_path: Path) -> None:
    path = tmp_path / "b.yaml"
    saved = BookmarkStore(path).add(_entry())
    text = path.read_text(encoding="utf-8")
    assert saved["prefix"].endswith("\n\n") and saved["suffix"].startswith("\n\n")
    assert _lines(text, "prefix") == ['  prefix: "The first paragraph ends here.\\n\\n"']
    assert _lines(text, "suffix") == ['  suffix: "\\n\\nA third one."']
    assert "|+" not in text and "|2" not in text and "\n\n" not in text  # no blank line at all
    entry = yaml.safe_load(text)["bookmarks"][0]
    assert (entry["prefix"], entry["suffix"]) == (saved["prefix"], saved["suffix"])


def test_a_changed_context_is_spliced_as_one_line(tmp_path: Path) -> None:
    path = tmp_path / "b.yaml"
    store = BookmarkStore(path)
    saved = store.add(make_entry("a", "T", "a.txt", 0, "one two three", 4, 7))
    store.update(saved["id"], prefix="moved.\n\n", suffix="\n\nafter")
    text = path.read_text(encoding="utf-8")
    assert _lines(text, "prefix") == ['  prefix: "moved.\\n\\n"']
    assert _lines(text, "suffix") == ['  suffix: "\\n\\nafter"']
    assert store.load().bookmarks[0].prefix == "moved.\n\n"


HAND_WRITTEN = """\
version: 1
# my reading notes, kept in git
bookmarks:
- id: 0000aaaa
  created: 2026-01-02T03:04:05+00:00
  article: a
  path: a.txt     # written by an older xref
  quote: The second paragraph begins.
  prefix: |+
    The first paragraph ends here.

  suffix: |2-


    A third one.
  start: 32
  end: 60
  note: yes
"""


def test_entries_already_in_the_file_stay_as_written(tmp_path: Path) -> None:
    path = tmp_path / "b.yaml"
    path.write_text(HAND_WRITTEN, encoding="utf-8")
    store = BookmarkStore(path)
    saved = store.add(_entry())
    text = path.read_text(encoding="utf-8")
    assert text.startswith(HAND_WRITTEN)  # the old entry, blocks and comments, untouched
    added = text[len(HAND_WRITTEN) :]
    assert "|" not in added
    # An id of digits only is quoted so that YAML reads it back as text.
    assert yaml.safe_load(added)[0]["id"] == saved["id"]
    old, new = store.load().bookmarks
    assert (old.prefix, old.suffix) == (new.prefix, new.suffix)
