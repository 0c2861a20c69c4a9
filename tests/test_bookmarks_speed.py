"""Large bookmark files stay fast (issue 9, item 4), without giving up any promise.

Structural, never wall-clock: an add to a large file parses the whole file once (the read)
and reads back only what it appended; every other change, and every file whose end the fast
check cannot vouch for, is read back whole; the faster resolver gives PyYAML's own tags and
values; a listing anchors each distinct quote once. Figures are printed by measuring on
generated files (see the report of the change), not asserted here."""

from __future__ import annotations

import datetime as dt
import textwrap
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from index.library import Library
from tui.bookmarks import ops, yaml_io
from tui.bookmarks.model import make_entry
from tui.bookmarks.splice import appended
from tui.bookmarks.store import BookmarkStore, parse

ARTICLE = "004_8c0c6ff0117b03a7"
QUOTE = "President Aliyev showed humanity"

ODD = textwrap.dedent("""\
    %YAML 1.1
    ---
    version: 1
    bools: [yes, Yes, YES, no, No, NO, on, On, ON, off, Off, OFF, true, True, false, FALSE]
    not bools: [y, n, Y, N, yess, nope, 'yes', "no", onto, offset, truth]
    nulls: [~, null, Null, NULL, '', '~', "null", nullish]
    empty:
    ints: [0, 010, 0o10, 0x1F, 0b101, 1_000, -1, +1, 190:20:30, 0x_1F, 08]
    floats: [.5, 1.0, 1e3, 1.0e+3, -.inf, .Inf, +.INF, .nan, .NaN, 1_000.5, 190:20:30.15]
    more floats: [6.8523015e+5, -0.0, 1E3, 0.1e-3]
    not numbers: [1.2.3, 0xZZ, '010', "1_000", 1e, ., -, +, 1,000]
    dates: [2026-02-28, 2026-11-24T18:03:13+00:00, 2026-11-24 18:03:13, 2026-11-24t18:03:13.5Z]
    not dates: [2026-2-28x, '2026-02-28', 2026/02/28, 20260228]
    tags: [!!str 010, !!int "7", !!float '1', !!bool "yes", !!null '', !!str yes]
    specials: [=x, <<x, '<<', "=", '*', "&"]
    merged:
      <<: {a: 1, b: on}
      c: 3
    'on': off
    ? complex key
    : value
    multi: plain text
      running on
    block: |+
      kept

    folded: >-
      folded
      text
    unicode: [é, ñ, 日本, "\\u00e9", ü010]
    bookmarks:
    - id: 0a1b2c3d
      note: yes
      tags: [no, on, 010]
      quote: 'President: "Aliyev"'
      start: 1_517
    """)


def _tags(node: Any) -> Iterator[tuple[str, str, Any]]:
    """Every node's kind, tag and (for scalars) value, in document order."""
    if isinstance(node, yaml.ScalarNode):
        yield "scalar", node.tag, node.value
    elif isinstance(node, yaml.SequenceNode):
        yield "seq", node.tag, None
        for n in node.value:
            yield from _tags(n)
    elif isinstance(node, yaml.MappingNode):
        yield "map", node.tag, None
        for k, v in node.value:
            yield from _tags(k)
            yield from _tags(v)


def _typed(value: Any) -> Any:
    """A value with every type spelled out, NaN included (``nan != nan``)."""
    if isinstance(value, dict):
        return [("dict", _typed(k), _typed(v)) for k, v in value.items()]
    if isinstance(value, list):
        return ["list", *(_typed(v) for v in value)]
    return (type(value).__name__, repr(value))


@pytest.mark.parametrize("base", [yaml.SafeLoader, getattr(yaml, "CSafeLoader", yaml.SafeLoader)])
def test_the_faster_resolver_reads_odd_values_as_pyyaml_does(base: type[yaml.SafeLoader]) -> None:
    # ``=`` has a tag of its own (``value``) that no safe constructor builds: nodes only
    bare = ODD + "value: [=, <<]\n"
    assert list(_tags(yaml_io.compose(bare))) == list(_tags(yaml.compose(bare, Loader=base)))
    ours = yaml_io.compose_and_load(ODD)[1]
    assert _typed(ours) == _typed(yaml.load(ODD, Loader=base))
    # the odd values really are odd: a few of them, spelled out
    assert ours["bools"][:3] == [True, True, True] and ours["ints"][1:6] == [8, "0o10", 31, 5, 1000]
    assert ours["dates"][0] == dt.date(2026, 2, 28) and ours["not dates"][1] == "2026-02-28"
    assert ours["bookmarks"][0]["tags"] == [False, True, 8]


def test_an_impossible_date_is_still_an_error_with_its_line() -> None:
    text = "version: 1\nbookmarks:\n- id: a\n  created: 2026-02-30\n"
    with pytest.raises(yaml.constructor.ConstructorError) as err:
        yaml_io.compose_and_load(text)
    assert err.value.problem_mark is not None and err.value.problem_mark.line == 3


# --- how much of the file a write parses ----------------------------------------------------


def _entries(n: int, dash: int = 0) -> str:
    pad = " " * dash
    lines: list[str] = []
    for i in range(n):
        lines += [f"{pad}- id: b{i + 1:07d}", f"{pad}  created: 2026-11-24T18:03:13+00:00",
                  f"{pad}  article: {ARTICLE}", f"{pad}  quote: {QUOTE} {i}",
                  f"{pad}  note: note {i} yes", f"{pad}  tags: [no, on, 010]"]
    return "\n".join(lines) + "\n"


@pytest.fixture
def parsed(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The length of every text a YAML loader is made for, in order."""
    sizes: list[int] = []
    init = yaml_io.Loader.__init__

    def counting(self: Any, stream: str) -> None:
        sizes.append(len(stream))
        init(self, stream)

    monkeypatch.setattr(yaml_io.Loader, "__init__", counting)
    return sizes


def _entry() -> dict[str, Any]:
    text = "x" * 40 + QUOTE + "y" * 40
    return make_entry(ARTICLE, "T", f"{ARTICLE}.txt", 3, text, 40, 40 + len(QUOTE), "on")


def _whole(sizes: list[int], text: str) -> int:
    """How many parses read the whole of ``text`` (or of a text changed a little from it)."""
    return sum(1 for s in sizes if s >= 0.9 * len(text))


def test_an_add_to_a_large_file_parses_it_once_and_reads_back_the_new_entry(
    tmp_path: Path, parsed: list[int]
) -> None:
    path = tmp_path / "b.yaml"
    old = "version: 1\nbookmarks:\n" + _entries(2_000)
    path.write_text(old, encoding="utf-8")
    entry = BookmarkStore(path).add(_entry())
    new = path.read_text(encoding="utf-8")
    assert new.startswith(old)
    assert _whole(parsed, old) == 1  # the read; the check parsed only the appended block
    assert max(s for s in parsed if s < len(old)) == len(new) - len(old)
    data = yaml.safe_load(new)["bookmarks"]
    assert len(data) == 2_001 and data[-1]["id"] == entry["id"] and data[-1]["note"] == "on"
    assert data[:-1] == yaml.safe_load(old)["bookmarks"]


ENDINGS = {
    "keep block scalar": "  note: |+\n    kept\n",
    "strip block scalar": "  note: |-\n    stripped\n",
    "folded scalar": "  note: >\n    folded\n    text\n",
    "plain multi-line": "  note: plain\n    running on\n",
    "flow list over lines": "  tags: [a,\n    b]\n",
    "quoted over lines": "  note: 'quoted\n    on'\n",
    "nested mapping": "  extra:\n    deep:\n      deeper: 1\n",
    "nested list": "  extra:\n  - 1\n  - - 2\n",
    "comment on the last line": "  note: n  # mine\n",
    "anchored": "  extra: &x [1, 2]\n",
}


@pytest.mark.parametrize("dash", [0, 2])
@pytest.mark.parametrize("ending", list(ENDINGS))
def test_appending_after_odd_last_entries_reads_back_as_intended(
    tmp_path: Path, parsed: list[int], ending: str, dash: int
) -> None:
    last = textwrap.indent(f"- id: last\n{ENDINGS[ending]}", " " * dash)
    old = "version: 1\nbookmarks:\n" + _entries(3, dash) + last
    path = tmp_path / "b.yaml"
    path.write_text(old, encoding="utf-8")
    before = yaml.safe_load(old)["bookmarks"]
    entry = BookmarkStore(path).add(_entry())
    new = path.read_text(encoding="utf-8")
    assert new.startswith(old) and _whole(parsed, old) == 1
    after = yaml.safe_load(new)["bookmarks"]
    assert after[:-1] == before and after[-1]["id"] == entry["id"]


@pytest.mark.parametrize(
    "tail",
    ["\n", "# a comment after the last entry\n", "...\n", "trailer: 1\n"],
    ids=["blank line", "comment", "document end", "another key"],
)
def test_what_follows_the_last_entry_sends_the_check_back_to_the_whole_file(
    tmp_path: Path, parsed: list[int], tail: str
) -> None:
    old = "version: 1\nbookmarks:\n" + _entries(3) + tail
    path = tmp_path / "b.yaml"
    path.write_text(old, encoding="utf-8")
    BookmarkStore(path).add(_entry())
    new = path.read_text(encoding="utf-8")
    assert _whole(parsed, old) == 2  # the read, and the whole new text read back
    assert yaml.safe_load(new)["bookmarks"][:3] == yaml.safe_load(old)["bookmarks"]


def test_a_directive_sends_the_check_back_to_the_whole_file(
    tmp_path: Path, parsed: list[int]
) -> None:
    old = "%TAG !m! tag:example.com,2026:\n---\nversion: 1\nbookmarks:\n" + _entries(3)
    path = tmp_path / "b.yaml"
    path.write_text(old, encoding="utf-8")
    BookmarkStore(path).add(_entry())
    assert _whole(parsed, old) == 2
    assert path.read_text(encoding="utf-8").startswith(old)


def test_edits_deletes_and_undo_are_read_back_whole(tmp_path: Path, parsed: list[int]) -> None:
    old = "version: 1\nbookmarks:\n" + _entries(5)
    path = tmp_path / "b.yaml"
    path.write_text(old, encoding="utf-8")
    store = BookmarkStore(path)
    assert store.update("b0000002", note="changed")
    assert _whole(parsed, old) == 2
    removed = store.delete("b0000003")
    assert removed is not None
    store.restore(*removed)
    assert len(yaml.safe_load(path.read_text(encoding="utf-8"))["bookmarks"]) == 5


def test_the_fast_check_refuses_what_it_cannot_vouch_for() -> None:
    text = "version: 1\nbookmarks:\n" + _entries(3)
    f = parse(text)
    assert f.root is not None
    block = "- id: new\n"
    new_entry = {"id": "new"}
    f.entries.append(new_entry)
    assert appended(text, text + block, f.root, f.originals, f.entries) == (block, [new_entry])
    # an old entry changed, even deep inside: not an append
    f.entries[0]["tags"].append("more")
    assert appended(text, text + block, f.root, f.originals, f.entries) is None
    f.entries[0]["tags"].pop()
    # a new entry put before an old one, or an old one removed
    f.entries.insert(0, {"id": "first"})
    assert appended(text, text + block, f.root, f.originals, f.entries) is None
    del f.entries[0]
    f.entries.pop(1)
    assert appended(text, text + block, f.root, f.originals, f.entries) is None


def test_another_key_changed_in_memory_is_read_back_whole(parsed: list[int]) -> None:
    text = "version: 1\nowner: me\nbookmarks:\n" + _entries(3)
    f = parse(text)
    f.doc["owner"] = "someone else"  # the splice does not write top-level keys...
    f.entries.append(_entry())
    new = f.render()
    assert yaml.safe_load(new)["owner"] == "someone else"  # ...so the whole file is dumped
    assert _whole(parsed, text) == 2


# --- listing ----------------------------------------------------------------------------------


def test_a_listing_anchors_each_distinct_quote_once(
    tmp_path: Path, seeds_lib: Library, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[str] = []
    real = ops.anchor

    def counting(text: str | None, quote: str, *rest: Any) -> Any:
        calls.append(quote)
        return real(text, quote, *rest)

    monkeypatch.setattr(ops, "anchor", counting)
    edited = QUOTE.replace("humanity", "humanity, edited") + " and more words"
    lines = ["version: 1", "bookmarks:"]
    for i in range(300):
        quote = edited if i % 3 else QUOTE
        lines += [f"- id: b{i}", f"  article: {ARTICLE}", f"  path: {ARTICLE}.txt",
                  f"  quote: {quote}", "  start: 1517", "  end: 1549"]
    path = tmp_path / "b.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    located = ops.locate_all(seeds_lib, BookmarkStore(path).load())
    assert len(located) == 300 and sorted(calls) == sorted([QUOTE, edited])
    assert {x.state for x in located[::3]} == {"exact"}
    assert len({x.anchor for x in located[1::3]}) == 1 and located[1].state != "exact"


def test_a_nan_value_written_by_hand_does_not_force_whole_rewrites() -> None:
    # nan != nan made every read-back of a file holding ``.nan`` fail: each write then
    # rewrote the whole file, comments and all.
    from tui.bookmarks.splice import same

    assert same({"x": [float("nan")]}, {"x": [float("nan")]})
    assert not same(float("nan"), 1.0)
