"""One widget per pane: search, reader, cross-references (the bookmarks list is a screen)."""
