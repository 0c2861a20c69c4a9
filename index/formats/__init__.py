"""The formats xref reads, one module each, and which file is which.

This module is the table only and imports nothing heavy: the scan of a corpus runs before every
command and asks it of each file name. A format's module (and its library) is imported when a
file of that format is read.

| format | files | articles | module | library |
| --- | --- | --- | --- | --- |
| text, markdown | ``.txt``, ``.md`` | one | ``index.corpus`` | - |
| html | ``.html``, ``.htm`` | one | ``web`` | trafilatura (extra ``formats``) |
| pdf | ``.pdf`` | one | ``pdf`` | pdfminer.six (extra ``formats``) |
| email | ``.eml`` | one | ``mail`` | standard library |
| mbox | ``.mbox``, a ``mbox`` file in a ``*.mbox`` folder | one a message | ``mail`` | - |
| jsonl | ``.jsonl``, ``.ndjson`` | one a line | ``records`` | - |
| csv | ``.csv`` | one a row | ``records`` | - |
"""

from __future__ import annotations

import importlib.util
from dataclasses import dataclass
from functools import cache

MB = 1024 * 1024
EXTRA = "pip install 'xref-reader[formats]'"


@dataclass(frozen=True)
class Format:
    """One kind of file: its suffixes, whether it holds many articles (read as a stream, with
    no size limit for the file), the largest file read whole, and the module that is needed
    to read it when that is not the standard library."""

    kind: str
    suffixes: tuple[str, ...]
    many: bool = False
    max_bytes: int = 8 * MB
    needs: str | None = None

    @property
    def missing(self) -> str | None:
        """Why files of this format cannot be read here (its library is not installed), or
        None. Asked of the import system without importing anything."""
        if self.needs is None or _installed(self.needs):
            return None
        return f"reading {self.kind.upper()} needs {self.needs}: {EXTRA}"


@cache
def _installed(module: str) -> bool:
    return importlib.util.find_spec(module) is not None


TEXT = Format("text", (".txt",))
MARKDOWN = Format("markdown", (".md",))
# A page saved "complete" inlines its images: the text is a small part of it.
HTML = Format("html", (".html", ".htm"), max_bytes=32 * MB, needs="trafilatura")
PDF = Format("pdf", (".pdf",), max_bytes=128 * MB, needs="pdfminer")
EMAIL = Format("email", (".eml",), max_bytes=32 * MB)
MBOX = Format("mbox", (".mbox",), many=True)
JSONL = Format("jsonl", (".jsonl", ".ndjson"), many=True)
CSV = Format("csv", (".csv",), many=True)
FORMATS = (TEXT, MARKDOWN, HTML, PDF, EMAIL, MBOX, JSONL, CSV)
ALL_SUFFIXES = tuple(s for f in FORMATS for s in f.suffixes)


def format_of(rel: str) -> Format | None:
    """The format of a file by its name (relative path), or None when xref does not read it.
    Apple Mail exports a mailbox as a folder ``Name.mbox`` holding a file ``mbox``."""
    lower = rel.lower()
    for f in FORMATS:
        if lower.endswith(f.suffixes):
            return f
    parts = lower.rsplit("/", 2)
    if len(parts) >= 2 and parts[-1] == "mbox" and parts[-2].endswith(".mbox"):
        return MBOX
    return None
