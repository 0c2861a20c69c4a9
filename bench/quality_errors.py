"""What kinds of mistakes make up a quality figure (``bench/quality.py --errors N``).

A score says how far xref is from a target; the error kinds say which rule to work on. Each
mistake the shared scorers count is put in one kind, with the same filters as the scorers
(``ner_eval.py``: persons, places and organisations, gold mentions that are proper and not
nested; ``xref_eval.py select``: the first name-like mention of every cross-document cluster
in each of its documents), and each kind keeps an example: its most frequent text, shown in
about 60 characters of context.
"""

from __future__ import annotations

import json
import re
from collections import Counter, defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

TYPES = ("person", "place", "organisation")
TAG = {"PER": "person", "LOC": "place", "ORG": "organisation"}
CONTRACTION = re.compile(r"\w+['’](?:m|re|ve|d|ll|s|t)", re.IGNORECASE)
SENTENCE_START = re.compile(r"(?:^|[.!?:;][\"'”’)\]]*\s+|[\"“‘(]\s*)$")

Span = tuple[int, int]
Entities = Callable[[str], list[dict[str, Any]]]


class Kinds:
    """Counts of error kinds, each with its most frequent example."""

    def __init__(self) -> None:
        self.count: Counter[str] = Counter()
        self.keys: dict[str, Counter[str]] = defaultdict(Counter)
        self.example: dict[tuple[str, str], str] = {}

    def add(self, kind: str, key: str, example: str) -> None:
        self.count[kind] += 1
        self.keys[kind][key] += 1
        self.example.setdefault((kind, key), example)

    def top(self, n: int) -> list[dict[str, Any]]:
        out = []
        for kind, count in self.count.most_common(n):
            key, times = self.keys[kind].most_common(1)[0]
            out.append(
                {
                    "kind": kind,
                    "count": count,
                    "example": self.example[(kind, key)],
                    "example_times": times,
                }
            )
        return out


def context(text: str, spans: list[tuple[Span, str]], width: int = 60) -> str:
    """One line: ``width`` characters either side of the spans, each span bracketed and
    labelled ("gold[...]", "xref[...]") so that boundaries can be compared."""
    lo = min(s for (s, _), _ in spans)
    hi = max(e for (_, e), _ in spans)
    marks: list[tuple[int, int, str]] = []
    for (s, e), label in spans:
        marks += [(s, 1, f"{label}["), (e, 0, "]")]
    left = max(0, lo - width)
    out, pos = [], left
    for at, _, mark in sorted(marks):
        out += [text[pos:at], mark]
        pos = at
    out.append(text[pos : hi + width])
    line = " ".join("".join(out).split())
    return ("…" if left else "") + line + ("…" if hi + width < len(text) else "")


def _overlap(a: Span, b: Span) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def _spurious_kind(text: str, s: int, e: int) -> str:
    """Why a name with no gold name there may have been taken for one."""
    word = text[s:e]
    line_start = text.rfind("\n", 0, s) + 1
    line_end = text.find("\n", e)
    line = text[line_start : line_end if line_end >= 0 else len(text)].strip()
    single = len(word.split()) == 1
    if CONTRACTION.fullmatch(word):
        return "contraction (I'm, We're, I'd)"
    if word.isupper() and len(word) > 1 and any(c.isalpha() for c in word):
        return "all-caps word"
    if line_start == 0 or (len(line.split()) <= 15 and not re.search(r"[.!?]", line)):
        return "headline or heading line"
    if single and SENTENCE_START.search(text[line_start:s]):
        return "sentence-initial word"
    if single and re.search(rf"(?<![\w-]){re.escape(word.lower())}(?![\w-])", text):
        return "single word the text also writes lower-case"
    return "single capitalised word" if single else "several words"


def _gold_by_doc(gold: list[dict[str, Any]]) -> dict[str, list[tuple[int, int, str, str]]]:
    """Every gold mention (any type, nested and common-noun ones too): doc -> (s, e, type,
    cluster name), for telling a spurious name from one the gold types otherwise."""
    out: dict[str, list[tuple[int, int, str, str]]] = defaultdict(list)
    for c in gold:
        for m in c["mentions"]:
            out[m["doc"]].append((m["start"], m["end"], c["type"], c.get("name", c["id"])))
    return out


def mention_errors(
    gold_path: Path, texts: Path, docs: list[str], entities: Entities, system: str = "xref"
) -> Kinds:
    """The mistakes behind ner_eval.py's exact-span figures, one per gold or system mention."""
    gold = json.loads(gold_path.read_text(encoding="utf-8"))
    scored: dict[str, list[tuple[int, int, str]]] = defaultdict(list)
    for c in gold:
        t = TAG.get(c.get("source_tag", ""), c["type"])
        if t not in TYPES:
            continue
        for m in c["mentions"]:
            if not (m.get("nested") or m.get("proper") is False):
                scored[m["doc"]].append((m["start"], m["end"], t))
    anygold = _gold_by_doc(gold)
    kinds = Kinds()
    for d in docs:
        text = (texts / f"{d}.txt").read_text(encoding="utf-8")
        sys_m = [
            (m["start"], m["end"], e["type"]) for e in entities(d) for m in e.get("mentions", [])
        ]
        for g in scored[d]:
            gs = (g[0], g[1])
            if (g[0], g[1], g[2]) in sys_m:
                continue
            ov = [s for s in sys_m if _overlap(gs, (s[0], s[1]))]
            same = [s for s in ov if s[2] == g[2]]
            if not ov:
                kind = f"missed: gold {g[2]}, no {system} mention there"
            elif not same:
                kind = f"wrong type: gold {g[2]}, {system} {ov[0][2]}"
            else:
                s = same[0]
                kind = (
                    "boundary too long"
                    if s[0] <= g[0] and g[1] <= s[1]
                    else "boundary too short"
                    if g[0] <= s[0] and s[1] <= g[1]
                    else "boundary shifted"
                )
                kinds.add(
                    kind, text[g[0] : g[1]], context(text, [(gs, "gold"), ((s[0], s[1]), system)])
                )
                continue
            kinds.add(
                kind,
                text[g[0] : g[1]],
                context(text, [(gs, "gold")] + [((s[0], s[1]), system) for s in ov[:1]]),
            )
        for s in sys_m:
            if s[2] not in TYPES:
                continue
            ss = (s[0], s[1])
            if any(_overlap(ss, (g[0], g[1])) for g in scored[d]):
                continue  # counted from the gold side
            other = [g for g in anygold[d] if _overlap(ss, (g[0], g[1]))]
            if other:
                kind = f"spurious: {system} {s[2]} where the gold has {other[0][2]} (unscored)"
                if other[0][2] in TYPES:
                    kind = f"spurious: {system} {s[2]} on a nested or common-noun gold mention"
            else:
                kind = f"spurious: {_spurious_kind(text, s[0], s[1])}"
            kinds.add(kind, text[s[0] : s[1]], context(text, [(ss, system)]))
    return kinds


def selection_errors(
    gold_path: Path, texts: Path, types: set[str], entities: Entities, system: str = "xref"
) -> Kinds:
    """The mistakes behind xref_eval.py select's figures, one per selection that is not
    perfect: not recognised, listing documents the gold does not (over-merge) or missing
    some it does (under-merge; a selection can be both)."""
    gold = json.loads(gold_path.read_text(encoding="utf-8"))
    anygold = _gold_by_doc(gold)
    clusters = [
        c
        for c in gold
        if c["type"] in types
        and c.get("has_name_like_mention", True)
        and len({m["doc"] for m in c["mentions"]}) >= 2
    ]
    kinds = Kinds()
    cache: dict[str, str] = {}

    def read(d: str) -> str:
        if d not in cache:
            cache[d] = (texts / f"{d}.txt").read_text(encoding="utf-8")
        return cache[d]

    def hit_at(d: str, span: Span) -> dict[str, Any] | None:
        return next(
            (
                e
                for e in entities(d)
                if e.get("type") in types
                and any(_overlap((x["start"], x["end"]), span) for x in e.get("mentions", []))
            ),
            None,
        )

    for c in clusters:
        gdocs = {m["doc"] for m in c["mentions"]}
        firsts = {}
        for d in sorted(gdocs):
            m = next((m for m in c["mentions"] if m["doc"] == d and m.get("name_like", True)), None)
            if m is not None:
                firsts[d] = (m["start"], m["end"])
        for d, span in firsts.items():
            text = read(d)
            hit = hit_at(d, span)
            if hit is None:
                other = [
                    (e["type"], (x["start"], x["end"]))
                    for e in entities(d)
                    for x in e.get("mentions", [])
                    if _overlap((x["start"], x["end"]), span)
                ]
                kind = (
                    f"not recognised: {system} has it as {other[0][0]}"
                    if other
                    else f"not recognised: no {system} mention there ({c['type']})"
                )
                kinds.add(
                    kind,
                    c["name"],
                    f"gold {c['name']!r}: "
                    + context(text, [(span, "gold")] + [(o[1], system) for o in other[:1]]),
                )
                continue
            sdocs = set(hit.get("article_ids") or [])
            extra, missing = sorted(sdocs - gdocs), sorted(gdocs - sdocs)
            if extra:
                merged: Counter[str] = Counter()
                for x in extra:
                    ms = [
                        (m["start"], m["end"])
                        for e in entities(x)
                        if e.get("id") == hit["id"]
                        for m in e.get("mentions", [])
                    ]
                    names = {
                        g[3] for g in anygold.get(x, []) for s in ms if _overlap(s, (g[0], g[1]))
                    }
                    merged.update(names or {"(no gold entity there)"})
                kind = (
                    "over-merge: lists documents where the gold has another entity"
                    if set(merged) - {"(no gold entity there)"}
                    else "over-merge: lists documents where the gold has no entity"
                )
                at = next(
                    (
                        (x["start"], x["end"])
                        for x in hit.get("mentions", [])
                        if _overlap((x["start"], x["end"]), span)
                    ),
                    span,
                )
                kinds.add(
                    kind,
                    hit["name"],
                    f"{system} {hit['name']!r} selected on gold {c['name']!r} lists "
                    f"{len(extra)} more document(s); there the gold has: "
                    + ", ".join(f"{n!r} ×{k}" for n, k in merged.most_common(4))
                    + "; selected at: "
                    + context(text, [(span, "gold"), (at, system)]),
                )
            if missing:
                parts: Counter[str] = Counter()
                for x, sp in firsts.items():
                    e = hit_at(x, sp)
                    parts[f"{e['name']!r} ({e['id']})" if e else "not recognised"] += 1
                kinds.add(
                    f"under-merge: gold entity split over several {system} entities",
                    c["name"],
                    f"gold {c['name']!r} ({len(gdocs)} documents) is, at its "
                    f"first name in each, {system} "
                    + ", ".join(f"{n} ×{k}" for n, k in parts.most_common(5)),
                )
    return kinds
