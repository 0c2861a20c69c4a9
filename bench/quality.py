"""How good xref's cross-references are, on the seeds and on the development sets of issue 8.

    python bench/quality.py                      # every set found, xref only
    python bench/quality.py --baseline --errors 10 --json /tmp/quality.json
    python bench/quality.py --sets seeds         # the hand-read seeds only (no ../shared)
    python bench/quality.py --subprocess         # the same figures through the real CLI (slow)

Seeds: the gold list ``bench/seed_gold.yaml`` holds every person, place, event and
organisation the five seeds name, with the seeds that mention it and its other names there,
read by hand. Figures, with and without the catalogue:

- entity precision: extracted entities that are a gold entity of the same type (by name or
  alias) / all extracted entities;
- entity recall: gold entities found as one extracted entity of the right type / all gold;
- linking recall: (entity, article) pairs of the gold list that the single best-matching
  extracted entity lists / all gold pairs — what the sidebar shows when you select it;
- linking precision: of the articles the matched entities list, those the gold list agrees
  with.

Development sets (``../shared``, data nobody on the project wrote): GUM mention F1 with
``ner_eval.py`` (all 219 documents, the news documents, and GUM's own dev+test split read
from its README) and selection F1 with ``xref_eval.py select`` (GUM, persons and places;
the Wikinews MEANTIME gold, default types), run in process by ``bench/scorers.py`` so that
the whole script takes seconds, not minutes. Every set is indexed once, all its documents
together, from copies of its ``.txt`` files in a temporary folder and without a catalogue,
as the eval README does; the subsets are scored on that one index. A set that is absent is
skipped with one line. ``--baseline`` scores ``bench/baseline.py`` beside xref.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.scorers import (  # noqa: E402  (after the path: run as a script too)
    Recorder,
    XrefInProcess,
    copy_texts,
    gum_split,
    load_scorer,
    ner_scores,
    select_scores,
    subset_dir,
)

SEED_GOLD = Path(__file__).parent / "seed_gold.yaml"
# The seed gold list's block of entities it says xref does not find without help.
HARD_MARK = "# Named in the seeds but not found by xref without help"
SETS = ("seeds", "gum", "wikinews")

# --- seeds -------------------------------------------------------------------------------


def names(name: str, aliases: list[str]) -> set[str]:
    out = {name, *aliases}
    return {n.casefold().removeprefix("the ").strip() for n in out}


def load_seed_gold(path: Path = SEED_GOLD) -> tuple[list[dict[str, Any]], set[str]]:
    """The gold entities, and the names of those in the file's "not found without help"
    block: the seeds' tests derive their floors from it rather than from today's output."""
    text = path.read_text(encoding="utf-8")
    gold = yaml.safe_load(text)["entities"]
    _, _, tail = text.partition(HARD_MARK)
    rows = [line.strip() for line in tail.splitlines() if line.strip().startswith("- ")]
    hard = {e["name"] for e in yaml.safe_load("\n".join(rows)) or []}
    return gold, hard


def measure(use_catalogue: bool, gold: list[dict[str, Any]]) -> dict[str, Any]:
    from index.bundled import bundled_corpus
    from index.library import Library

    with tempfile.TemporaryDirectory() as ix:
        lib = Library(bundled_corpus(), Path(ix), use_catalogue=use_catalogue)
        lib.update()
        found = [(e, {a[:3] for a in e.article_ids}) for e in lib.entities()]
        lib.close()
    gold_names = [(g, names(g["name"], g.get("aliases", []))) for g in gold]
    matched = 0
    wrong: list[str] = []
    listed = agreed = 0
    for e, arts in found:
        en = names(e.name, e.aliases)
        g = next((g for g, gn in gold_names if gn & en and g["type"] == e.type), None)
        if g is None:
            wrong.append(f"{e.name} ({e.type})")
            continue
        matched += 1
        listed += len(arts)
        agreed += len(arts & set(g["articles"]))
    found_gold = 0
    pairs = covered = 0
    missing: list[str] = []
    linked: dict[str, int] = {}
    for g, gn in gold_names:
        cands = [arts for e, arts in found if names(e.name, e.aliases) & gn and e.type == g["type"]]
        pairs += len(g["articles"])
        if not cands:
            missing.append(f"{g['name']} ({g['type']})")
            continue
        found_gold += 1
        best = max(cands, key=lambda a: len(a & set(g["articles"])))
        covered += len(best & set(g["articles"]))
        linked[g["name"]] = len(best & set(g["articles"]))
    return {
        "extracted": len(found),
        "gold": len(gold),
        "entity_precision": matched / len(found),
        "entity_recall": found_gold / len(gold),
        "link_precision": agreed / listed if listed else 0.0,
        "link_recall": covered / pairs,
        "not_in_gold": wrong,
        "missing": missing,
        "linked": linked,
    }


def seeds() -> dict[str, Any]:
    gold, _ = load_seed_gold()
    out = {}
    for label, flag in (("with the catalogue", True), ("without the catalogue", False)):
        m = measure(flag, gold)
        out["catalogue" if flag else "no_catalogue"] = m
        print(
            f"\nseeds, {label}: {m['extracted']} entities extracted, {m['gold']} in the gold list"
        )
        print(
            f"  entity precision {m['entity_precision']:.3f}   entity recall "
            f"{m['entity_recall']:.3f}"
        )
        print(
            f"  linking precision {m['link_precision']:.3f}  linking recall {m['link_recall']:.3f}"
        )
        if m["not_in_gold"]:
            print("  extracted, not in the gold list: " + "; ".join(m["not_in_gold"]))
        if m["missing"]:
            print("  in the gold list, not found: " + "; ".join(m["missing"]))
    return out


# --- the development sets ----------------------------------------------------------------


def systems(corpus: Path, tmp: Path, args: argparse.Namespace) -> list[tuple[str, Recorder]]:
    """xref (and the baseline) answering for ``corpus``, in process or through the CLI."""
    xref = XrefInProcess(corpus, tmp / f"{corpus.name}-index")
    if args.subprocess:
        out = [("xref", Recorder(command=xref.xref))]
    else:
        out = [("xref", Recorder(xref.run))]
    if args.baseline:
        if args.subprocess:
            cmd = f"{sys.executable} {ROOT / 'bench' / 'baseline.py'} --corpus {corpus}"
            out.append(("baseline", Recorder(command=cmd)))
        else:
            from bench.baseline import Baseline

            out.append(("baseline", Recorder(Baseline(corpus).answer)))
    return out


def score_gum(
    shared: Path, tmp: Path, args: argparse.Namespace, ner: ModuleType, xe: ModuleType
) -> dict[str, Any] | None:
    gum = shared / "corpora" / "gum"
    if not (gum / "gold.json").is_file():
        print(f"\nGUM: skipped, no gold set at {gum}")
        return None
    corpus = copy_texts(gum, tmp / "gum")
    split = gum_split(gum / "README.md")
    heldout = {d for d, s in split.items() if s in ("dev", "test") and (gum / f"{d}.txt").exists()}
    held_dir = subset_dir(gum, heldout, tmp / "gum-dev-test")
    docs = sorted(p.stem for p in corpus.glob("*.txt"))
    res: dict[str, Any] = {"documents": len(docs), "dev_test_documents": len(heldout)}
    for name, r in systems(corpus, tmp, args):
        res[name] = {
            "mentions_all": ner_scores(ner, gum, r.for_scorer(ner, [])),
            "mentions_news": ner_scores(ner, gum, r.for_scorer(ner, []), docs="GUM_news_"),
            "mentions_dev_test": ner_scores(ner, held_dir, r.for_scorer(ner, [])),
            "selection": select_scores(
                xe, gum / "gold.json", r.for_scorer(xe, None), "person,place"
            ),
        }
        if args.errors and name == "xref":
            from bench.quality_errors import mention_errors, selection_errors

            res["errors"] = {
                "mentions": mention_errors(gum / "gold.json", gum, docs, r.entities).top(
                    args.errors
                ),
                "selection": selection_errors(
                    gum / "gold.json", gum, {"person", "place"}, r.entities
                ).top(args.errors),
            }
    return res


def score_wikinews(
    shared: Path, tmp: Path, args: argparse.Namespace, xe: ModuleType
) -> dict[str, Any] | None:
    texts = shared / "corpora" / "wikinews"
    gold = shared / "corpora" / "wikinews-gold" / "gold.json"
    if not gold.is_file() or not texts.is_dir():
        print(f"\nWikinews: skipped, no gold set at {gold} or texts at {texts}")
        return None
    corpus = copy_texts(texts, tmp / "wikinews")
    res: dict[str, Any] = {"documents": len(list(corpus.glob("*.txt")))}
    types = "person,place,event"  # xref_eval.py's default
    for name, r in systems(corpus, tmp, args):
        res[name] = {"selection": select_scores(xe, gold, r.for_scorer(xe, None), types)}
        if args.errors and name == "xref":
            from bench.quality_errors import selection_errors

            res["errors"] = {
                "selection": selection_errors(gold, texts, set(types.split(",")), r.entities).top(
                    args.errors
                )
            }
    return res


# --- printing ----------------------------------------------------------------------------


def table(
    title: str,
    res: dict[str, Any],
    key: str,
    columns: list[str],
    note: Callable[[dict[str, Any]], str] = lambda r: "",
) -> None:
    """One measure as the issue's table has it, xref beside the baseline and their ratio."""
    print(f"\n{title}")
    print(f"  {'':10}" + "".join(f"{c:>14}" for c in columns))
    rows = [s for s in ("xref", "baseline") if s in res]
    for s in rows:
        r = res[s][key]
        r = r.get("exact", r)
        print(
            f"  {s:10}"
            + "".join(f"{r[c]['f1']:>14.3f}" if c in r else f"{'-':>14}" for c in columns)
            + note(res[s][key])
        )
    if len(rows) == 2:
        x, b = (res[s][key].get("exact", res[s][key]) for s in rows)
        print(
            f"  {'ratio':10}"
            + "".join(
                f"{x[c]['f1'] / b[c]['f1']:>13.2f}×"
                if c in x and c in b and b[c]["f1"]
                else f"{'-':>14}"
                for c in columns
            )
        )


def print_errors(title: str, errors: list[dict[str, Any]]) -> None:
    print(f"\n{title}: the {len(errors)} most frequent error kinds")
    for i, e in enumerate(errors, 1):
        print(f"  {i:2}. {e['count']:5}  {e['kind']}")
        print(f"             e.g. (×{e['example_times']}) {e['example']}")


def report(results: dict[str, Any]) -> None:
    def ner_note(r: dict[str, Any]) -> str:
        a = r["exact"]["all"]
        return f"   (system {a['system']}, gold {a['gold']})"

    def sel_note(r: dict[str, Any]) -> str:
        a = r["all"]
        return f"   ({a['selections']} selections, {a['not_recognised']} not recognised)"

    ner_cols = ["person", "place", "organisation", "all"]
    if gum := results.get("gum"):
        table(
            f"GUM mention F1, exact span, all {gum['documents']} documents",
            gum,
            "mentions_all",
            ner_cols,
            ner_note,
        )
        table(
            "GUM mention F1, exact span, news documents only",
            gum,
            "mentions_news",
            ner_cols,
            ner_note,
        )
        table(
            f"GUM mention F1, exact span, GUM's dev+test split "
            f"({gum['dev_test_documents']} documents)",
            gum,
            "mentions_dev_test",
            ner_cols,
            ner_note,
        )
        table(
            "GUM selection F1 (--types person,place)",
            gum,
            "selection",
            ["person", "place", "all"],
            sel_note,
        )
    if wn := results.get("wikinews"):
        table(
            f"Wikinews (MEANTIME gold) selection F1, {wn['documents']} documents, default types",
            wn,
            "selection",
            ["person", "place", "event", "all"],
            sel_note,
        )
    for name, label in (("gum", "GUM"), ("wikinews", "Wikinews")):
        for part, errors in ((results.get(name) or {}).get("errors") or {}).items():
            print_errors(f"{label} {part}", errors)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument(
        "--shared",
        type=Path,
        default=ROOT.parent / "shared",
        help="the shared folder with eval/ and corpora/ (default: ../shared)",
    )
    ap.add_argument(
        "--sets",
        default=",".join(SETS),
        help=f"comma-separated, of {', '.join(SETS)} (default: all)",
    )
    ap.add_argument(
        "--baseline",
        action="store_true",
        help="also score bench/baseline.py and print xref/baseline ratios",
    )
    ap.add_argument(
        "--errors",
        type=int,
        default=0,
        metavar="N",
        help="the N most frequent error kinds per set, with an example each",
    )
    ap.add_argument("--json", type=Path, metavar="OUT", help="write every figure to OUT")
    ap.add_argument(
        "--subprocess",
        action="store_true",
        help="ask the real CLI, one process per document (slow; for checking)",
    )
    args = ap.parse_args(argv)
    wanted = {s.strip() for s in args.sets.split(",") if s.strip()}
    if unknown := wanted - set(SETS):
        ap.error(f"unknown sets: {', '.join(sorted(unknown))}")
    started = time.perf_counter()
    results: dict[str, Any] = {}
    if "seeds" in wanted:
        results["seeds"] = seeds()
    eval_dir = args.shared / "eval"
    if wanted - {"seeds"}:
        if not (eval_dir / "ner_eval.py").is_file() or not (eval_dir / "xref_eval.py").is_file():
            print(f"\ndevelopment sets: skipped, no scorers in {eval_dir}")
        else:
            ner = load_scorer(eval_dir, "ner_eval")
            xe = load_scorer(eval_dir, "xref_eval")
            with tempfile.TemporaryDirectory(prefix="xref-quality-") as tmp:
                if "gum" in wanted:
                    results["gum"] = score_gum(args.shared, Path(tmp), args, ner, xe)
                if "wikinews" in wanted:
                    results["wikinews"] = score_wikinews(args.shared, Path(tmp), args, xe)
            report(results)
    results["seconds"] = round(time.perf_counter() - started, 1)
    results["mode"] = "subprocess" if args.subprocess else "in-process"
    print(f"\n{results['mode']}, {results['seconds']} s")
    if args.json:
        args.json.write_text(
            json.dumps(results, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
