"""The shared scorers (``../shared/eval``) run in process: fast, and still their own code.

The scorers drive ``xref`` through its command line, one process per document (about 40 s a
run). Here they are imported from their folder and run unchanged but for ``run_json``, which
asks the CLI's own command functions on one index built once and parses what they print, so
the figures are those of the CLI (``bench/quality.py --subprocess`` is the check). What they
print is read back into numbers; they have no other interface.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib.util
import io
import json
import re
import shlex
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

Answer = Callable[[str, list[str]], Any]


def load_scorer(eval_dir: Path, name: str) -> ModuleType:
    """One of ../shared/eval's scripts as a module of its own (they are not a package)."""
    spec = importlib.util.spec_from_file_location(f"shared_eval_{name}", eval_dir / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def copy_texts(src: Path, dest: Path) -> Path:
    """A corpus folder holding only ``src``'s articles: gold.json and READMEs are not."""
    dest.mkdir(parents=True)
    for p in sorted(src.glob("*.txt")):
        shutil.copyfile(p, dest / p.name)
    return dest


class XrefInProcess:
    """Answers ``entities --article ID --json`` and ``mentions Q --json`` as ``xref`` would,
    by calling the CLI's own command functions on one index built once.

    The CLI checks the index is fresh before every command; on an index just built that
    check finds nothing, but it also drops the library's caches, which is what makes a
    process per document slow. So the services' update runs for real twice (build, then
    the no-op check) and later checks return that no-op summary."""

    def __init__(self, corpus: Path, index_dir: Path) -> None:
        from index.store import UpdateSummary
        from tui.services import Services

        class Built(Services):
            done: UpdateSummary | None = None

            def update(self, **kwargs: Any) -> UpdateSummary:
                if self.done is None:
                    super().update()
                    self.done = super().update(**kwargs)
                return self.done

        private = index_dir.with_name(index_dir.name + "-state")  # never the user's own
        self.services = Built(
            corpus.resolve(), index_dir, private / "bookmarks.yaml", private, None, False
        )
        self.services.update()
        self.xref = (
            f"{sys.executable} -m tui.cli --corpus {shlex.quote(str(corpus))} "
            f"--index-dir {shlex.quote(str(index_dir))} --no-catalogue"
        )

    def run(self, argv: list[str]) -> tuple[int, str]:
        """Exit status and standard output of ``xref ARGV`` (no standard error expected)."""
        from tui.cli import build_parser
        from tui.cli.entities_cli import cmd_entities, cmd_mentions

        args = build_parser().parse_args(argv)
        command = {"entities": cmd_entities, "mentions": cmd_mentions}[args.command]
        out = Utf8Out()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(io.StringIO()):
            status = command(self.services, args)
        return status, out.getvalue()


class Utf8Out(io.StringIO):
    """Captured standard output that says it is UTF-8, as a terminal's is: the CLI escapes
    JSON to ASCII only for streams that cannot take Unicode."""

    encoding = "utf-8"


class Recorder:
    """The ``run_json`` each scorer gets: answers from an in-process system (xref or the
    baseline) or from the real command, parsed with the scorer's own rules, and kept so
    the error report reads the very answers that were scored."""

    def __init__(
        self, run: Callable[[list[str]], tuple[int, str]] | None = None, command: str = ""
    ) -> None:
        self.run = run
        self.command = command
        self.answers: dict[tuple[str, ...], Any] = {}

    def ask(self, args: list[str], empty: Any, original: Answer | None = None) -> Any:
        key = tuple(args)
        if key not in self.answers:
            if self.run is None and original is not None:
                self.answers[key] = original(self.command, args)  # the scorer's own
                return self.answers[key]
            if self.run is not None:
                status, out = self.run(args)
            else:
                p = subprocess.run(
                    shlex.split(self.command) + args, capture_output=True, text=True, timeout=120
                )
                status, out = p.returncode, p.stdout
            if status not in (0, 1):
                raise RuntimeError(f"{' '.join(args)}: exit {status}")
            self.answers[key] = json.loads(out) if out.strip() else empty
        return self.answers[key]

    def for_scorer(self, module: ModuleType, empty: Any) -> Answer:
        original = module.run_json
        return lambda xref, args: self.ask(args, empty, original)

    def entities(self, doc: str) -> list[dict[str, Any]]:
        """A document's entities as scored; asked for when no scorer did (an error report
        following an entity into a document the gold does not name)."""
        return self.ask(["entities", "--article", doc, "--json"], []) or []


@contextlib.contextmanager
def scorer_run(module: ModuleType, run_json: Answer) -> Iterator[io.StringIO]:
    """The scorer with our ``run_json``, its printout captured."""
    out = io.StringIO()
    saved = module.run_json
    module.run_json = run_json
    try:
        with contextlib.redirect_stdout(out):
            yield out
    finally:
        module.run_json = saved


NER_LINE = re.compile(
    r"^(exact|overlap)\s+(\S+)\s+P ([\d.]+) R ([\d.]+) F1 ([\d.]+)\s+"
    r"\(system (\d+), gold (\d+)\)"
)
SELECT_LINE = re.compile(
    r"^(\S+)\s+selections\s+(\d+)\s+not recognised\s+(\d+)\s+"
    r"P ([\d.]+) R ([\d.]+) F1 ([\d.]+)"
)


def ner_scores(ner: ModuleType, gold_dir: Path, run_json: Answer, docs: str = "") -> dict:
    """ner_eval.py's figures: {"exact": {type: {p, r, f1, system, gold}}, "overlap": ...}."""
    argv = ["ner_eval.py", str(gold_dir), "--xref", "in-process", "--jobs", "1"]
    if docs:
        argv += ["--docs", docs]
    saved = sys.argv
    sys.argv = argv
    try:
        with scorer_run(ner, run_json) as out, contextlib.suppress(SystemExit):
            ner.main()
    finally:
        sys.argv = saved
    res: dict[str, dict[str, dict[str, float]]] = {"exact": {}, "overlap": {}}
    for line in out.getvalue().splitlines():
        if m := NER_LINE.match(line):
            res[m[1]][m[2]] = {
                "p": float(m[3]),
                "r": float(m[4]),
                "f1": float(m[5]),
                "system": int(m[6]),
                "gold": int(m[7]),
            }
    return res


def select_scores(xe: ModuleType, gold: Path, run_json: Answer, types: str) -> dict:
    """xref_eval.py select's figures: {type: {selections, not_recognised, p, r, f1}}."""
    args = argparse.Namespace(
        gold=str(gold),
        xref="in-process",
        types=types,
        min_docs=2,
        within_topic=False,
        meta=None,
        jobs=1,
    )
    with scorer_run(xe, run_json) as out:
        xe.select(args)
    res = {}
    for line in out.getvalue().splitlines():
        if m := SELECT_LINE.match(line):
            res[m[1]] = {
                "selections": int(m[2]),
                "not_recognised": int(m[3]),
                "p": float(m[4]),
                "r": float(m[5]),
                "f1": float(m[6]),
            }
    return res


def gum_split(readme: Path) -> dict[str, str]:
    """GUM's own train/dev/test split, from the "split" column of the README's table."""
    split: dict[str, str] = {}
    header: list[str] | None = None
    for line in readme.read_text(encoding="utf-8").splitlines():
        if not line.startswith("|"):
            header = None
            continue
        cells = [c.strip() for c in line.strip("|").split("|")]
        if header is None:
            header = cells
        elif "doc" in header and "split" in header and not set(cells[0]) <= {"-", ":"}:
            split[cells[header.index("doc")]] = cells[header.index("split")]
    return split


def subset_dir(gold_dir: Path, docs: set[str], dest: Path) -> Path:
    """A gold folder for ner_eval.py holding only ``docs`` (it scores every .txt there)."""
    dest.mkdir(parents=True)
    (dest / "gold.json").symlink_to(gold_dir / "gold.json")
    for d in sorted(docs):
        (dest / f"{d}.txt").symlink_to(gold_dir / f"{d}.txt")
    return dest
