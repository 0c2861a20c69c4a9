"""Train the name tagger (``index/ner.py``) and write ``ner_model.json.gz``. Build time only.

    python index/data/train_ner.py [--gum ../shared/corpora/gum] [--epochs 8]

Training data: GUM (Georgetown University Multilayer corpus, 11.1) documents of the ``train``
split whose genre is CC BY or CC BY-SA (academic, bio, conversation, court, interview, news,
textbook, vlog, voyage; see ATTRIBUTION.md) — never the dev/test documents, on which the model
is reported, and never the non-commercial genres. The texts are read from the GUM gold folder
beside the checkout and are not copied into the project; only the learned weights are shipped.
"""

from __future__ import annotations

import argparse
import gzip
import json
import random
import sys
from collections import defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
sys.path.insert(0, str(ROOT))

from index.ner import strip_titles, tag_document  # noqa: E402
from index.tagger import (  # noqa: E402
    _L,
    LABELS,
    Span,
    Tagger,
    _allowed,
    _place_spans,
    _shape,
    features,
)
from index.tokens import DocumentEvidence, Token, _is_headline, runs, tokenize  # noqa: E402

OPEN_LICENCES = ("CC BY 4.0", "CC BY-SA 3.0", "CC BY 2.5", "CC BY 3.0", "CC BY")
TYPES = ("person", "place", "organisation")


def gum_documents(gum: Path) -> dict[str, tuple[str, str]]:
    """doc -> (split, licence), from the Documents table of GUM's README."""
    out: dict[str, tuple[str, str]] = {}
    for line in (gum / "README.md").read_text(encoding="utf-8").splitlines():
        cells = [c.strip() for c in line.split("|")]
        if len(cells) > 6 and cells[1].startswith("GUM_"):
            out[cells[1]] = (cells[3], cells[5])
    return out


def paragraphs(text: str) -> list[tuple[int, int]]:
    out = []
    pos = 0
    for block in text.split("\n\n"):
        if block.strip():
            out.append((pos, pos + len(block)))
        pos += len(block) + 2
    return out


def gold_spans(gum: Path) -> dict[str, list[tuple[int, int, str]]]:
    gold = json.loads((gum / "gold.json").read_text(encoding="utf-8"))
    out: dict[str, list[tuple[int, int, str]]] = defaultdict(list)
    for c in gold:
        for m in c["mentions"]:
            if m.get("nested") or m.get("proper") is False:
                continue
            out[m["doc"]].append((m["start"], m["end"], c["type"]))
    return out


Example = tuple[list[Token], int, int, DocumentEvidence, bool, list[int]]


def examples(text: str, gold: list[tuple[int, int, str]]) -> list[Example]:
    """Every capitalised run of the document, with the gold label of each of its tokens."""
    out: list[Example] = []
    all_tokens: list[list[Token]] = [tokenize(text, s, e) for s, e in paragraphs(text)]
    ev = DocumentEvidence(all_tokens)
    for tokens in all_tokens:
        labels = ["O"] * len(tokens)
        for s, e, type_ in gold:
            inside = [i for i, t in enumerate(tokens) if t.start >= s and t.end <= e]
            for n, i in enumerate(inside):
                labels[i] = ("B-" if n == 0 else "I-") + type_
        headline = _is_headline(tokens)
        for a, b in runs(tokens):
            gold_ids = [LABELS.index(x) for x in labels[a:b]]
            out.append((tokens, a, b, ev, headline, gold_ids))
    return out


class Trainer:
    """Averaged perceptron with the usual lazy averaging of the weights."""

    def __init__(self) -> None:
        self.w: dict[str, list[float]] = {}
        self.totals: dict[str, list[float]] = {}
        self.stamps: dict[str, list[int]] = {}
        self.step = 0

    def predict(self, feats: list[str], prev: str, cap: bool, last: bool) -> int:
        s = [0.0] * _L
        for f in feats:
            w = self.w.get(f)
            if w is not None:
                for k in range(_L):
                    s[k] += w[k]
        allowed = [k for k in range(_L) if _allowed(k, prev, cap, last)]
        return max(allowed, key=lambda k: (s[k], -k))

    def update(self, feats: list[str], truth: int, guess: int) -> None:
        self.step += 1
        if truth == guess:
            return
        for f in feats:
            w = self.w.setdefault(f, [0.0] * _L)
            tot = self.totals.setdefault(f, [0.0] * _L)
            st = self.stamps.setdefault(f, [0] * _L)
            for k, delta in ((truth, 1.0), (guess, -1.0)):
                tot[k] += (self.step - st[k]) * w[k]
                st[k] = self.step
                w[k] += delta

    def averaged(self) -> dict[str, list[float]]:
        out = {}
        for f, w in self.w.items():
            tot, st = self.totals[f], self.stamps[f]
            avg = [(tot[k] + (self.step - st[k]) * w[k]) / max(self.step, 1) for k in range(_L)]
            if any(abs(x) > 1e-4 for x in avg):
                out[f] = avg
        return out

    def train(self, data: list[Example], epochs: int, seed: int = 1) -> None:
        rng = random.Random(seed)
        for epoch in range(epochs):
            rng.shuffle(data)
            errors = total = 0
            for tokens, a, b, ev, headline, gold in data:
                places = _place_spans(tokens, a, b)
                prev = "O"
                for n, i in enumerate(range(a, b)):
                    feats = features(tokens, i, a, b, ev, places, headline)
                    feats.append("pl=" + prev)
                    feats.append("pl=" + prev + "|" + _shape(tokens[i].text))
                    guess = self.predict(feats, prev, tokens[i].cap, i == b - 1)
                    self.update(feats, gold[n], guess)
                    errors += guess != gold[n]
                    total += 1
                    prev = LABELS[guess]
            print(f"epoch {epoch + 1}: token error {errors / max(total, 1):.3f}", file=sys.stderr)


def score(
    tagger: Tagger, texts: dict[str, str], gold: dict[str, list[tuple[int, int, str]]]
) -> dict[str, tuple[float, float, float]]:
    """Exact-span precision, recall and F1 per type (the GUM scorer's rule)."""
    tp: dict[str, int] = defaultdict(int)
    ns: dict[str, int] = defaultdict(int)
    ng: dict[str, int] = defaultdict(int)
    for doc, text in texts.items():
        all_tokens = [tokenize(text, s, e) for s, e in paragraphs(text)]
        found: list[Span] = []
        for tokens, ss in zip(all_tokens, tag_document(tagger, all_tokens), strict=True):
            found += [strip_titles(tokens, x)[0] if x.type == "person" else x for x in ss]
        sys_set = {(s.start, s.end, s.type) for s in found if s.type in TYPES}
        gold_set = {g for g in gold.get(doc, []) if g[2] in TYPES}
        for t in (*TYPES, "all"):
            system = {x for x in sys_set if t in ("all", x[2])}
            truth = {x for x in gold_set if t in ("all", x[2])}
            tp[t] += len(system & truth)
            ns[t] += len(system)
            ng[t] += len(truth)
    out = {}
    for t in (*TYPES, "all"):
        p = tp[t] / ns[t] if ns[t] else 0.0
        r = tp[t] / ng[t] if ng[t] else 0.0
        out[t] = (p, r, 2 * p * r / (p + r) if p + r else 0.0)
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--gum", type=Path, default=ROOT.parent / "shared" / "corpora" / "gum")
    ap.add_argument("--epochs", type=int, default=8)
    ap.add_argument("--out", type=Path, default=HERE / "ner_model.json.gz")
    a = ap.parse_args()
    docs = gum_documents(a.gum)
    gold = gold_spans(a.gum)
    train = sorted(
        d for d, (split, lic) in docs.items() if split == "train" and lic in OPEN_LICENCES
    )
    heldout = sorted(d for d, (split, _) in docs.items() if split in ("dev", "test"))
    texts = {d: (a.gum / f"{d}.txt").read_text(encoding="utf-8") for d in train + heldout}
    data = [ex for d in train for ex in examples(texts[d], gold.get(d, []))]
    print(f"{len(train)} training documents, {len(data)} runs", file=sys.stderr)
    trainer = Trainer()
    trainer.train(data, a.epochs)
    weights = trainer.averaged()
    scale = 1000
    blob = {
        "scale": scale,
        "labels": list(LABELS),
        "source": "GUM 11.1 train split, CC BY / CC BY-SA genres",
        "weights": {f: [round(x * scale) for x in w] for f, w in sorted(weights.items())},
    }
    # No time stamp in the gzip header: the same data and code give the same bytes.
    raw = json.dumps(blob, separators=(",", ":")).encode("utf-8")
    a.out.write_bytes(gzip.compress(raw, compresslevel=9, mtime=0))
    tagger = Tagger({f: [round(x * scale) / scale for x in w] for f, w in weights.items()})
    for name, ds in (("dev+test", heldout), ("train", train)):
        res = score(tagger, {d: texts[d] for d in ds}, gold)
        print(
            name
            + "  "
            + "  ".join(f"{t} P {p:.3f} R {r:.3f} F1 {f:.3f}" for t, (p, r, f) in res.items())
        )
    print(f"{len(weights)} features, {a.out.stat().st_size // 1024} KB", file=sys.stderr)


if __name__ == "__main__":
    main()
