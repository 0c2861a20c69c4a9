"""Excerpts by keyboard and mouse on real seed text: sentences, growing, finding a drag."""

from __future__ import annotations

from index.corpus import read_article
from tests.conftest import SEEDS
from tui.bookmarks.selection import (
    grow_sentence,
    grow_word,
    locate_selection,
    sentence_at,
    sentences,
)

ARTICLE = read_article(SEEDS.resolve(), "004_8c0c6ff0117b03a7.txt")


def test_sentences_of_a_seed_passage_end_at_stops_not_at_titles() -> None:
    p = ARTICLE.passages[10]
    found = [ARTICLE.text[s:e] for s, e in sentences(ARTICLE.text, p.start, p.end)]
    assert "".join(found).replace(" ", "") == ARTICLE.passage_text(10).replace(" ", "")
    assert all(x.rstrip("”\"'").endswith((".", "!", "?", ":")) or x is found[-1] for x in found)
    assert len(found) >= 2


def test_abbreviations_do_not_end_a_sentence() -> None:
    text = "Mr. Smith met U.S. officials in Baku. They talked."
    assert [text[s:e] for s, e in sentences(text, 0, len(text))] == [
        "Mr. Smith met U.S. officials in Baku.", "They talked."]


def test_sentence_at_and_growing() -> None:
    text = "One two three. Four five six. Seven."
    first = sentence_at(text, 0, len(text), 5)
    assert text[first[0]:first[1]] == "One two three."
    two = grow_sentence(text, 0, len(text), first)
    assert text[two[0]:two[1]] == "One two three. Four five six."
    assert text[slice(*grow_word(text, len(text), first))] == "One two three. Four"


def test_a_mouse_selection_is_found_despite_wrapping_and_passage_numbers() -> None:
    p = ARTICLE.passages[10]
    quote = "President Aliyev showed humanity and did not allow"
    start = ARTICLE.text.index(quote, p.start)
    dragged = " 10 President Aliyev showed\nhumanity and did  not allow"
    assert locate_selection(ARTICLE.text, dragged, p.start) == (start, start + len(quote))
    assert locate_selection(ARTICLE.text, "words that are not in it", p.start) is None
