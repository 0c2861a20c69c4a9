"""What linking produces: entities and the key-to-entity tables, as stored in ``links.json``.

Apart from the linker so that reading an index (the CLI, the app) needs these small classes
and not the linking rules.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Entity:
    id: str
    name: str
    type: str
    aliases: list[str]
    keys: list[str]  # mention keys that always mean this entity
    article_ids: list[str]
    ambiguous: list[str] = field(default_factory=list)  # candidate ids, for an unresolved name

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "type": self.type,
            "aliases": self.aliases,
            "article_ids": self.article_ids,
            "ambiguous": self.ambiguous,
        }


@dataclass
class Links:
    entities: dict[str, Entity]
    by_key: dict[str, str]  # key -> entity id, where the key means one entity everywhere
    by_article: dict[str, dict[str, str]]  # article -> key -> entity id, where context decided
    _decided: dict[str, set[str]] | None = field(default=None, repr=False, compare=False)

    def decided_in(self, entity_id: str) -> set[str]:
        """Articles whose own context resolved a name to ``entity_id`` (inverted once, so that
        listing an entity's articles does not scan every article)."""
        if self._decided is None:
            inverted: dict[str, set[str]] = {}
            for article, keys in self.by_article.items():
                for eid in set(keys.values()):
                    inverted.setdefault(eid, set()).add(article)
            self._decided = inverted
        return self._decided.get(entity_id, set())

    def entity_of(self, article_id: str, key: str) -> str | None:
        local = self.by_article.get(article_id)
        if local and key in local:
            return local[key]
        return self.by_key.get(key)

    def to_json(self) -> dict[str, Any]:
        return {
            "entities": {k: {**e.to_json(), "keys": e.keys} for k, e in self.entities.items()},
            "by_key": self.by_key,
            "by_article": self.by_article,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Links:
        entities = {
            k: Entity(
                v["id"],
                v["name"],
                v["type"],
                v["aliases"],
                v["keys"],
                v["article_ids"],
                v.get("ambiguous", []),
            )
            for k, v in data["entities"].items()
        }
        return cls(entities, data["by_key"], data["by_article"])
