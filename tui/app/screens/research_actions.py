"""The main screen's research actions: the sidebar's listing asked for by the pane's
messages (sort, filter, narrowing, more, link an unlinked name — ``XrefList``), fixing the
entity in view (merge, rename, change type, ignore, undo — ``FixController``) and applying
the catalogue by re-linking, and opening the article's original file or web address.

A mixin of ``MainScreen``, kept apart so that the screen's own file stays about panes and
history. Its message handlers are named ``on_<message>``, which Textual finds on every class
of the screen's MRO (``@on`` handlers are collected only on message pumps).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from tui.app.messages import (
    CoMentionPicked,
    MatchingAsked,
    MoreLinesWanted,
    NarrowingCleared,
    OriginalAsked,
    UnlinkedLinkAsked,
    XrefFilterChanged,
    XrefSortCycled,
)
from tui.app.render import PlainNotify

if TYPE_CHECKING:
    from index.library import Library
    from index.store import UpdateSummary
    from tui.app.fix_controller import FixController
    from tui.app.screens.xref_list import XrefList
    from tui.app.widgets.reader import Reader
    from tui.app.widgets.status import StatusBar
    from tui.app.widgets.xref_pane import XrefPane
    from tui.services import Services


class ResearchActions(PlainNotify):
    """Needs the attributes below from the screen it is mixed into."""

    services: Services
    fixes: FixController
    xrefs: XrefList
    entity_id: str | None
    ready: bool

    if TYPE_CHECKING:

        @property
        def library(self) -> Library: ...
        @property
        def reader(self) -> Reader: ...
        @property
        def xref(self) -> XrefPane: ...
        @property
        def status(self) -> StatusBar: ...
        def show_entity(
            self, entity_id: str, focus: bool = True, current: str | None = None
        ) -> None: ...
        def _indexed(self, summary: UpdateSummary) -> None: ...

    # --- the sidebar's listing -----------------------------------------------------------

    def on_more_lines_wanted(self, event: MoreLinesWanted) -> None:
        self.xrefs.more()

    def on_xref_sort_cycled(self, event: XrefSortCycled) -> None:
        self.xrefs.cycle_sort()

    def on_xref_filter_changed(self, event: XrefFilterChanged) -> None:
        self.xrefs.filter(event.text)

    def on_co_mention_picked(self, event: CoMentionPicked) -> None:
        self.xrefs.toggle_with(event.entity_id)

    def on_narrowing_cleared(self, event: NarrowingCleared) -> None:
        self.xrefs.clear()

    def on_matching_asked(self, event: MatchingAsked) -> None:
        self.xrefs.ask_matching()

    def action_matching(self) -> None:
        self.xrefs.ask_matching()

    def action_narrow_with(self) -> None:
        self.xrefs.ask_with()

    def action_widen(self) -> None:
        self.xref.clear_filter()
        self.xrefs.clear()

    def action_cycle_sort(self) -> None:
        self.xrefs.cycle_sort()

    def on_unlinked_link_asked(self, event: UnlinkedLinkAsked) -> None:
        places, listing = self.xrefs.unlinked, self.xrefs.listing
        if listing is not None and 0 <= event.index < len(places):
            self.fixes.link(listing.view.entity_id, places[event.index].form)

    def on_original_asked(self, event: OriginalAsked) -> None:
        self.open_original(web=event.web)

    # --- fixing entities -----------------------------------------------------------------

    def fix_target(self) -> str | None:
        """The entity a fix is about: the name under the cursor in the sidebar, else the
        reader's current mention, else the entity listed."""
        chosen = self.xref.highlighted_entity()
        mention = self.reader.current_mention if self.reader.has_focus else None
        if chosen is None and mention is not None:
            chosen = mention.entity
        chosen = chosen or self.entity_id
        if chosen is None or chosen not in self.library.links.entities:
            self.notify("Choose an entity first (in the sidebar or a mention)")
            return None
        return chosen

    def _fix(self, do: Callable[[str], None]) -> None:
        if not self.ready:
            self.notify("The index is still being built")
            return
        target = self.fix_target()
        if target is not None:
            do(target)

    def action_fix_merge(self) -> None:
        self._fix(self.fixes.merge)

    def action_fix_rename(self) -> None:
        self._fix(self.fixes.rename)

    def action_fix_type(self) -> None:
        self._fix(self.fixes.retype)

    def action_fix_ignore(self) -> None:
        self._fix(self.fixes.ignore)

    def action_fix_undo(self) -> None:
        if self.ready:
            self.fixes.undo()

    def relink(self, said: str, show: str | None) -> None:
        """The catalogue changed: a new library reads it, the index is brought up to date
        in the status bar's worker, then the article and the entity are shown again."""
        self.notify(said)
        self.ready = False
        self.services.refresh()

        def done(summary: UpdateSummary) -> None:
            self._indexed(summary)
            found = self.library.find_entity(show)[0] if show else None
            if found is not None:
                self.show_entity(found.id, focus=False)

        self.status.run_index(self.services.update, False, done)

    # --- the original ----------------------------------------------------------------------

    def action_open_original(self) -> None:
        self.open_original(web=False)

    def action_open_web(self) -> None:
        self.open_original(web=True)

    def open_original(self, web: bool) -> None:
        """The open article's file (``web``: its web address) in the system viewer; one
        line when there is none (no display, no ``xdg-open``)."""
        article = self.reader.article
        if article is None:
            self.notify("Open an article first")
            return
        if web and not article.url:
            self.notify("This article records no web address")
            return
        target = str(self.library.corpus / article.source_path)
        if web and article.url:
            target = article.url
        if not self.services.opener(target):
            self.notify(f"No viewer to open {target}", severity="warning")
