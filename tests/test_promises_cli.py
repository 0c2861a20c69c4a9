"""README promises of the command line that had no test: ``mentions``, ``entities --article
--type``, ``index --rebuild``, ``--catalogue`` / ``--no-catalogue``, ``bookmarks export -o``.

Expectations come from the data (the seed files read directly) or from the library on the
same corpus, never from a copy of the command's own output.
"""

from __future__ import annotations

import json
import os
import re
import shutil
from pathlib import Path

import pytest
import yaml

from index.corpus import iter_files
from index.library import Library
from tests.conftest import SEEDS
from tests.test_cli import run


@pytest.fixture(scope="module")
def ix(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("promises-index")


def seed_texts() -> dict[str, str]:
    return {Path(rel).stem: Path(full).read_text(encoding="utf-8-sig")
            for rel, full in iter_files(SEEDS)}


# --- xref mentions ------------------------------------------------------------------------


def test_mentions_lists_every_article_naming_the_entity(ix: Path, seeds_lib: Library) -> None:
    # Every seed that writes "Hasanov" mentions Zakir Hasanov; read the files, not the index.
    naming = sorted(aid for aid, text in seed_texts().items() if "Hasanov" in text)
    out = json.loads(run("mentions", "Hasanov", "--json", index_dir=ix).stdout)
    assert sorted(a["id"] for a in out["articles"]) == naming
    entity, _ = seeds_lib.find_entity("Hasanov")
    assert entity is not None and out["entity"]["id"] == entity.id
    for a in out["articles"]:
        article = seeds_lib.article(a["id"])
        assert article is not None and a["title"] == article.title
        assert a["mentions"], a["id"]
        for m in a["mentions"]:
            assert article.text[m["start"] : m["end"]] == m["text"]
            assert article.passage_at(m["start"]) == m["passage"]
            assert f"[{m['text']}]" in m["context"]  # the mention, marked, in its context


def test_mentions_finds_an_entity_by_id_name_or_alias(ix: Path, seeds_lib: Library) -> None:
    # The catalogue of the seeds gives Nagorno-Karabakh the alias Artsakh.
    catalogue = yaml.safe_load((SEEDS / "entities.yaml").read_text(encoding="utf-8"))
    entry = next(e for e in catalogue["entities"] if e.get("aliases"))
    entity, _ = seeds_lib.find_entity(entry["name"])
    assert entity is not None
    for query in (entity.id, entry["name"], entry["name"].upper(), *entry["aliases"]):
        out = json.loads(run("mentions", query, "--json", index_dir=ix).stdout)
        assert out["entity"]["id"] == entity.id, query
        assert sorted(a["id"] for a in out["articles"]) == seeds_lib.entity_articles(entity.id)


def test_mentions_of_nothing_is_exit_1_with_one_line(ix: Path) -> None:
    proc = run("mentions", "Qwxzyvv Ptrq", index_dir=ix, check_rc=1)
    assert proc.stderr.startswith("xref: no entity matches 'Qwxzyvv Ptrq'")
    assert proc.stderr.count("\n") == 1


# --- xref entities --article --type ---------------------------------------------------------


@pytest.mark.parametrize("type_", ["person", "place", "event", "organisation"])
def test_entities_of_one_type(ix: Path, seeds_lib: Library, type_: str) -> None:
    out = json.loads(run("entities", "--type", type_, "--json", index_dir=ix).stdout)
    every = json.loads(run("entities", "--json", index_dir=ix).stdout)
    assert out == [e for e in every if e["type"] == type_]
    assert out, f"no {type_} in the seeds"
    counts = [len(e["article_ids"]) for e in out]
    assert counts == sorted(counts, reverse=True)  # most cited first


def test_entities_of_one_article_with_their_mentions(ix: Path, seeds_lib: Library) -> None:
    article_id = "004_8c0c6ff0117b03a7"
    article = seeds_lib.article(article_id)
    assert article is not None
    out = json.loads(run("entities", "--article", article_id, "--json", index_dir=ix).stdout)
    mentioned = {m.entity for m in seeds_lib.mentions(article_id) if m.entity}
    assert {e["id"] for e in out} == mentioned
    for e in out:
        assert article_id in e["article_ids"] and e["mentions"]
        for m in e["mentions"]:
            assert m["article"] == article_id
            assert article.text[m["start"] : m["end"]] == m["text"]
    people = json.loads(run("entities", "--article", article_id, "--type", "person", "--json",
                            index_dir=ix).stdout)
    assert people == [e for e in out if e["type"] == "person"] and people
    # The text listing names the same entities, one per line, with their article counts.
    table = run("entities", "--article", article_id, index_dir=ix).stdout.splitlines()
    assert len(table) == 1 + len(out)
    for row, e in zip(table[1:], out, strict=True):
        assert row.split()[0] == str(len(e["article_ids"])) and row.endswith(f"  {e['id']}")


def test_entities_of_an_unknown_article_is_exit_1(ix: Path) -> None:
    proc = run("entities", "--article", "nope", index_dir=ix, check_rc=1)
    assert proc.stderr == "xref: no article 'nope' in this corpus\n"


# --- xref index --rebuild -------------------------------------------------------------------


def test_index_rebuild_reads_every_file_again(tmp_path: Path) -> None:
    corpus = tmp_path / "c"
    shutil.copytree(SEEDS, corpus)
    n = len(list(iter_files(corpus)))
    first = run("--corpus", str(corpus), "index", index_dir=tmp_path / "ix").stdout
    assert f"({n} added, 0 changed, 0 removed)" in first
    again = run("--corpus", str(corpus), "index", index_dir=tmp_path / "ix").stdout
    assert "(0 added, 0 changed, 0 removed)" in again
    rebuilt = run("--corpus", str(corpus), "index", "--rebuild", index_dir=tmp_path / "ix")
    assert f"({n} added, 0 changed, 0 removed)" in rebuilt.stdout
    # A file changed behind the index's back is read again by --rebuild even if its size and
    # time say nothing changed.
    victim = corpus / "003_3008ca76504e7be7.txt"
    stat = victim.stat()
    text = victim.read_text(encoding="utf-8-sig")
    victim.write_text(text.replace("Artsakh", "Arcakhx"), encoding="utf-8")
    os.utime(victim, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    run("--corpus", str(corpus), "index", "--rebuild", index_dir=tmp_path / "ix")
    out = json.loads(run("--corpus", str(corpus), "search", "Arcakhx", "--json",
                         index_dir=tmp_path / "ix").stdout)
    assert [r["id"] for r in out["results"]] == ["003_3008ca76504e7be7"]


# --- --catalogue FILE and --no-catalogue ----------------------------------------------------


def _entity_names(*args: str) -> dict[str, str]:
    return {e["name"]: e["type"] for e in json.loads(run(*args, "entities", "--json").stdout)}


def test_catalogue_flags(tmp_path: Path, seeds_lib: Library, seeds_lib_nocat: Library) -> None:
    corpus = tmp_path / "c"
    shutil.copytree(SEEDS, corpus)
    base = ["--corpus", str(corpus), "--index-dir", str(tmp_path / "ix")]
    with_own = _entity_names(*base)
    without = _entity_names(*base, "--no-catalogue")
    assert with_own == {e.name: e.type for e in seeds_lib.entities()}
    assert without == {e.name: e.type for e in seeds_lib_nocat.entities()}
    assert with_own != without  # the corpus's entities.yaml is read by default, and ignored
    # Another catalogue: one that ignores the most cited name found without any catalogue
    # and declares a place the seeds name but the gazetteer does not know.
    top = seeds_lib_nocat.entities()[0].name
    own = yaml.safe_load((SEEDS / "entities.yaml").read_text(encoding="utf-8"))
    place = next(e["name"] for e in own["entities"] if e["type"] == "place"
                 and not e.get("aliases") and e["name"] not in without)
    assert any(place in text for text in seed_texts().values())
    other = tmp_path / "mine.yaml"
    other.write_text(yaml.safe_dump({"version": 1, "ignore": [top],
                                     "entities": [{"name": place, "type": "place"}]}),
                     encoding="utf-8")
    chosen = _entity_names(*base, "--catalogue", str(other))
    assert top not in chosen and chosen.get(place) == "place"
    # The flags change the catalogue, not the corpus: back to the default, back to its list.
    assert _entity_names(*base) == with_own


# --- xref bookmarks export -o ---------------------------------------------------------------


def test_export_to_a_file(tmp_path: Path) -> None:
    bm = tmp_path / "b.yaml"
    common = ["--bookmarks", str(bm)]
    article = "004_8c0c6ff0117b03a7"
    text = (SEEDS / f"{article}.txt").read_text(encoding="utf-8-sig")
    quotes = sorted({m.group(0) for m in re.finditer(r"President Ilham Aliyev( \w+){3}", text)})
    assert quotes
    for q in quotes:
        run(*common, "bookmark", "add", article, "--quote", q, "--tag", "aliyev",
            index_dir=tmp_path / "ix")
    to_stdout = run(*common, "bookmarks", "export", "--format", "markdown",
                    index_dir=tmp_path / "ix").stdout
    out = tmp_path / "notes" / "export.md"
    out.parent.mkdir()
    proc = run(*common, "bookmarks", "export", "--format", "markdown", "-o", str(out),
               index_dir=tmp_path / "ix")
    assert proc.stdout == ""
    assert out.read_text(encoding="utf-8") == to_stdout
    assert all(f"> {q}" in to_stdout for q in quotes)
    assert proc.stderr == f"wrote {len(quotes)} bookmarks to {out}\n"
    # Writing over an existing file replaces it whole, in place of appending.
    run(*common, "bookmarks", "export", "--format", "markdown", "-o", str(out),
        index_dir=tmp_path / "ix")
    assert out.read_text(encoding="utf-8") == to_stdout
    assert sorted(p.name for p in out.parent.iterdir()) == ["export.md"]
