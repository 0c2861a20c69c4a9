"""What the sidebar lists for an entity, decided for the main screen: the entity's other
articles in an order (date, title, mentions), narrowed to those that also name other entities
or match a query, filtered by words, shown a page at a time; its card; its unlinked places.

The first page comes at once, however many articles name the entity: the ids come from the
links, dates and titles from the article list, and only the page's articles are read. What
needs every article read (mention counts for the card and the "mentions" order, a filter on
context words, the unlinked places) runs in worker threads, each result dropped when the
list has changed since it was asked for.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from textual.worker import get_current_worker

from index.entity_pages import iter_entity
from tui.app.widgets.xref_lines import Line, entity_lines

if TYPE_CHECKING:
    from index.article import ArticleInfo
    from index.entity_profile import EntityProfile
    from index.library import Library
    from index.unlinked import Unlinked
    from tui.app.screens.main import MainScreen

PAGE = 30  # articles of context lines shown at a time
SORTS = ("date", "title", "mentions")


@dataclass(frozen=True)
class View:
    """One listing: the entity, the article open beside it (left out), and how it is cut."""

    entity_id: str
    current: str | None = None
    sort: str = "date"
    words: str = ""  # the filter box: words in the title or the context
    with_ids: tuple[str, ...] = ()  # other entities every article must name
    matching: str = ""  # a query every article must match


@dataclass
class Listing:
    view: View
    ids: list[str] = field(default_factory=list)
    shown: int = 0


class XrefList:
    """The sidebar's entity listing, driven by the main screen's messages."""

    def __init__(self, screen: MainScreen) -> None:
        self.screen = screen
        self.listing: Listing | None = None
        self.unlinked: list[Unlinked] = []
        self._profiles: dict[str, EntityProfile] = {}
        self._infos: tuple[int, dict[str, ArticleInfo]] | None = None
        self._library_seen = 0
        self.sort = SORTS[0]  # kept from one entity to the next

    @property
    def library(self) -> Library:
        return self.screen.library

    def _fresh(self) -> bool:
        """Forget what was computed on another library (the catalogue changed); True then."""
        if id(self.library) == self._library_seen:
            return False
        self._library_seen = id(self.library)
        self._profiles.clear()
        self._infos = None
        return True

    def infos(self) -> dict[str, ArticleInfo]:
        self._fresh()
        if self._infos is None:
            self._infos = (id(self.library), {a.id: a for a in self.library.articles()})
        return self._infos[1]

    # --- listing -------------------------------------------------------------------------

    def show(self, entity_id: str, current: str | None) -> None:
        """A new entity (narrowing dropped) or the same one beside another article."""
        relinked = self._fresh()
        old = self.listing.view if self.listing else None
        if old is not None and old.entity_id == entity_id:
            view = replace(old, current=current, sort=self.sort)
        else:
            view = View(entity_id, current, self.sort)
            self.screen.xref.clear_filter()
        self.relist(view, new_entity=relinked or old is None or old.entity_id != entity_id)

    def relist(self, view: View, new_entity: bool = True) -> None:
        entity = self.library.links.entities.get(view.entity_id)
        if entity is None:
            return
        self.listing = Listing(view)
        profile = self._profiles.get(view.entity_id)
        self.screen.xref.show_card(entity, profile)
        if profile is None:
            self._run(self._profile, view, group="xref-profile")
        if new_entity:
            self.screen.xref.show_unlinked([])
            self._run(self._unlinked, view, group="xref-unlinked")
        ids = self._base_ids(view)
        if view.words or view.matching:
            self.screen.xref.set_subtitle(self._heading(view, None) + " · narrowing…")
            self._run(self._narrowed, view, ids, group="xref-list")
        else:
            self._display(view, ids)

    def _base_ids(self, view: View) -> list[str]:
        from index import comentions

        ids = [a for a in self.library.entity_articles(view.entity_id) if a != view.current]
        if view.with_ids:
            both = set(comentions.co_mentioning(self.library, list(view.with_ids)))
            ids = [a for a in ids if a in both]
        return self._sorted(view, ids)

    def _sorted(self, view: View, ids: list[str]) -> list[str]:
        """Newest first (undated last), by title, or most mentions first (once counted)."""
        infos = self.infos()

        def title(aid: str) -> str:
            info = infos.get(aid)
            return (info.title if info else aid).casefold()

        by_title = sorted(ids, key=title)
        if view.sort == "title":
            return by_title
        dated = sorted(
            (a for a in by_title if (infos.get(a) and infos[a].date)),
            key=lambda a: infos[a].date or "",
            reverse=True,
        )
        by_date = dated + [a for a in by_title if not (infos.get(a) and infos[a].date)]
        profile = self._profiles.get(view.entity_id)
        if view.sort == "mentions" and profile is not None:
            return sorted(by_date, key=lambda a: -profile.per_article.get(a, 0))
        return by_date

    def _heading(self, view: View, total: int | None) -> str:
        links = self.library.links.entities
        entity = links.get(view.entity_id)
        name = f"{entity.name} ({entity.type})" if entity else view.entity_id
        parts = [name]
        if total is not None:
            other = " other" if view.current else ""
            parts.append(f"{total}{other} article{'s' if total != 1 else ''}")
        profile = self._profiles.get(view.entity_id)
        if profile is not None and not (view.with_ids or view.words or view.matching):
            parts.append(f"{profile.mentions} mentions")
        for eid in view.with_ids:
            parts.append(f"with {links[eid].name if eid in links else eid}")
        if view.matching:
            parts.append(f"matching {view.matching!r}")
        if view.words:
            parts.append(f"filter {view.words!r}")
        sort = view.sort if not (view.sort == "mentions" and profile is None) else "counting…"
        parts.append(f"by {sort}")
        return " · ".join(parts)

    def _display(self, view: View, ids: list[str]) -> None:
        listing = self.listing
        if listing is None or listing.view != view:
            return  # asked for an earlier listing
        listing.ids = ids
        lines, meta = self._page(view, ids[:PAGE])
        listing.shown = min(PAGE, len(ids))
        self.screen.xref.show_lines(
            self._heading(view, len(ids)), lines, len(ids) - listing.shown, meta, True
        )

    def _page(self, view: View, ids: list[str]) -> tuple[list[Line], dict[str, str]]:
        items = list(iter_entity(self.library, view.entity_id, ids))
        meta = {}
        for item in items:
            n = len(item.mentions)
            date = f" · {item.article.date}" if item.article.date else ""
            meta[item.article.id] = f"{date} · {n} mention{'s' if n != 1 else ''}"
        return entity_lines(items), meta

    def more(self) -> None:
        listing = self.listing
        if listing is None:
            return
        page = listing.ids[listing.shown : listing.shown + PAGE]
        listing.shown += len(page)
        lines, meta = self._page(listing.view, page)
        self.screen.xref.add_lines(lines, len(listing.ids) - listing.shown, meta)

    # --- changes asked by the pane -------------------------------------------------------

    def _changed(self, **changes: Any) -> None:
        if self.listing is not None:
            self.relist(replace(self.listing.view, **changes), new_entity=False)

    def cycle_sort(self) -> None:
        self.sort = SORTS[(SORTS.index(self.sort) + 1) % len(SORTS)]
        self._changed(sort=self.sort)

    def filter(self, words: str) -> None:
        self._changed(words=" ".join(words.split()))

    def toggle_with(self, entity_id: str) -> None:
        if self.listing is None:
            return
        view = self.listing.view
        if entity_id == view.entity_id:
            self.screen.notify("That is the entity listed")
            return
        chosen = list(view.with_ids)
        chosen.remove(entity_id) if entity_id in chosen else chosen.append(entity_id)
        self._changed(with_ids=tuple(chosen))

    def match(self, query: str) -> None:
        self._changed(matching=query.strip())

    def clear(self) -> None:
        self._changed(with_ids=(), matching="", words="")

    def ask_matching(self) -> None:
        """Keep the listed articles a query matches (an empty query: all of them again)."""
        from tui.app.screens.dialogs import Prompt

        if self.listing is None:
            self.screen.notify("Choose an entity first")
            return
        self.screen.app.push_screen(
            Prompt("Keep the articles matching", self.listing.view.matching, "a query"),
            lambda q: self.match(q) if q is not None else None,
        )

    def ask_with(self) -> None:
        """Pick another entity; keep the articles that name both (the palette's way)."""
        from tui.app.screens.dialogs import Picker, entity_rows

        if self.listing is None:
            self.screen.notify("Choose an entity first")
            return
        self.screen.app.push_screen(
            Picker("Keep the articles also naming", entity_rows(self.library)),
            lambda e: self.toggle_with(e) if e else None,
        )

    # --- workers -------------------------------------------------------------------------

    def _run(self, fn: Callable[..., Any], *args: Any, group: str) -> None:
        self.screen.run_worker(
            lambda: fn(*args), thread=True, group=group, exclusive=True, exit_on_error=False
        )

    def _later(self, fn: Callable[..., None], *args: Any) -> None:
        if not get_current_worker().is_cancelled:
            self.screen.app.call_from_thread(fn, *args)

    def _profile(self, view: View) -> None:
        from index.entity_profile import profile

        worker = get_current_worker()
        # The counts at once from the stored summaries (no article read), then the exact
        # written forms, which read the articles where a name comes twice.
        for read_forms in (False, True):
            found = profile(self.library, view.entity_id, lambda: worker.is_cancelled, read_forms)
            if found is None:
                return
            self._later(self._profiled, view, found)

    def _profiled(self, view: View, found: EntityProfile) -> None:
        self._profiles[view.entity_id] = found
        listing = self.listing
        if listing is None or listing.view.entity_id != view.entity_id:
            return
        entity = self.library.links.entities.get(view.entity_id)
        self.screen.xref.show_card(entity, found)
        if listing.view.sort == "mentions":
            self.relist(listing.view, new_entity=False)
        else:
            self.screen.xref.set_subtitle(self._heading(listing.view, len(listing.ids)))

    def _narrowed(self, view: View, ids: list[str]) -> None:
        from index import comentions
        from index.search import QueryError

        worker = get_current_worker()
        if view.matching:
            try:
                kept = set(comentions.matching(self.library, view.matching, set(ids)))
            except QueryError as exc:
                self._later(self.screen.notify, f"Query: {exc}")
                kept = set()
            ids = [a for a in ids if a in kept]
        if view.words:
            words = view.words.casefold().split()
            ids = [a for a in ids if not worker.is_cancelled and self._has_words(view, a, words)]
        self._later(self._display, view, ids)

    def _has_words(self, view: View, article_id: str, words: list[str]) -> bool:
        """Every word in the article's title or in a passage that names the entity."""
        info = self.infos().get(article_id)
        title = (info.title if info else "").casefold()
        if all(w in title for w in words):
            return True
        article = self.library.article(article_id)
        if article is None:
            return False
        seen = {m.passage for m in self.library.mentions(article_id, view.entity_id)}
        context = " ".join(article.passage_text(p) for p in sorted(seen)).casefold()
        return all(w in title or w in context for w in words)

    def _unlinked(self, view: View) -> None:
        from index.unlinked import unlinked

        worker = get_current_worker()
        places = unlinked(self.library, view.entity_id, cancelled=lambda: worker.is_cancelled)
        lines = []
        for u in places:
            article = self.library.article(u.article_id)
            if article is None:
                continue
            p = article.passages[u.passage]
            text = article.text[p.start : p.end]
            page = article.page_at(u.start)
            lines.append(
                Line(u.article_id, u.title, u.passage, u.start, u.end, text, p.start, page)
            )
        self._later(self._unlinked_found, view, places, lines)

    def _unlinked_found(self, view: View, places: list[Unlinked], lines: list[Line]) -> None:
        if self.listing is None or self.listing.view.entity_id != view.entity_id:
            return
        self.unlinked = places
        self.screen.xref.show_unlinked(lines, [u.ambiguous for u in places])
