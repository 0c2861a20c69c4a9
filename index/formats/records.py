"""Exports of many articles: JSON Lines (``.jsonl``, ``.ndjson``, one object a line) and CSV
(a header row, one article a row). Fields are found by the names news APIs and scrapers use,
in any case (``title``/``headline``, ``text``/``body``/``content``, ``date``/``published``,
``url``/``link``, ``author``/``byline``, ``id``); a text holding HTML markup is made plain.
An export named otherwise is read with the names the corpus's catalogue gives (``records:``
in ``entities.yaml``, see ``index.catalogue``): a field named there is the only one read for
its role, so that a mapping says exactly where each field comes from.

Both are read as a stream, a record at a time: the file may be any size, a record at most
``MAX_RECORD`` bytes. A record that cannot be read is counted, not fatal; its key is its own
``id`` when it has one, else its number (the line of a JSONL file, the row of a CSV file after
the header), so that the ids of the other records stay the same when one changes.
"""

from __future__ import annotations

import codecs
import csv
import io
import json
from collections.abc import Iterator, Mapping
from typing import Any, BinaryIO

from index.formats.common import MAX_CHARS, BadRecord, Found, clean_line, record_key
from index.formats.markup import html_paragraphs, looks_like_html
from index.reading import NotReadable

MAX_RECORD = 16 * 1024 * 1024
_FIELDS = {
    "id": ("id", "_id", "guid", "uuid", "doc_id", "article_id", "key"),
    "title": ("title", "headline", "name", "subject"),
    "text": (
        "text", "body", "content", "article", "full_text", "fulltext", "article_text",
        "maintext", "description", "summary",
    ),
    "date": (
        "date", "published", "published_at", "publishedat", "pubdate", "publication_date",
        "date_published", "datepublished", "datetime", "created_at", "timestamp", "time",
    ),
    "url": ("url", "link", "uri", "href", "permalink", "canonical_url", "source_url"),
    "author": ("author", "authors", "byline", "creator", "by", "writer"),
}  # fmt: skip


Fields = Mapping[str, str]  # role -> the one field name read for it (already normalised)


def field_name(name: str) -> str:
    """A field name as it is compared: lower case, ``-`` and spaces as ``_`` (``Pub Date`` in
    a CSV header is ``pub_date``); the catalogue's ``records:`` names are made so too."""
    return name.strip().lower().replace("-", "_").replace(" ", "_")


def _names_of(role: str, fields: Fields) -> tuple[str, ...]:
    """The field names read for ``role``: the one the mapping gives, else the usual ones."""
    mapped = fields.get(role)
    return (mapped,) if mapped else _FIELDS[role]


def _pick(record: Mapping[str, Any], role: str, fields: Fields) -> Any:
    """The value of the first field of ``role`` the record has (non-empty)."""
    for name in _names_of(role, fields):
        value = record.get(name)
        if value not in (None, "", [], {}):
            return value
    return None


def _names(value: Any) -> str | None:
    """An author field as one line: a string, a {"name": …}, or a list of either."""
    if isinstance(value, list):
        names = [n for n in (_names(v) for v in value[:20]) if n]
        return ", ".join(names) or None
    if isinstance(value, dict):
        value = value.get("name")
    return clean_line(value, 200) if isinstance(value, str | int) else None


def _text_names(fields: Fields) -> str:
    return fields.get("text") or "text, body or content"


def record_found(
    record: Mapping[str, Any], number: int, seen: set[str], fields: Fields | None = None
) -> Found:
    """One record (its fields already named in lower case) as an article."""
    fields = fields or {}
    key = record_key(_pick(record, "id", fields), number, seen)
    text = _pick(record, "text", fields)
    if isinstance(text, list):
        text = "\n\n".join(str(t) for t in text if isinstance(t, str | int | float))
    if not isinstance(text, str) or not text.strip():
        raise NotReadable(f"no text field ({_text_names(fields)})")
    if len(text) > MAX_CHARS:
        raise NotReadable(f"text larger than {MAX_CHARS >> 20} MB")
    title = _pick(record, "title", fields)
    url = _pick(record, "url", fields)
    return Found(
        text="" if looks_like_html(text) else text.replace("\r\n", "\n"),
        paragraphs=tuple(html_paragraphs(text)) if looks_like_html(text) else (),
        title=title if isinstance(title, str) else None,
        byline=_names(_pick(record, "author", fields)),
        date=_pick(record, "date", fields),
        url=url if isinstance(url, str) else None,
        key=key,
    )


def _lines(f: BinaryIO) -> Iterator[tuple[int, bytes | None]]:
    """(number from 1, bytes) of every line, None for a line past ``MAX_RECORD``, whose rest
    is read past without being kept."""
    number = 0
    while True:
        line = f.readline(MAX_RECORD + 1)
        if not line:
            return
        number += 1
        if len(line) > MAX_RECORD and not line.endswith(b"\n"):
            while (more := f.readline(1 << 20)) and not more.endswith(b"\n"):
                pass
            yield number, None
            continue
        yield number, line


def _decode(line: bytes) -> str:
    try:
        return line.decode("utf-8-sig")
    except UnicodeDecodeError:
        return line.decode("cp1252", "replace")


def read_jsonl(f: BinaryIO, fields: Fields | None = None) -> Iterator[Found | BadRecord]:
    """Every line of a JSON Lines file as an article, or the reason it is not one; ``fields``
    maps a role to the field read for it (``records:`` in the catalogue)."""
    seen: set[str] = set()
    for number, line in _lines(f):
        where = f"line {number}"
        if line is None:
            yield BadRecord(where, f"longer than {MAX_RECORD >> 20} MB")
            continue
        if not line.strip():
            continue
        try:
            value = json.loads(_decode(line))
        except (ValueError, RecursionError) as exc:
            yield BadRecord(where, f"not JSON ({type(exc).__name__})")
            continue
        if not isinstance(value, dict):
            yield BadRecord(where, "not a JSON object")
            continue
        record = {field_name(str(k)): v for k, v in value.items()}
        try:
            yield record_found(record, number, seen, fields)
        except NotReadable as exc:
            yield BadRecord(where, str(exc))


def _encoding(f: BinaryIO) -> str:
    """UTF-8 when the first megabyte is (a character cut at its end allowed), else cp1252."""
    head = f.read(1 << 20)
    f.seek(0)
    try:
        codecs.getincrementaldecoder("utf-8")().decode(head, final=False)
    except UnicodeDecodeError:
        return "cp1252"
    return "utf-8-sig"


def read_csv(f: BinaryIO, fields: Fields | None = None) -> Iterator[Found | BadRecord]:
    """Every row of a CSV file as an article (``NotReadable`` when the header names no text
    column). The delimiter is the one of ``, ; TAB |`` the header holds most of; ``fields`` as
    for ``read_jsonl``."""
    fields = fields or {}
    text = io.TextIOWrapper(f, encoding=_encoding(f), errors="replace", newline="")
    header_line = text.readline()
    counts = {d: header_line.count(d) for d in ",;\t|"}
    delimiter = max(counts, key=lambda d: counts[d])
    header = next(csv.reader([header_line], delimiter=delimiter), [])
    names = [field_name(h) for h in header]
    if not any(n in _names_of("text", fields) for n in names):
        raise NotReadable(f"CSV without a text column ({_text_names(fields)})")
    csv.field_size_limit(MAX_RECORD)  # the default, 128 KB, is shorter than long articles
    rows = csv.reader(text, delimiter=delimiter)
    seen: set[str] = set()
    number = errors = 0
    while True:
        number += 1
        where = f"row {number}"
        try:
            row = next(rows)
        except StopIteration:
            return
        except csv.Error as exc:
            yield BadRecord(where, f"not CSV ({exc})")
            errors += 1
            if errors > 1000:  # no longer CSV at all: the rest is not read
                return
            continue
        if not any(cell.strip() for cell in row):
            continue
        record = {n: v for n, v in zip(names, row, strict=False) if v.strip()}
        try:
            yield record_found(record, number, seen, fields)
        except NotReadable as exc:
            yield BadRecord(where, str(exc))
