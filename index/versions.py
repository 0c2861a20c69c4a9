"""What an index was made with, so that an update redoes only what a change calls for.

The stored entities depend on the extractor and the part of the catalogue it reads (the
*enrich* version: changed, every article is extracted again); the links also depend on the
rest of the catalogue (the *link* version: changed alone, the stored summaries are linked
again, in a fraction of a second). Both versions cost imports and hashing, so a cheap stamp
of what they are computed from (sizes and times of the rules' files and of the catalogue) is
recorded beside them: while it is the same, so are they, and neither is computed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass
class Versions:
    enrich: str | Callable[[], str] = ""
    stamp: str = ""
    link: str | Callable[[], str] = ""

    def enrich_version(self) -> str:
        if callable(self.enrich):
            self.enrich = self.enrich()
        return self.enrich

    def link_version(self) -> str:
        if callable(self.link):
            self.link = self.link()
        return self.link

    def stamped(self, manifest: dict[str, Any]) -> bool:
        return bool(self.stamp) and manifest.get("enrich_stamp") == self.stamp

    def enrich_current(self, manifest: dict[str, Any]) -> bool:
        """Were the stored entities extracted as they would be now?"""
        return self.stamped(manifest) or manifest.get("enrich") == self.enrich_version()

    def links_current(self, manifest: dict[str, Any]) -> bool:
        """Were the links made with the catalogue in force?"""
        return self.stamped(manifest) or manifest.get("link", "") == self.link_version()

    def record(self, manifest: dict[str, Any]) -> None:
        manifest["enrich"] = self.enrich_version()
        manifest["link"] = self.link_version()
        manifest["enrich_stamp"] = self.stamp
