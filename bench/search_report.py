"""The rows of issue 10's table that search and entity pages touch, beside Recoll (same run)
and beside an earlier run of xref's own (``bench.py --before FIGURES.json``).

Apart from ``bench.py`` so that the full report there stays as it was."""

from __future__ import annotations

from typing import Any


def _ms(x: float | None) -> str:
    return "n/a" if x is None else f"{x * 1000:.1f} ms"


def _ratio(a: float | None, b: float | None) -> str:
    return "n/a" if not a or not b else f"{a / b:.2f}"


def _get(fig: dict[str, Any] | None, *path: str) -> Any:
    for key in path:
        if not isinstance(fig, dict) or key not in fig:
            return None
        fig = fig[key]
    return fig


def report_search(fig: dict[str, Any], before: dict[str, Any] | None) -> None:
    """Print in-process search p50/p95, ``xref search`` against ``recollq``, the first
    page of an entity and ``xref mentions``, each with the earlier figure and the ratio
    now/before (below 1: faster now)."""
    n = fig["articles"]
    target = 0.030 if n <= 5000 else 0.100
    rows = [("", "now", "Recoll (same run)", "xref/Recoll", "before", "now/before")]
    for kind in ("word", "phrase", "fuzzy"):
        s = _get(fig, "search", kind)
        if s:
            was = _get(before, "search", kind, "p95")
            rows.append(
                (
                    f"search {kind}, in process",
                    f"p50 {_ms(s['p50'])}, p95 {_ms(s['p95'])} (target p95 {_ms(target)})",
                    "",
                    "",
                    f"p95 {_ms(was)}",
                    _ratio(s["p95"], was),
                )
            )
    for kind in ("word", "phrase", "fuzzy"):
        c = _get(fig, "commands", kind)
        if c:
            r = _get(fig, "recoll", kind, "p50")
            was = _get(before, "commands", kind, "p50")
            rows.append(
                (
                    f"xref search {kind} (command)",
                    f"p50 {_ms(c['p50'])}",
                    f"p50 {_ms(r)}" if r else "n/a",
                    _ratio(c["p50"], r),
                    f"p50 {_ms(was)}",
                    _ratio(c["p50"], was),
                )
            )
    page = _get(fig, "search", "entity_page")
    if page:
        rows.append(
            (
                "first page of an entity",
                f"p50 {_ms(page['p50'])}, p95 "
                f"{_ms(page['p95'])}, {page['peak_kb']:.0f} KB for "
                f"{page['biggest_total']} articles (target ≤ 50 ms)",
                "",
                "",
                "",
                "",
            )
        )
    m = _get(fig, "commands", "mentions")
    if m:
        was = _get(before, "commands", "mentions")
        rows.append(
            (
                'xref mentions "United States"',
                f"{_ms(m['p50'])}, {m['peak_mb']:.0f} MB",
                "",
                "",
                f"{_ms(was['p50'])}, {was['peak_mb']:.0f} MB" if was else "n/a",
                f"{_ratio(m['p50'], was and was['p50'])} time, "
                f"{_ratio(m['peak_mb'], was and was['peak_mb'])} memory",
            )
        )
    widths = [max(len(r[i]) for r in rows) for i in range(6)]
    print(f"\nsearch and entity pages · {n} articles")
    for r in rows:
        print("  ".join(f"{c:{w}}" for c, w in zip(r, widths, strict=True)).rstrip())
