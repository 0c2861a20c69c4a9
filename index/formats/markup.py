"""HTML made plain with the standard library, where no boilerplate is to be removed: the HTML
part of a newsletter, a JSON or CSV field that holds ``<p>`` markup. Block elements end a
paragraph; scripts, styles and the document head are dropped; entities are decoded. What comes
out is text, never markup: nothing of it is interpreted again.

Saved web pages go to trafilatura instead (``web``), which also removes the site around the
article.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

_BLOCKS = frozenset(
    "address article aside blockquote br dd div dl dt figcaption figure footer form h1 h2 h3 h4"
    " h5 h6 header hr li main nav ol p pre section table td th tr ul".split()
)
_DROPPED = frozenset("script style head template noscript svg title".split())
_SPACE = re.compile(r"\s+")
# A field "looks like HTML" when it holds a closing tag or a paragraph or line break tag:
# a lone "<" or "a < b" in a text is not markup.
_LOOKS_HTML = re.compile(r"</[a-zA-Z][a-zA-Z0-9]*\s*>|<(?:p|br|div|li)\b[^>]*>", re.I)


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.paragraphs: list[str] = []
        self.current: list[str] = []
        self.dropped = 0

    def _end_paragraph(self) -> None:
        text = _SPACE.sub(" ", "".join(self.current)).strip()
        if text:
            self.paragraphs.append(text)
        self.current = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _DROPPED:
            self.dropped += 1
        elif tag in _BLOCKS:
            self._end_paragraph()

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _BLOCKS:
            self._end_paragraph()

    def handle_endtag(self, tag: str) -> None:
        if tag in _DROPPED:
            self.dropped = max(self.dropped - 1, 0)
        elif tag in _BLOCKS:
            self._end_paragraph()

    def handle_data(self, data: str) -> None:
        if not self.dropped:
            self.current.append(data)


def html_paragraphs(markup: str) -> list[str]:
    """The paragraphs of an HTML fragment or document, as plain text."""
    parser = _Text()
    parser.feed(markup)
    parser.close()
    parser._end_paragraph()
    return parser.paragraphs


def looks_like_html(text: str) -> bool:
    return bool(_LOOKS_HTML.search(text[:20000]))
