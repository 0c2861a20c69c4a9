"""Reading a built index: the committed segments, the manifest and catalog, stored documents.

The half of ``Store`` that commands use after the freshness check; each table is read on
first use, so a command parses only what it shows.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from index.article import ArticleInfo
from index.manifest import IndexProblem, load_side, open_checked, read_manifest


class StoreReader:
    """What ``Store`` reads; ``Store`` sets these fields when it checks or updates."""

    index_dir: Path
    generation: int
    _ix: Any | None
    _reader_searcher: Any
    _manifest: dict[str, Any] | None
    _catalog: dict[str, list[Any]] | None
    _by_id: dict[str, str] | None

    def _drop_searcher(self) -> None:
        if self._reader_searcher is not None:
            self._reader_searcher.close()
            self._reader_searcher = None

    def close(self) -> None:
        """Release the open searcher (its file handles)."""
        self._drop_searcher()

    # --- reading ------------------------------------------------------------------------

    def open(self) -> Any:
        """The committed index (raises ``IndexProblem`` if there is none usable)."""
        if self._ix is None:
            self._ix, self._manifest = open_checked(self.index_dir)
            self._catalog = self._by_id = None
            self.generation += 1
        return self._ix

    @property
    def manifest(self) -> dict[str, Any]:
        """The table of articles, parsed on first use (a quick check does not read it)."""
        if self._manifest is None:
            if self._ix is None:
                self.open()
            else:
                self._manifest = read_manifest(self.index_dir)
        assert self._manifest is not None
        return self._manifest

    def articles(self) -> list[ArticleInfo]:
        """Every article's id, path, title, byline, date and passage count, by id. Read from
        ``catalog.json`` on first use, not on open: a command that lists no articles never
        parses it."""
        files = self.manifest["files"]
        if self._catalog is None:
            try:
                side = load_side(self.index_dir, self.manifest)
            except IndexProblem as exc:
                raise IndexProblem(f"{exc}; run xref index") from exc
            self._catalog = side.catalog
        rows = []
        for rel, (aid, _mtime, _size) in files.items():
            title, byline, date, passages, _sha1 = self._catalog[rel]
            rows.append(ArticleInfo(aid, rel, title, byline, date, passages))
        return sorted(rows, key=lambda r: r.id)

    def path_of(self, article_id: str) -> str | None:
        """The corpus path of an article, from the small manifest (no catalogue read)."""
        if self._by_id is None:
            self._by_id = {entry[0]: rel for rel, entry in self.manifest["files"].items()}
        return self._by_id.get(article_id)

    def stored(self, article_id: str) -> dict[str, Any] | None:
        """The stored fields of one article, from a searcher kept open between calls (opening
        one per call cost more than reading the document). It sees the index as of the last
        ``update`` or ``open``, like the manifest."""
        if self._reader_searcher is None:
            self._reader_searcher = self.open().searcher()
        doc: dict[str, Any] | None = self._reader_searcher.document(id=article_id)
        return doc
