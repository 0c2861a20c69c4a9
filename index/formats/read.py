"""Which reader reads which format: the one place that maps a ``Format`` to its module, so
that a module and its library are imported only when a file of its format is read."""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterator, Mapping
from typing import Any, BinaryIO

from index.formats import CSV, EMAIL, HTML, JSONL, MBOX, PDF, Format
from index.formats.common import BadRecord, Found

# format -> (module, function): one article from the bytes, or many from a stream.
_READERS = {
    HTML: ("index.formats.web", "read_page"),
    PDF: ("index.formats.pdf", "read_pdf"),
    EMAIL: ("index.formats.mail", "read_eml"),
    MBOX: ("index.formats.mail", "read_mbox"),
    JSONL: ("index.formats.records", "read_jsonl"),
    CSV: ("index.formats.records", "read_csv"),
}


def _reader(fmt: Format, many: bool) -> Callable[..., Any]:
    if fmt not in _READERS or fmt.many != many:
        raise ValueError(f"{fmt.kind} has no reader of {'many' if many else 'one'}")
    module, name = _READERS[fmt]
    function: Callable[..., Any] = getattr(importlib.import_module(module), name)
    return function


def read_single(fmt: Format, data: bytes) -> Found:
    """The article of a file of one article that is not plain text (``NotReadable``)."""
    found: Found = _reader(fmt, many=False)(data)
    return found


def read_many(
    fmt: Format, f: BinaryIO, fields: Mapping[str, str] | None = None
) -> Iterator[Found | BadRecord]:
    """The articles of a file of many, streamed from ``f`` (``NotReadable`` when the file as a
    whole is not of its format: a CSV without a text column, a mailbox with no "From " line).
    ``fields`` names the fields of a JSONL or CSV export (``records:`` in the catalogue); a
    mailbox has its own."""
    reader = _reader(fmt, many=True)
    items: Iterator[Found | BadRecord] = (
        reader(f, fields) if fields and fmt in (JSONL, CSV) else reader(f)
    )
    return items
