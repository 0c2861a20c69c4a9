"""The naive baseline of issue 8, "link every capitalised run by its last word", as a tiny
stand-in for the ``xref`` command line, so that the official scorers (and bench/quality.py)
measure it exactly as they measure xref.

    python bench/baseline.py --corpus DIR entities --article ID --json
    python bench/baseline.py --corpus DIR mentions NAME --json

The rule, stated once:

- a *word* is a run of letters, digits and inner hyphens or apostrophes; a possessive "'s"
  ends it ("Boeing's" is the word "Boeing");
- a *capitalised word* starts with an upper-case letter; sentence openers count too;
- a *mention* is every maximal run of capitalised words separated by spaces on one line;
- its *entity* is its last word lower-cased ("Tim Cook" and "Cook" are the entity ``cook``),
  and that entity lists every article that has a mention with that last word;
- an entity is typed ``person`` if any of its mentions, anywhere in the corpus, has two or
  more words, else ``place``.

Why keep such a thing: it needs no word list and no knowledge, so a linker that scores below
it is losing to capital letters alone. Options that xref takes and this does not need
(``--index-dir``, ``--no-catalogue``, ``--catalogue``) are accepted and ignored.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

WORD = re.compile(r"\w+(?:-\w+)*(?:['’](?![sS]\b)\w+)*")
GAP = re.compile(r"[ \t]+")


def runs(text: str) -> list[tuple[int, int, str]]:
    """Every maximal run of capitalised words: (start, end, last word lower-cased)."""
    out: list[tuple[int, int, str]] = []
    start = end = -1
    last = ""
    for m in WORD.finditer(text):
        if not m.group()[0].isupper():
            if start >= 0:
                out.append((start, end, last))
                start = -1
            continue
        if start >= 0 and GAP.fullmatch(text, end, m.start()):
            end, last = m.end(), m.group().lower()
            continue
        if start >= 0:
            out.append((start, end, last))
        start, end, last = m.start(), m.end(), m.group().lower()
    if start >= 0:
        out.append((start, end, last))
    return out


class Baseline:
    """Every article of a folder read once; answers what the scorers ask of ``xref``."""

    def __init__(self, corpus: Path) -> None:
        self.texts = {
            p.stem: p.read_text(encoding="utf-8")
            for p in sorted(corpus.iterdir())
            if p.suffix in (".txt", ".md")
        }
        self.runs = {aid: runs(text) for aid, text in self.texts.items()}
        articles: dict[str, set[str]] = defaultdict(set)
        forms: dict[str, Counter[str]] = defaultdict(Counter)
        self.person: set[str] = set()
        for aid, rs in self.runs.items():
            text = self.texts[aid]
            for s, e, key in rs:
                articles[key].add(aid)
                forms[key][text[s:e]] += 1
                if len(WORD.findall(text[s:e])) > 1:
                    self.person.add(key)
        self.articles = {k: sorted(v) for k, v in articles.items()}
        self.name = {k: c.most_common(1)[0][0] for k, c in forms.items()}

    def _entity(self, key: str) -> dict[str, Any]:
        return {
            "id": key,
            "name": self.name[key],
            "type": "person" if key in self.person else "place",
            "aliases": [],
            "article_ids": self.articles[key],
        }

    def entities(self, article_id: str) -> list[dict[str, Any]] | None:
        """``entities --article ID --json``: None when there is no such article."""
        if article_id not in self.texts:
            return None
        text = self.texts[article_id]
        mentions: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for s, e, key in self.runs[article_id]:
            mentions[key].append(
                {
                    "article": article_id,
                    "passage": text.count("\n\n", 0, s),
                    "start": s,
                    "end": e,
                    "text": text[s:e],
                }
            )
        out = [self._entity(k) | {"mentions": ms} for k, ms in mentions.items()]
        return sorted(out, key=lambda e: (-len(e["article_ids"]), e["name"].lower()))

    def mentions(self, query: str) -> dict[str, Any]:
        """``mentions NAME --json``: the entity of the query's last word, if any."""
        words = WORD.findall(query)
        key = words[-1].lower() if words else ""
        if key not in self.articles:
            return {"query": query, "entity": None, "articles": []}
        entity = self._entity(key)
        arts = [
            {
                "id": a,
                "title": self.texts[a].split("\n", 1)[0],
                "mentions": [
                    {"start": s, "end": e, "text": self.texts[a][s:e]}
                    for s, e, k in self.runs[a]
                    if k == key
                ],
            }
            for a in entity.pop("article_ids")
        ]
        return {"query": query, "entity": entity, "articles": arts}

    def answer(self, argv: list[str]) -> tuple[int, str]:
        """Exit status and standard output of ``baseline.py ... ARGV``, as the CLI prints."""
        ap = argparse.ArgumentParser(prog="baseline")
        sub = ap.add_subparsers(dest="command", required=True)
        s = sub.add_parser("entities")
        s.add_argument("--article", required=True)
        s.add_argument("--json", action="store_true")
        s = sub.add_parser("mentions")
        s.add_argument("query")
        s.add_argument("--json", action="store_true")
        args = ap.parse_args(argv)
        if args.command == "entities":
            ents = self.entities(args.article)
            if ents is None:
                return 1, ""
            return 0, json.dumps(ents, ensure_ascii=False, indent=2) + "\n"
        res = self.mentions(args.query)
        return (0 if res["entity"] else 1), json.dumps(res, ensure_ascii=False, indent=2) + "\n"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="baseline", description=__doc__.split("\n\n")[0])
    ap.add_argument("--corpus", type=Path, required=True)
    ap.add_argument("--index-dir", "--catalogue", dest="ignored", help="ignored")
    ap.add_argument("--no-catalogue", action="store_true", help="ignored")
    args, rest = ap.parse_known_args(argv)
    status, out = Baseline(args.corpus).answer(rest)
    sys.stdout.write(out)
    return status


if __name__ == "__main__":
    sys.exit(main())
