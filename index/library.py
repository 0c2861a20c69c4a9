"""One corpus with its index, entities and search: the facade the CLI and the app call.

It wires the store (Whoosh), the extractor, the catalogue and the linker, and answers in plain
dataclasses. Nothing here knows about terminals.
"""

from __future__ import annotations

import json
import threading
from collections import OrderedDict
from collections.abc import Callable, Collection, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from index.corpus import Article, ArticleInfo
from index.enrichment import CANDIDATE as CANDIDATE
from index.enrichment import UNKNOWN as UNKNOWN
from index.enrichment import (
    CatalogueView,
    _Enricher,
)
from index.enrichment import appositions as appositions
from index.entity_links import check_links, find_entity, meant_entity
from index.entity_pages import (
    PAGE,
    EntityArticle,
    EntityPage,
    entity_article_ids,
    entity_page,
    iter_entity,
)
from index.manifest import write_json
from index.mention_counts import CountTable, KeyCount, entity_keys, per_article, per_key
from index.related import Related, related_passages
from index.search import Hit, QueryError, SearchEngine, SearchResult
from index.stamps import rules_stamp
from index.store import (
    Enrichment,
    IndexProblem,
    Progress,
    Store,
    UpdateSummary,
    article_from_doc,
)

if TYPE_CHECKING:
    from index.catalogue import Catalogue, LoadResult
    from index.entities import RuleExtractor
    from index.linking import Entity, Links

DOC_CACHE = 512  # stored documents remembered (see Library._stored)


@dataclass(frozen=True)
class ResolvedMention:
    """A mention with the entity it was linked to (``entity`` is None when it was dropped)."""

    article: str
    passage: int
    start: int
    end: int
    text: str
    type: str
    entity: str | None


class Library:
    """A corpus folder, its index directory and its catalogue."""

    def __init__(
        self,
        corpus: Path,
        index_dir: Path | None = None,
        catalogue: Path | None = None,
        use_catalogue: bool = True,
    ) -> None:
        self.corpus = corpus.resolve()
        # The catalogue is parsed, and the extractor made, when first needed (an update
        # that finds changes, linking, the entity commands), not to search.
        self._catalogue_args = (catalogue, use_catalogue)
        self._catalogue_file = (
            (catalogue or self.corpus / "entities.yaml") if use_catalogue else None
        )
        self._catalogue_result: LoadResult | None = None
        self._enricher: _Enricher | None = None
        self._view: CatalogueView | None = None
        self.store = Store(
            self.corpus,
            index_dir,
            enrich=self._make_enricher,
            enrich_version=self._enrich_version,
            link_version=self._link_version,
            enrich_stamp=rules_stamp(self._catalogue_file),
            after_update=self._relink,
            notes=lambda: {"catalogue_error": self._catalogue_error()},
            derived={"links.json": check_links},
        )
        self._engine: SearchEngine | None = None
        # The app searches from worker threads; a Whoosh searcher is not shared across threads.
        self._lock = threading.RLock()
        self._links: Links | None = None
        self._links_mtime = 0.0
        self._docs: OrderedDict[str, dict[str, Any] | None] = OrderedDict()
        self._counts = CountTable(self.store)
        self._generation = self.store.generation

    @property
    def catalogue_result(self) -> LoadResult:
        if self._catalogue_result is None:
            from index import catalogue as catalogue_mod

            explicit, enabled = self._catalogue_args
            self._catalogue_result = catalogue_mod.load_for(self.corpus, explicit, enabled)
        return self._catalogue_result

    @property
    def catalogue(self) -> Catalogue:
        return self.catalogue_result.catalogue

    @property
    def extractor(self) -> RuleExtractor:
        return self._make_enricher().extractor

    def _make_enricher(self) -> _Enricher:
        if self._enricher is None:
            cat = self.catalogue
            self._enricher = _Enricher(cat.phrases(), set())
        return self._enricher

    def _enrich_version(self) -> str:
        """What the stored entities depend on: the rules and the catalogue's phrases (see
        ``index.enrichment``); "kept" says ignored names are stored, dropped when read."""
        from index.entities import RuleExtractor

        digest = self.catalogue.extraction_digest()
        return f"{RuleExtractor.name}-{RuleExtractor.version}-kept-{digest}"

    def _link_version(self) -> str:
        """What the links depend on beyond the stored summaries: the whole catalogue."""
        return self.catalogue.digest or "none"

    @property
    def view(self) -> CatalogueView:
        """The catalogue as applied after extraction (ignored names, catalogue types)."""
        if self._view is None:
            self._view = CatalogueView.of(self.catalogue)
        return self._view

    @property
    def index_dir(self) -> Path:
        return self.store.index_dir

    @property
    def links_path(self) -> Path:
        return self.index_dir / "links.json"

    # --- building ------------------------------------------------------------------------

    def _enrich(self, article: Article) -> Enrichment:
        return self._make_enricher()(article)

    def _relink(self, summaries: dict[str, Any], changed: bool, folder: Path) -> None:
        from index.linking import link

        links_path = folder / "links.json"
        if not changed and links_path.exists():
            return
        view = self.view
        rows = {}
        appos = {}
        for aid, ents in summaries.items():
            ents = ents or {}
            rows[aid] = view.rows(ents.get("rows", []))
            appos[aid] = view.appositions(ents.get("appos", []))
        links = link(rows, appos, self.catalogue)
        write_json(links_path, links.to_json())
        self._links = None

    def update(
        self,
        progress: Progress | None = None,
        on_wait: Callable[[], None] | None = None,
        rebuild: bool = False,
    ) -> UpdateSummary:
        summary = self.store.update(progress=progress, on_wait=on_wait, rebuild=rebuild)
        # Reported at every update; parsed only when there is a catalogue, and not at all
        # when the quick check's record (of this catalogue, by its stamp) says it.
        noted = self.store.fresh_notes.get("catalogue_error", False)
        error = self._catalogue_error() if noted is False else noted
        if error:
            summary.warnings.insert(0, error)
        if self.store.generation != self._generation:
            # Only a change (here or by another process) makes the open searcher, the links
            # and the documents remembered stale; an unchanged corpus keeps them warm.
            self.close()
            self._generation = self.store.generation
        return summary

    def _catalogue_error(self) -> str | None:
        if self._catalogue_file is not None and (
            self._catalogue_args[0] is not None or self._catalogue_file.exists()
        ):
            return self.catalogue_result.error
        return None

    def close(self) -> None:
        if self._engine is not None:
            self._engine.close()
            self._engine = None
        self.store.close()
        self._links = None
        self._docs.clear()
        self._counts.clear()

    def _stored(self, article_id: str) -> dict[str, Any] | None:
        """An article's stored document, remembered for the few hundred last asked for: the
        sidebar reads each article twice (text, mentions) and the reader goes back and forth."""
        with self._lock:
            if article_id in self._docs:
                self._docs.move_to_end(article_id)
                return self._docs[article_id]
            stored = self.engine.stored(article_id)
            doc = stored["doc"] if stored is not None else None
            self._docs[article_id] = doc
            if len(self._docs) > DOC_CACHE:
                self._docs.popitem(last=False)
            return doc

    # --- reading -------------------------------------------------------------------------

    @property
    def engine(self) -> SearchEngine:
        if self._engine is None:
            self._engine = SearchEngine(self.store)
        return self._engine

    def search(
        self, text: str, limit: int = 10, within: Collection[str] | None = None
    ) -> SearchResult:
        """The best ``limit`` articles for ``text``; with ``within``, among those article
        ids only, with the exact total among them (``SearchEngine.search``)."""
        with self._lock:
            return self.engine.search(text, limit=limit, within=within)

    def highlights(self, query_text: str, article: Article) -> list[tuple[int, int]]:
        """Spans of ``article`` that the query matches ([] for an empty or bad query)."""
        if not query_text.strip():
            return []
        with self._lock:
            try:
                return self.engine.highlights(query_text, article)
            except QueryError:
                return []

    def article(self, article_id: str) -> Article | None:
        doc = self._stored(article_id)
        return None if doc is None else article_from_doc(article_id, doc)

    def articles(self) -> list[ArticleInfo]:
        """Every article in the index (id, path, title, byline, date, passages), by id:
        read from the manifest, without opening any article."""
        return self.store.articles()

    @property
    def links(self) -> Links:
        mtime = self.links_path.stat().st_mtime if self.links_path.exists() else 0.0
        if self._links is None or mtime != self._links_mtime:
            if mtime:
                try:
                    self._links = check_links(
                        json.loads(self.links_path.read_text(encoding="utf-8"))
                    )
                except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
                    # Damaged since the last update; the next one writes it again.
                    raise IndexProblem(
                        f"links.json is damaged ({type(exc).__name__}: {exc}); run xref index"
                    ) from exc
            else:
                from index.linking import Links

                self._links = Links({}, {}, {})
            self._links_mtime = mtime
        return self._links

    def entities(self, article_id: str | None = None, type_: str | None = None) -> list[Entity]:
        """Entities, most cited first; with ``article_id`` only those that article mentions."""
        links = self.links
        chosen = list(links.entities.values())
        if article_id is not None:
            ids = {m.entity for m in self.mentions(article_id) if m.entity}
            chosen = [e for e in chosen if e.id in ids]
        if type_:
            chosen = [e for e in chosen if e.type == type_]
        return sorted(chosen, key=lambda e: (-len(e.article_ids), e.name.lower()))

    def mentions(self, article_id: str, entity_id: str | None = None) -> list[ResolvedMention]:
        """Every mention in an article, linked to its entity; with ``entity_id`` only that
        entity's, the others never built (an entity's page reads only what it shows)."""
        doc = self._stored(article_id)
        if doc is None:
            return []
        from index.entities import Mention

        text = doc["text"]
        links = self.links
        view = self.view
        out = []
        for row in doc.get("entities") or []:
            key = str(row[3])  # row: start, end, type, key, ...
            if key in view.ignore:
                continue
            eid = links.entity_of(article_id, key)
            if entity_id is not None and eid != entity_id:
                continue
            m = Mention.from_list(text, row)
            type_ = view.type_of(key, m.type)
            out.append(ResolvedMention(article_id, m.passage, m.start, m.end, m.text, type_, eid))
        return out

    def entity_articles(self, entity_id: str) -> list[str]:
        """The sorted ids of the articles that mention an entity, from the links (see
        ``entity_pages``; a test keeps it equal to the query on the indexed mention keys)."""
        return entity_article_ids(self.links, entity_id)

    def mention_rows(self, entity_id: str) -> dict[str, tuple[KeyCount, ...]]:
        """The entity's mention keys in each of its articles, with their counts, from the
        entity summaries: no article read (see ``mention_counts``)."""
        table = self._counts.table()
        return entity_keys(table, self.links, self.view, entity_id, self.entity_articles(entity_id))

    def mention_counts(self, entity_id: str) -> dict[str, int]:
        """Mentions of the entity in each of its articles (``len(mentions(aid, entity_id))``
        for each), without reading them."""
        return per_article(self.mention_rows(entity_id))

    def key_counts(self, entity_id: str) -> dict[str, int]:
        """Mentions of the entity under each of its keys (a name up to case, dots and
        possessive), most first, without reading an article."""
        return per_key(self.mention_rows(entity_id))

    def entity_page(
        self, entity_id: str, offset: int = 0, limit: int = PAGE, exclude: str | None = None
    ) -> EntityPage:
        """A page of an entity's articles with its mentions in them, and the total: only
        the page's articles are read, however many name the entity."""
        return entity_page(self, entity_id, offset, limit, exclude)

    def entity_mentions(self, entity_id: str) -> Iterator[EntityArticle]:
        """Every article that mentions an entity, with the mentions, one at a time."""
        return iter_entity(self, entity_id, self.entity_articles(entity_id))

    def related(self, article_id: str, passage: int, limit: int = 12) -> list[Related]:
        """Passages in other articles that share this passage's entities or key terms."""
        return related_passages(self, article_id, passage, limit)

    def similar(self, text: str, exclude: str) -> list[Hit]:
        """Articles sharing the key terms of ``text``, but ``exclude`` (more-like-this)."""
        with self._lock:
            return self.engine.similar(text, exclude)

    def find_entity(self, text: str) -> tuple[Entity | None, list[str]]:
        """An entity by id, name or alias in any case; else up to 5 close names."""
        return find_entity(self.links, text)

    def meant_entity(self, text: str) -> tuple[Entity | None, list[Entity], list[str]]:
        """The entity a reader means by ``text``, the others it may mean, and close names
        (see ``entity_links.meant_entity``)."""
        return meant_entity(self.links, text)
