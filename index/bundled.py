"""Where the bundled corpus (the five seed articles) lives, installed or in a checkout."""

from __future__ import annotations

from pathlib import Path


def bundled_corpus() -> Path:
    """The seeds folder: beside the packages in a checkout, inside ``index`` once installed."""
    here = Path(__file__).resolve().parent
    for candidate in (here.parent / "seeds", here / "seeds"):
        if candidate.is_dir() and any(candidate.glob("*.txt")):
            return candidate
    raise FileNotFoundError("the bundled corpus is missing from this installation")
