"""Precision and recall of xref's entities on the five seeds, with and without the catalogue.

    python bench/quality.py

The gold list, ``bench/seed_gold.yaml``, holds every person, place, event and organisation the
seeds name, with the seeds that mention it and its other names there, read by hand. Figures:

- entity precision: extracted entities that are a gold entity of the same type (by name or
  alias) / all extracted entities;
- entity recall: gold entities found as one extracted entity of the right type / all gold;
- linking recall: (entity, article) pairs of the gold list that the single best-matching
  extracted entity lists / all gold pairs — what the sidebar shows when you select it;
- linking precision: of the articles the matched entities list, those the gold list agrees
  with.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def names(name: str, aliases: list[str]) -> set[str]:
    out = {name, *aliases}
    return {n.casefold().removeprefix("the ").strip() for n in out}


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
    for g, gn in gold_names:
        cands = [arts for e, arts in found if names(e.name, e.aliases) & gn
                 and e.type == g["type"]]
        pairs += len(g["articles"])
        if not cands:
            missing.append(f"{g['name']} ({g['type']})")
            continue
        found_gold += 1
        best = max(cands, key=lambda a: len(a & set(g["articles"])))
        covered += len(best & set(g["articles"]))
    return {"extracted": len(found), "gold": len(gold),
            "entity_precision": matched / len(found), "entity_recall": found_gold / len(gold),
            "link_precision": agreed / listed if listed else 0.0,
            "link_recall": covered / pairs, "not_in_gold": wrong, "missing": missing}


def main() -> int:
    gold = yaml.safe_load((Path(__file__).parent / "seed_gold.yaml").read_text())["entities"]
    for label, flag in (("with the catalogue", True), ("without the catalogue", False)):
        m = measure(flag, gold)
        print(f"\nseeds, {label}: {m['extracted']} entities extracted, "
              f"{m['gold']} in the gold list")
        print(f"  entity precision {m['entity_precision']:.3f}   entity recall "
              f"{m['entity_recall']:.3f}")
        print(f"  linking precision {m['link_precision']:.3f}  linking recall "
              f"{m['link_recall']:.3f}")
        if m["not_in_gold"]:
            print("  extracted, not in the gold list: " + "; ".join(m["not_in_gold"]))
        if m["missing"]:
            print("  in the gold list, not found: " + "; ".join(m["missing"]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
