"""Every format xref reads, on real-looking files the tests make from Wikinews articles (see
``bench/format_samples.py``): a saved news page with its site around it, a PDF printed from
it, an e-mail and a mailbox, a JSONL and a CSV export. Each article's text, title, byline, date
and URL come out right, and search and the entity cross-references find them."""

from __future__ import annotations

import io
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from bench import format_samples as fs
from index.corpus import read_article, read_articles
from index.formats.common import BadRecord, iso_date
from index.formats.mail import read_mbox
from index.library import Library
from tests.conftest import WIKINEWS

BOILERPLATE = (
    "cookie",
    "Advertisement",
    "Most read",
    "Do not index",
    "Privacy policy",
    "Share on",
    "reader42",
    "Subscribe",
)


@pytest.fixture(scope="module")
def items() -> list[fs.Sample]:
    return fs.samples(WIKINEWS, 14)


@pytest.fixture(scope="module")
def mixed(tmp_path_factory: pytest.TempPathFactory, items: list[fs.Sample]) -> Path:
    """A corpus with one or more files of every format."""
    root = tmp_path_factory.mktemp("mixed")
    for i in range(4):
        (root / f"web/page{i}.html").parent.mkdir(exist_ok=True)
        (root / f"web/page{i}.html").write_text(fs.news_page(items[i], i), encoding="utf-8")
    (root / "print").mkdir()
    (root / "print/story.pdf").write_bytes(fs.pdf_bytes(items[0]))
    (root / "print/columns.pdf").write_bytes(fs.pdf_bytes(items[4], columns=2))
    (root / "mail").mkdir()
    (root / "mail/letter.eml").write_bytes(fs.email_message(items[5]).as_bytes())
    (root / "mail/inbox.mbox").write_bytes(fs.mbox_bytes(items[6:9]))
    (root / "exports").mkdir()
    (root / "exports/feed.jsonl").write_text(fs.jsonl_text(items[9:11]), encoding="utf-8")
    (root / "exports/rows.csv").write_text(fs.csv_text(items[11:13]), encoding="utf-8")
    shutil.copy(sorted(WIKINEWS.glob("*.txt"))[13], root / "plain.txt")
    return root


@pytest.fixture(scope="module")
def lib(mixed: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Library]:
    library = Library(mixed, tmp_path_factory.mktemp("mixed-index"))
    library.update()
    yield library
    library.store.close()


def _same_text(got: str, want: fs.Sample) -> None:
    assert got == want.text
    for word in BOILERPLATE:
        assert word not in got


def test_web_page_main_text_and_metadata(mixed: Path, items: list[fs.Sample]) -> None:
    for i in range(4):
        a = read_article(mixed, f"web/page{i}.html")
        _same_text(a.text, items[i])
        assert (a.title, a.date, a.url) == (items[i].title, items[i].date, items[i].url)
        assert a.kind == "html" and a.source_path == f"web/page{i}.html"
        assert [a.text[p.start : p.end] for p in a.passages] == list(items[i].paragraphs)
    # Open Graph and <meta name=author>, JSON-LD, a "By" meta: the byline of three layouts.
    for i in (0, 1, 3):
        assert read_article(mixed, f"web/page{i}.html").byline == items[i].byline


def test_pdf_paragraphs_pages_and_running_headers(mixed: Path, items: list[fs.Sample]) -> None:
    a = read_article(mixed, "print/story.pdf")
    s = items[0]
    assert a.title == s.title and a.date == s.date
    assert a.url == s.url  # printed in the running footer, which is not in the text
    body = [a.text[p.start : p.end] for p in a.passages if a.text[p.start : p.end] != s.date]
    assert body == list(s.paragraphs)
    assert s.url not in a.text and "1/" not in a.text
    assert a.pages[0] == 0 and a.page_at(0) == 1


def test_pdf_two_columns_in_reading_order(mixed: Path, items: list[fs.Sample]) -> None:
    a = read_article(mixed, "print/columns.pdf")
    paras = [a.text[p.start : p.end] for p in a.passages]
    assert [p for p in paras if p in items[4].paragraphs] == list(items[4].paragraphs)


def test_pdf_page_map_cites_the_page(tmp_path: Path) -> None:
    long = fs.Sample(
        "A long report",
        "2020-05-01",
        "X",
        "https://r.example/x",
        tuple(f"Paragraph {i} says something about item {i} at length. " * 6 for i in range(40)),
    )
    (tmp_path / "long.pdf").write_bytes(fs.pdf_bytes(long))
    a = read_article(tmp_path, "long.pdf")
    assert len(a.pages) > 2
    last = a.text.rindex("Paragraph 39")
    assert a.page_at(last) == len(a.pages)
    assert a.page_at(a.text.index("Paragraph 0 ")) == 1
    for n, start in enumerate(a.pages, 1):
        assert a.page_at(start) == n


def test_scanned_pdf_is_skipped_with_one_line(tmp_path: Path, items: list[fs.Sample]) -> None:
    (tmp_path / "scan.pdf").write_bytes(fs.pdf_bytes(items[0], scanned=True))
    (tmp_path / "ok.txt").write_text("Title\n\nSome text here.\n", encoding="utf-8")
    library = Library(tmp_path, tmp_path / "ix")
    s = library.update()
    assert s.articles == 1
    assert [(k.path, k.reason) for k in s.skipped] == [
        ("scan.pdf", "PDF without text (a scan?): xref does no OCR")
    ]


def test_eml(mixed: Path, items: list[fs.Sample]) -> None:
    a = read_article(mixed, "mail/letter.eml")
    s = items[5]
    assert (a.title, a.byline, a.date, a.url) == (s.title, s.byline, s.date, s.url)
    assert a.text.startswith(s.paragraphs[0]) and "Unsubscribe" not in a.text
    assert a.kind == "email" and a.id == "mail/letter"


def test_mbox_one_article_per_message(mixed: Path, items: list[fs.Sample]) -> None:
    got = list(read_articles(mixed, "mail/inbox.mbox"))
    assert [a.id for a in got if not isinstance(a, BadRecord)] == [
        "mail/inbox.mbox#1",
        "mail/inbox.mbox#2",
        "mail/inbox.mbox#3",
    ]
    for a, s in zip(got, items[6:9], strict=True):
        assert not isinstance(a, BadRecord)
        assert (a.title, a.byline, a.date, a.url) == (s.title, s.byline, s.date, s.url)
        assert a.source_path == "mail/inbox.mbox" and a.path == a.id
    html_only = got[1]
    assert not isinstance(html_only, BadRecord)
    assert html_only.text == items[7].text  # the HTML part made plain, paragraph by paragraph


def test_mbox_unquotes_from_lines_and_streams() -> None:
    paragraphs = ("First paragraph.", "From the archive, a line that begins with From.")
    s = fs.Sample("Quoted", "2021-01-02", "A", "https://q.example/1", paragraphs)
    data = fs.mbox_bytes([s] * 300)
    assert b"\n>From the archive" in data
    f = io.BytesIO(data)
    messages = read_mbox(f)
    first = next(messages)
    assert not isinstance(first, BadRecord)
    assert "\n\nFrom the archive, a line that begins with From.\n" in first.text
    assert f.tell() < len(data) // 50  # one message read, not the whole mailbox
    assert sum(1 for _ in messages) == 299


def test_jsonl_and_csv_records(mixed: Path, items: list[fs.Sample]) -> None:
    feed = [a for a in read_articles(mixed, "exports/feed.jsonl") if not isinstance(a, BadRecord)]
    assert [a.id for a in feed] == ["exports/feed.jsonl#a100", "exports/feed.jsonl#a101"]
    rows = [a for a in read_articles(mixed, "exports/rows.csv") if not isinstance(a, BadRecord)]
    assert [a.id for a in rows] == ["exports/rows.csv#1", "exports/rows.csv#2"]
    for a, s in zip(feed + rows, items[9:13], strict=True):
        assert (a.title, a.byline, a.date, a.url) == (s.title, s.byline, s.date, s.url)
        assert [a.text[p.start : p.end] for p in a.passages] == list(s.paragraphs)


def test_library_search_and_cross_references(lib: Library, items: list[fs.Sample]) -> None:
    ids = {a.id for a in lib.articles()}
    assert ids >= {
        "web/page0",
        "web/page1",
        "print/story",
        "print/columns",
        "mail/letter",
        "mail/inbox.mbox#1",
        "exports/feed.jsonl#a100",
        "exports/rows.csv#2",
        "plain",
    }
    infos = {a.id: a for a in lib.articles()}
    assert infos["exports/rows.csv#2"].date == items[12].date  # what "sort by date" reads
    assert infos["web/page0"].path == "web/page0.html"
    # page0.html and story.pdf are one article: a search finds both.
    hits = {h.id for h in lib.search('"Mary Barra"').results}
    assert {"web/page0", "print/story"} <= hits
    entity, _ = lib.find_entity("Mary Barra")
    assert entity is not None
    assert {"web/page0", "print/story"} <= set(lib.entity_articles(entity.id))
    stored = lib.article("exports/feed.jsonl#a100")
    assert stored is not None and stored.url == items[9].url and stored.kind == "jsonl"
    assert stored.source == "exports/feed.jsonl"
    pdf = lib.article("print/story")
    assert pdf is not None and pdf.page_at(len(pdf.text) - 1) == len(pdf.pages)


def test_dates_from_every_way_of_writing_them() -> None:
    assert iso_date("2013-12-10T09:30:00+00:00") == "2013-12-10"
    assert iso_date("Tue, 10 Dec 2013 07:00:00 +0000") == "2013-12-10"
    assert iso_date("December 10, 2013") == "2013-12-10"
    assert iso_date(1386662400) == "2013-12-10"
    assert iso_date(1386662400000) == "2013-12-10"
    assert iso_date("yesterday") is None and iso_date(True) is None
