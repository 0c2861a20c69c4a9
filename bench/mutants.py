"""Mutation testing of index/ and the bookmark store: do the tests notice when the code breaks?

    python bench/mutants.py --max-mutants 60 --files index/search.py tui/bookmarks/anchor.py
    python bench/mutants.py --files tui/bookmarks/store.py --tests tests/test_bookmarks.py -k store

A small mutator over the AST (mutmut rewrites every function into a trampoline and wants its
own layout; this stays a plain script with no dependency). Each mutant is one change: a
comparison flipped, a ``not`` dropped, ``and``/``or`` swapped, an integer constant moved by
one, a boolean flipped, a return value replaced by ``None``, or a statement deleted. The
sources and tests are copied to a temporary folder once; every mutant is written there and the
relevant test files run against it with ``pytest -x`` under a time limit, ``PYTHONPATH``
pointing at the copy so the ``xref`` command and child processes import the mutant too.

A mutant is *killed* when a test fails, *timed out* when the tests exceed the limit (counted
as killed: the change made something hang), *survived* when every test passed. Survivors are
printed with their line so they can be read: either a test is missing, or the change is
equivalent (it cannot alter behaviour). Figures, not assertions: nothing here fails a build.
"""

from __future__ import annotations

import argparse
import ast
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_FILES = sorted(
    [str(p.relative_to(ROOT)) for p in (ROOT / "index").glob("*.py") if p.name != "__init__.py"]
    + ["tui/bookmarks/store.py", "tui/bookmarks/model.py", "tui/bookmarks/anchor.py"]
)
# The tests that exercise each source; anything else in index/ gets the index tests.
TESTS = {
    "index/search.py": ["tests/test_search.py"],
    "index/store.py": ["tests/test_store.py", "tests/test_search.py"],
    "index/corpus.py": ["tests/test_corpus.py", "tests/test_store.py"],
    "index/files.py": ["tests/test_store.py", "tests/test_bookmarks.py"],
    "tui/bookmarks/anchor.py": ["tests/test_bookmarks.py"],
    "tui/bookmarks/store.py": ["tests/test_bookmarks.py"],
    "tui/bookmarks/model.py": ["tests/test_bookmarks.py"],
}
INDEX_TESTS = ["tests/test_entities.py", "tests/test_store.py", "tests/test_search.py"]
COPIED = ["index", "tui", "tests", "seeds", "bench", "pyproject.toml"]

FLIP = {
    ast.Eq: ast.NotEq,
    ast.NotEq: ast.Eq,
    ast.Lt: ast.GtE,
    ast.GtE: ast.Lt,
    ast.Gt: ast.LtE,
    ast.LtE: ast.Gt,
    ast.In: ast.NotIn,
    ast.NotIn: ast.In,
    ast.Is: ast.IsNot,
    ast.IsNot: ast.Is,
}


@dataclass
class Mutant:
    file: str
    line: int
    kind: str
    before: str
    after: str
    status: str = "pending"
    seconds: float = 0.0


def _docstring(node: ast.AST) -> bool:
    return (
        isinstance(node, ast.Expr)
        and isinstance(node.value, ast.Constant)
        and isinstance(node.value.value, str)
    )


def _sites(tree: ast.Module) -> Iterator[tuple[ast.AST, str]]:
    """Every place a mutation can be made, with its kind. Type annotations and docstrings are
    left alone (changing them cannot change behaviour), and statements are deleted only inside
    functions."""
    skip: set[int] = set()
    in_function: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            in_function.update(id(n) for n in ast.walk(node))
        for ann in (getattr(node, "annotation", None), getattr(node, "returns", None)):
            if ann is not None:
                skip.update(id(n) for n in ast.walk(ann))
    for node in ast.walk(tree):
        if id(node) in skip:
            continue
        if isinstance(node, ast.Compare):
            for i, op in enumerate(node.ops):
                if type(op) in FLIP:
                    yield node, f"compare:{i}"
        elif isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
            yield node, "drop-not"
        elif isinstance(node, ast.BoolOp):
            yield node, "and-or"
        elif isinstance(node, ast.Constant) and type(node.value) is bool:
            yield node, "flip-bool"
        elif isinstance(node, ast.Constant) and type(node.value) is int:
            yield node, "int+1"
            yield node, "int-1"
        elif (
            isinstance(node, ast.Return)
            and node.value is not None
            and not (isinstance(node.value, ast.Constant) and node.value.value is None)
        ):
            yield node, "return-none"
        if id(node) not in in_function:
            continue  # deleting a module constant or a class field is a NameError: no news
        for field in ("body", "orelse", "finalbody"):
            body = getattr(node, field, None)
            if isinstance(body, list) and len(body) > 1:
                for stmt in body:
                    if isinstance(
                        stmt,
                        (
                            ast.Expr,
                            ast.Assign,
                            ast.AugAssign,
                            ast.AnnAssign,
                            ast.Raise,
                            ast.If,
                            ast.For,
                            ast.With,
                        ),
                    ) and not _docstring(stmt):
                        yield stmt, f"delete:{field}"


def _apply(node: ast.AST, kind: str, tree: ast.Module) -> None:
    if kind.startswith("compare:"):
        assert isinstance(node, ast.Compare)
        i = int(kind.split(":")[1])
        node.ops[i] = FLIP[type(node.ops[i])]()
    elif kind == "drop-not":
        assert isinstance(node, ast.UnaryOp)
        _replace(tree, node, node.operand)
    elif kind == "and-or":
        assert isinstance(node, ast.BoolOp)
        node.op = ast.Or() if isinstance(node.op, ast.And) else ast.And()
    elif kind == "flip-bool":
        assert isinstance(node, ast.Constant)
        node.value = not node.value
    elif kind in ("int+1", "int-1"):
        assert isinstance(node, ast.Constant)
        node.value += 1 if kind == "int+1" else -1
    elif kind == "return-none":
        assert isinstance(node, ast.Return)
        node.value = ast.Constant(None)
    elif kind.startswith("delete:"):
        _replace(tree, node, ast.Pass())
    ast.fix_missing_locations(tree)


def _replace(tree: ast.Module, old: ast.AST, new: ast.AST) -> None:
    """Put ``new`` where ``old`` is, in whatever field or list holds it."""
    for parent in ast.walk(tree):
        for field, value in ast.iter_fields(parent):
            if value is old:
                setattr(parent, field, new)
                ast.copy_location(new, old)
                return
            if isinstance(value, list):
                for i, item in enumerate(value):
                    if item is old:
                        value[i] = new
                        ast.copy_location(new, old)
                        return
    raise LookupError("node not found")


def _shown(node: ast.AST) -> str:
    text = ast.unparse(node).splitlines()[0] if not isinstance(node, ast.Pass) else "pass"
    return text if len(text) <= 100 else text[:97] + "..."


def mutants_of(rel: str) -> list[tuple[Mutant, str]]:
    """A description and the mutated source for every site in ``rel``."""
    source = (ROOT / rel).read_text(encoding="utf-8")
    lines = source.splitlines()
    count = sum(1 for _ in _sites(ast.parse(source)))
    out = []
    for n in range(count):
        tree = ast.parse(source)  # afresh: each mutant is one change to the original
        node, kind = list(_sites(tree))[n]
        line = getattr(node, "lineno", 0)
        _apply(node, kind, tree)
        stmt = _statement_at(tree, line)
        after = (
            "pass" if kind.startswith("delete:") else (_shown(stmt) if stmt is not None else "?")
        )
        out.append((Mutant(rel, line, kind, lines[line - 1].strip(), after), ast.unparse(tree)))
    return out


def _statement_at(tree: ast.Module, line: int) -> ast.stmt | None:
    """The innermost statement starting on ``line`` or spanning it."""
    best = None
    for n in ast.walk(tree):
        spans = isinstance(n, ast.stmt) and n.lineno <= line <= (n.end_lineno or n.lineno)
        if spans and (best is None or n.lineno >= best.lineno):
            best = n
    return best


def _copy_tree(dest: Path) -> None:
    for name in COPIED:
        src = ROOT / name
        if src.is_dir():
            shutil.copytree(
                src,
                dest / name,
                ignore=shutil.ignore_patterns("__pycache__", ".pytest_cache", "*.pyc"),
            )
        else:
            shutil.copy2(src, dest / name)


def _run_tests(work: Path, tests: list[str], extra: list[str], timeout: float) -> str:
    env = dict(os.environ, PYTHONPATH=str(work), PYTHONDONTWRITEBYTECODE="1")
    cmd = [
        sys.executable,
        "-m",
        "pytest",
        "-x",
        "-q",
        "-p",
        "no:cacheprovider",
        "--no-header",
        "-o",
        "addopts=",
        *extra,
        *tests,
    ]
    try:
        proc = subprocess.run(
            cmd, cwd=work, env=env, capture_output=True, text=True, timeout=timeout
        )
    except subprocess.TimeoutExpired:
        return "timeout"
    return "survived" if proc.returncode == 0 else "killed"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument(
        "--files",
        nargs="+",
        default=DEFAULT_FILES,
        help="sources to mutate, relative to the repository",
    )
    ap.add_argument(
        "--tests",
        nargs="+",
        default=None,
        help="test files to run for every mutant (default: chosen per source)",
    )
    ap.add_argument("-k", default=None, help="pytest -k expression for the tests")
    ap.add_argument("--max-mutants", type=int, default=60, help="a random sample of this many")
    ap.add_argument("--seed", type=int, default=14, help="sampling seed (same seed, same set)")
    ap.add_argument(
        "--timeout",
        type=float,
        default=None,
        help="seconds per mutant (default: 3x the unmutated run, at least 20)",
    )
    ap.add_argument(
        "--budget",
        type=float,
        default=None,
        help="stop starting new mutants after this many seconds in all",
    )
    ap.add_argument("--json", type=Path, default=None, help="write every mutant's result here")
    args = ap.parse_args(argv)

    candidates: list[tuple[Mutant, str]] = []
    for rel in args.files:
        candidates += mutants_of(rel)
    rng = random.Random(args.seed)
    sample = (
        candidates
        if len(candidates) <= args.max_mutants
        else rng.sample(candidates, args.max_mutants)
    )
    sample.sort(key=lambda ms: (ms[0].file, ms[0].line, ms[0].kind))
    print(
        f"{len(candidates)} mutants possible in {len(args.files)} files; running {len(sample)}",
        flush=True,
    )
    extra = ["-k", args.k] if args.k else []
    began = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="xref-mutants-") as tmp:
        work = Path(tmp)
        _copy_tree(work)
        tests_for = {rel: args.tests or TESTS.get(rel, INDEX_TESTS) for rel in args.files}
        limits: dict[tuple[str, ...], float] = {}
        for tests in {tuple(t) for t in tests_for.values()}:
            t0 = time.monotonic()
            status = _run_tests(work, list(tests), extra, timeout=900)
            took = time.monotonic() - t0
            if status != "survived":
                print(
                    f"the unmutated code fails {' '.join(tests)}: fix that first", file=sys.stderr
                )
                return 2
            limits[tests] = args.timeout or max(20.0, 3 * took)
            print(f"baseline {' '.join(tests)}: {took:.1f} s", flush=True)
        for mutant, source in sample:
            if args.budget is not None and time.monotonic() - began > args.budget:
                break
            target = work / mutant.file
            original = target.read_text(encoding="utf-8")
            target.write_text(source, encoding="utf-8")
            tests = tests_for[mutant.file]
            t0 = time.monotonic()
            try:
                mutant.status = _run_tests(work, tests, extra, limits[tuple(tests)])
            finally:
                target.write_text(original, encoding="utf-8")
            mutant.seconds = round(time.monotonic() - t0, 1)
            mark = {"killed": ".", "timeout": "T", "survived": "S"}[mutant.status]
            print(mark, end="", flush=True)
    ran = [m for m, _ in sample if m.status != "pending"]
    survived = [m for m in ran if m.status == "survived"]
    killed = sum(m.status == "killed" for m in ran)
    timeouts = sum(m.status == "timeout" for m in ran)
    print(
        f"\n\n{len(ran)} mutants run: {killed} killed, {timeouts} timed out, "
        f"{len(survived)} survived ({time.monotonic() - began:.0f} s)"
    )
    if ran:
        print(f"mutation score: {(killed + timeouts) / len(ran):.0%}")
    for m in survived:
        print(f"\nSURVIVED {m.file}:{m.line} [{m.kind}]\n  - {m.before}\n  + {m.after}")
    if args.json:
        args.json.write_text(
            json.dumps([asdict(m) for m in ran], indent=2) + "\n", encoding="utf-8"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
