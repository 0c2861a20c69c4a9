"""Exports whose fields have unusual names, read through the catalogue's ``records:`` mapping
(read again when the mapping changes, refused with one line when it is wrong), and a PDF whose
content stream inflates far past what an article needs, skipped with one line in bounded
memory."""

from __future__ import annotations

import json
import tracemalloc
import zlib
from pathlib import Path

import pytest

from index.catalogue import CatalogueError, load, load_checked
from index.corpus import read_articles
from index.library import Library

STORIES = [
    {
        "uid": "s1",
        "headline": "Harbour reopens after storm",
        "story": "The harbour of Valletta reopened on Monday after the storm passed.",
        "pubdate": "2024-03-04",
        "link": "https://example.org/harbour",
        "byline": "Ann Reporter",
    },
    {
        "uid": "s2",
        "headline": "Council approves budget",
        "story": "The council of Mdina approved the budget for the coming year.",
        "pubdate": "2024-03-05",
        "link": "https://example.org/budget",
        "byline": "Bo Writer",
    },
]
MAPPING = (
    "version: 1\n"
    "records: {title: headline, text: story, date: pubdate, url: link, author: byline, id: uid}\n"
)


def _corpus(tmp_path: Path, catalogue: str | None = MAPPING) -> Path:
    corpus = tmp_path / "c"
    corpus.mkdir()
    lines = [json.dumps(s) for s in STORIES]
    (corpus / "feed.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    header = "Uid;Headline;Story;PubDate;Link;Byline\n"
    rows = "".join(
        ";".join(s[k] for k in ("uid", "headline", "story", "pubdate", "link", "byline")) + "\n"
        for s in STORIES
    )
    (corpus / "wire.csv").write_text(header + rows, encoding="utf-8")
    if catalogue is not None:
        (corpus / "entities.yaml").write_text(catalogue, encoding="utf-8")
    return corpus


def test_jsonl_and_csv_with_unusual_names_read_through_the_mapping(tmp_path: Path) -> None:
    corpus = _corpus(tmp_path)
    lib = Library(corpus, tmp_path / "ix")
    s = lib.update()
    assert (s.articles, s.skipped, s.warnings) == (4, [], [])
    by_id = {a.id: a for a in lib.articles()}
    assert sorted(by_id) == ["feed.jsonl#s1", "feed.jsonl#s2", "wire.csv#s1", "wire.csv#s2"]
    for rel in ("feed.jsonl", "wire.csv"):
        a = lib.article(f"{rel}#s1")
        assert a.title == "Harbour reopens after storm"
        assert a.text.startswith("The harbour of Valletta reopened")
        assert (a.date, a.url, a.byline) == (
            "2024-03-04",
            "https://example.org/harbour",
            "Ann Reporter",
        )
    assert {h.id for h in lib.search("Mdina").results} == {"feed.jsonl#s2", "wire.csv#s2"}
    # The same reading outside the index (``read_articles``).
    read = list(read_articles(corpus, "wire.csv"))
    assert [getattr(a, "title", None) for a in read] == [s["headline"] for s in STORIES]


def test_without_a_mapping_the_usual_names_still_apply(tmp_path: Path) -> None:
    corpus = _corpus(tmp_path, catalogue=None)
    lib = Library(corpus, tmp_path / "ix")
    s = lib.update()
    # "headline" is a usual title name, but "story" is no usual text name: nothing to read.
    assert s.articles == 0
    assert {k.path for k in s.skipped} == {"feed.jsonl", "wire.csv"}


def test_a_changed_mapping_reads_the_exports_again(tmp_path: Path) -> None:
    corpus = _corpus(tmp_path)
    lib = Library(corpus, tmp_path / "ix")
    lib.update()
    assert lib.update().touched == 0
    # The same files, another mapping: the title now comes from the byline field.
    (corpus / "entities.yaml").write_text(
        MAPPING.replace("title: headline", "title: byline"), encoding="utf-8"
    )
    lib = Library(corpus, tmp_path / "ix")
    s = lib.update()
    assert s.changed == 4 and s.articles == 4
    assert lib.article("feed.jsonl#s1").title == "Ann Reporter"
    assert lib.article("wire.csv#s2").title == "Bo Writer"
    assert Library(corpus, tmp_path / "ix").update().touched == 0


@pytest.mark.parametrize(
    ("records", "why"),
    [
        ("{titel: headline}", "'titel' is not one of id, title, text"),
        ("{title: ''}", "title must name a field"),
        ("[headline, story]", "'records' must map fields"),
    ],
)
def test_a_wrong_mapping_is_one_line_and_nothing_is_overwritten(
    tmp_path: Path, records: str, why: str
) -> None:
    corpus = _corpus(tmp_path)
    lib = Library(corpus, tmp_path / "ix")
    lib.update()
    wrong = f"version: 1\nentities:\n  - name: Valletta\n    type: place\nrecords: {records}\n"
    cat = corpus / "entities.yaml"
    cat.write_text(wrong, encoding="utf-8")
    _catalogue, problems = load_checked(cat)
    assert len(problems) == 1 and why in problems[0] and "\n" not in problems[0]
    with pytest.raises(CatalogueError):
        load(cat)
    lib = Library(corpus, tmp_path / "ix")
    s = lib.update()
    # The exports are not read with names the user did not mean: skipped, with that line.
    skipped = {k.path: k.reason for k in s.skipped}
    assert set(skipped) == {"feed.jsonl", "wire.csv"}
    assert all(why in r and "\n" not in r for r in skipped.values())
    assert lib.catalogue_result.error is not None and why in lib.catalogue_result.error
    assert cat.read_text(encoding="utf-8") == wrong  # the user's file is never rewritten
    with pytest.raises(Exception, match="records"):
        list(read_articles(corpus, "feed.jsonl"))
    # Mended, the exports are read again as before.
    cat.write_text(MAPPING, encoding="utf-8")
    lib = Library(corpus, tmp_path / "ix")
    s = lib.update()
    assert s.articles == 4 and s.skipped == []


def _bomb_pdf(inflated: int, broken_end: bool = False) -> bytes:
    """A one-page PDF whose content stream is ``inflated`` bytes of spaces once inflated
    (zlib of one byte repeated is about a thousandth of its size), then one line of text."""
    body = b" " * inflated + b"BT /F1 12 Tf 72 720 Td (Bomb) Tj ET"
    stream = zlib.compress(body, 9)
    if broken_end:  # a wrong checksum: pdfminer's repair path, byte by byte
        stream = stream[:-2] + bytes([stream[-2] ^ 0xFF, stream[-1] ^ 0xFF])
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R"
        b" /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = b"%PDF-1.4\n"
    offsets = []
    for n, obj in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % n + obj + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return out


@pytest.mark.parametrize("broken_end", [False, True])
def test_a_pdf_bomb_is_skipped_with_one_line_in_bounded_memory(
    tmp_path: Path, broken_end: bool
) -> None:
    pytest.importorskip("pdfminer")
    from index.formats.pdf import MAX_INFLATED, read_pdf
    from index.reading import NotReadable

    small = _bomb_pdf(1000, broken_end)
    assert "Bomb" in read_pdf(small).paragraphs[0]  # the same PDF, small: read as usual
    bomb = _bomb_pdf(200 * 1024 * 1024, broken_end)
    assert len(bomb) < 1024 * 1024
    tracemalloc.start()
    try:
        with pytest.raises(NotReadable) as caught:
            read_pdf(bomb)
        _now, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert "\n" not in str(caught.value) and "MB" in str(caught.value)
    assert peak < 2 * MAX_INFLATED + 16 * 1024 * 1024
    corpus = tmp_path / "c"
    corpus.mkdir()
    (corpus / "bomb.pdf").write_bytes(bomb)
    (corpus / "note.txt").write_text("A note about Valletta.\n", encoding="utf-8")
    s = Library(corpus, tmp_path / "ix").update()
    assert s.articles == 1
    assert [k.path for k in s.skipped] == ["bomb.pdf"]
