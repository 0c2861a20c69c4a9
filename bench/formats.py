"""Articles per second for each format xref reads, reading and extracting only (no index, no
entities: ``bench/bench.py`` times those), on files made by ``format_samples`` from the Wikinews
articles: ``python bench/formats.py [--articles N]``.

Each format gets N articles: N pages, N PDFs (one of two pages in two columns), N e-mails,
one mailbox of N messages, one JSONL and one CSV export of N records, and N .txt files for
comparison. The figures are printed; nothing is asserted.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import format_samples as fs  # noqa: E402
from index.corpus import BadRecord, read_articles  # noqa: E402

WIKINEWS = ROOT.parent / "shared" / "corpora" / "wikinews"
if not WIKINEWS.is_dir():
    WIKINEWS = ROOT / "tests" / "data" / "wikinews"


def _write(folder: Path, items: list[fs.Sample]) -> dict[str, list[str]]:
    """The files of each format, by format."""
    files: dict[str, list[str]] = {k: [] for k in ("txt", "html", "pdf", "eml")}
    for i, s in enumerate(items):
        for kind, name, data in (
            ("txt", f"t{i}.txt", f"{s.title}\n\n{s.date}\n\n{s.text}\n".encode()),
            ("html", f"p{i}.html", fs.news_page(s, i).encode()),
            ("pdf", f"d{i}.pdf", fs.pdf_bytes(s, columns=1 + i % 2)),
            ("eml", f"m{i}.eml", fs.email_message(s).as_bytes()),
        ):
            (folder / name).write_bytes(data)
            files[kind].append(name)
    (folder / "box.mbox").write_bytes(fs.mbox_bytes(items))
    (folder / "feed.jsonl").write_text(fs.jsonl_text(items), encoding="utf-8")
    (folder / "rows.csv").write_text(fs.csv_text(items), encoding="utf-8")
    files.update(mbox=["box.mbox"], jsonl=["feed.jsonl"], csv=["rows.csv"])
    return files


def _time(folder: Path, names: list[str]) -> tuple[int, float]:
    began = time.perf_counter()
    n = 0
    for name in names:
        n += sum(1 for a in read_articles(folder, name) if not isinstance(a, BadRecord))
    return n, time.perf_counter() - began


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--articles", type=int, default=100, help="articles per format")
    args = ap.parse_args(argv)
    items = fs.samples(WIKINEWS, args.articles)
    folder = Path(tempfile.mkdtemp(prefix="xref-formats-"))
    try:
        files = _write(folder, items)
        for names in files.values():  # imports and first-use set-up, not timed
            list(read_articles(folder, names[0]))
        print(f"{'format':<8} {'articles':>8} {'seconds':>8} {'articles/s':>11}")
        for kind, names in files.items():
            n, seconds = _time(folder, names)
            print(f"{kind:<8} {n:>8} {seconds:>8.2f} {n / seconds:>11.0f}")
    finally:
        shutil.rmtree(folder)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
