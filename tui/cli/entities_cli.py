"""``xref entities`` and ``xref mentions``: thin calls into ``index.library`` and, for the
articles that mention several entities at once (``--with``), ``index.comentions``."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from index.files import write_atomic
from tui.cli.common import can_write_unicode, dump_json, ensure_index, fail, kwic
from tui.sanitise import shown, to_json
from tui.services import Services

if TYPE_CHECKING:
    from index.entity_pages import EntityArticle
    from index.library import Library, ResolvedMention
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
    from index import comentions

    fmt = "json" if args.json else args.format
    ensure_index(services)
    lib = services.library
    entity, others, close = lib.meant_entity(args.query)
    _say_others(args.query, entity, others)
    if entity is None:
        hint = f"; did you mean: {', '.join(shown(c) for c in close)}" if close else ""
        print(f"xref: no entity matches {shown(repr(args.query))}{hint}", file=sys.stderr)
        if fmt == "json":
            dump_json({"query": args.query, "entity": None, "articles": []})
        return 1
    try:
        chosen = [comentions.choose(lib, w) for w in args.with_]
    except comentions.EntityNotFound as exc:
        print(f"xref: --with: {shown(exc)}", file=sys.stderr)
        return 1
    for c in chosen:
        _say_others(c.name, c.entity, c.others)
    if not chosen and not args.matching and fmt != "csv" and not args.output:
        return _one_entity(lib, args.query, entity, others, fmt == "json")
    wanted = [entity, *(c.entity for c in chosen)]
    ids = comentions.co_mentioning(lib, [e.id for e in wanted])
    if args.matching:
        from index.search import QueryError
        from tui.cli.query_syntax import problem

        malformed = problem(args.matching)
        if malformed:
            raise QueryError(malformed)
        ids = sorted(comentions.matching(lib, args.matching, set(ids)))
    articles = _articles_of(lib, ids, {e.id: e.name for e in wanted})
    if fmt == "csv":
        from tui.cli.csv_out import mentions_csv

        return write_out(mentions_csv(articles), args.output, f"{len(articles)} articles")
    if fmt == "json":
        with_ = [{"id": c.entity.id, "name": c.entity.name} for c in chosen]
        out = _answer(args.query, entity, with_, args.matching, others, articles)
        if args.output:
            return write_out(to_json(out) + "\n", args.output, f"{len(articles)} articles")
        dump_json(out)
        return 0
    also = "".join(f" and {shown(c.entity.name)}" for c in chosen)
    matched = f" matching {shown(repr(args.matching))}" if args.matching else ""
    _print_articles(entity, also + matched, len(articles), articles, bool(chosen))
    return 0


def _answer(
    query: str,
    entity: Entity,
    with_: list[dict[str, str]],
    matching: str | None,
    others: list[Entity],
    articles: list[dict[str, Any]],
) -> dict[str, Any]:
    """The JSON answer of ``xref mentions``."""
    return {
        "query": query,
        "entity": {
            "id": entity.id,
            "name": entity.name,
            "type": entity.type,
            "aliases": entity.aliases,
        },
        "with": with_,
        "matching": matching,
        "articles": articles,
        "also": [{"id": o.id, "name": o.name, "type": o.type} for o in others],
    }


def _print_articles(
    entity: Entity, narrowed: str, n: int, articles: Iterable[dict[str, Any]], who: bool
) -> None:
    """The text answer of ``xref mentions``: the entity, its names, each article's lines
    (naming the entity of each line when several are asked for)."""
    plural = "s" if n != 1 else ""
    print(f"{shown(entity.name)} ({shown(entity.type)}){narrowed} — {n} article{plural}")
    if entity.aliases:
        print("also: " + ", ".join(shown(a) for a in entity.aliases))
    for a in articles:
        print(f"\n{shown(a['title'])}  [{shown(a['id'])}]")
        for m in a["mentions"]:
            name = f" {shown(m['entity_name'])}" if who else ""
            print(f"  ¶{m['passage']}{name}: {shown(m['context'])}")


def _one_entity(
    lib: Library, query: str, entity: Entity, others: list[Entity], as_json: bool
) -> int:
    """``xref mentions NAME`` alone, written as its articles are read: a name in thousands
    of articles holds one article at a time, not the whole answer (1 GB at 50,000)."""
    names = {entity.id: entity.name}
    rows = (_article_row(lib, item, names) for item in lib.entity_mentions(entity.id))
    if as_json:
        stream_json(_answer(query, entity, [], None, others, []), "articles", rows)
        return 0
    _print_articles(entity, "", len(lib.entity_articles(entity.id)), rows, False)
    return 0


def _article_row(lib: Library, item: EntityArticle, names: dict[str, str]) -> dict[str, Any]:
    """One article of ``xref mentions``, as ``_articles_of`` writes it."""
    art = item.article
    return {
        "id": art.id,
        "title": art.title,
        "path": lib.store.path_of(art.id) or art.path,
        "date": art.date,
        "mentions": [_mention_row(art.text, m, names) for m in item.mentions],
    }


def _mention_row(text: str, m: ResolvedMention, names: dict[str, str]) -> dict[str, Any]:
    """One mention of ``xref mentions``: where it is, its words and a line of context."""
    return {
        "entity": m.entity,
        "entity_name": names.get(m.entity or "", ""),
        "passage": m.passage,
        "start": m.start,
        "end": m.end,
        "text": m.text,
        "context": kwic(text, m.start, m.end),
    }


def stream_json(head: dict[str, Any], key: str, items: Iterable[object]) -> None:
    """``dump_json`` of ``head`` with the list at ``key`` (given empty) filled from
    ``items`` as they come, in the same text."""
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


def _say_others(query: str, entity: Entity | None, others: list[Entity]) -> None:
    """On stderr, the other entities a shared name may mean (a bare surname)."""
    if not others:
        return
    # The undecided name has no command of its own: its id is the name just typed.
    listed = "; ".join(
        f"{shown(o.name)} where undecided ({_articles(o)})"
        if o.ambiguous
        else f"{shown(o.name)} ({_articles(o)}, xref mentions {shown(o.id)})"
        for o in others
    )
    print(
        f"xref: {shown(repr(query))} can mean several entities; showing "
        f"{shown(entity.name if entity else '')}, the one it most often means. "
        f"Also: {listed}",
        file=sys.stderr,
    )


def _articles_of(lib: Library, ids: list[str], names: dict[str, str]) -> list[dict[str, Any]]:
    """Each article with its mentions of the entities ``names`` holds (by id), in text order."""
    infos = {a.id: a for a in lib.articles()}
    articles: list[dict[str, Any]] = []
    for aid in ids:
        art = lib.article(aid)
        if art is None:
            continue
        info = infos.get(aid)
        ms = [m for m in lib.mentions(aid) if m.entity in names]
        articles.append(
            {
                "id": aid,
                "title": art.title,
                "path": info.path if info else art.path,
                "date": art.date,
                "mentions": [_mention_row(art.text, m, names) for m in ms],
            }
        )
    return articles


def write_out(text: str, output: Path | None, what: str) -> int:
    """``text`` to ``output`` (atomically) or to stdout."""
    if output is None:
        sys.stdout.write(text)
        return 0
    try:
        write_atomic(output, text)
    except OSError as exc:
        return fail(f"cannot write {output}: {exc.strerror or exc}")
    print(f"wrote {what} to {shown(output)}", file=sys.stderr)
    return 0
