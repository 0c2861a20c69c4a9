"""``xref entity merge|rename|type|ignore|undo`` on the Wikinews corpus: the catalogue a person
would have written, the index re-linked at once, each change seen by a fresh process, undo
exact, a broken catalogue never written."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.test_cli import run

CATALOGUE = """\
# Catalogue of the aviation and car clippings.
version: 1
entities:
  # Checked against the companies' own pages.
  - name: General Motors
    type: organisation
    aliases: [GM]   # the papers' usual short form
ignore: []
merges: []
"""


@pytest.fixture
def paths(tmp_path: Path, wikinews: Path) -> list[str]:
    cat = tmp_path / "entities.yaml"
    cat.write_text(CATALOGUE, encoding="utf-8")
    return ["--corpus", str(wikinews), "--catalogue", str(cat), "--index-dir", str(tmp_path / "ix")]


def entities(paths: list[str]) -> dict[str, dict[str, object]]:
    return {e["name"]: e for e in json.loads(run(*paths, "entities", "--json").stdout)}


def test_merge_rename_ignore_undo_leave_what_a_person_writes(
    paths: list[str], tmp_path: Path
) -> None:
    cat = tmp_path / "entities.yaml"
    before = entities(paths)
    assert "Boeing" in before and "Airbus" in before and "UTC" in before

    proc = run(*paths, "entity", "merge", "Boeing", "Airbus")
    assert proc.stdout.startswith("merge Boeing + Airbus")
    assert "index updated for the new catalogue in" in proc.stderr
    proc = run(
        *paths,
        "entity",
        "rename",
        "Dow Jones",
        "Dow Jones Industrial Average",
        "--type",
        "organisation",
    )
    assert "now: Dow Jones Industrial Average (organisation)" in proc.stdout
    run(*paths, "entity", "type", "Chrysler", "organisation")
    run(*paths, "entity", "ignore", "UTC")
    after_ignore = cat.read_text(encoding="utf-8")
    assert (
        after_ignore
        == """\
# Catalogue of the aviation and car clippings.
version: 1
entities:
  # Checked against the companies' own pages.
  - name: General Motors
    type: organisation
    aliases: [GM]   # the papers' usual short form
  - name: Dow Jones Industrial Average
    type: organisation
    aliases: [Dow Jones]
  - name: Chrysler
    type: organisation
ignore: [UTC]
merges:
  - [Boeing, Airbus]
"""
    )
    # A fresh process reads the re-linked index.
    now = entities(paths)
    merged = now["Boeing"]
    assert "Airbus" not in now and "Airbus" in merged["aliases"]  # type: ignore[operator]
    assert set(before["Airbus"]["article_ids"]) <= set(merged["article_ids"])  # type: ignore[arg-type]
    assert now["Dow Jones Industrial Average"]["type"] == "organisation"
    assert now["Chrysler"]["type"] == "organisation" and "UTC" not in now

    proc = run(*paths, "entity", "undo")
    assert proc.stdout.startswith("undid: ignore UTC")
    assert "UTC" in entities(paths)
    for _ in range(3):
        run(*paths, "entity", "undo")
    assert cat.read_text(encoding="utf-8") == CATALOGUE
    assert "Airbus" in entities(paths)
    proc = run(*paths, "entity", "undo", check_rc=1)
    assert proc.stderr.startswith("xref: nothing to undo") and proc.stderr.count("\n") == 1


def test_a_broken_catalogue_is_never_overwritten(paths: list[str], tmp_path: Path) -> None:
    cat = tmp_path / "entities.yaml"
    broken = CATALOGUE.replace("aliases: [GM]", "aliases: [GM")
    cat.write_text(broken, encoding="utf-8")
    proc = run(*paths, "entity", "ignore", "UTC", check_rc=1)
    assert proc.stderr.count("\n") == 1 and "not changed" in proc.stderr
    assert "line 7" in proc.stderr
    assert cat.read_text(encoding="utf-8") == broken


def test_mistakes_are_one_line(paths: list[str], tmp_path: Path) -> None:
    proc = run(*paths, "entity", "merge", "Boeingg", "Airbus", check_rc=1)
    assert proc.stderr.startswith("xref: no entity matches 'Boeingg'; did you mean: Boeing")
    proc = run(*paths, "entity", "merge", "Boeing", check_rc=2)
    assert "two names" in proc.stderr
    proc = run(*paths, "entity", "rename", "UTC", "Coordinated Universal Time", check_rc=1)
    assert "--type" in proc.stderr
    proc = run(*paths, "entity", "type", "Boeing", "planet", check_rc=2)
    assert proc.stderr.count("\n") == 1
    proc = run(*paths, "--no-catalogue", "entity", "ignore", "UTC", check_rc=2)
    assert "no catalogue" in proc.stderr
    assert (tmp_path / "entities.yaml").read_text(encoding="utf-8") == CATALOGUE


def test_types_offered_are_the_catalogues() -> None:
    from index.entities import TYPES
    from tui.cli.entity_args import TYPES as OFFERED

    assert tuple(OFFERED) == TYPES
