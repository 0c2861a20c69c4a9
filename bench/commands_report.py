"""The rows of issue 10's table that the freshness check and command start-up touch (commands,
build, one-file update, freshness), beside Recoll from the same run and an earlier run of
xref's own (``bench.py --before FIGURES.json``), with the issue's targets."""

from __future__ import annotations

from typing import Any

from bench.search_report import _get, _ms, _ratio


def _s(x: float | None) -> str:
    return "n/a" if x is None else f"{x:.2f} s"


def report_commands(fig: dict[str, Any], before: dict[str, Any] | None) -> None:
    """Print each row: xref now, Recoll (same run), xref/Recoll, xref before, now/before."""
    n = fig["articles"]
    target = 0.150 if n <= 5000 else 0.250
    rows = [("", "now", "Recoll (same run)", "xref/Recoll", "before", "now/before")]

    def row(
        name: str, now: float | None, rc: float | None, was: float | None, fmt: Any, note: str = ""
    ) -> None:
        if now is None:
            return
        rows.append(
            (
                name,
                fmt(now) + note,
                fmt(rc) if rc else "",
                _ratio(now, rc) if rc else "",
                fmt(was) if was else "n/a",
                _ratio(now, was),
            )
        )

    row(
        "full build",
        _get(fig, "build", "seconds"),
        _get(fig, "recoll", "build"),
        _get(before, "build", "seconds"),
        _s,
    )
    row(
        "one-file update",
        _get(fig, "incremental", "all"),
        _get(fig, "recoll", "incremental"),
        _get(before, "incremental", "all"),
        _s,
        " (target ≤ 1 s at 50k)",
    )
    row(
        "freshness check, in process",
        _get(fig, "search", "freshness"),
        None,
        _get(before, "search", "freshness"),
        _ms,
    )
    row(
        "xref index (unchanged)",
        _get(fig, "commands", "index", "p50"),
        None,
        _get(before, "commands", "index", "p50"),
        _ms,
    )
    for kind in ("word", "phrase", "fuzzy"):
        rc = _get(fig, "recoll", kind, "p50")
        row(
            f"xref search {kind} (command)",
            _get(fig, "commands", kind, "p50"),
            rc,
            _get(before, "commands", kind, "p50"),
            _ms,
            f" (target ≤ {_ms(target)}, ≤ 10× recollq)",
        )
    row(
        "xref --help",
        _get(fig, "commands", "help", "p50"),
        None,
        _get(before, "commands", "help", "p50"),
        _ms,
        " (target ≤ 100 ms)",
    )
    row(
        "search phrase p95, in process",
        _get(fig, "search", "phrase", "p95"),
        None,
        _get(before, "search", "phrase", "p95"),
        _ms,
        f" (target ≤ {_ms(0.030 if n <= 5000 else 0.100)})",
    )
    mem = _get(fig, "commands", "index", "peak_mb")
    if mem:
        was = _get(before, "commands", "index", "peak_mb")
        rows.append(
            (
                "xref index memory",
                f"{mem:.0f} MB",
                "",
                "",
                f"{was:.0f} MB" if was else "n/a",
                _ratio(mem, was),
            )
        )
    widths = [max(len(r[i]) for r in rows) for i in range(6)]
    print(f"\ncommands, build and freshness · {n} articles (medians)")
    for r in rows:
        print("  ".join(f"{c:{w}}" for c, w in zip(r, widths, strict=True)).rstrip())
