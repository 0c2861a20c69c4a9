"""Bookmarks as W3C Web Annotations (JSON-LD), for other annotation tools.

Each bookmark is one ``Annotation`` whose target is the article with the two selectors the
bookmarks already carry: a ``TextQuoteSelector`` (the quote with up to 32 characters of prefix
and suffix) and a ``TextPositionSelector`` (``start``/``end``: Unicode code points into the text
as xref decoded it, which is what the model counts). A bookmark is exported where its quote is
now (re-anchored: exact, moved or fuzzy), with selectors taken from the current text; one that
is ambiguous or orphaned keeps its stored quote and gets no position, which would point at the
wrong text. The note is a ``commenting`` body, each tag a ``tagging`` body.

The source is the article file (``file://`` in its corpus folder), since the offsets count its
text; a web address the bookmark or the article gives (``citation``) is the target's ``scope``,
the page the text comes from. All of it goes into one ``AnnotationCollection``.
"""

from __future__ import annotations

from typing import Any

from tui.bookmarks.anchor import context_of
from tui.bookmarks.citation import file_uri, url_of
from tui.bookmarks.ops import Located
from tui.sanitise import to_json

CONTEXT = "http://www.w3.org/ns/anno.jsonld"


def annotation(x: Located, corpus: str) -> dict[str, Any]:
    """One bookmark as a Web Annotation."""
    b = x.bookmark
    article = x.article
    if article is not None and x.anchor.start is not None and x.anchor.end is not None:
        start, end = x.anchor.start, x.anchor.end
        prefix, suffix = context_of(article.text, start, end)
        quote = article.text[start:end]
        selectors: list[dict[str, Any]] = [
            {"type": "TextQuoteSelector", "exact": quote, "prefix": prefix, "suffix": suffix},
            {"type": "TextPositionSelector", "start": start, "end": end},
        ]
    else:
        selectors = [
            {"type": "TextQuoteSelector", "exact": b.quote, "prefix": b.prefix, "suffix": b.suffix}
        ]
    rel = article.path if article is not None else b.path
    source: dict[str, Any] = {
        "id": file_uri(b.corpus or corpus, rel) or f"urn:xref:article:{b.article}",
        "type": "Text",
        "format": "text/plain",
    }
    title = article.title if article is not None else b.title
    if title:
        source["title"] = title
    target: dict[str, Any] = {"type": "SpecificResource", "source": source, "selector": selectors}
    url = url_of(b, article)
    if url:
        target["scope"] = url
    bodies: list[dict[str, Any]] = []
    if b.note:
        bodies.append(
            {
                "type": "TextualBody",
                "value": b.note,
                "format": "text/plain",
                "purpose": "commenting",
            }
        )
    bodies += [{"type": "TextualBody", "value": t, "purpose": "tagging"} for t in b.tags]
    out: dict[str, Any] = {
        "@context": CONTEXT,
        "id": f"urn:xref:bookmark:{b.id}",
        "type": "Annotation",
        "motivation": "bookmarking",
    }
    if b.created:
        out["created"] = b.created
    if bodies:
        out["body"] = bodies
    out["target"] = target
    if x.state != "exact":
        out["xref:state"] = x.state  # outside the model's terms: readers may ignore it
    return out


def jsonld(located: list[Located], corpus: str) -> str:
    """Every bookmark as one ``AnnotationCollection`` with one page, JSON-LD text. Values
    stay exact (characters that could steer a terminal escaped), as for ``--json``."""
    items = [annotation(x, corpus) for x in located]
    for item in items:
        del item["@context"]  # said once, on the collection
    collection = {
        "@context": CONTEXT,
        "type": "AnnotationCollection",
        "label": "xref bookmarks",
        "total": len(items),
        "first": {"type": "AnnotationPage", "startIndex": 0, "items": items},
    }
    return to_json(collection) + "\n"
