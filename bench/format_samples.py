"""Real-looking files of every format xref reads, made from Wikinews articles: saved news
pages with their navigation, ads, scripts, cookie banners and footers; PDFs laid out from the
same text (one or two columns, running headers and page numbers, as a browser prints them);
e-mails and a mailbox; JSONL and CSV exports.

Shared by the tests (``tests/test_formats*.py``), which check what xref reads off them, and by
``bench/formats.py``, which times each format and compares extraction libraries. Standard
library only, so a test needs nothing to make its fixtures. The PDF writer is a few dozen lines
of our own (Helvetica, WinAnsi text, no font embedding): enough for text extraction, with no
licence to check.
"""

from __future__ import annotations

import csv
import html
import io
import json
import zlib
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.message import EmailMessage
from email.utils import format_datetime
from pathlib import Path


@dataclass(frozen=True)
class Sample:
    """One article as a publisher holds it: what every format is made from, and what xref
    must read back."""

    title: str
    date: str  # YYYY-MM-DD
    byline: str
    url: str
    paragraphs: tuple[str, ...]
    slug: str = "story"
    extra: dict[str, str] = field(default_factory=dict)

    @property
    def text(self) -> str:
        return "\n\n".join(self.paragraphs)


def from_wikinews(path: Path, byline: str = "Staff Reporter") -> Sample:
    """A ``Sample`` from a Wikinews ``.txt`` (title line, date line, paragraphs)."""
    blocks = [b.strip() for b in path.read_text(encoding="utf-8").split("\n\n") if b.strip()]
    title, date_line, *paras = blocks
    month, day, year = date_line.replace(",", "").split()
    months = "January February March April May June July August September October November"
    mo = (months + " December").split().index(month) + 1
    slug = path.stem.split("_", 1)[-1].lower()[:40]
    return Sample(
        title=title,
        date=f"{int(year):04d}-{mo:02d}-{int(day):02d}",
        byline=byline,
        url=f"https://news.example.org/{year}/{mo:02d}/{slug}",
        paragraphs=tuple(p.replace("\n", " ") for p in paras),
        slug=slug,
    )


def samples(folder: Path, n: int, start: int = 0) -> list[Sample]:
    """``n`` Wikinews articles of ``folder`` (sorted), each with its own byline."""
    names = ["Ana Lopez", "Tom Becker", "Priya Natarajan", "Jon Ekberg", "Mary Okafor"]
    paths = sorted(folder.glob("*.txt"))[start : start + n]
    return [from_wikinews(p, names[i % len(names)]) for i, p in enumerate(paths)]


# --- saved news pages -------------------------------------------------------------------------

_NAV = """<header class="site-header"><a class="logo" href="/">The Daily Example</a>
<nav class="main-nav"><ul><li><a href="/world">World</a></li><li><a href="/business">Business</a>
</li><li><a href="/tech">Technology</a></li><li><a href="/sport">Sport</a></li>
<li><a href="/opinion">Opinion</a></li><li><a href="/subscribe">Subscribe</a></li></ul></nav>
</header>"""
_COOKIE = """<div id="cookie-banner" class="cookie-consent"><p>We use cookies to improve your
experience and to show you personalised advertising. By continuing you agree to our cookie
policy.</p><button>Accept all</button><button>Manage settings</button></div>"""
_AD = """<div class="ad-slot advertisement" data-ad="mpu"><span>Advertisement</span>
<iframe src="https://ads.example.net/serve?slot=mpu"></iframe></div>"""
_RELATED = """<aside class="related"><h2>Most read</h2><ol>
<li><a href="/a1">Ten gadgets you need this winter</a></li>
<li><a href="/a2">Celebrity chef opens new restaurant in the harbour district</a></li>
<li><a href="/a3">Weather: storms expected across the north this weekend</a></li>
<li><a href="/a4">Quiz of the week: how closely were you following the news?</a></li></ol>
</aside>"""
_FOOTER = """<footer class="site-footer"><p>&copy; 2024 The Daily Example Ltd. All rights
reserved.</p><ul><li><a href="/privacy">Privacy policy</a></li><li><a href="/terms">Terms of use
</a></li><li><a href="/contact">Contact us</a></li><li><a href="/careers">Careers</a></li></ul>
<p>Registered in England and Wales. Company number 01234567.</p></footer>"""
_SCRIPT = """<script>window.dataLayer=window.dataLayer||[];function gtag(){dataLayer.push(
arguments);}gtag('js',new Date());gtag('config','G-EXAMPLE');var x="Do not index this script
text";</script><style>.ad-slot{min-height:250px}body{font-family:Georgia}</style>"""
_COMMENTS = """<section id="comments" class="comments"><h3>12 comments</h3>
<div class="comment"><p><b>reader42</b> Great article, thanks for sharing!</p></div>
<div class="comment"><p><b>anon</b> I disagree with almost everything here.</p></div></section>"""
_SHARE = """<div class="share-tools"><a href="#">Share on Facebook</a> <a href="#">Share on X</a>
<a href="#">Email this article</a></div>"""


def _paras(s: Sample, ads_every: int = 0) -> str:
    out = []
    for i, p in enumerate(s.paragraphs):
        out.append(f"<p>{html.escape(p)}</p>")
        if ads_every and i % ads_every == ads_every - 1:
            out.append(_AD)
    return "\n".join(out)


def news_page(s: Sample, template: int = 0) -> str:
    """A saved news page holding ``s``, in one of four site layouts that record the metadata
    in different ways (Open Graph, schema.org JSON-LD, ``<time>``, ``rel=canonical``, a byline
    in the text): what a reader's clippings folder holds."""
    t = html.escape(s.title)
    by = html.escape(s.byline)
    if template % 4 == 0:  # Open Graph + article:published_time, byline in a link
        head = f"""<title>{t} | The Daily Example</title>
<meta property="og:title" content="{t}"><meta property="og:type" content="article">
<meta property="og:url" content="{s.url}">
<meta property="article:published_time" content="{s.date}T09:30:00+00:00">
<meta name="author" content="{by}">"""
        body = f"""{_COOKIE}{_NAV}<main><article><h1>{t}</h1>
<div class="byline">By <a rel="author" href="/people/x">{by}</a></div>
<div class="article-body">{_paras(s, ads_every=3)}</div>{_SHARE}</article>{_RELATED}
{_COMMENTS}</main>{_FOOTER}"""
    elif template % 4 == 1:  # schema.org JSON-LD NewsArticle, <time datetime>
        ld = {
            "@context": "https://schema.org",
            "@type": "NewsArticle",
            "headline": s.title,
            "datePublished": f"{s.date}T14:05:00Z",
            "author": [{"@type": "Person", "name": s.byline}],
            "mainEntityOfPage": s.url,
        }
        head = f"""<title>{t} - Example News</title><link rel="canonical" href="{s.url}">
<script type="application/ld+json">{json.dumps(ld)}</script>"""
        body = f"""{_NAV}<div class="layout"><div class="content"><article>
<header><h1 class="headline">{t}</h1><p class="meta"><span class="author">{by}</span> ·
<time datetime="{s.date}T14:05:00Z">{s.date}</time></p></header>
<section class="story">{_paras(s)}</section></article></div>
<div class="sidebar">{_AD}{_RELATED}</div></div>{_FOOTER}"""
    elif template % 4 == 2:  # microdata-less blog: <time pubdate>, byline in text
        head = f"""<title>{t}</title><link rel="canonical" href="{s.url}">
<meta name="description" content="{html.escape(s.paragraphs[0][:150])}">"""
        body = f"""<div id="wrapper">{_NAV}<div id="main" class="post">
<h1 class="entry-title">{t}</h1><p class="entry-meta">Posted by {by} on
<time class="entry-date published" datetime="{s.date}">{s.date}</time></p>
<div class="entry-content">{_paras(s, ads_every=4)}</div>
<div class="tags">Tags: <a href="/t/news">news</a>, <a href="/t/world">world</a></div>
</div>{_COMMENTS}{_FOOTER}</div>"""
    else:  # a wire story: og tags, dateline, div soup with no <p>
        head = f"""<title>{t}</title><meta property="og:title" content="{t}">
<meta property="og:url" content="{s.url}"><meta property="og:site_name" content="Wire">
<meta name="date" content="{s.date}"><meta name="byl" content="By {by}">"""
        paras = "\n".join(f'<div class="para">{html.escape(p)}</div>' for p in s.paragraphs)
        body = f"""{_NAV}<div class="story-wrap"><h1>{t}</h1>
<div class="story-body">{paras}</div></div>{_RELATED}{_FOOTER}"""
    return f"""<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">
{head}{_SCRIPT}</head><body>{body}</body></html>"""


# --- PDF ---------------------------------------------------------------------------------------

_W, _H, _MARGIN = 595, 842, 56  # A4 in points


def _width(text: str, size: float) -> float:
    """Helvetica's width, near enough for line breaking (narrow, wide and average glyphs)."""
    narrow, wide = set("iljtfrI.,;:'!| "), set("mwMW@")
    units = sum(0.28 if c in narrow else 0.85 if c in wide else 0.55 for c in text)
    return units * size


def _wrap(text: str, size: float, width: float) -> list[str]:
    lines: list[str] = []
    line = ""
    for word in text.split():
        trial = f"{line} {word}" if line else word
        if line and _width(trial, size) > width:
            lines.append(line)
            line = word
        else:
            line = trial
    if line:
        lines.append(line)
    return lines


def _esc(text: str) -> bytes:
    raw = text.encode("cp1252", "replace")
    return raw.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)")


def pdf_bytes(s: Sample, columns: int = 1, header: bool = True, scanned: bool = False) -> bytes:
    """``s`` laid out on A4 pages as a browser prints it: the title, a date line, the
    paragraphs (Helvetica 11, justified lines, a gap between paragraphs), one or two columns,
    and with ``header`` a running header (date and title) and footer (URL and "n/N") on every
    page. ``scanned`` draws only a grey box per page: a PDF with no text layer."""
    size, lead = 11.0, 14.0
    col_gap = 24
    col_w = (_W - 2 * _MARGIN - (columns - 1) * col_gap) / columns
    blocks: list[tuple[str, float]] = [(s.title, 16.0), (s.date, 10.0)]
    blocks += [(p, size) for p in s.paragraphs]
    pages: list[list[bytes]] = [[]]
    col, y = 0, _H - _MARGIN
    for text, fs in blocks:
        for line in _wrap(text, fs, col_w):
            if y < _MARGIN + 20:
                col += 1
                y = _H - _MARGIN
                if col == columns:
                    col = 0
                    pages.append([])
            x = _MARGIN + col * (col_w + col_gap)
            pages[-1].append(b"BT /F1 %.1f Tf %.1f %.1f Td (%s) Tj ET" % (fs, x, y, _esc(line)))
            y -= lead * fs / size
        y -= lead * 0.8  # paragraph gap
    n = len(pages)
    streams = []
    for k, ops in enumerate(pages, 1):
        if header:
            ops.insert(0, b"BT /F1 8 Tf 36 820 Td (%s    %s) Tj ET" % (_esc(s.date), _esc(s.title)))
            ops.append(b"BT /F1 8 Tf 36 20 Td (%s    %d/%d) Tj ET" % (_esc(s.url), k, n))
        if scanned:
            ops = [b"0.8 g 40 40 515 760 re f"]
        streams.append(zlib.compress(b"\n".join(ops)))
    return _assemble(streams)


def _assemble(streams: list[bytes]) -> bytes:
    """The PDF file: catalog, page tree, one font, a page and a content stream per page."""
    objects: list[bytes] = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"",  # page tree, filled in below
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
    ]
    kids = []
    for stream in streams:
        objects.append(
            b"<< /Length %d /Filter /FlateDecode >>\nstream\n%s\nendstream" % (len(stream), stream)
        )
        content = len(objects)
        objects.append(
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %d %d] /Contents %d 0 R "
            b"/Resources << /Font << /F1 3 0 R >> >> >>" % (_W, _H, content)
        )
        kids.append(b"%d 0 R" % len(objects))
    objects[1] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (b" ".join(kids), len(kids))
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for i, body in enumerate(objects, 1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n%s\nendobj\n" % (i, body))
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for off in offsets:
        out.write(b"%010d 00000 n \n" % off)
    out.write(
        b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    )
    return out.getvalue()


# --- e-mail ------------------------------------------------------------------------------------


def email_message(s: Sample, html_only: bool = False, number: int = 0) -> EmailMessage:
    """A newsletter carrying ``s``: subject, sender, date, a text part and an HTML part (or
    the HTML part alone), with a non-ASCII subject encoded as RFC 2047 asks."""
    msg = EmailMessage()
    msg["Subject"] = s.title
    msg["From"] = f"{s.byline} <news@example.org>"
    msg["To"] = "reader@example.com"
    y, m, d = (int(x) for x in s.date.split("-"))
    msg["Date"] = format_datetime(datetime(y, m, d, 7, 0, tzinfo=UTC))
    msg["Message-ID"] = f"<{s.slug}.{number}@example.org>"
    msg["List-Post"] = f"<{s.url}>"
    if not html_only:
        msg.set_content(s.text + f"\n\nRead online: {s.url}\n\n--\nUnsubscribe: https://x.test/u\n")
    page = f"<html><body><h1>{html.escape(s.title)}</h1>{_paras(s)}</body></html>"
    if html_only:
        msg.set_content(page, subtype="html")
    else:
        msg.add_alternative(page, subtype="html")
    return msg


def mbox_bytes(items: list[Sample]) -> bytes:
    """A mailbox (mboxrd): each message after a "From " line, a body line beginning "From "
    quoted as ">From ", as mail programs write it."""
    out = io.BytesIO()
    for i, s in enumerate(items):
        raw = email_message(s, html_only=i % 2 == 1, number=i).as_bytes()
        out.write(b"From news@example.org Mon Jan  1 00:00:00 2024\n")
        for line in raw.splitlines(keepends=True):
            out.write(b">" + line if line.lstrip(b">").startswith(b"From ") else line)
        out.write(b"\n")
    return out.getvalue()


# --- records -----------------------------------------------------------------------------------


def jsonl_text(items: list[Sample], ids: bool = True) -> str:
    """A news API export: one JSON object a line, the usual field names."""
    lines = []
    for i, s in enumerate(items):
        rec = {
            "title": s.title,
            "body": s.text,
            "published": f"{s.date}T08:00:00Z",
            "url": s.url,
            "author": s.byline,
        }
        if ids:
            rec = {"id": f"a{i + 100}", **rec}
        lines.append(json.dumps(rec, ensure_ascii=False))
    return "\n".join(lines) + "\n"


def csv_text(items: list[Sample]) -> str:
    """A scraper's export: a header row, one article a row, text with its line breaks."""
    out = io.StringIO()
    w = csv.writer(out)
    w.writerow(["headline", "date", "link", "byline", "content"])
    for s in items:
        w.writerow([s.title, s.date, s.url, s.byline, s.text])
    return out.getvalue()
