"""Bookmark exports a researcher can cite: Markdown with source path, date and web address
where known; W3C Web Annotations (JSON-LD) with both text selectors."""

from __future__ import annotations

import json
from pathlib import Path

from tests.test_cli import run
from tui.bookmarks.citation import stated_url

ARTICLE = "004_8c0c6ff0117b03a7"
QUOTE = "President Aliyev showed humanity"


def test_stated_url() -> None:
    assert stated_url("Title\n\nSource: https://example.org/a?b=1.\n\nText.") == (
        "https://example.org/a?b=1"
    )
    assert stated_url("Title\n<https://example.org/x>\nText") == "https://example.org/x"
    assert stated_url("Title\n\nSee https://example.org/x for more.\n") is None


def test_markdown_and_jsonld(corpus_copy: Path, tmp_path: Path) -> None:
    art = corpus_copy / f"{ARTICLE}.txt"
    art.write_text(
        art.read_text(encoding="utf-8") + "\nSource: https://news.example/aliyev\n",
        encoding="utf-8",
    )
    common = [
        "--corpus",
        str(corpus_copy),
        "--index-dir",
        str(tmp_path / "ix"),
        "--bookmarks",
        str(tmp_path / "b.yaml"),
    ]
    run(
        *common,
        "bookmark",
        "add",
        ARTICLE,
        "--quote",
        QUOTE,
        "--note",
        "restraint",
        "--tag",
        "aliyev",
    )
    run(*common, "bookmark", "add", "001_217ba6ce37b2a28a", "--quote", "Minsk Group")
    md = run(*common, "bookmarks", "export", "--format", "markdown").stdout
    assert f"> {QUOTE}" in md and f"`{ARTICLE}.txt`" in md
    assert "<https://news.example/aliyev>" in md and md.count("<https://") == 1

    proc = run(*common, "bookmarks", "export", "--format", "jsonld")
    doc = json.loads(proc.stdout)
    assert doc["@context"] == "http://www.w3.org/ns/anno.jsonld"
    assert doc["type"] == "AnnotationCollection" and doc["total"] == 2
    first = doc["first"]["items"][0]
    assert first["type"] == "Annotation" and first["id"].startswith("urn:xref:bookmark:")
    target = first["target"]
    assert target["source"]["id"] == (corpus_copy / f"{ARTICLE}.txt").resolve().as_uri()
    assert target["scope"] == "https://news.example/aliyev"
    quote_sel, pos_sel = target["selector"]
    assert quote_sel["type"] == "TextQuoteSelector" and quote_sel["exact"] == QUOTE
    text = art.read_text(encoding="utf-8")
    assert text[pos_sel["start"] : pos_sel["end"]] == QUOTE
    assert text[: pos_sel["start"]].endswith(quote_sel["prefix"])
    assert {b["purpose"]: b["value"] for b in first["body"]} == {
        "commenting": "restraint",
        "tagging": "aliyev",
    }

    # The quote is removed from the article: exported with its quote, without a position.
    art.write_text(text.replace(QUOTE, "He"), encoding="utf-8")
    out = tmp_path / "annotations.jsonld"
    run(*common, "bookmarks", "export", "--format", "jsonld", "-o", str(out))
    orphan = json.loads(out.read_text(encoding="utf-8"))["first"]["items"][0]
    assert [s["type"] for s in orphan["target"]["selector"]] == ["TextQuoteSelector"]
    assert orphan["target"]["selector"][0]["exact"] == QUOTE
    assert orphan["xref:state"] == "orphaned"
