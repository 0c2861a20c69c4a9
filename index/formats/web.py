"""Saved web pages (``.html``, ``.htm``): the article's main text without navigation, ads,
scripts, comments and footers, with its title, byline, date and URL from the page's metadata.

trafilatura does the work, chosen over readability-lxml and boilerpy3 on 24 saved news pages of
four site layouts (README, "Formats"): it finds the main text as well as the others (precision
0.99, recall 1.00) and is the only one that also reads Open Graph, schema.org JSON-LD,
``<meta>`` and ``<time>`` for the title, author, date (through htmldate) and canonical URL. It
is an optional extra, ``formats``: about 69 MB installed.
"""

from __future__ import annotations

import logging
from typing import Any

from index.formats.common import Found
from index.reading import NotReadable

_config: Any = None


def _settings() -> Any:
    """trafilatura's configuration, once: no time-out (it would use ``signal``, which only the
    main thread may, and the app reads in a worker thread), and its loggers kept off the
    terminal (a page it finds too short is our one-line skip, not its warning)."""
    global _config
    if _config is None:
        from trafilatura.settings import use_config

        _config = use_config()
        _config.set("DEFAULT", "EXTRACTION_TIMEOUT", "0")
        for name in ("trafilatura", "htmldate", "courlan", "justext"):
            log = logging.getLogger(name)
            log.addHandler(logging.NullHandler())
            log.propagate = False
    return _config


def read_page(data: bytes) -> Found:
    """The article of a saved page (``NotReadable`` when the page holds none). The bytes go
    to trafilatura whole: it finds the encoding from the BOM, ``<meta charset>`` or the text."""
    from trafilatura import bare_extraction

    config = _settings()
    try:
        doc: Any = bare_extraction(
            data,
            with_metadata=True,
            include_comments=False,
            include_tables=True,
            date_extraction_params={"extensive_search": False, "original_date": True},
            config=config,
        )
    except (ValueError, TypeError, RecursionError) as exc:  # lxml's errors on broken input
        raise NotReadable(f"not a readable web page ({type(exc).__name__})") from exc
    if doc is None or not (doc.text or "").strip():
        raise NotReadable("no article text found in the page")
    text: str = doc.text
    paragraphs = tuple(line.strip() for line in text.split("\n") if line.strip())
    return Found(
        paragraphs=paragraphs,
        title=doc.title,
        byline=doc.author,
        date=doc.date,
        url=doc.url,
    )
