"""The bookmarks file as the reader's own (issue 9, items 2, 3, 4 and 10): what is not a
regular writable file is never replaced, hand-written text survives every write byte for
byte, large files stay linear, and impossible values or environments are one line, never a
traceback. Fixtures are made here: device nodes, FIFOs, symbolic links, modes, big files."""

from __future__ import annotations

import json
import os
import stat
import textwrap
from pathlib import Path

import pytest
import yaml

from tests.conftest import SEEDS
from tests.test_cli import run
from tui.bookmarks.model import Bookmark, ReadOnly
from tui.bookmarks.store import BookmarkStore, parse

ARTICLE = "004_8c0c6ff0117b03a7"
QUOTE = "President Aliyev showed humanity"

HAND = textwrap.dedent("""\
    # my bookmarks, kept in git
    version: 1
    owner: "me"   # who
    bookmarks:
      # the first one
      - id: aaa
        created: 2026-11-24T12:30:05+00:00
        article: 004_8c0c6ff0117b03a7
        quote: 'President Aliyev showed humanity'
        start: 1517
        end: 1549
        note: yes      # really
        tags: [no, on, 010]

      - id: bbb
        article: 004_8c0c6ff0117b03a7
        quote: "did not allow"
        note: |
          a literal
          block
        tags:
          - x
          - y
      # the last comment
      - id: ccc
        quote: plain
        count: 0x1F
    trailer: ~  # end
    """)
BBB = HAND[HAND.index("  - id: bbb"):HAND.index("  # the last comment")]


def cli(tmp_path: Path, bookmarks: Path, *args: str, check_rc: int | None = 0,
        env: dict[str, str] | None = None):  # type: ignore[no-untyped-def]
    return run("--corpus", str(SEEDS), "--bookmarks", str(bookmarks), *args, env=env,
               check_rc=check_rc, index_dir=tmp_path / "ix")


def add(tmp_path: Path, bookmarks: Path, check_rc: int = 0):  # type: ignore[no-untyped-def]
    return cli(tmp_path, bookmarks, "bookmark", "add", ARTICLE, "--quote", QUOTE,
               check_rc=check_rc)


def one_line_error(stderr: str) -> str:
    assert "Traceback" not in stderr
    lines = stderr.strip().splitlines()
    assert len(lines) == 1, stderr
    return lines[0]


# --- item 2: what is not a regular, writable file is never replaced ------------------------


@pytest.mark.parametrize("kind", ["device", "fifo", "directory"])
def test_a_device_fifo_or_directory_is_refused_never_replaced(tmp_path: Path, kind: str) -> None:
    path = tmp_path / "null"
    if kind == "device":
        os.mknod(path, stat.S_IFCHR | 0o666, os.makedev(1, 3))  # what /dev/null is
    elif kind == "fifo":
        os.mkfifo(path)  # a read would block for ever
    else:
        path.mkdir()
    before = os.stat(path)
    proc = add(tmp_path, path, check_rc=1)
    line = one_line_error(proc.stderr)
    assert "refusing" in line and str(path) in line
    after = os.stat(path)
    assert stat.S_IFMT(after.st_mode) == stat.S_IFMT(before.st_mode)
    assert (after.st_ino, after.st_rdev) == (before.st_ino, before.st_rdev)
    assert one_line_error(cli(tmp_path, path, "bookmarks", check_rc=1).stderr)
    assert not list(tmp_path.glob(".null.*.tmp"))


def test_a_symlinked_file_is_written_through_the_link(tmp_path: Path) -> None:
    real = tmp_path / "dotfiles" / "bookmarks.yaml"
    real.parent.mkdir()
    real.write_text("version: 1\nbookmarks: []\n", encoding="utf-8")
    link = tmp_path / "bookmarks.yaml"
    link.symlink_to(real)
    add(tmp_path, link)
    assert link.is_symlink() and link.resolve() == real
    [entry] = yaml.safe_load(real.read_text(encoding="utf-8"))["bookmarks"]
    assert entry["quote"] == QUOTE


def test_a_file_without_write_permission_is_not_overwritten(tmp_path: Path) -> None:
    path = tmp_path / "b.yaml"
    path.write_text(HAND, encoding="utf-8")
    path.chmod(0o444)  # the tests run as root: EACCES would never come
    line = one_line_error(add(tmp_path, path, check_rc=1).stderr)
    assert "no write permission" in line
    assert path.read_text(encoding="utf-8") == HAND
    assert stat.S_IMODE(path.stat().st_mode) == 0o444
    with pytest.raises(ReadOnly, match="no write permission"):
        BookmarkStore(path).check_writable()
    # Still readable: listing works.
    listed = json.loads(cli(tmp_path, path, "bookmarks", "--json").stdout)["bookmarks"]
    assert [b["id"] for b in listed] == ["aaa", "bbb", "ccc"]


@pytest.mark.parametrize("text, line, key", [
    ("version: 1\nbookmarks:\n- id: a\n  quote: x\nbookmarks: []\n", 5, "bookmarks"),
    ("version: 1\nbookmarks:\n- id: a\n  note: first\n  quote: x\n  note: second\n", 6, "note"),
])
def test_duplicate_keys_are_refused_with_their_line(tmp_path: Path, text: str, line: int,
                                                    key: str) -> None:
    path = tmp_path / "b.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ReadOnly, match=rf"line {line}: duplicate key '{key}'"):
        parse(text)
    message = one_line_error(add(tmp_path, path, check_rc=1).stderr)
    assert f"line {line}" in message and "duplicate key" in message
    assert path.read_text(encoding="utf-8") == text


# --- item 3: hand-written text stays byte for byte ---------------------------------------------


def test_adding_keeps_every_byte_of_the_hand_written_file(tmp_path: Path) -> None:
    path = tmp_path / "b.yaml"
    path.write_text(HAND, encoding="utf-8")
    add(tmp_path, path)
    new = path.read_text(encoding="utf-8")
    at = HAND.index("trailer:")  # after the last entry, before what follows the list
    assert new.startswith(HAND[:at]) and new.endswith(HAND[at:])
    added = new[at : len(new) - len(HAND) + at]
    assert added.startswith("  - id: ")  # the list's own indentation
    [entry] = yaml.safe_load(textwrap.dedent(added))
    assert entry["quote"] == QUOTE
    doc = yaml.safe_load(new)
    assert doc["bookmarks"][0]["note"] is True and doc["bookmarks"][0]["tags"] == [False, True, 8]
    assert doc["trailer"] is None and doc["owner"] == "me"


def test_editing_changes_only_that_key(tmp_path: Path) -> None:
    path = tmp_path / "b.yaml"
    path.write_text(HAND, encoding="utf-8")
    assert BookmarkStore(path).update("bbb", note="changed")
    old_note = "    note: |\n      a literal\n      block\n"
    assert path.read_text(encoding="utf-8") == HAND.replace(old_note, "    note: changed\n")
    BookmarkStore(path).update("aaa", tags=["war"])
    assert "    note: yes      # really\n    tags: [war]\n" in path.read_text(encoding="utf-8")
    BookmarkStore(path).update("ccc", note="new key")
    text = path.read_text(encoding="utf-8")
    assert "    count: 0x1F\n    note: new key\ntrailer: ~  # end\n" in text


def test_deleting_removes_only_that_entry_and_undo_puts_its_text_back(tmp_path: Path) -> None:
    path = tmp_path / "b.yaml"
    path.write_text(HAND, encoding="utf-8")
    store = BookmarkStore(path)
    removed = store.delete("bbb")
    assert removed is not None
    assert path.read_text(encoding="utf-8") == HAND.replace(BBB, "")
    store.restore(*removed)
    restored = path.read_text(encoding="utf-8")
    assert BBB.rstrip("\n") in restored  # its own quoting, literal block and block list
    assert sorted(restored.splitlines()) == sorted(HAND.splitlines())


def test_a_hand_written_note_is_shown_as_written(tmp_path: Path) -> None:
    f = parse(HAND)
    first = f.bookmarks[0]
    assert isinstance(first, Bookmark)
    assert first.note == "yes" and first.tags == ["no", "on", "010"]


async def test_editing_tags_in_the_app_leaves_a_hand_written_note_alone(tmp_path: Path) -> None:
    from tests.test_tui import app_for, settle
    from tui.app.screens.bookmarks import BookmarkDialog, BookmarksScreen

    path = tmp_path / "bookmarks.yaml"
    path.write_text(HAND, encoding="utf-8")
    app = app_for(tmp_path)
    assert app.services.bookmarks_path == path
    async with app.run_test(size=(160, 50)) as pilot:
        await settle(app, pilot)
        app.screen.action_bookmarks()  # type: ignore[attr-defined]
        await settle(app, pilot)
        assert isinstance(app.screen, BookmarksScreen)
        await pilot.press("e")
        await settle(app, pilot)
        assert isinstance(app.screen, BookmarkDialog)
        await pilot.press("enter", "end", *" war", "enter")
        await settle(app, pilot)
    text = path.read_text(encoding="utf-8")
    assert "    note: yes      # really\n    tags: ['no', 'on', '010', war]\n" in text
    assert text.replace("tags: ['no', 'on', '010', war]", "tags: [no, on, 010]") == HAND


# --- item 4: large files stay fast -------------------------------------------------------------


def test_the_c_loader_is_used_when_pyyaml_has_it() -> None:
    if not yaml.__with_libyaml__:
        pytest.skip("PyYAML built without libyaml")
    from tui.bookmarks.yaml_io import Loader

    assert issubclass(Loader, yaml.CSafeLoader)


def _big_file(n: int) -> str:
    lines = ["version: 1", "bookmarks:"]
    for i in range(n):
        lines += [f"- id: {i:08x}", "  created: 2026-11-24T18:03:13+00:00",
                  f"  article: {ARTICLE}", "  title: A title", f"  path: {ARTICLE}.txt",
                  "  passage: 10", f"  quote: {QUOTE} {'x' * 200}", "  prefix: 'ting the '",
                  "  suffix: ' and did'", "  start: 1517", "  end: 1549",
                  f"  note: note {i} yes", "  tags: [no, on, 010]"]
    return "\n".join(lines) + "\n"


def test_adding_to_12000_bookmarks_does_not_rewrite_the_others(tmp_path: Path) -> None:
    path = tmp_path / "b.yaml"
    big = _big_file(12_000)
    assert len(big) > 4_000_000
    path.write_text(big, encoding="utf-8")
    add(tmp_path, path)
    new = path.read_text(encoding="utf-8")
    assert new.startswith(big)  # not one byte of the 12,000 others re-serialised
    [entry] = yaml.safe_load(new[len(big):])
    assert entry["quote"] == QUOTE


def test_an_alias_expansion_under_the_alias_cap_is_refused(tmp_path: Path) -> None:
    # 6 levels of ten aliases each: 60 aliases (under the cap of 64), 10**7 values expanded.
    lines = ["version: 1", "l0: &l0 [" + ", ".join(["x"] * 10) + "]"]
    lines += [f"l{i}: &l{i} [" + ", ".join([f"*l{i - 1}"] * 10) + "]" for i in range(1, 7)]
    path = tmp_path / "b.yaml"
    path.write_text("\n".join(lines) + "\nbookmarks: []\n", encoding="utf-8")
    before = path.read_bytes()
    line = one_line_error(add(tmp_path, path, check_rc=1).stderr)
    assert "aliases expand to more than" in line
    assert path.read_bytes() == before


# --- item 10: impossible values and environments --------------------------------------------


def test_an_impossible_date_is_reported_with_its_line(tmp_path: Path) -> None:
    path = tmp_path / "b.yaml"
    path.write_text("version: 1\nbookmarks:\n- id: a\n  created: 2026-02-30\n  quote: x\n",
                    encoding="utf-8")
    line = one_line_error(cli(tmp_path, path, "bookmarks", check_rc=1).stderr)
    assert "line 4" in line and "2026-02-30" in line
    line = one_line_error(add(tmp_path, path, check_rc=1).stderr)
    assert "line 4" in line


def test_xdg_folders_that_are_files_give_a_message(tmp_path: Path) -> None:
    a_file = tmp_path / "file"
    a_file.write_text("", encoding="utf-8")
    env = {"XDG_STATE_HOME": str(a_file), "XDG_DATA_HOME": str(a_file)}
    proc = run("--corpus", str(SEEDS), env=env, check_rc=2, index_dir=tmp_path / "ix")
    assert "XDG_STATE_HOME" in one_line_error(proc.stderr)
    for args in (["bookmarks"], ["bookmark", "add", ARTICLE, "--quote", QUOTE]):
        proc = run("--corpus", str(SEEDS), *args, env=env, check_rc=1,
                   index_dir=tmp_path / "ix")
        assert "Not a directory" in proc.stderr.splitlines()[-1]
        assert "Traceback" not in proc.stderr


def test_an_ascii_output_encoding_is_not_a_crash(tmp_path: Path) -> None:
    env = {"PYTHONIOENCODING": "ascii"}
    proc = run("--corpus", str(SEEDS), "search", "Aliyev", env=env, index_dir=tmp_path / "ix")
    assert "Traceback" not in proc.stderr and "Aliyev" in proc.stdout
    as_ascii = run("--corpus", str(SEEDS), "search", "Aliyev", "--json", env=env,
                   index_dir=tmp_path / "ix").stdout
    as_utf8 = run("--corpus", str(SEEDS), "search", "Aliyev", "--json",
                  index_dir=tmp_path / "ix").stdout
    assert as_ascii.isascii() and json.loads(as_ascii) == json.loads(as_utf8)
    proc = run("--corpus", str(SEEDS), "mentions", "Aliyev", env=env, index_dir=tmp_path / "ix")
    assert "Traceback" not in proc.stderr
    proc = run("--corpus", str(SEEDS), env=env, check_rc=2, index_dir=tmp_path / "ix")
    assert "UTF-8" in one_line_error(proc.stderr)
