"""A catalogue of the wrong shape, too deep, too large or with everyday aliases: one message
naming the line, and indexing goes on with the usable part (issue 9, item 7)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from index.catalogue import MAX_ALIASES, MAX_DEPTH, CatalogueError, load, load_checked
from index.library import Library
from tests.conftest import SEEDS


def seeds_with(tmp_path: Path, catalogue: str) -> Library:
    corpus = tmp_path / "c"
    shutil.copytree(SEEDS, corpus)
    (corpus / "entities.yaml").write_text(catalogue, encoding="utf-8")
    return Library(corpus, tmp_path / "ix")


def test_entities_of_the_wrong_type_are_named_and_indexing_goes_on(tmp_path: Path) -> None:
    lib = seeds_with(tmp_path, "version: 1\nentities: 5\nignore: [Key Takeaways]\n")
    summary = lib.update()
    assert summary.articles == 5
    assert any("line 1" in w and "'entities' must be a list" in w for w in summary.warnings)
    assert lib.catalogue.ignore  # the rest of the file is used


def test_deep_nesting_is_refused_without_a_traceback(tmp_path: Path) -> None:
    depth = 5_000
    path = tmp_path / "entities.yaml"
    path.write_text("version: 1\nentities: " + "[" * depth + "]" * depth + "\n")
    with pytest.raises(CatalogueError, match=f"line 2: nested more than {MAX_DEPTH} levels"):
        load(path)
    lib = seeds_with(tmp_path, path.read_text())
    summary = lib.update()
    assert summary.articles == 5
    assert any("without the catalogue" in w for w in summary.warnings)


def test_a_huge_alias_list_is_left_out_with_its_line(tmp_path: Path) -> None:
    aliases = ", ".join(f"Alias{n}" for n in range(50_000))
    text = ("version: 1\nentities:\n  - name: Baku\n    type: place\n"
            f"  - name: Nobody\n    type: person\n    aliases: [{aliases}]\n")
    path = tmp_path / "entities.yaml"
    path.write_text(text)
    catalogue, problems = load_checked(path)
    assert [e.name for e in catalogue.entities] == ["Baku"]
    assert len(problems) == 1 and "line 5" in problems[0] and str(MAX_ALIASES) in problems[0]


def test_aliases_that_are_everyday_words_are_dropped(tmp_path: Path) -> None:
    lib = seeds_with(tmp_path, "version: 1\nentities:\n  - name: Baku\n    type: place\n"
                               "    aliases: [the, of, Baki]\n")
    summary = lib.update()
    assert any("line 3" in w and "'the'" in w and "'of'" in w for w in summary.warnings)
    (entity,) = [e for e in lib.catalogue.entities if e.name == "Baku"]
    assert entity.aliases == ("Baki",)
    # "the" did not become a mention of Baku in every article.
    baku, _ = lib.find_entity("Baku")
    assert baku is not None and len(lib.entity_articles(baku.id)) < 5
