"""``xref search`` with ``entity:`` terms: a search restricted to the articles that mention
those entities (``index.comentions``). The output is the search's own, so ``--json`` stays the
stable interface the README documents."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

from tui.cli.common import UsageError
from tui.sanitise import shown
from tui.services import Services

if TYPE_CHECKING:
    from index.results import SearchResult


def search_entities(services: Services, query: str, limit: int) -> SearchResult | None:
    """The result, or None (after one line on stderr) when an entity is not found."""
    from index import comentions

    names, _rest = comentions.split_query(query)
    if not names:
        return _plain(services, query, limit)
    if any(not n for n in names):
        raise UsageError('entity: needs a name: entity:Aliyev or entity:"Ilham Aliyev"')
    try:
        result, chosen = comentions.search(services.library, query, limit=limit)
    except comentions.EntityNotFound as exc:
        print(f"xref: {shown(exc)}", file=sys.stderr)
        return None
    for c in chosen:
        if c.others:
            print(
                f"xref: entity:{shown(c.name)} taken as {shown(c.entity.name)}; also "
                + ", ".join(f"{shown(o.name)} ({shown(o.id)})" for o in c.others),
                file=sys.stderr,
            )
    return result


def _plain(services: Services, query: str, limit: int) -> SearchResult:
    """``entity:`` inside a phrase or a word (``"entity: x"``): an ordinary search."""
    return services.library.search(query, limit=limit)
