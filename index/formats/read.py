"""Which reader reads which format: the one place that maps a ``Format`` to its module, so
that a module and its library are imported only when a file of its format is read."""

from __future__ import annotations

from collections.abc import Iterator
from typing import BinaryIO

from index.formats import CSV, EMAIL, HTML, JSONL, MBOX, PDF, Format
from index.formats.common import BadRecord, Found


def read_single(fmt: Format, data: bytes) -> Found:
    """The article of a file of one article that is not plain text (``NotReadable``)."""
    if fmt is HTML:
        from index.formats.web import read_page

        return read_page(data)
    if fmt is PDF:
        from index.formats.pdf import read_pdf

        return read_pdf(data)
    if fmt is EMAIL:
        from index.formats.mail import read_eml

        return read_eml(data)
    raise ValueError(f"{fmt.kind} is not a format of one article")


def read_many(fmt: Format, f: BinaryIO) -> Iterator[Found | BadRecord]:
    """The articles of a file of many, streamed from ``f`` (``NotReadable`` when the file as a
    whole is not of its format: a CSV without a text column, a mailbox with no "From " line)."""
    if fmt is MBOX:
        from index.formats.mail import read_mbox

        return read_mbox(f)
    if fmt is JSONL:
        from index.formats.records import read_jsonl

        return read_jsonl(f)
    if fmt is CSV:
        from index.formats.records import read_csv

        return read_csv(f)
    raise ValueError(f"{fmt.kind} is not a format of many articles")
