"""The index package after its split into modules with one job each: indexes built before the
split still open, the old import paths still work, and the modules stay small."""

from __future__ import annotations

import ast
import pickle
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
BEFORE_SPLIT = ROOT / "tests" / "data" / "index_before_split"


def _copy_before_split(tmp_path: Path) -> tuple[Path, Path]:
    shutil.copytree(BEFORE_SPLIT, tmp_path / "old")
    return tmp_path / "old" / "corpus", tmp_path / "old" / "index"


def test_the_fixture_was_built_with_the_analyzers_in_index_store() -> None:
    """``index_before_split`` was written by the code before the split (two articles, then
    copied here): its schema names the analyzer classes by their old module."""
    toc = next((BEFORE_SPLIT / "index").glob("_MAIN_*.toc")).read_bytes()
    assert b"index.store" in toc and b"FoldFilter" in toc and b"ApostropheFilter" in toc
    assert b"index.schema" not in toc


def test_an_index_built_before_the_split_opens_and_searches(tmp_path: Path) -> None:
    from index.search import SearchEngine
    from index.store import Store

    corpus, folder = _copy_before_split(tmp_path)
    store = Store(corpus, folder)
    engine = SearchEngine(store)
    try:
        found = engine.search("CƏBRAYIL")  # folded by FoldFilter, unpickled from index.store
        assert [h.id for h in found.results] == ["one"]
        assert engine.search("aliyev").total == 1  # "Aliyev's" by ApostropheFilter
        assert engine.search("us").total == 1  # "U.S."
        assert engine.search("Baku").results[0].id == "two"
    finally:
        engine.close()
        store.close()


def test_an_index_built_before_the_split_opens_in_a_fresh_process(tmp_path: Path) -> None:
    """Nothing imported beforehand: unpickling the schema must find the classes by itself."""
    _corpus, folder = _copy_before_split(tmp_path)
    code = (
        "import sys; from pathlib import Path; from whoosh import index; "
        "ix = index.open_dir(sys.argv[1]); "
        "print(type(ix.schema['body'].analyzer).__name__)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code, str(folder)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=True,
    )
    assert out.stdout.strip() == "CompositeAnalyzer"


def test_an_index_built_before_the_split_is_updated_in_place(tmp_path: Path) -> None:
    from index.store import Store

    corpus, folder = _copy_before_split(tmp_path)
    (corpus / "three.txt").write_text("Snow\n\nSnow fell on Ganja.\n", encoding="utf-8")
    store = Store(corpus, folder)
    summary = store.update()
    assert (summary.articles, summary.added, summary.rebuilt_because) == (3, 1, None)
    assert store.stored("three") is not None
    store.close()


def test_the_analyzer_classes_pickle_by_either_module_path() -> None:
    import index.schema
    import index.store

    assert index.store.FoldFilter is index.schema.FoldFilter
    assert index.store.ApostropheFilter is index.schema.ApostropheFilter
    ana = index.store.analyzer()
    again = pickle.loads(pickle.dumps(ana))
    assert [t.text for t in again("Cəbrayıl's U.S.")] == ["cebrayil", "us"]


@pytest.mark.parametrize(
    ("module", "names"),
    [
        (
            "index.store",
            "SCHEMA_VERSION CATALOG SUMMARIES Store UpdateSummary IndexProblem "
            "default_index_dir analyzer tokens iter_tokens article_from_doc Enrichment Progress "
            "worker_main FoldFilter ApostropheFilter",
        ),
        (
            "index.search",
            "SearchEngine SearchResult QueryError MAX_EXPANSION _hit Hit "
            "PassageHit highlight_spans",
        ),
        (
            "index.corpus",
            "Article ArticleInfo Passage Skipped NotReadable MAX_BYTES "
            "iter_files read_article parse_article split_passages relative article_id scan "
            "read_bytes decode article_from_bytes find_title find_byline find_date",
        ),
        (
            "index.library",
            "Library Related ResolvedMention UNKNOWN CANDIDATE _Enricher appositions",
        ),
    ],
)
def test_the_old_import_paths_still_work(module: str, names: str) -> None:
    mod = __import__(module, fromlist=["_"])
    assert [n for n in names.split() if not hasattr(mod, n)] == []


SPLIT = [
    "store",
    "schema",
    "manifest",
    "documents",
    "update",
    "workers",
    "search",
    "queries",
    "results",
    "corpus",
    "article",
    "reading",
    "passages",
    "library",
    "related",
    "stamps",
    "entity_links",
    "catalogue",
    "files",
    "index_folder",
    "text",
    "bundled",
    "gazetteer",
]


@pytest.mark.parametrize("name", SPLIT)
def test_the_index_modules_stay_small(name: str) -> None:
    """A file past ~400 lines or a function past ~60 is asking to be split."""
    path = ROOT / "index" / f"{name}.py"
    source = path.read_text(encoding="utf-8")
    assert len(source.splitlines()) <= 420
    long = [
        node.name
        for node in ast.walk(ast.parse(source))
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))
        and node.end_lineno is not None
        and node.end_lineno - node.lineno >= 60
    ]
    assert long == []
