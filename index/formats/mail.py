"""E-mail: an ``.eml`` file is one article; an mbox file, one article a message. The subject is
the title, the sender the byline, the Date header the date; the text part is the text, else the
HTML part made plain (``markup``); a ``List-Post``, ``Archived-At`` or "view online" link is the
URL. Standard library only.

A mailbox is read as a stream, one message at a time, so a 200 MB mbox costs the memory of
its largest message; a message larger than ``MAX_MESSAGE`` is skipped unread.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from typing import BinaryIO

from index.formats.common import BadRecord, Found, clean_line, record_key
from index.formats.markup import html_paragraphs
from index.reading import NotReadable

MAX_MESSAGE = 32 * 1024 * 1024
_LINK = re.compile(r"<\s*(https?://[^>\s]+)\s*>")
_PARSER = BytesParser(policy=policy.default)
_SIGNATURE = re.compile(r"^-- ?$", re.M)


def _body(msg: EmailMessage) -> Found:
    """The readable body of a message: its plain text part, else its HTML part as paragraphs."""
    part = msg.get_body(preferencelist=("plain", "html"))
    if part is None:
        raise NotReadable("no text or HTML part")
    try:
        content = part.get_content()
    except (LookupError, ValueError, AssertionError) as exc:  # unknown charset, bad encoding
        raise NotReadable(f"unreadable body ({type(exc).__name__})") from exc
    if not isinstance(content, str):
        raise NotReadable("no text or HTML part")
    if part.get_content_subtype() == "html":
        return Found(paragraphs=tuple(html_paragraphs(content)))
    text = content.replace("\r\n", "\n")
    # The signature ("-- " on a line of its own, as mail programs write it) is not the article.
    text = _SIGNATURE.split(text, maxsplit=1)[0]
    return Found(text=text)


def _header(msg: EmailMessage, name: str) -> str | None:
    """A header's decoded value; a malformed one (which ``email`` may refuse) is None."""
    try:
        value = msg.get(name)
    except (ValueError, IndexError, TypeError):
        return None
    return None if value is None else str(value)


def _sender(msg: EmailMessage) -> str | None:
    """The sender's name, else address."""
    try:
        addresses = msg["From"].addresses if msg["From"] is not None else ()
    except (ValueError, IndexError, TypeError, AttributeError):
        return clean_line(_header(msg, "From"))
    for address in addresses:
        return clean_line(address.display_name or address.addr_spec)
    return None


def message_found(msg: EmailMessage, key: str | None = None) -> Found:
    """One message as an article."""
    body = _body(msg)
    url = None
    for name in ("Archived-At", "List-Post"):
        m = _LINK.search(_header(msg, name) or "")
        if m:
            url = m.group(1)
            break
    return Found(
        text=body.text,
        paragraphs=body.paragraphs,
        title=_header(msg, "Subject"),
        byline=_sender(msg),
        date=_header(msg, "Date"),
        url=url,
        key=key,
    )


def read_eml(data: bytes) -> Found:
    """The article of an ``.eml`` file."""
    msg = _PARSER.parsebytes(data)
    if not isinstance(msg, EmailMessage) or not msg.keys():
        raise NotReadable("not an e-mail message (no headers)")
    return message_found(msg)


def _messages(f: BinaryIO) -> Iterator[tuple[int, bytes | None]]:
    """(number from 1, bytes) of every message of a mailbox, read line by line; the bytes are
    None for a message past ``MAX_MESSAGE``. A message begins at a "From " line at the start
    of the file or after a blank line; a body line quoted as ">From " loses one ">"."""
    number = 0
    lines: list[bytes] = []
    size = 0
    blank = True
    for line in f:
        if line.startswith(b"From ") and blank:
            if number:
                yield number, b"".join(lines) if size <= MAX_MESSAGE else None
            number += 1
            lines, size = [], 0
            blank = False
            continue
        blank = line in (b"\n", b"\r\n")
        if number == 0:
            if line.strip():
                raise NotReadable('not a mailbox (no "From " line first)')
            continue
        size += len(line)
        if size <= MAX_MESSAGE:
            if line.startswith(b">") and line.lstrip(b">").startswith(b"From "):
                line = line[1:]
            lines.append(line)
    if number:
        yield number, b"".join(lines) if size <= MAX_MESSAGE else None


def read_mbox(f: BinaryIO) -> Iterator[Found | BadRecord]:
    """Every message of a mailbox as an article, or the reason it is not one. Keys are the
    messages' numbers: a mailbox grows at its end, so they stay the same as it does."""
    seen: set[str] = set()
    for number, raw in _messages(f):
        key = record_key(None, number, seen)
        if raw is None:
            yield BadRecord(f"message {number}", f"larger than {MAX_MESSAGE >> 20} MB")
            continue
        msg = _PARSER.parsebytes(raw)
        if not isinstance(msg, EmailMessage):
            yield BadRecord(f"message {number}", "not a message")
            continue
        try:
            yield message_found(msg, key)
        except NotReadable as exc:
            yield BadRecord(f"message {number}", str(exc))
