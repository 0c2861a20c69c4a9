"""The chosen entity's card, on top of its cross-references: name and type, each name it is
written with and how often, its first and last date, and the entities named most often with
it. Enter on one of those posts ``EntityChosen`` (follow it); ``w`` posts ``CoMentionPicked``
(keep only the articles naming both), as it does on the open article's entities."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from tui.app.messages import EntityChosen
from tui.app.render import TYPE_STYLES, plain

if TYPE_CHECKING:
    from index.entity_profile import EntityProfile
    from index.links import Entity

TYPE_MARKS = {"person": "●", "place": "▲", "event": "◆", "organisation": "■", "unknown": "○"}
FORMS = 6  # names shown with their counts


def entity_prompt(entity_id: str, name: str, type_: str, note: str) -> Option:
    """A row naming an entity: its type's mark and style, the name as plain text, a note."""
    prompt = Text(f" {TYPE_MARKS.get(type_, '○')} ", style=TYPE_STYLES.get(type_, ""))
    prompt.append_text(plain(name))
    prompt.append(note, style="dim")
    return Option(prompt, id=entity_id)


def card_text(entity: Entity, profile: EntityProfile | None) -> Text:
    """Name (type), the names it is written with and their mentions, dates and totals; the
    counts read "counting…" until the profile (a worker) comes."""
    out = plain(entity.name)
    out.stylize("bold")
    out.append(f" ({entity.type})", style="dim")
    if profile is None:
        names = ", ".join([entity.name, *entity.aliases][:FORMS])
        out.append("\n")
        out.append_text(plain(f"names: {names}"))
        out.append("\ncounting mentions…", style="dim italic")
        return out
    forms = ", ".join(f"{form} ×{n}" for form, n in profile.forms[:FORMS])
    more = len(profile.forms) - FORMS
    out.append("\n")
    out.append_text(plain(f"names: {forms}" + (f", +{more}" if more > 0 else "")))
    dates = ""
    if profile.first_date:
        dates = f" · {profile.first_date}"
        if profile.last_date != profile.first_date:
            dates += f" – {profile.last_date}"
    out.append(
        f"\n{profile.articles} article{'s' * (profile.articles != 1)} · "
        f"{profile.mentions} mention{'s' * (profile.mentions != 1)}{dates}",
        style="dim",
    )
    return out


class EntityCard(Vertical):
    """Shown while an entity's cross-references are listed; hidden for related passages."""

    def compose(self) -> ComposeResult:
        yield Static("", id="card-head")
        yield OptionList(id="co-mentions")

    @property
    def co_list(self) -> OptionList:
        return self.query_one("#co-mentions", OptionList)

    def show(self, entity: Entity, profile: EntityProfile | None) -> None:
        self.display = True
        self.query_one("#card-head", Static).update(card_text(entity, profile))
        lst = self.co_list
        highlighted = lst.highlighted
        lst.clear_options()
        if profile is None or not profile.co_mentioned:
            lst.display = False
            return
        lst.display = True
        lst.add_option(Option(Text("Named with it (w: narrow)"), disabled=True))
        lst.add_options(
            entity_prompt(c.entity_id, c.name, c.type, f"  {c.articles} art.")
            for c in profile.co_mentioned
        )
        if highlighted is not None and highlighted < lst.option_count:
            lst.highlighted = highlighted

    def hide(self) -> None:
        self.display = False

    def highlighted_entity(self) -> str | None:
        lst = self.co_list
        if not lst.has_focus or lst.highlighted is None:
            return None
        return lst.get_option_at_index(lst.highlighted).id

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id:
            self.post_message(EntityChosen(event.option.id))
