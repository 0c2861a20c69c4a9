"""``xref entities`` and ``xref mentions``: thin calls into ``index.library``."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from tui.cli.common import can_write_unicode, dump_json, ensure_index, kwic
from tui.sanitise import shown, to_json
from tui.services import Services

if TYPE_CHECKING:
    from index.entity_pages import EntityArticle
    from index.library import Library
    from index.links import Entity


def cmd_entities(services: Services, args: argparse.Namespace) -> int:
    ensure_index(services)
    lib = services.library
    if args.article and lib.article(args.article) is None:
        print(f"xref: no article {shown(repr(args.article))} in this corpus", file=sys.stderr)
        return 1
    entities = lib.entities(article_id=args.article, type_=args.type)
    mentions_by_entity: dict[str, list[dict[str, Any]]] = {}
    if args.article:
        for m in lib.mentions(args.article):
            if m.entity:
                mentions_by_entity.setdefault(m.entity, []).append(
                    {
                        "article": m.article,
                        "passage": m.passage,
                        "start": m.start,
                        "end": m.end,
                        "text": m.text,
                    }
                )
    if args.json:
        out = []
        for e in entities:
            row = {
                "id": e.id,
                "name": e.name,
                "type": e.type,
                "aliases": e.aliases,
                "article_ids": e.article_ids,
                "mentions": mentions_by_entity.get(e.id, []),
            }
            if e.ambiguous:
                row["ambiguous"] = e.ambiguous
            out.append(row)
        dump_json(out)
        return 0
    if not entities:
        print("no entities")
        return 0
    width = min(40, max(len(shown(e.name)) for e in entities))
    print(f"{'articles':>8}  {'type':<12}  {'name':<{width}}  id")
    for e in entities:
        name = shown(e.name) + (" (ambiguous)" if e.ambiguous else "")
        print(f"{len(e.article_ids):>8}  {shown(e.type):<12}  {name:<{width}}  {shown(e.id)}")
    return 0


def _articles(e: Entity) -> str:
    n = len(e.article_ids)
    return f"{n} article{'s' if n != 1 else ''}"


def cmd_mentions(services: Services, args: argparse.Namespace) -> int:
    ensure_index(services)
    lib = services.library
    entity, others, close = lib.meant_entity(args.query)
    if others:
        # The undecided name has no command of its own: its id is the name just typed.
        listed = "; ".join(
            f"{shown(o.name)} where undecided ({_articles(o)})"
            if o.ambiguous
            else f"{shown(o.name)} ({_articles(o)}, xref mentions {shown(o.id)})"
            for o in others
        )
        print(
            f"xref: {shown(repr(args.query))} can mean several entities; showing "
            f"{shown(entity.name if entity else '')}, the one it most often means. "
            f"Also: {listed}",
            file=sys.stderr,
        )
    if entity is None:
        hint = f"; did you mean: {', '.join(shown(c) for c in close)}" if close else ""
        print(f"xref: no entity matches {shown(repr(args.query))}{hint}", file=sys.stderr)
        if args.json:
            dump_json({"query": args.query, "entity": None, "articles": []})
        return 1
    ids = lib.entity_articles(entity.id)
    articles = (_article_row(lib, item) for item in lib.entity_mentions(entity.id))
    if args.json:
        head = {
            "query": args.query,
            "entity": {
                "id": entity.id,
                "name": entity.name,
                "type": entity.type,
                "aliases": entity.aliases,
            },
            "articles": [],
            "also": [{"id": o.id, "name": o.name, "type": o.type} for o in others],
        }
        stream_json(head, "articles", articles)
        return 0
    plural = "s" if len(ids) != 1 else ""
    print(f"{shown(entity.name)} ({shown(entity.type)}) — {len(ids)} article{plural}")
    if entity.aliases:
        print("also: " + ", ".join(shown(a) for a in entity.aliases))
    for a in articles:
        print(f"\n{shown(a['title'])}  [{shown(a['id'])}]")
        for m in a["mentions"]:
            print(f"  ¶{m['passage']}: {shown(m['context'])}")
    return 0


def _article_row(lib: Library, item: EntityArticle) -> dict[str, Any]:
    """One article of ``xref mentions``: its id, title, path and the entity's mentions
    with a line of context each."""
    art = item.article
    return {
        "id": art.id,
        "title": art.title,
        "path": lib.store.path_of(art.id) or art.path,
        "mentions": [
            {
                "passage": m.passage,
                "start": m.start,
                "end": m.end,
                "text": m.text,
                "context": kwic(art.text, m.start, m.end),
            }
            for m in item.mentions
        ],
    }


def stream_json(head: dict[str, Any], key: str, items: Iterable[object]) -> None:
    """``dump_json`` of ``head`` with the list at ``key`` (given empty) filled from
    ``items`` as they come, in the same text: ``xref mentions`` of a name in thousands of
    articles holds one article at a time, not the whole document (1 GB at 50,000)."""
    ascii_only = not can_write_unicode(sys.stdout)
    before, after = to_json(head, ensure_ascii=ascii_only).split(f'"{key}": []', 1)
    out = sys.stdout
    out.write(f'{before}"{key}": [')
    sep = "\n"
    for item in items:
        text = to_json(item, ensure_ascii=ascii_only)
        out.write(sep + "\n".join("    " + line for line in text.split("\n")))
        sep = ",\n"
    out.write(("]" if sep == "\n" else "\n  ]") + after + "\n")
