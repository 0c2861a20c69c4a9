"""The arguments of ``xref entity``, apart from the command: the parser (and ``--help``) must
not import the catalogue, YAML or the index."""

from __future__ import annotations

from typing import Any

TYPES = ["person", "place", "event", "organisation"]  # index.entities.TYPES; a test keeps it


def add_entity_commands(sub: Any) -> None:
    s = sub.add_parser(
        "entity",
        help="fix entities: merge, rename, type, ignore, undo",
        description="Fix an entity by writing the entity catalogue (entities.yaml in the "
        "corpus, or --catalogue FILE) as a person would: comments and order kept, only the "
        "entry concerned changed. The index is then re-linked. NAME is an entity's id, "
        "name or alias (quote names with spaces).",
    )
    acts = s.add_subparsers(dest="action", metavar="ACTION", required=True, parser_class=type(s))
    m = acts.add_parser(
        "merge",
        help="make several entities one",
        description="Add a merge: from now on the entities named are one.",
    )
    m.add_argument("names", nargs="+", metavar="NAME")
    r = acts.add_parser(
        "rename",
        help="show an entity under another name",
        description="Set the entity's name in the catalogue; the old name is kept as an "
        "alias so its mentions still link.",
    )
    r.add_argument("name", metavar="NAME")
    r.add_argument("new_name", metavar="NEW_NAME")
    r.add_argument("--type", choices=[*TYPES, "organization"], help="needed for an unknown one")
    t = acts.add_parser(
        "type",
        help="force an entity's type",
        description="Set the entity's type in the catalogue.",
    )
    t.add_argument("name", metavar="NAME")
    t.add_argument("type", choices=[*TYPES, "organization"], metavar="TYPE")
    i = acts.add_parser(
        "ignore",
        help="mark a name as not an entity",
        description="Add the entity's name to the catalogue's ignore list.",
    )
    i.add_argument("name", metavar="NAME")
    acts.add_parser(
        "undo",
        help="take back the last change xref made to the catalogue",
        description="Put back the catalogue exactly as it was before xref's last change "
        "(refused when it was edited by hand since).",
    )
