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
"""

from __future__ import annotations

import io
import re
from collections import Counter
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


def read_pdf(data: bytes) -> Found:
    """The article of a PDF (``NotReadable``: encrypted, damaged, or no text layer)."""
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect

    try:
        boxes, info = _boxes(data)
    except (PDFEncryptionError, PDFPasswordIncorrect) as exc:
        raise NotReadable("encrypted PDF") from exc
    except RecursionError as exc:
        raise NotReadable("PDF nested too deeply") from exc
    except Exception as exc:  # a damaged PDF fails in pdfminer in many ways; all mean "skip"
        raise NotReadable(f"not a readable PDF ({type(exc).__name__})") from exc
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
