"""Files of every format in an index that changes: incremental updates (a changed file read
again; of a changed JSONL, only its new and changed records enriched), ids that stay the same
across rebuilds, the parallel build, malformed and hostile files skipped with one line, the
extra a missing library needs named once a format, and .txt/.md read as before."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from bench import format_samples as fs
from index import formats
from index.corpus import read_article
from index.library import Library
from index.reading import scan
from tests.conftest import SEEDS, WIKINEWS


@pytest.fixture(scope="module")
def items() -> list[fs.Sample]:
    return fs.samples(WIKINEWS, 8, start=20)


def _bump(path: Path) -> None:
    """A new modification time, even on a coarse clock."""
    st = path.stat()
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns + 2_000_000_000))


def test_jsonl_incremental_update_keeps_ids(tmp_path: Path, items: list[fs.Sample]) -> None:
    corpus = tmp_path / "c"
    corpus.mkdir()
    feed = corpus / "feed.jsonl"
    feed.write_text(fs.jsonl_text(items[:4]), encoding="utf-8")
    lib = Library(corpus, tmp_path / "ix")
    s = lib.update()
    assert (s.articles, s.added) == (4, 4)
    ids = sorted(a.id for a in lib.articles())
    assert ids == [f"feed.jsonl#a{n}" for n in range(100, 104)]
    assert lib.update().touched == 0  # unchanged: nothing read

    lines = feed.read_text(encoding="utf-8").splitlines()
    changed = json.loads(lines[1])
    changed["title"] = "A corrected headline"
    lines[1] = json.dumps(changed)
    del lines[3]  # a record withdrawn
    lines.append(json.dumps({"body": "A late story about Zanzibar.", "title": "Late"}))
    feed.write_text("\n".join(lines) + "\n", encoding="utf-8")
    _bump(feed)
    s = lib.update()
    assert (s.added, s.changed, s.removed) == (1, 1, 1)
    by_id = {a.id: a for a in lib.articles()}
    assert by_id["feed.jsonl#a101"].title == "A corrected headline"
    assert "feed.jsonl#4" in by_id and "feed.jsonl#a103" not in by_id  # its line number
    assert [h.id for h in lib.search("Zanzibar").results] == ["feed.jsonl#4"]
    # A rebuild gives every record the id it had.
    lib.store.update(rebuild=True)
    assert sorted(a.id for a in lib.articles()) == sorted(by_id)


def test_changed_files_of_every_format_read_again(tmp_path: Path, items: list[fs.Sample]) -> None:
    corpus = tmp_path / "c"
    corpus.mkdir()
    (corpus / "page.html").write_text(fs.news_page(items[0], 1), encoding="utf-8")
    (corpus / "box.mbox").write_bytes(fs.mbox_bytes(items[1:3]))
    (corpus / "rows.csv").write_text(fs.csv_text(items[3:5]), encoding="utf-8")
    lib = Library(corpus, tmp_path / "ix")
    assert lib.update().articles == 5
    (corpus / "page.html").write_text(fs.news_page(items[5], 1), encoding="utf-8")
    (corpus / "box.mbox").write_bytes(fs.mbox_bytes(items[1:4]))  # one message more
    (corpus / "rows.csv").unlink()
    for name in ("page.html", "box.mbox"):
        _bump(corpus / name)
    s = lib.update()
    assert (s.added, s.changed, s.removed, s.articles) == (1, 1, 2, 4)
    page = lib.article("page")
    assert page is not None and page.title == items[5].title
    assert sorted(a.id for a in lib.articles()) == [
        "box.mbox#1",
        "box.mbox#2",
        "box.mbox#3",
        "page",
    ]


def test_parallel_build_reads_files_of_many(tmp_path: Path, items: list[fs.Sample]) -> None:
    corpus = tmp_path / "c"
    corpus.mkdir()
    (corpus / "feed.jsonl").write_text(fs.jsonl_text(items[:3]), encoding="utf-8")
    (corpus / "box.mbox").write_bytes(fs.mbox_bytes(items[3:5]))
    (corpus / "page.html").write_text(fs.news_page(items[5], 0), encoding="utf-8")
    lib = Library(corpus, tmp_path / "ix")
    lib.store.parallel_min, lib.store.workers = 1, 2
    s = lib.update()
    assert (s.articles, s.added) == (6, 6)
    feed = corpus / "feed.jsonl"
    feed.write_text(fs.jsonl_text(items[:2]), encoding="utf-8")
    _bump(feed)
    s = lib.update()
    assert (s.removed, s.articles) == (1, 5)
    assert lib.store.update(rebuild=True).articles == 5


def test_malformed_files_skipped_with_one_line(tmp_path: Path, items: list[fs.Sample]) -> None:
    corpus = tmp_path / "c"
    corpus.mkdir()
    (corpus / "good.txt").write_text("A title\n\nA paragraph of text.\n", encoding="utf-8")
    (corpus / "broken.pdf").write_bytes(b"%PDF-1.4\nthis is not a pdf at all\n%%EOF")
    (corpus / "empty.html").write_text(
        "<html><head><script>var a = 1;</script></head><body></body>"
    )
    (corpus / "noheaders.eml").write_bytes(b"")
    (corpus / "table.csv").write_text("name,price\napple,3\n", encoding="utf-8")
    (corpus / "all-bad.jsonl").write_text("{oops\n[1, 2]\n" + "[" * 100_000 + "\n")
    (corpus / "junk.mbox").write_bytes(b"\x00\x01 not a mailbox\n")
    mixed = fs.jsonl_text(items[:1]) + "not json\n" + json.dumps({"title": "no text"}) + "\n"
    (corpus / "mixed.jsonl").write_text(mixed, encoding="utf-8")
    lib = Library(corpus, tmp_path / "ix")
    s = lib.update()
    assert s.articles == 2  # good.txt and the one good record of mixed.jsonl
    reasons = {k.path: k.reason for k in s.skipped}
    assert set(reasons) == {
        "broken.pdf",
        "empty.html",
        "noheaders.eml",
        "table.csv",
        "all-bad.jsonl",
        "junk.mbox",
    }
    assert all("\n" not in r and len(r) < 200 for r in reasons.values())
    assert reasons["table.csv"] == "CSV without a text column (text, body or content)"
    assert s.warnings == ["mixed.jsonl: 2 records skipped (line 2: not JSON (JSONDecodeError))"]
    # Remembered: not read again while unchanged, still reported.
    again = lib.update()
    assert again.touched == 0 and {k.path for k in again.skipped} == set(reasons)


def test_huge_record_and_huge_line_stream(tmp_path: Path) -> None:
    corpus = tmp_path / "c"
    corpus.mkdir()
    big = "x" * (17 * 1024 * 1024)
    with (corpus / "big.jsonl").open("w", encoding="utf-8") as f:
        f.write(json.dumps({"title": "Huge", "text": big}) + "\n")
        f.write(json.dumps({"title": "Small", "text": "A small record about Lisbon."}) + "\n")
    lib = Library(corpus, tmp_path / "ix")
    s = lib.update()
    assert [a.id for a in lib.articles()] == ["big.jsonl#2"]
    assert s.warnings == ["big.jsonl: 1 record skipped (line 1: longer than 16 MB)"]


def test_record_text_is_never_markup(tmp_path: Path) -> None:
    corpus = tmp_path / "c"
    corpus.mkdir()
    rec = {
        "title": "[bold red]x[/]",
        "content": "<p>One &amp; two</p><script>alert(1)</script>"
        "<p>[link=file:///etc/passwd]three[/link] \x1b[31m</p>",
    }
    (corpus / "r.jsonl").write_text(json.dumps(rec) + "\n", encoding="utf-8")
    lib = Library(corpus, tmp_path / "ix")
    lib.update()
    a = lib.article("r.jsonl#1")
    assert a is not None and a.title == "[bold red]x[/]"  # kept as text, shown as text
    assert a.text.startswith("One & two\n\n[link=file:///etc/passwd]three[/link]")
    assert "alert" not in a.text


def test_missing_library_named_once_a_format(
    tmp_path: Path, items: list[fs.Sample], monkeypatch: pytest.MonkeyPatch
) -> None:
    for i in range(3):
        (tmp_path / f"p{i}.html").write_text(fs.news_page(items[i], i), encoding="utf-8")
    (tmp_path / "d.pdf").write_bytes(fs.pdf_bytes(items[0]))
    (tmp_path / "a.txt").write_text("Title\n\nText.\n", encoding="utf-8")
    monkeypatch.setattr(formats, "_installed", lambda module: module != "trafilatura")
    files, skipped = scan(tmp_path)
    assert [c.rel for c in files] == ["a.txt", "d.pdf"]
    assert [(k.path, k.reason) for k in skipped] == [
        ("3 HTML files", "reading HTML needs trafilatura: pip install 'xref-reader[formats]'")
    ]


def test_text_and_markdown_read_as_before() -> None:
    """The seeds read as they always were: ids, titles, dates and passages, no URL."""
    a = read_article(SEEDS, "000_10688c53cc6a5332.txt")
    assert a.id == "000_10688c53cc6a5332" and a.kind == "text" and a.url is None
    assert a.source_path == a.path == "000_10688c53cc6a5332.txt" and a.pages == ()
    assert a.page_at(10) is None
    assert a.passages[0].start == 0 and a.title == a.text[: a.passages[0].end].strip()


def test_ids_of_records_never_clash_with_files(tmp_path: Path) -> None:
    corpus = tmp_path / "c"
    corpus.mkdir()
    (corpus / "feed.jsonl").write_text(
        json.dumps({"id": "5.txt", "text": "Record with a dotted id."}) + "\n", encoding="utf-8"
    )
    (corpus / "feed.jsonl#5.txt").write_text("A file\n\nNamed like a record.\n")
    lib = Library(corpus, tmp_path / "ix")
    s = lib.update()
    assert s.articles == 2
    assert sorted(a.id for a in lib.articles()) == ["feed.jsonl#5.txt", "feed.jsonl#5_txt"]
    assert lib.update().touched == 0 and lib.update().rebuilt_because is None


def test_apple_mail_export_folder(tmp_path: Path, items: list[fs.Sample]) -> None:
    """Apple Mail exports a mailbox as a folder ``Name.mbox`` holding a file ``mbox``."""
    (tmp_path / "News.mbox").mkdir()
    (tmp_path / "News.mbox" / "mbox").write_bytes(fs.mbox_bytes(items[:2]))
    (tmp_path / "News.mbox" / "Info.plist").write_text("<plist/>")
    files, skipped = scan(tmp_path)
    assert [c.rel for c in files] == ["News.mbox/mbox"] and skipped == []
