"""The bookmarks file and its promises: atomic writes, no lost concurrent adds, corrupt files
left alone, unknown keys kept, hostile YAML refused, re-anchoring after edits."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
import yaml

from index.library import Library
from tests.conftest import SEEDS
from tests.test_cli import XREF, run
from tui.bookmarks.anchor import AMBIGUOUS, EXACT, FUZZY, MOVED, ORPHANED, anchor
from tui.bookmarks.model import Bookmark, ReadOnly, dump
from tui.bookmarks.ops import entry_for, find_quote, locate, locate_all, markdown, safe_path
from tui.bookmarks.store import BookmarkStore, parse, read

ARTICLE = "004_8c0c6ff0117b03a7"
QUOTE = "President Aliyev showed humanity"


def seed_text() -> str:
    return (SEEDS / f"{ARTICLE}.txt").read_text(encoding="utf-8-sig")


# --- re-anchoring -------------------------------------------------------------------------


def _stored(text: str, quote: str) -> dict[str, object]:
    start = text.index(quote)
    return entry_from_text(text, start, start + len(quote))


def entry_from_text(text: str, start: int, end: int) -> dict[str, object]:
    from tui.bookmarks.model import make_entry

    return make_entry("a", "t", "a.txt", 0, text, start, end)


def _anchor(text: str, e: dict[str, object]):  # type: ignore[no-untyped-def]
    b = Bookmark(e)
    return anchor(text, b.quote, b.prefix, b.suffix, b.start, b.end)


def test_unchanged_text_is_exact() -> None:
    text = seed_text()
    e = _stored(text, QUOTE)
    a = _anchor(text, e)
    assert (a.state, a.start, a.end) == (EXACT, e["start"], e["end"])


def test_text_inserted_before_the_quote_moves_it() -> None:
    text = seed_text()
    e = _stored(text, QUOTE)
    inserted = "An editor's note added at the top.\n" * 3
    a = _anchor(inserted + text, e)
    assert a.state == MOVED
    assert (inserted + text)[a.start : a.end] == QUOTE
    assert a.start == int(e["start"]) + len(inserted)  # type: ignore[call-overload]


def test_slightly_edited_quote_is_found_fuzzily_with_a_score() -> None:
    text = seed_text()
    quote = "But President Aliyev showed humanity and did not allow the encircled"
    e = _stored(text, quote)
    edited = text.replace("showed humanity and did not allow",
                          "showed humanity, and he did not allow")
    a = _anchor(edited, e)
    assert a.state == FUZZY
    assert a.score is not None and 0.85 <= a.score < 1
    found = edited[a.start : a.end]
    assert found.startswith("But President Aliyev") and "encircled" in found


def test_removed_quote_is_orphaned_not_moved_elsewhere() -> None:
    text = seed_text()
    quote = "But President Aliyev showed humanity and did not allow the encircled"
    e = _stored(text, quote)
    p = text.index(quote)
    removed = text[:p] + text[p + len(quote):]
    a = _anchor(removed, e)
    assert a.state == ORPHANED and a.start is None
    assert "not found" in a.reason


def test_short_quote_is_never_matched_fuzzily() -> None:
    text = seed_text()
    e = _stored(text, QUOTE[:20])  # "President Aliyev sho"
    edited = text.replace("President Aliyev showed", "President Aliev showed")
    assert _anchor(edited, e).state in (ORPHANED, MOVED)
    assert QUOTE[:20] not in edited or _anchor(edited, e).state == MOVED
    a = _anchor(edited, e)
    if a.state == MOVED:  # the quote occurs elsewhere verbatim: that is an exact text match
        assert edited[a.start : a.end] == QUOTE[:20]


def test_repeats_are_told_apart_by_prefix_and_suffix() -> None:
    text = "Alpha said the army would stay. Later Beta said the army would stay. End."
    quote = "the army would stay"
    second = text.index(quote, text.index(quote) + 1)
    e = entry_from_text(text, second, second + len(quote))
    shifted = "Preface. " + text
    a = _anchor(shifted, e)
    assert a.state == MOVED and a.start == second + len("Preface. ")


def test_repeats_with_no_telling_context_are_ambiguous() -> None:
    text = "x. the army would stay. y. the army would stay. z."
    e = {"id": "q", "quote": "the army would stay", "prefix": "", "suffix": ""}
    assert _anchor(text, e).state == AMBIGUOUS


def test_fuzzy_without_a_clear_margin_is_ambiguous() -> None:
    para = "The ministry said the talks in the capital would resume next week after a pause."
    text = para + "\n" + para.replace("next week", "next month") + "\n"
    e = {"id": "q", "quote": para.replace("next week", "next year"), "prefix": "", "suffix": ""}
    a = _anchor(text, e)
    assert a.state == AMBIGUOUS and a.start is None


def test_fuzzy_state_is_described_with_its_score() -> None:
    text = seed_text()
    quote = "But President Aliyev showed humanity and did not allow the encircled"
    edited = text.replace("showed humanity and did not allow",
                          "showed humanity, and he did not allow")
    a = _anchor(edited, _stored(text, quote))
    assert a.state == FUZZY and a.score is not None
    assert a.describe() == f"fuzzy {a.score:.2f}"


def test_an_edited_quote_found_in_one_place_only() -> None:
    text = "But President Aliyev showed humanity and did not allow the encircled troops to die."
    quote = text[4:70]
    edited = text.replace("humanity and did", "humanity, and he did")
    a = _anchor(edited, entry_from_text(text, 4, 70))
    assert a.state == FUZZY and edited[a.start : a.end].startswith("President Aliyev")
    assert quote.split()[-1] in edited[a.start : a.end]


def test_the_context_of_a_quote_at_the_very_start() -> None:
    text = seed_text()
    e = entry_from_text(text, 5, 25)
    assert e["prefix"] == text[:5] and e["suffix"] == text[25:57]


def test_repeats_with_the_same_prefix_are_told_apart_by_suffix() -> None:
    lead = "A lead-in longer than the stored prefix, said: "
    quote = "the army would stay"
    first = lead + quote + " until May, he said. "
    second = lead + quote + " until June, he said. "
    start = len(first) + len(lead)
    e = entry_from_text(first + second, start, start + len(quote))
    swapped = second + first  # the other repeat now sits nearer the old offset
    a = _anchor(swapped, e)
    assert a.state == MOVED and a.start == len(lead)


def test_missing_article_is_orphaned() -> None:
    a = anchor(None, QUOTE)
    assert a.state == ORPHANED and "no longer" in a.reason


# --- the file --------------------------------------------------------------------------


def test_round_trip_keeps_unknown_keys_and_entries(tmp_path: Path) -> None:
    path = tmp_path / "b.yaml"
    path.write_text(textwrap.dedent("""\
        version: 1
        owner: me
        bookmarks:
          - id: abc
            created: 2026-11-24T12:30:05+00:00
            article: 004_8c0c6ff0117b03a7
            quote: President Aliyev showed humanity
            start: 1517
            end: 1549
            colour: green
          - just a string someone wrote
        """), encoding="utf-8")
    store = BookmarkStore(path)
    store.update("abc", note="added later")
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert doc["owner"] == "me"
    assert doc["bookmarks"][0]["colour"] == "green"
    assert doc["bookmarks"][0]["note"] == "added later"
    assert doc["bookmarks"][1] == "just a string someone wrote"
    assert "created: 2026-11-24T12:30:05+00:00" in path.read_text(encoding="utf-8")


@pytest.mark.parametrize("content, needle", [
    ("version: 1\nbookmarks:\n  - id: a\n    quote: [unclosed\n", "line"),
    ("version: 2\nbookmarks: []\n", "unknown version 2"),
    ("- a\n- b\n", "expected a mapping"),
    ("version: 1\nbookmarks: 7\n", "must be a list"),
])
def test_a_file_that_cannot_be_trusted_is_never_written(tmp_path: Path, content: str,
                                                          needle: str) -> None:
    path = tmp_path / "b.yaml"
    path.write_bytes(content.encode())
    before = path.read_bytes()
    with pytest.raises(ReadOnly, match=needle):
        BookmarkStore(path).add({"quote": "x"})
    assert path.read_bytes() == before
    proc = run("--bookmarks", str(path), "bookmark", "add", ARTICLE, "--quote", QUOTE,
               check_rc=1)
    assert "read-only" in proc.stderr and needle.split()[0] in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1
    assert path.read_bytes() == before


def test_parse_error_names_the_line(tmp_path: Path) -> None:
    with pytest.raises(ReadOnly, match=r"line 4"):
        parse("version: 1\nbookmarks:\n  - id: a\n    quote: 'unclosed\n")


def test_alias_bomb_is_refused_quickly() -> None:
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for i in range(1, 10):
        prev, cur = chr(ord("a") + i - 1), chr(ord("a") + i)
        lines.append(f"{cur}: &{cur} [" + ",".join([f"*{prev}"] * 9) + "]")
    bomb = "version: 1\n" + "\n".join(lines) + "\nbookmarks: []\n"
    with pytest.raises(ReadOnly, match="alias"):  # refused before it is expanded
        parse(bomb)


def test_deep_nesting_and_huge_files_are_refused(tmp_path: Path) -> None:
    with pytest.raises(ReadOnly, match="nested"):
        parse("version: 1\nx: " + "[" * 5000 + "]" * 5000 + "\n")
    big = tmp_path / "big.yaml"
    with big.open("w") as f:
        f.write("version: 1\nbookmarks:\n")
        f.write(("  - id: x\n    quote: " + "y" * 1000 + "\n") * 9000)
    with pytest.raises(ReadOnly, match="larger than"):
        read(big)


def test_only_safe_load_is_used() -> None:
    for path in (Path(__file__).parent.parent / "tui" / "bookmarks").glob("*.py"):
        source = path.read_text()
        assert "yaml.load(" not in source and "yaml.unsafe_load" not in source
    with pytest.raises(ReadOnly):
        parse("version: 1\nbookmarks: !!python/object/apply:os.system ['true']\n")


def test_written_file_is_human_yaml(tmp_path: Path, seeds_lib: Library) -> None:
    art = seeds_lib.article(ARTICLE)
    assert art is not None
    s, e, _ = find_quote(art.text, QUOTE)
    store = BookmarkStore(tmp_path / "b.yaml")
    store.add(entry_for(art, s, e, "why it matters", ["restraint"]))
    text = (tmp_path / "b.yaml").read_text(encoding="utf-8")
    assert text.startswith("version: 1\nbookmarks:\n- id: ")
    keys = [line.split(":")[0].strip("- ") for line in text.splitlines()[2:]]
    assert keys[:13] == ["id", "created", "article", "title", "path", "passage", "quote",
                         "prefix", "suffix", "start", "end", "note", "tags"]
    entry = yaml.safe_load(text)["bookmarks"][0]
    assert art.text[entry["start"] : entry["end"]] == entry["quote"] == QUOTE
    assert art.passage_at(entry["start"]) == entry["passage"]
    assert art.text[entry["start"] - len(entry["prefix"]) : entry["start"]] == entry["prefix"]
    assert len(entry["prefix"]) == len(entry["suffix"]) == 32
    assert dump(yaml.safe_load(text)) == text  # stable: rewriting changes nothing


# --- processes ---------------------------------------------------------------------------

_ADDER = """
import sys
from tui.bookmarks.store import BookmarkStore
store = BookmarkStore(__import__("pathlib").Path(sys.argv[1]))
for i in range(int(sys.argv[3])):
    store.add({"quote": f"{sys.argv[2]}-{i}", "article": "a", "note": "x" * 2000})
    print(i, flush=True)
"""


def test_two_processes_adding_at_once_lose_nothing(tmp_path: Path) -> None:
    path = tmp_path / "b.yaml"
    procs = [subprocess.Popen([sys.executable, "-c", _ADDER, str(path), name, "50"],
                              stdout=subprocess.DEVNULL)
             for name in ("p", "q")]
    assert [p.wait(timeout=120) for p in procs] == [0, 0]
    entries = yaml.safe_load(path.read_text())["bookmarks"]
    assert len(entries) == 100
    assert len({e["id"] for e in entries}) == 100
    assert {e["quote"] for e in entries} == {f"{n}-{i}" for n in "pq" for i in range(50)}


_CRASHER = """
import resource, signal, sys
from pathlib import Path
from tui.bookmarks.store import BookmarkStore
store = BookmarkStore(Path(sys.argv[1]))
# The kernel kills this process (SIGXFSZ, not caught) at the byte where a write passes the
# limit: a crash at an exact point inside the write of the bookmarks file.
signal.signal(signal.SIGXFSZ, signal.SIG_DFL)
resource.setrlimit(resource.RLIMIT_FSIZE, (int(sys.argv[2]), resource.RLIM_INFINITY))
store.add({"quote": "killed", "article": "a", "note": "y" * int(sys.argv[3])})
"""


@pytest.mark.parametrize("at", [0.0, 0.25, 0.5, 0.75, 0.99])
def test_a_writer_killed_inside_the_write_leaves_the_old_file(tmp_path: Path,
                                                             at: float) -> None:
    """Killed at a given fraction of the way through writing the new file, the writer leaves
    the old file whole: a write in place would leave it cut short."""
    path = tmp_path / "b.yaml"
    store = BookmarkStore(path)
    for i in range(20):
        store.add({"quote": f"kept-{i}", "article": "a", "note": "x" * 2000})
    before = path.read_bytes()
    note = 200_000
    limit = len(before) + 1 + int(at * note)  # inside the new text, which is longer
    proc = subprocess.run([sys.executable, "-c", _CRASHER, str(path), str(limit), str(note)],
                          capture_output=True, timeout=60)
    assert proc.returncode == -signal.SIGXFSZ, proc.stderr  # it did die inside the write
    assert path.read_bytes() == before
    assert [e["quote"] for e in yaml.safe_load(before)["bookmarks"]] == [
        f"kept-{i}" for i in range(20)]
    leftovers = [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")]
    # A killed writer may leave its temporary file; it is never the bookmarks file itself.
    assert all(name.startswith(".b.yaml.") for name in leftovers)


def test_kill_9_during_a_stream_of_writes_leaves_a_whole_file(tmp_path: Path) -> None:
    """SIGKILL at whatever point each writer has reached: every state left parses whole and
    holds every entry a finished write had put there."""
    path = tmp_path / "b.yaml"
    for round_ in range(6):
        proc = subprocess.Popen([sys.executable, "-c", _ADDER, str(path), f"r{round_}",
                                 "100000"], stdout=subprocess.PIPE)
        assert proc.stdout is not None
        # Wait for the writer's first finished adds (it reports each), then kill it wherever
        # it is: reading, dumping, writing or renaming.
        for _ in range(3 + round_):
            assert proc.stdout.readline(), "the writer stopped before it was killed"
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        doc = yaml.safe_load(path.read_text())  # parses: old or new, never half
        assert doc["version"] == 1 and isinstance(doc["bookmarks"], list)
        assert all(e["note"] == "x" * 2000 for e in doc["bookmarks"])
        quotes = [e["quote"] for e in doc["bookmarks"]]
        assert {f"r{round_}-{i}" for i in range(3 + round_)} <= set(quotes)


# --- against the corpus ------------------------------------------------------------------


def test_path_outside_the_corpus_is_never_opened(seeds_lib: Library) -> None:
    assert not safe_path(seeds_lib.corpus, "../../etc/passwd")
    assert not safe_path(seeds_lib.corpus, "/etc/passwd")
    assert safe_path(seeds_lib.corpus, f"{ARTICLE}.txt")
    b = Bookmark({"id": "x", "article": ARTICLE, "path": "../../etc/passwd", "quote": QUOTE})
    x = locate(seeds_lib, b)
    assert x.state == ORPHANED and x.article is None and "outside" in x.anchor.reason


def test_cli_add_list_verify_export(tmp_path: Path) -> None:
    bm = str(tmp_path / "b.yaml")
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    text = seed_text()
    (corpus / f"{ARTICLE}.txt").write_text(text, encoding="utf-8")
    common = ["--corpus", str(corpus), "--index-dir", str(tmp_path / "ix"), "--bookmarks", bm]
    out = run(*common, "bookmark", "add", ARTICLE, "--quote", QUOTE, "--note", "humane",
              "--tag", "restraint", "--json").stdout
    added = json.loads(out)
    assert text[added["start"] : added["end"]] == QUOTE and added["tags"] == ["restraint"]
    # A quote pasted with its line breaks changed still matches.
    run(*common, "bookmark", "add", ARTICLE, "--quote", "did not allow\nthe   encircled")
    proc = run(*common, "bookmark", "add", ARTICLE, "--quote", "words that are not there",
               check_rc=1)
    assert proc.stderr.startswith("xref: the quote is not in the article")
    listed = json.loads(run(*common, "bookmarks", "--json").stdout)["bookmarks"]
    assert [b["state"] for b in listed] == [EXACT, EXACT]

    # The article changes: text inserted before the quote.
    (corpus / f"{ARTICLE}.txt").write_text("Correction appended on top.\n\n" + text,
                                           encoding="utf-8")
    proc = run(*common, "bookmarks", "verify")
    assert proc.stdout.count("moved") == 2
    run(*common, "bookmarks", "verify", "--accept")
    listed = json.loads(run(*common, "bookmarks", "verify", "--json").stdout)["bookmarks"]
    assert [b["state"] for b in listed] == [EXACT, EXACT]
    assert listed[0]["start"] == added["start"] + len("Correction appended on top.\n\n")

    # The quote is removed: orphaned, still listed with its quote; verify exits 1.
    new = (corpus / f"{ARTICLE}.txt").read_text(encoding="utf-8").replace(QUOTE, "He")
    (corpus / f"{ARTICLE}.txt").write_text(new, encoding="utf-8")
    proc = run(*common, "bookmarks", "verify", check_rc=1)
    assert "orphaned" in proc.stdout and QUOTE in proc.stdout

    md = run(*common, "bookmarks", "export", "--format", "markdown", "--group", "tag").stdout
    assert "## restraint" in md and f"> {QUOTE}" in md and "humane" in md


def test_markdown_groups_by_article(seeds_lib: Library, tmp_path: Path) -> None:
    store = BookmarkStore(tmp_path / "b.yaml")
    for aid, quote in ((ARTICLE, QUOTE), ("001_217ba6ce37b2a28a", "Minsk Group")):
        art = seeds_lib.article(aid) or pytest.fail(f"missing {aid}")
        s, e, _ = find_quote(art.text, quote)
        store.add(entry_for(art, s, e))
    located = locate_all(seeds_lib, store.load())
    md = markdown(located)
    assert md.count("\n## ") == 2 and f"> {QUOTE}" in md and "¶" in md


def test_cli_refuses_unknown_article(tmp_path: Path) -> None:
    proc = run("--bookmarks", str(tmp_path / "b.yaml"), "bookmark", "add", "nope",
               "--quote", "x", check_rc=1)
    assert "no article 'nope'" in proc.stderr
    assert not (tmp_path / "b.yaml").exists()
    assert XREF
