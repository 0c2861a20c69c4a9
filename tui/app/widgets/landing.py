"""What the reader shows with nothing open: the corpus at a glance.

A newcomer's first question is "what is in here?": the counts, the persons, places, events and
organisations most articles cite, and the newest articles where the corpus has dates. Enter
on a name posts ``EntityChosen`` (its cross-references open in the sidebar), on an article
``ArticleChosen``; the screen decides, as for every other choice.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from tui.app.messages import ArticleChosen, EntityChosen
from tui.app.render import TYPE_STYLES, plain
from tui.sanitise import shown

if TYPE_CHECKING:
    from index.library import Library

TOP = {"person": "Persons", "place": "Places", "event": "Events", "organisation": "Organisations"}
MARKS = {"person": "●", "place": "▲", "event": "◆", "organisation": "■"}
PER_TYPE = 5
NEWEST = 8


@dataclass(frozen=True)
class Cited:
    """An entity and the number of articles that cite it."""

    id: str
    name: str
    type: str
    articles: int


@dataclass(frozen=True)
class Overview:
    """The corpus at a glance, built once the index is ready (plain data, no Textual)."""

    articles: int
    passages: int
    entities: int
    top: dict[str, list[Cited]]  # type -> most cited first
    newest: list[tuple[str, str, str]]  # (article id, title, date), newest first


def overview(library: Library, per_type: int = PER_TYPE, newest: int = NEWEST) -> Overview:
    """Counts, the most cited entities of each type (an unresolved name is not one entity,
    so it is left out) and the newest dated articles."""
    top: dict[str, list[Cited]] = {t: [] for t in TOP}
    for e in library.entities():  # most cited first
        group = top.get(e.type)
        if group is not None and len(group) < per_type and not e.ambiguous:
            group.append(Cited(e.id, e.name, e.type, len(e.article_ids)))
    infos = library.articles()
    dated = sorted((a for a in infos if a.date), key=lambda a: a.date or "", reverse=True)
    return Overview(
        articles=len(infos),
        passages=sum(a.passages for a in infos),
        entities=len(library.links.entities),
        top={t: cited for t, cited in top.items() if cited},
        newest=[(a.id, a.title, a.date or "") for a in dated[:newest]],
    )


def _plural(n: int, word: str, words: str | None = None) -> str:
    return f"{n:,} {word if n == 1 else words or word + 's'}"


class LandingList(OptionList):
    """The landing's rows; j/k/g/G move as they do in the reader."""

    BINDINGS = [
        Binding("j", "cursor_down", "Down", show=False),
        Binding("k", "cursor_up", "Up", show=False),
        Binding("g", "first", "First", show=False),
        Binding("G", "last", "Last", show=False),
    ]


class Landing(Vertical):
    """The reader's page before any article is open."""

    def compose(self) -> ComposeResult:
        yield Static(Text("Reading the corpus…", style="dim"), id="landing-head")
        yield LandingList(id="landing-list")

    @property
    def rows(self) -> OptionList:
        return self.query_one(LandingList)

    def show(self, corpus_name: str, view: Overview) -> None:
        head = Text()
        head.append(shown(corpus_name), style="bold")
        head.append(
            f"\n{_plural(view.articles, 'article')} · {_plural(view.passages, 'passage')} · "
            f"{_plural(view.entities, 'entity', 'entities')}",
        )
        head.append(
            "\n\nEnter on a name lists every article that cites it; / searches, "
            "Tab moves to the next pane, ? lists every key.",
            style="dim",
        )
        self.query_one("#landing-head", Static).update(head)
        options: list[Option] = []
        for type_, cited in view.top.items():
            options.append(Option(Text(f"Most cited {TOP[type_].lower()}", "bold"), disabled=True))
            for c in cited:
                prompt = Text(f" {MARKS[type_]} ", style=TYPE_STYLES[type_])
                prompt.append_text(plain(c.name))
                prompt.append(f"  {_plural(c.articles, 'article')}", style="dim")
                options.append(Option(prompt, id=f"e\t{c.id}"))
        if view.newest:
            options.append(Option(Text("Newest articles", "bold"), disabled=True))
            for aid, title, date in view.newest:
                prompt = Text(f" {shown(date)}  ", style="dim")
                prompt.append_text(plain(title))
                options.append(Option(prompt, id=f"a\t{aid}"))
        if not options:
            options.append(Option(Text("No articles yet.", "dim"), disabled=True))
        rows = self.rows
        rows.clear_options()
        rows.add_options(options)
        first = next((i for i, o in enumerate(options) if not o.disabled), None)
        rows.highlighted = first

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        kind, _, ident = (event.option.id or "").partition("\t")
        if kind == "e":
            self.post_message(EntityChosen(ident))
        elif kind == "a":
            self.post_message(ArticleChosen(ident))
