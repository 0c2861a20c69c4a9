"""PDF files: the text in reading order, one passage per paragraph, and the offset where each
page begins, so that a quote can be cited with its page.

pdfminer.six lays each page out into text boxes (a paragraph, a heading, a column's block) in
reading order, columns included: on browser-printed news pages and two-column layouts it gave
every paragraph whole where pypdf and pypdfium2 gave lines to be guessed back into paragraphs
(78 of 78 paragraphs whole on our PDFs, 64 of 78 on Chrome's prints of news pages, against
38 and 38 for pypdf, 49 and 13 for pypdfium2; README, "Formats"). Pure Python, MIT; with
cryptography about 29 MB, so an optional extra (``formats``).

What a printed page adds is left out: running headers and footers (the same text, numbers
aside, at the top or bottom of every page: a browser's date, title, URL and "1/3") and bare page
numbers; the URL a browser prints in them is kept as the article's URL. A PDF with no text
layer (a scan) is skipped with one line: xref does no OCR.

pdfminer inflates a stream whole, with no limit: a PDF of a few hundred KB can hold a stream
that inflates to gigabytes (a "zip bomb"). Its decoders for the filters that can inflate so
much (Flate, LZW, RunLength) are replaced by bounded ones, charged to one budget per document
(``MAX_INFLATED``): past it the PDF is skipped with one line, having used at most about that
much memory. The budget is a ``ContextVar``, so a PDF read on another thread has its own.
"""

from __future__ import annotations

import io
import re
import zlib
from collections import Counter
from collections.abc import Iterable
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from index.formats.common import Found
from index.reading import NotReadable

_EDGE = 0.05  # the top and bottom share of a page where running headers and footers stand
_PAGE_NO = re.compile(r"^(?:page\s*)?\d{1,4}(?:\s*(?:/|of)\s*\d{1,4})?$", re.I)
_URL = re.compile(r"https?://\S+")
_COUNTER = re.compile(r"(?:^|\s)(?:page\s*)?\d{1,4}\s*(?:/|of)\s*\d{1,4}$", re.I)
_LIGATURES = str.maketrans(
    {"ﬀ": "ff", "ﬁ": "fi", "ﬂ": "fl", "ﬃ": "ffi", "ﬄ": "ffl", "ﬅ": "st", "ﬆ": "st"}
)
_SENTENCE_END = (".", "!", "?", '"', "”", "’", ":", ")")

# What the streams of one PDF may inflate to, in all: the text, fonts and page descriptions of
# a long report are a few MB; images are not inflated to read text.
MAX_INFLATED = 64 * 1024 * 1024
_CHUNK = 1 << 20


class _TooLarge(Exception):
    """The streams of a PDF inflate past ``MAX_INFLATED``."""


@dataclass
class _Budget:
    left: int = MAX_INFLATED
    exceeded: bool = False

    def charge(self, n: int) -> None:
        self.left -= n
        if self.left < 0:
            self.exceeded = True  # kept, should pdfminer catch the exception somewhere
            raise _TooLarge


_BUDGET: ContextVar[_Budget | None] = ContextVar("xref_pdf_budget", default=None)


def _left() -> int:
    """How much one call may inflate: one byte past the budget (0: no limit, no budget)."""
    budget = _BUDGET.get()
    return budget.left + 1 if budget is not None else 0


def _charge(n: int) -> None:
    budget = _BUDGET.get()
    if budget is not None:
        budget.charge(n)


class _Inflater:
    """``zlib.decompressobj()`` charged to the budget (pdfminer's repair of a damaged stream
    feeds it a byte at a time)."""

    def __init__(self) -> None:
        self._d = zlib.decompressobj()

    def decompress(self, data: bytes) -> bytes:
        # One byte past the budget at most: charging it raises.
        out = self._d.decompress(data, _left())
        _charge(len(out) + (1 if self._d.unconsumed_tail else 0))
        return out

    def flush(self, *args: int) -> bytes:
        out = self._d.flush(*args)
        _charge(len(out))
        return out

    @property
    def eof(self) -> bool:
        return self._d.eof


class _BoundedZlib:
    """What ``pdfminer.pdftypes`` uses of ``zlib``, inflating no more than the budget left."""

    error = zlib.error

    @staticmethod
    def decompressobj() -> _Inflater:
        return _Inflater()

    @staticmethod
    def decompress(data: bytes) -> bytes:
        d = _Inflater()
        out = d.decompress(data)
        if not d.eof:  # as ``zlib.decompress``: pdfminer then tries its repair
            raise zlib.error("incomplete or truncated stream")
        return out


def _repair(data: bytes) -> bytes:
    """pdfminer's ``decompress_corrupted`` (a stream whose checksum at its end is wrong),
    bounded, and fed at once rather than a byte at a time into a growing ``bytes`` (quadratic:
    a bomb with a broken end would cost hours): an error before the last three bytes is
    raised, as there; in them, what was inflated is kept."""
    d = _Inflater()
    out = d.decompress(data[:-3])
    for i in range(max(len(data) - 3, 0), len(data)):
        try:
            out += d.decompress(data[i : i + 1])
        except zlib.error:
            break
    return out


def _joined(chunks: Iterable[bytes]) -> bytes:
    """Decoded chunks joined, charged as they come."""
    out = bytearray()
    pending = 0
    for chunk in chunks:
        out += chunk
        pending += len(chunk)
        if pending >= _CHUNK:
            _charge(pending)
            pending = 0
    _charge(pending)
    return bytes(out)


def _lzwdecode(data: bytes) -> bytes:
    from pdfminer.lzw import LZWDecoder

    return _joined(LZWDecoder(io.BytesIO(data)).run())


def _rldecode(data: bytes) -> bytes:
    """RunLength (PDF reference 3.3.4), charged as it inflates (up to 64 times)."""

    def runs() -> Iterable[bytes]:
        i = 0
        while i < len(data):
            n = data[i]
            if n == 128:
                return
            if n < 128:
                yield data[i + 1 : i + 2 + n]
                i += n + 2
            else:
                yield data[i + 1 : i + 2] * (257 - n)
                i += 2

    return _joined(runs())


_installed = False


def _bound_pdfminer() -> None:
    """Put the bounded decoders in the place of pdfminer's (once; unbounded outside
    ``read_pdf``, where no budget is set)."""
    global _installed
    if _installed:
        return
    from pdfminer import pdftypes

    # Names pdftypes imported for its own use: replaced where it looks them up.
    pdftypes.zlib = _BoundedZlib  # type: ignore[attr-defined, assignment]
    pdftypes.lzwdecode = _lzwdecode  # type: ignore[attr-defined]
    pdftypes.rldecode = _rldecode  # type: ignore[attr-defined]
    pdftypes.decompress_corrupted = _repair
    _installed = True


@dataclass
class _Box:
    page: int
    text: str
    edge: bool  # in the top or bottom margin
    size: float  # mean character height (headings are larger)


def _paragraph(raw: str) -> str:
    """A text box's lines as one paragraph: a word broken at a line's end ("agree-\\nment")
    is joined again, other lines are joined with a space."""
    lines = [ln.strip() for ln in raw.translate(_LIGATURES).splitlines() if ln.strip()]
    out = ""
    for line in lines:
        if out.endswith("-") and line[:1].islower() and out[-2:-1].isalpha():
            out = out[:-1] + line
        else:
            out = f"{out} {line}" if out else line
    return out


def _boxes(data: bytes) -> tuple[list[_Box], Any]:
    """Every text box of every page in reading order, and the document information."""
    from pdfminer.converter import PDFPageAggregator
    from pdfminer.layout import LAParams, LTChar, LTTextBox, LTTextLine
    from pdfminer.pdfdocument import PDFDocument
    from pdfminer.pdfinterp import PDFPageInterpreter, PDFResourceManager
    from pdfminer.pdfpage import PDFPage
    from pdfminer.pdfparser import PDFParser

    _bound_pdfminer()
    parser = PDFParser(io.BytesIO(data))
    document = PDFDocument(parser)
    manager = PDFResourceManager()
    device = PDFPageAggregator(manager, laparams=LAParams())
    interpreter = PDFPageInterpreter(manager, device)
    boxes: list[_Box] = []
    for number, page in enumerate(PDFPage.create_pages(document), 1):
        interpreter.process_page(page)
        layout = device.get_result()
        height = float(layout.height) or 1.0
        for element in layout:
            if not isinstance(element, LTTextBox):
                continue
            text = _paragraph(element.get_text())
            if not text:
                continue
            sizes = [
                ch.size
                for line in element
                if isinstance(line, LTTextLine)
                for ch in line
                if isinstance(ch, LTChar)
            ][:200]
            edge = element.y0 > height * (1 - _EDGE) or element.y1 < height * _EDGE
            boxes.append(_Box(number, text, edge, sum(sizes) / len(sizes) if sizes else 0.0))
    return boxes, document.info


def _shape(text: str) -> str:
    return re.sub(r"\d+", "#", text)


def _title_from_info(info: Any) -> str | None:
    """The document's own /Title, when it is one a person would give (not a file name)."""
    from pdfminer.utils import decode_text

    for entry in info or []:
        value = entry.get("Title") if isinstance(entry, dict) else None
        if isinstance(value, bytes):
            value = decode_text(value)
        if isinstance(value, str) and value.strip():
            title = value.strip()
            if not re.search(r"\.(docx?|pdf|html?|txt)$|^untitled$", title, re.I):
                return title
    return None


def _too_large() -> str:
    return f"PDF streams inflate past {MAX_INFLATED >> 20} MB (a compression bomb?)"


def read_pdf(data: bytes) -> Found:
    """The article of a PDF (``NotReadable``: encrypted, damaged, or no text layer)."""
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect

    budget = _Budget()
    token = _BUDGET.set(budget)
    try:
        boxes, info = _boxes(data)
    except _TooLarge as exc:
        raise NotReadable(_too_large()) from exc
    except (PDFEncryptionError, PDFPasswordIncorrect) as exc:
        raise NotReadable("encrypted PDF") from exc
    except RecursionError as exc:
        raise NotReadable("PDF nested too deeply") from exc
    except Exception as exc:  # a damaged PDF fails in pdfminer in many ways; all mean "skip"
        if budget.exceeded:
            raise NotReadable(_too_large()) from exc
        raise NotReadable(f"not a readable PDF ({type(exc).__name__})") from exc
    finally:
        _BUDGET.reset(token)
    if budget.exceeded:
        raise NotReadable(_too_large())
    if not any(b.text.strip() for b in boxes):
        raise NotReadable("PDF without text (a scan?): xref does no OCR")
    pages = max(b.page for b in boxes)
    repeats = Counter(_shape(b.text) for b in boxes if b.edge)
    body = [b for b in boxes if not b.edge and b.page == boxes[0].page][:8]
    heading = max(body, key=lambda b: b.size).text if body else None
    url = None
    kept: list[_Box] = []
    for b in boxes:
        running = (
            _PAGE_NO.match(b.text)
            or _COUNTER.search(b.text)  # "https://…   1/3"
            or (pages > 1 and repeats[_shape(b.text)] > 1)
            or (heading is not None and heading in b.text and heading != b.text)  # date, title
        )
        if b.edge and running:
            url = url or next(iter(_URL.findall(b.text)), None)
            continue
        kept.append(b)
    paragraphs: list[str] = []
    page_starts: list[tuple[int, int]] = []  # (paragraph, offset in it) where a page begins
    last_page = 0
    for b in kept:
        if b.page != last_page:
            last_page = b.page
            joined = paragraphs and not paragraphs[-1].endswith(_SENTENCE_END)
            if joined and b.text[:1].islower():  # a paragraph running on to the next page
                page_starts.append((len(paragraphs) - 1, len(paragraphs[-1]) + 1))
                paragraphs[-1] += " " + b.text
                continue
            page_starts.append((len(paragraphs), 0))
        paragraphs.append(b.text)
    return Found(
        paragraphs=tuple(paragraphs),
        title=_title_from_info(info) or heading,
        url=url,
        page_starts=tuple(page_starts),
    )
