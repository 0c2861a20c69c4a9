"""``xref bookmarks`` and ``xref bookmark add``."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from tui.services import Services


def add_bookmark_commands(sub: Any) -> None:
    s = sub.add_parser("bookmarks", help="list, verify or export bookmarks")
    s.add_argument("--json", action="store_true")


def cmd_bookmarks(services: Services, args: argparse.Namespace) -> int:
    print("xref: bookmarks are not implemented yet", file=sys.stderr)
    return 1


def cmd_bookmark(services: Services, args: argparse.Namespace) -> int:
    return cmd_bookmarks(services, args)
