"""Co-mentions on the Wikinews corpus: articles naming several entities (``xref mentions
--with``), searches restricted to entities (``entity:"Name"`` in ``xref search``) and the CSV
export of mentions."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from index import comentions
from index.library import Library
from tests.test_cli import run
from tui.cli.csv_out import cell


def test_split_query() -> None:
    assert comentions.split_query('entity:"Tony  Blair" war') == (["Tony Blair"], "war")
    assert comentions.split_query("entity:Boeing (tanker OR contract) entity:airbus") == (
        ["Boeing", "airbus"],
        "(tanker OR contract)",
    )
    assert comentions.split_query("title:entity:x") == ([], "title:entity:x")


def test_co_mentioning_is_the_intersection(wiki_lib: Library) -> None:
    boeing = comentions.choose(wiki_lib, "Boeing").entity
    airbus = comentions.choose(wiki_lib, "Airbus").entity
    both = comentions.co_mentioning(wiki_lib, [boeing.id, airbus.id])
    expected = set(wiki_lib.entity_articles(boeing.id)) & set(wiki_lib.entity_articles(airbus.id))
    assert both == sorted(expected) and 0 < len(both) < len(wiki_lib.entity_articles(airbus.id))


def test_search_within_entities(wiki_lib: Library) -> None:
    result, chosen = comentions.search(wiki_lib, 'entity:"Steve Jobs" iPhone', limit=100)
    jobs = set(wiki_lib.entity_articles(chosen[0].entity.id))
    plain = wiki_lib.search("iPhone", limit=200)
    assert 0 < result.total < plain.total
    assert {h.id for h in result.results} == {h.id for h in plain.results} & jobs
    only, _ = comentions.search(wiki_lib, "entity:Boeing entity:Airbus", limit=500)
    assert only.total == len(
        comentions.co_mentioning(
            wiki_lib, [comentions.choose(wiki_lib, n).entity.id for n in ("Boeing", "Airbus")]
        )
    )
    with pytest.raises(comentions.EntityNotFound, match="did you mean"):
        comentions.search(wiki_lib, "entity:Boeingg war")


@pytest.fixture(scope="module")
def ix(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("comentions-ix")


def mention_ids(wikinews: Path, ix: Path, *args: str) -> list[str]:
    out = run("--corpus", str(wikinews), "--index-dir", str(ix), "mentions", *args, "--json")
    return [a["id"] for a in json.loads(out.stdout)["articles"]]


def test_cli_mentions_with(wikinews: Path, ix: Path) -> None:
    boeing = set(mention_ids(wikinews, ix, "Boeing"))
    airbus = set(mention_ids(wikinews, ix, "Airbus"))
    both = mention_ids(wikinews, ix, "Boeing", "--with", "Airbus")
    assert set(both) == boeing & airbus and both == sorted(both)
    three = mention_ids(wikinews, ix, "Boeing", "--with", "Airbus", "--with", "United States")
    assert set(three) < set(both)
    tanker = mention_ids(wikinews, ix, "Boeing", "--with", "Airbus", "--matching", "tanker")
    assert 0 < len(tanker) < len(both) and set(tanker) <= set(both)
    proc = run(
        "--corpus",
        str(wikinews),
        "--index-dir",
        str(ix),
        "mentions",
        "Boeing",
        "--with",
        "Boeingg",
        check_rc=1,
    )
    assert (
        proc.stderr.startswith("xref: --with: no entity matches") and proc.stderr.count("\n") == 1
    )
    text = run(
        "--corpus", str(wikinews), "--index-dir", str(ix), "mentions", "Boeing", "--with", "Airbus"
    ).stdout
    assert text.startswith(f"Boeing (organisation) and Airbus — {len(both)} articles")
    assert "¶0 Airbus: " in text


def test_cli_search_entity_syntax(wikinews: Path, ix: Path) -> None:
    common = ["--corpus", str(wikinews), "--index-dir", str(ix)]
    boeing = set(mention_ids(wikinews, ix, "Boeing"))
    out = json.loads(run(*common, "search", "entity:Boeing", "contract", "--json").stdout)
    plain = json.loads(run(*common, "search", "contract", "--limit", "100", "--json").stdout)
    assert 0 < out["total"] < plain["total"]
    assert {r["id"] for r in out["results"]} == {r["id"] for r in plain["results"]} & boeing
    assert all(r["passages"] for r in out["results"])  # highlights of the words
    only = json.loads(run(*common, "search", "entity:Boeing", "--limit", "500", "--json").stdout)
    assert {r["id"] for r in only["results"]} == boeing
    proc = run(*common, "search", "entity:Zorro war", check_rc=1)
    assert proc.stderr.startswith("xref: no entity matches 'Zorro'")
    run(*common, "search", 'entity:"Boeing', check_rc=2)


def test_cli_mentions_csv(wikinews: Path, ix: Path, tmp_path: Path) -> None:
    common = ["--corpus", str(wikinews), "--index-dir", str(ix)]
    out = tmp_path / "m.csv"
    run(*common, "mentions", "Boeing", "--with", "Airbus", "--format", "csv", "-o", str(out))
    raw = out.read_bytes()
    assert raw.count(b"\r\n") == raw.count(b"\n")  # RFC 4180 line ends
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8"), newline="")))
    assert {r["entity"] for r in rows} == {"Boeing", "Airbus"}
    first = rows[0]
    assert first["context"].count("[") >= 1 and int(first["end"]) > int(first["start"])
    assert first["path"].endswith(".txt") and first["date"]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ('=HYPERLINK("http://x")', '\'=HYPERLINK("http://x")'),
        ("+1", "'+1"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "' =1"),
        ("\x1b]0;x\x07=1", "'=1"),
        ("Boeing", "Boeing"),
        (12, 12),
    ],
)
def test_csv_cells_never_formulas(value: object, expected: object) -> None:
    assert cell(value) == expected
