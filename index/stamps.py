"""Cheap fingerprints: of what the extractor's version is computed from, and of a text."""

from __future__ import annotations

import os
from pathlib import Path


def rules_stamp(catalogue: Path | None) -> str:
    """A fingerprint of what the extractor's version is computed from (the modules and data
    of ``index``: a superset) and of the catalogue file, from sizes and times only. While it
    is the one recorded in the index, so is the version, and a command on an unchanged
    corpus need not import the extractor to compute it."""
    here = Path(__file__).parent
    parts = []
    for folder in (here, here / "data"):
        with os.scandir(folder) as entries:
            for e in entries:
                if e.is_file():
                    st = e.stat()
                    parts.append(f"{folder.name}/{e.name}:{st.st_size}:{st.st_mtime_ns}")
    if catalogue is not None:
        try:
            st = catalogue.stat()
            parts.append(f"{catalogue}:{st.st_size}:{st.st_mtime_ns}")
        except OSError as exc:
            parts.append(f"{catalogue}:{exc.errno}")
    return str(hash_text("\n".join(sorted(parts))))


def hash_text(text: str) -> str:
    import hashlib

    return hashlib.sha1(text.encode("utf-8", "surrogateescape")).hexdigest()[:16]
