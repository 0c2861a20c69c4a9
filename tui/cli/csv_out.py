"""``xref mentions --format csv``: one row per mention, for a spreadsheet.

RFC 4180 through the ``csv`` module (CRLF line ends, fields quoted when they must be). Article
text is untrusted and a spreadsheet runs what looks like a formula: a cell that begins with
``=``, ``+``, ``-`` or ``@`` (after spaces, tabs or carriage returns, which some spreadsheets
skip) is prefixed with ``'``, as OWASP's CSV-injection guidance says; terminal escapes and
control characters are removed first, as everywhere xref shows outside text.
"""

from __future__ import annotations

import csv
import io
from typing import Any

from tui.sanitise import shown

COLUMNS = [
    "entity",
    "entity_id",
    "article",
    "title",
    "date",
    "path",
    "passage",
    "start",
    "end",
    "text",
    "context",
]
_FORMULA = ("=", "+", "-", "@")  # tab and CR: made spaces by ``shown``, then stripped


def cell(value: object) -> str | int:
    """One spreadsheet cell: numbers as they are, text cleaned and never a formula."""
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    # Cleaned first: a control character before "=" must not hide the formula from the check.
    text = shown("" if value is None else str(value))
    if text.lstrip(" ").startswith(_FORMULA):
        text = "'" + text
    return text


def mentions_csv(articles: list[dict[str, Any]]) -> str:
    """The rows of ``xref mentions`` (as its JSON has them), with a header."""
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for a in articles:
        for m in a["mentions"]:
            row = [
                m["entity_name"],
                m["entity"],
                a["id"],
                a["title"],
                a["date"],
                a["path"],
                m["passage"],
                m["start"],
                m["end"],
                m["text"],
                m["context"],
            ]
            writer.writerow([cell(v) for v in row])
    return out.getvalue()
