"""xref's benchmark: a sampled corpus, xref and Recoll measured on it in the same run.

    python bench/bench.py                 # 5,000 articles, everything
    python bench/bench.py --articles 1000 --no-recoll --no-tui
    python bench/bench.py --articles 20000 --repeats 3 --no-tui   # the trend towards 50k

It builds a corpus of N articles by sampling paragraphs of ../shared/corpora/wikinews with a
fixed seed, then measures and prints, each figure a median over repeats where it is repeated:

- full index build (articles/s) and its peak memory, xref and Recoll (``recollindex``);
- a one-file incremental update (s): a changed, an added and a removed file;
- search latency p50/p95 over fixed word, phrase and fuzzy queries, in process and as a
  command (``xref search`` against ``recollq``; Recoll has no fuzzy operator);
- entity extraction (words/s on one core) and listing an entity's articles (p95);
- the freshness check of an unchanged corpus (in process, and ``xref index`` as a command),
  ``xref --help``, and ``xref mentions "United States"`` (time and memory);
- the app: first frame after launch and memory (the real ``xref`` in tmux), keystroke to
  updated results, opening an article and an entity's list (Textual's Pilot).

Each phase runs in a child process so that its peak memory is its own. Ratios are xref/Recoll:
below 1 means xref is faster (or smaller). The machine is noisy: compare ratios, not seconds.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
WIKINEWS = ROOT.parent / "shared" / "corpora" / "wikinews"
if not WIKINEWS.is_dir():  # a clone without ../shared: the copy the tests use
    WIKINEWS = ROOT / "tests" / "data" / "wikinews"
sys.path.insert(0, str(ROOT))

WORDS = [
    "president",
    "minister",
    "oil",
    "Boeing",
    "China",
    "court",
    "market",
    "company",
    "bank",
    "shares",
]
PHRASES = [
    '"prime minister"',
    '"United States"',
    '"stock market"',
    '"New York"',
    '"climate change"',
]
FUZZY = ["goverment~", "presidnet~", "elecion~", "Obamma~", "finacial~"]


# --- the corpus -----------------------------------------------------------------------------


def make_corpus(dest: Path, n: int, seed: int) -> Path:
    """N articles of 3–12 paragraphs sampled from the Wikinews corpus (fixed seed)."""
    stamp = dest / ".made"
    if stamp.exists() and stamp.read_text() == f"{n} {seed}":
        return dest
    if dest.exists():
        shutil.rmtree(dest)
    dest.mkdir(parents=True)
    titles: list[str] = []
    paragraphs: list[str] = []
    for path in sorted(WIKINEWS.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        blocks = [b.strip() for b in re.split(r"\n\s*\n", text) if b.strip()]
        if not blocks:
            continue
        titles.append(blocks[0].splitlines()[0])
        paragraphs += [b for b in blocks[1:] if len(b) > 80]
    rng = random.Random(seed)
    for i in range(n):
        body = rng.sample(paragraphs, rng.randint(3, 12))
        title = f"{rng.choice(titles)} ({i})"
        (dest / f"s{i:05d}.txt").write_text(
            title + "\n\n" + "\n\n".join(body) + "\n", encoding="utf-8"
        )
    stamp.write_text(f"{n} {seed}")
    return dest


def pct(values: list[float], p: float) -> float:
    values = sorted(values)
    k = max(0, min(len(values) - 1, round(p / 100 * (len(values) - 1))))
    return values[k]


def run_child(phase: str, *args: str) -> dict[str, Any]:
    """Run ``bench.py --phase PHASE`` and return its JSON, with its peak memory (MB)."""
    proc = subprocess.Popen(
        [sys.executable, __file__, "--phase", phase, *args], stdout=subprocess.PIPE, text=True
    )
    out = proc.stdout.read() if proc.stdout else ""
    _, status, usage = os.wait4(proc.pid, 0)
    if status != 0:
        raise SystemExit(f"bench: phase {phase} failed (status {status})")
    result = json.loads(out.strip().splitlines()[-1])
    result["peak_mb"] = usage.ru_maxrss / 1024
    # CPU of the phase and of the worker processes it waited for (a parallel build).
    result["cpu_s"] = usage.ru_utime + usage.ru_stime
    return result


def timed_command(cmd: list[str], env: dict[str, str] | None = None) -> tuple[float, float]:
    """(seconds, peak MB) of one command."""
    t = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - t
    if status != 0:
        err = proc.stderr.read().decode() if proc.stderr else ""
        raise SystemExit(f"bench: {' '.join(cmd)} failed: {err[-500:]}")
    return elapsed, usage.ru_maxrss / 1024


# --- xref phases (each in its own process) ---------------------------------------------------


def phase_build(corpus: Path, ix: Path) -> dict[str, Any]:
    from index.library import Library

    if ix.exists():
        shutil.rmtree(ix)
    lib = Library(corpus, ix, use_catalogue=False)
    t = time.perf_counter()
    s = lib.update()
    return {"seconds": time.perf_counter() - t, "articles": s.articles, "passages": s.passages}


def phase_incremental(corpus: Path, ix: Path, repeats: int) -> dict[str, Any]:
    from index.library import Library

    lib = Library(corpus, ix, use_catalogue=False)
    lib.update()
    target = sorted(corpus.glob("s*.txt"))[len(list(corpus.glob("s*.txt"))) // 2]
    original = target.read_bytes()
    times: dict[str, list[float]] = {"changed": [], "added": [], "removed": []}
    extra = corpus / "zz_added.txt"
    try:
        for r in range(repeats):
            target.write_bytes(original + f"\nA paragraph added by the benchmark ({r}).\n".encode())
            t = time.perf_counter()
            Library(corpus, ix, use_catalogue=False).update()
            times["changed"].append(time.perf_counter() - t)
            extra.write_bytes(original)
            t = time.perf_counter()
            Library(corpus, ix, use_catalogue=False).update()
            times["added"].append(time.perf_counter() - t)
            extra.unlink()
            t = time.perf_counter()
            Library(corpus, ix, use_catalogue=False).update()
            times["removed"].append(time.perf_counter() - t)
    finally:
        target.write_bytes(original)
        extra.unlink(missing_ok=True)
        Library(corpus, ix, use_catalogue=False).update()
    return {k: statistics.median(v) for k, v in times.items()} | {
        "all": statistics.median([x for v in times.values() for x in v])
    }


def phase_search(corpus: Path, ix: Path, repeats: int) -> dict[str, Any]:
    from index.library import Library

    lib = Library(corpus, ix, use_catalogue=False)
    lib.update()
    out: dict[str, Any] = {}
    fresh = []
    for _ in range(max(3, repeats)):
        t = time.perf_counter()
        Library(corpus, ix, use_catalogue=False).update()  # a new process's first look
        fresh.append(time.perf_counter() - t)
    out["freshness"] = statistics.median(fresh)
    for kind, queries in (("word", WORDS), ("phrase", PHRASES), ("fuzzy", FUZZY)):
        for q in queries:
            lib.search(q)  # warm
        times = []
        hits = []
        for _ in range(repeats):
            for q in queries:
                t = time.perf_counter()
                res = lib.search(q)
                times.append(time.perf_counter() - t)
                hits.append(res.total)
        out[kind] = {
            "p50": pct(times, 50),
            "p95": pct(times, 95),
            "median_hits": statistics.median(hits),
        }
    # Listing an entity's articles: the most cited entities and a random sample.
    links = lib.links
    ents = sorted(links.entities.values(), key=lambda e: -len(e.article_ids))
    rng = random.Random(1)
    sample = ents[:25] + rng.sample(ents, min(75, len(ents)))
    for e in sample[:5]:
        lib.entity_articles(e.id)
    times = []
    for _ in range(max(1, repeats // 2)):
        for e in sample:
            t = time.perf_counter()
            lib.entity_articles(e.id)
            times.append(time.perf_counter() - t)
    out["entity_list"] = {
        "p50": pct(times, 50),
        "p95": pct(times, 95),
        "entities": len(links.entities),
    }
    out["entity_page"] = entity_pages(lib, sample, repeats)
    return out


def entity_pages(lib: Any, sample: list[Any], repeats: int) -> dict[str, Any]:
    """The first page of an entity's articles with its context lines (what the sidebar
    shows), timed; and the memory it allocates for the most cited entity, which must not
    grow with the number of articles that name it."""
    import tracemalloc

    for e in sample[:5]:
        lib.entity_page(e.id)
    times = []
    for _ in range(max(1, repeats // 2)):
        for e in sample:
            t = time.perf_counter()
            page = lib.entity_page(e.id)
            times.append(time.perf_counter() - t)
    tracemalloc.start()
    page = lib.entity_page(sample[0].id)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return {
        "p50": pct(times, 50),
        "p95": pct(times, 95),
        "peak_kb": peak / 1024,
        "biggest_total": page.total,
    }


def phase_extract(corpus: Path) -> dict[str, Any]:
    from index.corpus import read_article
    from index.entities import RuleExtractor

    articles = [read_article(corpus, p.name) for p in sorted(corpus.glob("s*.txt"))]
    ex = RuleExtractor()
    ex.extract(articles[0])  # load the data once
    words = sum(len(a.text.split()) for a in articles)
    runs = []
    for _ in range(3):
        t = time.perf_counter()
        for a in articles:
            ex.extract(a)
        runs.append(time.perf_counter() - t)
    return {
        "words": words,
        "seconds": statistics.median(runs),
        "words_per_s": words / statistics.median(runs),
    }


async def _pilot(corpus: Path, ix: Path, state: Path) -> dict[str, Any]:
    import asyncio

    from textual.widgets import Input

    from tui.app import make_app

    app = make_app(corpus, ix, state / "bookmarks.yaml", state / "state")
    out: dict[str, Any] = {}
    async with app.run_test(size=(200, 60)) as pilot:
        for _ in range(3):
            await pilot.pause()
            await app.workers.wait_for_complete()
        screen = app.screen
        search = screen.search  # type: ignore[attr-defined]
        box = screen.query_one("#query", Input)
        box.focus()
        # A keystroke as the terminal driver delivers it (Pilot.press would add its own
        # waiting for idle), timed until the frame that shows the results for the new text
        # is composed (post_display_hook runs after each frame, also headless).
        frames: list[float] = []
        app.post_display_hook = lambda: frames.append(time.perf_counter())  # type: ignore[method-assign]
        keystrokes = []
        for word in ("minister", "company", "Boeing", "market", "shares", "president"):
            box.value = ""
            await pilot.pause(0.2)
            for i, ch in enumerate(word):
                t = time.perf_counter()
                box.insert_text_at_cursor(ch)
                want = word[: i + 1]
                while not (search.last is not None and search.last.query == want):
                    await asyncio.sleep(0.001)
                shown = time.perf_counter()
                while not (frames and frames[-1] > shown):
                    await asyncio.sleep(0.001)
                keystrokes.append(frames[-1] - t)
        out["keystroke"] = {
            "p50": pct(keystrokes, 50),
            "p95": pct(keystrokes, 95),
            "n": len(keystrokes),
        }
        ids = [a.id for a in screen.library.articles()]  # type: ignore[attr-defined]
        rng = random.Random(3)
        opens = []
        for aid in rng.sample(ids, 30):
            t = time.perf_counter()
            screen.open_article(aid, 0)  # type: ignore[attr-defined]
            await app.workers.wait_for_complete()  # the reader's passages mounted
            done = time.perf_counter()
            while not (frames and frames[-1] > done):  # and the frame that shows them
                await asyncio.sleep(0.001)
            opens.append(frames[-1] - t)
        out["open_article"] = {"p50": pct(opens, 50), "p95": pct(opens, 95)}
        links = screen.library.links  # type: ignore[attr-defined]
        ents = sorted(links.entities.values(), key=lambda e: -len(e.article_ids))[:30]
        lists = []
        for e in ents:
            t = time.perf_counter()
            screen.show_entity(e.id, focus=False)  # type: ignore[attr-defined]
            done = time.perf_counter()
            while not (frames and frames[-1] > done):
                await asyncio.sleep(0.001)
            lists.append(frames[-1] - t)
        out["entity_list"] = {"p50": pct(lists, 50), "p95": pct(lists, 95)}
    return out


def phase_pilot(corpus: Path, ix: Path, state: Path) -> dict[str, Any]:
    import asyncio

    return asyncio.run(_pilot(corpus, ix, state))


# --- the real app in tmux -------------------------------------------------------------------


def tmux_start(corpus: Path, ix: Path, state: Path, repeats: int) -> dict[str, Any]:
    xref = Path(sys.executable).parent / "xref"
    if not shutil.which("tmux") or not xref.exists():
        return {"skipped": "tmux or the installed xref command is missing"}
    firsts, readies, rss = [], [], []
    for r in range(repeats):
        name = f"xref-bench-{os.getpid()}-{r}"
        env = (
            f"XDG_STATE_HOME={state}/s XDG_DATA_HOME={state}/d TERM=xterm-256color "
            f"XREF_INDEX_DIR={ix} XREF_CORPUS={corpus}"
        )
        tm = ["tmux", "-L", name, "-f", os.devnull]
        t = time.perf_counter()
        subprocess.run(
            [*tm, "new-session", "-d", "-s", name, "-x", "200", "-y", "60", f"{env} exec {xref}"],
            check=True,
        )
        first = ready = None
        deadline = t + 60
        while time.perf_counter() < deadline:
            shown = subprocess.run(
                [*tm, "capture-pane", "-p", "-t", name], capture_output=True, text=True
            ).stdout
            now = time.perf_counter()
            if first is None and "xref" in shown and "search" in shown:
                first = now - t
            if "Ready" in shown:
                ready = now - t
                break
            time.sleep(0.005)
        pid = subprocess.run(
            [*tm, "list-panes", "-t", name, "-F", "#{pane_pid}"], capture_output=True, text=True
        ).stdout.strip()
        # Use the app a little, then read its peak memory.
        subprocess.run([*tm, "send-keys", "-t", name, "-l", "minister"], check=True)
        time.sleep(1.0)
        subprocess.run([*tm, "send-keys", "-t", name, "Enter", "Enter"], check=True)
        time.sleep(1.0)
        try:
            status = Path(f"/proc/{pid}/status").read_text()
            rss.append(int(re.search(r"VmHWM:\s+(\d+)", status).group(1)) / 1024)  # type: ignore[union-attr]
        except (OSError, AttributeError):
            pass
        subprocess.run([*tm, "kill-server"], capture_output=True)
        if first is not None:
            firsts.append(first)
        if ready is not None:
            readies.append(ready)
    return {
        "first_frame": statistics.median(firsts) if firsts else None,
        "ready": statistics.median(readies) if readies else None,
        "peak_mb": max(rss) if rss else None,
        "runs": repeats,
    }


# --- Recoll ---------------------------------------------------------------------------------


def find_recoll() -> bool:
    if shutil.which("recollindex") and shutil.which("recollq"):
        return True
    if shutil.which("apt-get") and os.geteuid() == 0:
        print("bench: installing recollcmd (Debian) for the baseline…", file=sys.stderr)
        subprocess.run(
            ["apt-get", "install", "-y", "-qq", "recollcmd"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
    return bool(shutil.which("recollindex") and shutil.which("recollq"))


def recoll(corpus: Path, work: Path, repeats: int) -> dict[str, Any]:
    conf = work / "recoll-conf"
    if conf.exists():
        shutil.rmtree(conf)
    conf.mkdir(parents=True)
    (conf / "recoll.conf").write_text(
        f"topdirs = {corpus}\nloglevel = 1\nindexstemminglanguages = english\n"
        "skippedNames = .made\n"
    )
    env = dict(os.environ, RECOLL_CONFDIR=str(conf), HOME=str(work))
    cpu0 = os.times()
    build, build_mb = timed_command(["recollindex", "-c", str(conf), "-z"], env)
    cpu1 = os.times()
    build_cpu = (
        cpu1.children_user + cpu1.children_system - cpu0.children_user - cpu0.children_system
    ) / build
    # The same one-file changes as xref's.
    target = sorted(corpus.glob("s*.txt"))[len(list(corpus.glob("s*.txt"))) // 2]
    original = target.read_bytes()
    extra = corpus / "zz_added.txt"
    inc = []
    try:
        for r in range(repeats):
            target.write_bytes(original + f"\nA paragraph added by the benchmark ({r}).\n".encode())
            inc.append(timed_command(["recollindex", "-c", str(conf)], env)[0])
            extra.write_bytes(original)
            inc.append(timed_command(["recollindex", "-c", str(conf)], env)[0])
            extra.unlink()
            inc.append(timed_command(["recollindex", "-c", str(conf)], env)[0])
    finally:
        target.write_bytes(original)
        extra.unlink(missing_ok=True)
        timed_command(["recollindex", "-c", str(conf)], env)
    out: dict[str, Any] = {
        "build": build,
        "build_mb": build_mb,
        "build_cpu": build_cpu,
        "incremental": statistics.median(inc),
    }
    for kind, queries in (("word", WORDS), ("phrase", PHRASES)):
        times = []
        mbs = []
        for _ in range(max(1, repeats)):
            for q in queries:
                s, mb = timed_command(["recollq", "-c", str(conf), "-n", "10", "-q", q], env)
                times.append(s)
                mbs.append(mb)
        out[kind] = {"p50": pct(times, 50), "p95": pct(times, 95), "peak_mb": max(mbs)}
    return out


def xref_commands(corpus: Path, ix: Path, repeats: int) -> dict[str, Any]:
    xref = Path(sys.executable).parent / "xref"
    env = dict(os.environ, XREF_CORPUS=str(corpus), XREF_INDEX_DIR=str(ix))
    out: dict[str, Any] = {}
    for kind, queries in (("word", WORDS), ("phrase", PHRASES), ("fuzzy", FUZZY)):
        times, mbs = [], []
        for _ in range(max(1, repeats)):
            for q in queries:
                s, mb = timed_command([str(xref), "--no-catalogue", "search", q, "--json"], env)
                times.append(s)
                mbs.append(mb)
        out[kind] = {"p50": pct(times, 50), "p95": pct(times, 95), "peak_mb": max(mbs)}
    for name, args in (
        ("help", ["--help"]),
        ("index", ["--no-catalogue", "index"]),
        ("mentions", ["--no-catalogue", "mentions", "United States", "--json"]),
    ):
        runs = [timed_command([str(xref), *args], env) for _ in range(max(1, repeats))]
        out[name] = {
            "p50": statistics.median(r[0] for r in runs),
            "peak_mb": max(r[1] for r in runs),
        }
    return out


# --- report ---------------------------------------------------------------------------------


def ms(x: float | None) -> str:
    return "n/a" if x is None else f"{x * 1000:.1f} ms"


def ratio(a: float | None, b: float | None) -> str:
    return "n/a" if not a or not b else f"{a / b:.2f}"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--articles", type=int, default=5000)
    ap.add_argument("--seed", type=int, default=20261124)
    ap.add_argument(
        "--work", type=Path, default=Path(os.environ.get("TMPDIR", "/tmp")) / "xref-bench"
    )
    ap.add_argument("--repeats", type=int, default=5)
    ap.add_argument("--no-recoll", action="store_true")
    ap.add_argument("--no-tui", action="store_true")
    ap.add_argument("--json", type=Path, help="also write the figures here")
    ap.add_argument(
        "--only",
        help="comma-separated: build,incremental,search,commands,extract,"
        "tui,recoll (default: all); an index already built is reused",
    )
    ap.add_argument(
        "--before",
        type=Path,
        help="figures (--json) of an earlier run: the "
        "search and entity rows are printed beside them with the ratio",
    )
    ap.add_argument(
        "--report",
        type=Path,
        help="print the tables of figures saved by --json "
        "(with --before: beside those), measuring nothing",
    )
    ap.add_argument("--phase", help=argparse.SUPPRESS)
    ap.add_argument("--corpus", type=Path, help=argparse.SUPPRESS)
    ap.add_argument("--ix", type=Path, help=argparse.SUPPRESS)
    args = ap.parse_args()

    if args.phase:
        c, ix = args.corpus, args.ix
        result = {
            "build": lambda: phase_build(c, ix),
            "incremental": lambda: phase_incremental(c, ix, args.repeats),
            "search": lambda: phase_search(c, ix, args.repeats),
            "extract": lambda: phase_extract(c),
            "pilot": lambda: phase_pilot(c, ix, args.work),
        }[args.phase]()
        print(json.dumps(result))
        return 0

    if args.report:
        from bench.commands_report import report_commands
        from bench.search_report import report_search

        saved = json.loads(args.report.read_text())
        was = json.loads(args.before.read_text()) if args.before else None
        report_search(saved, was)
        report_commands(saved, was)
        return 0

    work = args.work
    work.mkdir(parents=True, exist_ok=True)
    print(f"bench: {args.articles} articles (seed {args.seed}) in {work}", file=sys.stderr)
    corpus = make_corpus(work / f"corpus-{args.articles}", args.articles, args.seed)
    ix = work / f"index-{args.articles}"
    common = [
        "--corpus",
        str(corpus),
        "--ix",
        str(ix),
        "--repeats",
        str(args.repeats),
        "--work",
        str(work),
    ]
    fig: dict[str, Any] = {"articles": args.articles, "seed": args.seed}
    only = set(args.only.split(",")) if args.only else None

    def wanted(phase: str) -> bool:
        return only is None or phase in only

    if wanted("build") or not (ix / "xref-index.json").exists():
        print("bench: xref full build…", file=sys.stderr)
        runs = max(1, min(3, args.repeats // 2)) if wanted("build") else 1
        builds = [run_child("build", *common) for _ in range(runs)]
        fig["build"] = {
            "seconds": statistics.median(b["seconds"] for b in builds),
            "peak_mb": max(b["peak_mb"] for b in builds),
            "cpu": statistics.median(b["cpu_s"] / b["seconds"] for b in builds),
            "passages": builds[0]["passages"],
        }
    if wanted("incremental"):
        print("bench: xref incremental…", file=sys.stderr)
        fig["incremental"] = run_child("incremental", *common)
    if wanted("search"):
        print("bench: xref search…", file=sys.stderr)
        fig["search"] = run_child("search", *common)
    if wanted("commands"):
        print("bench: xref commands…", file=sys.stderr)
        fig["commands"] = xref_commands(corpus, ix, max(1, args.repeats // 2))
    if wanted("extract"):
        print("bench: extraction…", file=sys.stderr)
        fig["extract"] = run_child("extract", *common)
    if not args.no_tui and wanted("tui"):
        print("bench: the app (Pilot, tmux)…", file=sys.stderr)
        fig["pilot"] = run_child("pilot", *common)
        fig["tmux"] = tmux_start(corpus, ix, work, args.repeats)
    if not args.no_recoll and wanted("recoll"):
        if find_recoll():
            print("bench: Recoll…", file=sys.stderr)
            fig["recoll"] = recoll(corpus, work, max(1, args.repeats // 2))
        else:
            fig["recoll"] = {"skipped": "recollindex/recollq not found and not installable"}
    if args.json:
        args.json.write_text(json.dumps(fig, indent=2))
    if only is None:
        report(fig)
    from bench.commands_report import report_commands
    from bench.search_report import report_search

    before = json.loads(args.before.read_text()) if args.before else None
    report_search(fig, before)
    report_commands(fig, before)
    return 0


def report(fig: dict[str, Any]) -> None:
    n = fig["articles"]
    b, inc, s = fig["build"], fig["incremental"], fig["search"]
    rc = fig.get("recoll", {})
    has_rc = "build" in rc
    print(f"\nxref benchmark · {n} articles, {b['passages']} passages · seed {fig['seed']}")
    print("(medians; ratio = xref / Recoll, below 1 is better for xref)\n")
    rows = [
        (
            "full build",
            f"{b['seconds']:.1f} s = {n / b['seconds']:.0f} articles/s",
            f"{rc['build']:.1f} s = {n / rc['build']:.0f} articles/s" if has_rc else "n/a",
            ratio(b["seconds"], rc.get("build")),
        ),
        (
            "build CPU (cores used)",
            f"{b.get('cpu', 0) * 100:.0f} %",
            f"{rc['build_cpu'] * 100:.0f} %" if has_rc and "build_cpu" in rc else "n/a",
            "",
        ),
        (
            "build peak memory",
            f"{b['peak_mb']:.0f} MB",
            f"{rc['build_mb']:.0f} MB" if has_rc else "n/a",
            ratio(b["peak_mb"], rc.get("build_mb")),
        ),
        (
            "one-file update",
            f"{inc['all']:.2f} s (changed {inc['changed']:.2f}, added "
            f"{inc['added']:.2f}, removed {inc['removed']:.2f})",
            f"{rc['incremental']:.2f} s" if has_rc else "n/a",
            ratio(inc["all"], rc.get("incremental")),
        ),
    ]
    for kind in ("word", "phrase", "fuzzy"):
        rows.append(
            (
                f"search {kind}, in process",
                f"p50 {ms(s[kind]['p50'])}, p95 {ms(s[kind]['p95'])}",
                "",
                "",
            )
        )
    for kind in ("word", "phrase", "fuzzy"):
        c = fig["commands"][kind]
        r = rc.get(kind)
        rows.append(
            (
                f"search {kind}, command",
                f"p50 {ms(c['p50'])}, p95 {ms(c['p95'])}",
                f"p50 {ms(r['p50'])}, p95 {ms(r['p95'])}"
                if r
                else "n/a (no fuzzy)"
                if kind == "fuzzy"
                else "n/a",
                f"{ratio(c['p50'], r['p50'])} / {ratio(c['p95'], r['p95'])}" if r else "",
            )
        )
    cm = fig["commands"]
    rows.append(
        (
            "freshness check (unchanged)",
            f"{ms(s.get('freshness'))} in process, {ms(cm['index']['p50'])} xref index",
            "",
            "",
        )
    )
    rows.append(
        (
            "xref --help",
            ms(cm["help"]["p50"]),
            "target ≤ 100 ms",
            f"{cm['help']['p50'] / 0.1:.2f}× target",
        )
    )
    rows.append(
        (
            'xref mentions "United States"',
            f"{ms(cm['mentions']['p50'])}, {cm['mentions']['peak_mb']:.0f} MB",
            "",
            "",
        )
    )
    mem = max(s.get("peak_mb", 0), *(fig["commands"][k]["peak_mb"] for k in ("word", "phrase")))
    rows.append(
        (
            "search peak memory",
            f"{s['peak_mb']:.0f} MB in process, {mem:.0f} MB command",
            f"{rc['word']['peak_mb']:.0f} MB command" if has_rc else "n/a",
            ratio(fig["commands"]["word"]["peak_mb"], rc["word"]["peak_mb"] if has_rc else None),
        )
    )
    e = fig["extract"]
    rows.append(
        (
            "entity extraction",
            f"{e['words_per_s']:,.0f} words/s ({e['words']:,} words)",
            "target ≥ 100,000",
            f"{e['words_per_s'] / 100_000:.2f}× target",
        )
    )
    el = s["entity_list"]
    rows.append(
        (
            "entity's articles",
            f"p50 {ms(el['p50'])}, p95 {ms(el['p95'])} ({el['entities']} entities)",
            "target p95 ≤ 10 ms",
            f"{el['p95'] / 0.010:.2f}× target",
        )
    )
    if "pilot" in fig:
        p, t = fig["pilot"], fig["tmux"]
        rows.append(
            (
                "app first frame (tmux)",
                ms(t.get("first_frame")),
                "target ≤ 500 ms",
                f"{(t.get('first_frame') or 0) / 0.5:.2f}× target",
            )
        )
        rows.append(("app index ready (tmux)", ms(t.get("ready")), "", ""))
        rows.append(
            (
                "keystroke → results",
                f"p50 {ms(p['keystroke']['p50'])}, p95 {ms(p['keystroke']['p95'])}",
                "target p95 ≤ 100 ms",
                f"{p['keystroke']['p95'] / 0.1:.2f}× target",
            )
        )
        rows.append(
            (
                "open article",
                f"p50 {ms(p['open_article']['p50'])}, p95 {ms(p['open_article']['p95'])}",
                "target ≤ 50 ms",
                f"{p['open_article']['p50'] / 0.05:.2f}× target (p50)",
            )
        )
        rows.append(
            (
                "open entity's list",
                f"p50 {ms(p['entity_list']['p50'])}, p95 {ms(p['entity_list']['p95'])}",
                "target ≤ 50 ms",
                f"{p['entity_list']['p50'] / 0.05:.2f}× target (p50)",
            )
        )
        rows.append(
            (
                "app peak memory",
                f"{t.get('peak_mb') or 0:.0f} MB (tmux), {p['peak_mb']:.0f} MB (Pilot)",
                "target ≤ 200 MB",
                f"{(t.get('peak_mb') or 0) / 200:.2f}× target",
            )
        )
    w = max(len(r[0]) for r in rows)
    w1 = max(len(r[1]) for r in rows)
    w2 = max(len(r[2]) for r in rows)
    print(f"{'':{w}}  {'xref':{w1}}  {'baseline':{w2}}  ratio")
    for r in rows:
        print(f"{r[0]:{w}}  {r[1]:{w1}}  {r[2]:{w2}}  {r[3]}")
    if "skipped" in rc:
        print(f"\nRecoll: {rc['skipped']}")


if __name__ == "__main__":
    sys.exit(main())
