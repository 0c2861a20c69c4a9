"""Reading a corpus: titles, bylines, dates, passages and offsets, odd files."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from index.corpus import NotReadable, iter_files, parse_article, read_article, split_passages
from tests.conftest import SEEDS


def seed(name: str):
    rel = next(r for r, _ in iter_files(SEEDS) if r.startswith(name))
    return read_article(SEEDS.resolve(), rel)


@pytest.mark.parametrize(
    ("name", "title", "byline"),
    [
        ("000", "Azerbaijan’s Defense Chief Tells Commanders, Troops To Be Ready for New War",
         "Rick Rozoff"),
        ("001", "Defence Minister: Azerbaijani army ready to liberate occupied territories",
         "Fidan Abdullayeva"),
        ("002", "Aliyev is plotting a war", None),
        ("003", "Aliyev Threatens Military Action Against Armenia, Yerevan Accuses Baku of "
                "Planning New Attacks", None),
        ("004", "Azerbaijan Defense Minister Reveals President Aliyev's Humanitarian Decision "
                "During 44-Day War", "Aqsa Younas Rana"),
    ],
)
def test_seed_titles_and_bylines(name: str, title: str, byline: str | None) -> None:
    article = seed(name)
    assert article.title == title
    assert article.byline == byline
    assert article.date is None  # no seed prints a full date on a line of its own


def test_seed_ids_are_relative_paths_without_suffix() -> None:
    names = [read_article(SEEDS.resolve(), r).id for r, _ in iter_files(SEEDS)]
    assert names == [p.stem for p in sorted(SEEDS.glob("*.txt"))]


def test_seed_passages_are_lines_with_exact_offsets() -> None:
    for rel, path in iter_files(SEEDS):
        article = read_article(SEEDS.resolve(), rel)
        lines = [ln.strip() for ln in Path(path).read_text(encoding="utf-8").splitlines()
                 if ln.strip()]
        assert [article.passage_text(p.index) for p in article.passages] == lines
        assert [p.index for p in article.passages] == list(range(len(lines)))


def test_wikinews_titles_dates_and_blank_line_paragraphs(wikinews: Path) -> None:
    articles = [read_article(wikinews.resolve(), r) for r, _ in iter_files(wikinews)]
    assert len(articles) == 120  # ATTRIBUTION.md describes the corpus and is not an article
    barra = next(a for a in articles if a.id.startswith("1007169_"))
    assert barra.title == "Mary Barra appointed as General Motors chief"
    assert barra.date == "2013-12-10"
    assert barra.passage_text(2).startswith("The United States's largest car manufacturer")
    assert all(a.date for a in articles)
    for a in articles:
        blocks = [b.strip() for b in a.text.split("\n\n") if b.strip()]
        assert len(a.passages) >= len(blocks)
        for p in a.passages:
            assert a.text[p.start : p.end] == a.text[p.start : p.end].strip() != ""


def test_breadcrumbs_and_chrome_are_not_titles() -> None:
    text = "Home / World / Europe\n\nSkip to content\n\nReal title\n\nBody."
    article = parse_article("x.txt", text)
    assert article.title == "Real title"


def test_markdown_joins_wrapped_lines_but_not_lists() -> None:
    text = "# Heading\n\nfirst line of a paragraph\nthat goes on here.\n\n- one\n- two\n"
    passages = split_passages(text, markdown=True)
    got = [text[p.start : p.end] for p in passages]
    assert got == ["# Heading", "first line of a paragraph\nthat goes on here.", "- one", "- two"]
    assert parse_article("a.md", text).title == "Heading"


def test_hard_wrapped_plain_text_is_one_passage() -> None:
    line = "This is a hard wrapped paragraph of plain text that runs to seventy"
    text = f"Title\n\n{line}\n{line}\nend.\n"
    got = [text[p.start : p.end] for p in split_passages(text)]
    assert got == ["Title", f"{line}\n{line}\nend."]


def test_bom_crlf_and_offsets(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_bytes("\ufeffTitle\r\n\r\nCəbrayıl paragraph\r\n".encode())
    article = read_article(tmp_path, "a.txt")
    assert article.text.startswith("Title")
    assert article.passage_text(1) == "Cəbrayıl paragraph"


def test_cp1252_falls_back_with_encoding_noted(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_bytes("Caf\u00e9 \u201cquoted\u201d\n".encode("cp1252"))
    article = read_article(tmp_path, "a.txt")
    assert article.encoding == "cp1252"
    assert article.title == "Café “quoted”"


def test_binary_and_empty_files_are_not_articles(tmp_path: Path) -> None:
    (tmp_path / "bin.txt").write_bytes(b"\x00\x01\x02binary")
    (tmp_path / "empty.md").write_text("   \n\n")
    with pytest.raises(NotReadable, match="binary"):
        read_article(tmp_path, "bin.txt")
    with pytest.raises(NotReadable, match="empty"):
        read_article(tmp_path, "empty.md")


def test_links_outside_the_corpus_are_not_followed(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.txt").write_text("secret")
    corpus = tmp_path / "corpus"
    (corpus / "sub").mkdir(parents=True)
    (corpus / "sub" / "a.txt").write_text("A")
    (corpus / "inside.txt").write_text("B")
    os.symlink(outside / "secret.txt", corpus / "leak.txt")
    os.symlink(outside, corpus / "leakdir")
    os.symlink(corpus / "inside.txt", corpus / "alias.txt")
    found = [rel for rel, _ in iter_files(corpus)]
    assert found == ["alias.txt", "inside.txt", "sub/a.txt"]
