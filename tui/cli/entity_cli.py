"""``xref entity merge|rename|type|ignore|undo``: fix entities by writing the catalogue.

Thin calls into ``index.entity_fixes`` (which entry to write), ``index.catalogue_edit`` (the
text) and ``index.catalogue_journal`` (the write and its undo); then the index is brought up to
date with the new catalogue in a fresh library, timed, so the change is visible at once.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from tui.cli.common import UsageError, ensure_index, fail, warn_update
from tui.sanitise import shown
from tui.services import Services, make_services


def catalogue_path(services: Services) -> Path:
    """The catalogue in force, which the fix is written to (even when it does not exist yet)."""
    if not services.use_catalogue:
        raise UsageError("--no-catalogue: there is no catalogue to write the fix to")
    return services.catalogue or services.corpus / "entities.yaml"


def cmd_entity(services: Services, args: argparse.Namespace) -> int:
    from index import catalogue_journal as journal_mod
    from index import entity_fixes as fixes

    path = catalogue_path(services)
    journal = journal_mod.journal_for(services.state_dir, path)
    if args.action == "undo":
        try:
            done = journal_mod.undo(path, journal)
        except journal_mod.CatalogueWriteError as exc:
            return fail(str(exc))
        print(f"undid: {shown(done.label)} ({shown(done.path)})")
        _relink(services)
        return 0
    try:
        journal_mod.check(path)
    except journal_mod.CatalogueWriteError as exc:
        return fail(str(exc))
    ensure_index(services)
    lib = services.library
    try:
        if args.action == "merge":
            if len(args.names) < 2:
                raise UsageError("merge needs two names or more")
            fix = fixes.merge(lib, args.names)
        elif args.action == "rename":
            fix = fixes.rename(lib, args.name, args.new_name, args.type)
        elif args.action == "type":
            fix = fixes.retype(lib, args.name, args.type)
        else:
            fix = fixes.ignore(lib, args.name)
    except fixes.FixError as exc:
        return fail(str(exc))
    try:
        written = journal_mod.edit(path, journal, fix.label, fix.change)
    except journal_mod.CatalogueWriteError as exc:
        return fail(str(exc))
    except OSError as exc:
        return fail(f"cannot write {path}: {exc.strerror or exc}")
    print(f"{shown(fix.label)} (written to {shown(written.path)}; xref entity undo takes it back)")
    for problem in written.problems[:3]:
        print(f"xref: warning: {shown(problem)}", file=sys.stderr)
    fresh = _relink(services)
    if args.action != "ignore":
        _show(fresh, fix.entity)
    return 0


def _fresh(services: Services) -> Services:
    """Services like ``services`` with a new library: the old one holds the catalogue (and
    the extractor's version) as they were read before the change."""
    services.library.close()
    return make_services(
        services.corpus,
        services.index_dir,
        services.bookmarks_path,
        services.catalogue,
        services.use_catalogue,
        services.state_dir,
    )


def _relink(services: Services) -> Services:
    """Apply the new catalogue to the index now, and say how long it took."""
    fresh = _fresh(services)
    began = time.perf_counter()
    summary = fresh.update(
        on_wait=lambda: print("xref: waiting for another xref…", file=sys.stderr)
    )
    warn_update(summary)
    print(
        f"index updated for the new catalogue in {time.perf_counter() - began:.2f} s",
        file=sys.stderr,
    )
    return fresh


def _show(services: Services, name: str) -> None:
    """The entity as the index now has it: what the reader wanted to see change."""
    lib = services.library
    entity, _close = lib.find_entity(name)
    if entity is None:
        return
    n = len(entity.article_ids)
    aliases = f"; also {', '.join(shown(a) for a in entity.aliases[:8])}" if entity.aliases else ""
    print(
        f"now: {shown(entity.name)} ({shown(entity.type)}), {n} article{'s' if n != 1 else ''}"
        f"{aliases}"
    )
