"""A catalogue change is a re-link, not a re-extraction (issue 12, item 4): merges, ignored
names and types are applied over the stored summaries on the next open; a change to what
the extractor looks for (a phrase) extracts again. Either way the index answers exactly what
a build from scratch with that catalogue answers."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

import index.enrichment as enrichment_mod
from index import entity_fixes
from index.library import Library
from index.store import UpdateSummary

CATALOGUE = """\
version: 1
entities:
  - name: General Motors
    type: organisation
    aliases: [GM]
ignore: []
merges: []
"""


@pytest.fixture
def extracted(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """The ids of the articles the extractor reads, in this process."""
    seen: list[str] = []
    real = enrichment_mod._Enricher.__call__

    def counting(self, article):  # type: ignore[no-untyped-def]
        seen.append(article.id)
        return real(self, article)

    monkeypatch.setattr(enrichment_mod._Enricher, "__call__", counting)
    yield seen


def _open(corpus: Path, ix: Path, cat: Path) -> tuple[Library, UpdateSummary]:
    """A fresh library, as a new process would make it, brought up to date."""
    lib = Library(corpus, ix, catalogue=cat)
    lib.store.workers = 1  # extraction in this process, where it is counted
    return lib, lib.update()


def _fix(lib: Library, fix: entity_fixes.Fix, cat: Path) -> None:
    cat.write_text(fix.change(cat.read_text(encoding="utf-8")), encoding="utf-8")
    lib.close()


def _answers(lib: Library) -> tuple[object, dict[str, list[object]]]:
    """Everything linking decides: the links, and every article's resolved mentions."""
    links = json.loads(lib.links_path.read_text(encoding="utf-8"))
    mentions = {a.id: [tuple(vars(m).values()) for m in lib.mentions(a.id)] for a in lib.articles()}
    return links, mentions


def _same_as_a_build(lib: Library, corpus: Path, cat: Path, tmp_path: Path, name: str) -> None:
    fresh = Library(corpus, tmp_path / name, catalogue=cat)
    fresh.update()
    assert _answers(lib) == _answers(fresh)
    fresh.close()


@pytest.fixture
def corpus(tmp_path: Path, wikinews: Path) -> Path:
    dest = tmp_path / "wikinews"
    shutil.copytree(wikinews, dest, ignore=shutil.ignore_patterns("entities.yaml"))
    return dest


def test_merge_ignore_and_type_are_applied_by_a_relink_alone(
    corpus: Path, tmp_path: Path, extracted: list[str]
) -> None:
    cat = tmp_path / "entities.yaml"
    cat.write_text(CATALOGUE, encoding="utf-8")
    ix = tmp_path / "ix"
    lib, first = _open(corpus, ix, cat)
    assert first.added == 120 and len(extracted) == 120
    extracted.clear()

    _fix(lib, entity_fixes.merge(lib, ["Airbus", "Boeing"]), cat)
    lib, summary = _open(corpus, ix, cat)
    assert (summary.touched, summary.relinked, extracted) == (0, True, [])
    airbus, _ = lib.find_entity("Airbus")
    boeing, _ = lib.find_entity("Boeing")
    assert airbus is not None and boeing is not None and airbus.id == boeing.id

    _fix(lib, entity_fixes.ignore(lib, "Nasdaq"), cat)
    _fix(lib, entity_fixes.retype(lib, "General Motors", "place"), cat)
    lib, summary = _open(corpus, ix, cat)
    assert (summary.touched, summary.relinked, extracted) == (0, True, [])
    assert lib.find_entity("Nasdaq")[0] is None
    gm, _ = lib.find_entity("General Motors")
    assert gm is not None and gm.type == "place"
    some = lib.entity_articles(gm.id)[0]
    assert {m.type for m in lib.mentions(some, gm.id)} == {"place"}
    _same_as_a_build(lib, corpus, cat, tmp_path, "built-1")
    extracted.clear()

    # No longer ignored: the name's mentions were kept, so they come back by a re-link too.
    cat.write_text(cat.read_text(encoding="utf-8").replace("[Nasdaq]", "[]"), encoding="utf-8")
    assert "Nasdaq" not in cat.read_text(encoding="utf-8")
    lib.close()
    lib, summary = _open(corpus, ix, cat)
    assert (summary.touched, summary.relinked, extracted) == (0, True, [])
    assert lib.find_entity("Nasdaq")[0] is not None
    _same_as_a_build(lib, corpus, cat, tmp_path, "built-2")
    extracted.clear()

    # Unchanged since: nothing linked again, nothing written.
    lib, summary = _open(corpus, ix, cat)
    assert (summary.touched, summary.relinked, extracted) == (0, False, [])


def test_a_new_phrase_extracts_again(corpus: Path, tmp_path: Path, extracted: list[str]) -> None:
    cat = tmp_path / "entities.yaml"
    cat.write_text(CATALOGUE, encoding="utf-8")
    ix = tmp_path / "ix"
    lib, _ = _open(corpus, ix, cat)
    extracted.clear()
    lib.close()
    cat.write_text(CATALOGUE.replace("[GM]", "[GM, General Motors Corporation]"), "utf-8")
    lib, summary = _open(corpus, ix, cat)
    assert summary.changed == 120 and len(extracted) == 120
    _same_as_a_build(lib, corpus, cat, tmp_path, "built")
