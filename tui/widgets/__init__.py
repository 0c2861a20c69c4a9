"""One widget per pane: search, reader, cross-references, bookmarks."""
