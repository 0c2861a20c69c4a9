"""Catalogue edits as a person would make them (``index.catalogue_edit``) and their writing and
undoing (``index.catalogue_journal``): comments and order kept, only the entry concerned
changed, exact bytes back on undo, a broken or read-only catalogue never written."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from index.catalogue import load_checked
from index.catalogue_edit import EditError, add_ignore, add_merge, set_entity
from index.catalogue_journal import CatalogueWriteError, edit, history, journal_for, undo

HAND_WRITTEN = """\
# My catalogue for the aviation clippings.
version: 1
entities:
  # The planemakers.
  - name: Airbus
    type: organisation   # not a person, whatever the tagger thinks
    aliases: [Airbus Industrie]

  - name: 'Boeing'
    type: organisation
ignore:
  - Key Takeaways   # a heading of one site
# Merges I checked by hand.
merges: []
"""


def test_each_edit_changes_only_its_entry() -> None:
    text = add_ignore(HAND_WRITTEN, "UTC")
    text = add_merge(text, ["Northrop", "Northrop Grumman"])
    text = set_entity(text, {"boeing"}, "Boeing", "organisation", "The Boeing Company", "Boeing")
    text = set_entity(text, {"airbus industrie"}, "Airbus", "place")
    text = set_entity(text, {"eads"}, "EADS", "organisation")
    assert (
        text
        == """\
# My catalogue for the aviation clippings.
version: 1
entities:
  # The planemakers.
  - name: Airbus
    type: place   # not a person, whatever the tagger thinks
    aliases: [Airbus Industrie]

  - name: The Boeing Company
    type: organisation
    aliases: [Boeing]
  - name: EADS
    type: organisation
ignore:
  - Key Takeaways   # a heading of one site
  - UTC
# Merges I checked by hand.
merges:
  - [Northrop, Northrop Grumman]
"""
    )


def test_flow_lists_stay_flow_and_missing_keys_are_added() -> None:
    text = "version: 1\nignore: [Key Takeaways]  # headings\n"
    text = add_ignore(text, "Read more: here")
    assert text == "version: 1\nignore: [Key Takeaways, 'Read more: here']  # headings\n"
    text = add_merge(text, ["Trend", "Trend News Agency"])
    assert text.endswith("# headings\nmerges:\n  - [Trend, Trend News Agency]\n")
    assert add_ignore("", "X").endswith("version: 1\nignore: [X]\n")
    # ``ignore:`` with nothing after it, and a file without a last newline.
    assert add_ignore("version: 1\nignore:  # none yet", "X") == (
        "version: 1\nignore:  # none yet\n  - X\n"
    )


def test_names_that_yaml_would_misread_are_quoted() -> None:
    text = add_ignore("version: 1\n", "yes")
    text = add_ignore(text, "# not a comment")
    data = load_checked_text(text)
    assert data.ignore == frozenset({"yes", "# not a comment"})


def load_checked_text(text: str):  # type: ignore[no-untyped-def]
    import tempfile

    with tempfile.NamedTemporaryFile("w", suffix=".yaml", delete=False) as f:
        f.write(text)
    try:
        return load_checked(Path(f.name))[0]
    finally:
        os.unlink(f.name)


def test_unusual_layouts_are_refused_with_one_line() -> None:
    with pytest.raises(EditError, match="second 'ignore:'"):
        add_ignore("version: 1\nignore: [a]\nignore: [b]\n", "X")
    with pytest.raises(EditError, match="not a list"):
        add_ignore("version: 1\nignore: nothing\n", "X")
    with pytest.raises(EditError, match="not valid YAML"):
        add_ignore("version: 1\nignore: [a\n", "X")


def test_write_undo_restores_exact_bytes(tmp_path: Path) -> None:
    cat = tmp_path / "corpus" / "entities.yaml"
    cat.parent.mkdir()
    original = ("\ufeff" + HAND_WRITTEN.replace("\n", "\r\n")).encode("utf-8")
    cat.write_bytes(original)
    journal = journal_for(tmp_path / "state", cat)
    edit(cat, journal, "ignore UTC", lambda t: add_ignore(t, "UTC"))
    edit(cat, journal, "merge", lambda t: add_merge(t, ["A", "B"]))
    written = cat.read_bytes()
    assert written.startswith(b"\xef\xbb\xbf") and b"  - UTC\r\n" in written
    assert b"\n" not in written.replace(b"\r\n", b"")  # every line ending kept CRLF
    assert history(journal) == ["ignore UTC", "merge"]
    assert undo(cat, journal).label == "merge"
    assert undo(cat, journal).label == "ignore UTC"
    assert cat.read_bytes() == original
    with pytest.raises(CatalogueWriteError, match="nothing to undo"):
        undo(cat, journal)
    assert not any(p.name.endswith(".tmp") for p in cat.parent.iterdir())


def test_undo_of_a_created_catalogue_removes_it_and_hand_edits_are_kept(tmp_path: Path) -> None:
    cat = tmp_path / "entities.yaml"
    journal = journal_for(tmp_path / "state", cat)
    edit(cat, journal, "ignore X", lambda t: add_ignore(t, "X"))
    assert "ignore: [X]" in cat.read_text()
    undo(cat, journal)
    assert not cat.exists()
    edit(cat, journal, "ignore X", lambda t: add_ignore(t, "X"))
    cat.write_text(cat.read_text() + "# my own line\n")
    with pytest.raises(CatalogueWriteError, match="changed since"):
        undo(cat, journal)
    assert cat.read_text().endswith("# my own line\n")


def test_symlink_stays_a_link_and_its_target_is_written(tmp_path: Path) -> None:
    real = tmp_path / "real.yaml"
    real.write_text("version: 1\n")
    link = tmp_path / "entities.yaml"
    link.symlink_to(real)
    journal = journal_for(tmp_path / "state", link)
    edit(link, journal, "ignore X", lambda t: add_ignore(t, "X"))
    assert link.is_symlink() and "ignore: [X]" in real.read_text()
    assert journal == journal_for(tmp_path / "state", real)


@pytest.mark.parametrize(
    "broken",
    ["version: 1\nentities: [\n", "version: 2\n", "- just\n- a list\n", "version: 1\n\t- tab\n"],
)
def test_a_broken_catalogue_is_never_written(tmp_path: Path, broken: str) -> None:
    cat = tmp_path / "entities.yaml"
    cat.write_text(broken)
    journal = journal_for(tmp_path / "state", cat)
    with pytest.raises(CatalogueWriteError, match="not changed") as exc:
        edit(cat, journal, "ignore X", lambda t: add_ignore(t, "X"))
    assert "\n" not in str(exc.value)
    assert cat.read_text() == broken and history(journal) == []


def test_read_only_catalogue_is_refused(tmp_path: Path) -> None:
    cat = tmp_path / "entities.yaml"
    cat.write_text("version: 1\n")
    cat.chmod(0o444)
    with pytest.raises(CatalogueWriteError, match="read-only"):
        edit(cat, journal_for(tmp_path / "s", cat), "x", lambda t: add_ignore(t, "X"))
    assert cat.read_text() == "version: 1\n"
