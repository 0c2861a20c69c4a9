"""A large build in worker processes (``BUILD_WORKERS``), each reading, extracting and
indexing its share of the files into a Whoosh segment of its own; the segments are committed
together, unmerged (merging them costs far more than searching two segments does; see
``commit_with``).

A worker is a plain subprocess rather than ``multiprocessing``: spawn would run the caller's
main script again in the worker, and fork is unsafe in the app, which has threads. A job goes
to it pickled on stdin; its messages come back pickled on stdout.
"""

from __future__ import annotations

import os
import pickle
import queue
import subprocess
import sys
import threading
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any

from whoosh import index
from whoosh.writing import SegmentWriter

from index.documents import Before, Enricher, Prepared, prepare

# A build of at least this many files runs in worker processes (their start-up, about half a
# second each, and the second Whoosh segment pay for themselves well below this).
PARALLEL_MIN = 400
BUILD_WORKERS = min(os.cpu_count() or 1, 4)
Progress = Callable[[int, int], None]
Todo = list[tuple[str, str, Before]]  # (path, id, checksums indexed before)
_COMMAND = "from index.workers import worker_main; worker_main()"


def build_worker(
    folder: str,
    corpus: str,
    enrich: Enricher,
    limitmb: int,
    items: Todo,
    send: Callable[[Any], None],
) -> None:
    """A build worker: its share of the files read, enriched and indexed into one Whoosh
    segment of its own (not committed: the parent commits every worker's segment at once).
    The enricher arrives pickled once, so the tagger's weights load once per worker."""
    ix = index.open_dir(folder)
    writer = SegmentWriter(ix, _lk=False, limitmb=limitmb)
    root = Path(corpus)

    def add(fields: dict[str, Any]) -> None:
        writer.add_document(**fields)

    for i in range(0, len(items), 16):
        out = [
            prepare(root, rel, aid, before, enrich, add) for rel, aid, before in items[i : i + 16]
        ]
        send(("batch", out))
    if writer._added:
        segment = writer._finalize_segment()
    else:
        writer._close_segment()
        segment = None
    send(("done", segment))


def worker_main() -> None:
    """Entry point of a build worker process (``python -c``)."""
    out = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)  # a stray print in the worker must not corrupt the messages

    def send(message: Any) -> None:
        pickle.dump(message, out, protocol=pickle.HIGHEST_PROTOCOL)
        out.flush()

    try:
        folder, corpus, enrich, limitmb, items = pickle.load(sys.stdin.buffer)
        build_worker(folder, corpus, enrich, limitmb, items, send=send)
    except BaseException:  # reported to the parent, which raises it
        send(("error", traceback.format_exc()))
        raise SystemExit(1) from None
    finally:
        out.close()


def _start(
    k: int, job: tuple[Any, ...], messages: queue.Queue[tuple[int, Any]]
) -> tuple[subprocess.Popen[bytes], threading.Thread]:
    """Worker ``k`` started on ``job``, and the thread passing its messages on."""
    env = dict(
        os.environ,
        PYTHONPATH=os.pathsep.join(
            [str(Path(__file__).resolve().parent.parent), os.environ.get("PYTHONPATH", "")]
        ),
    )
    proc = subprocess.Popen(
        [sys.executable, "-c", _COMMAND], stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=env
    )
    assert proc.stdin is not None
    try:
        pickle.dump(job, proc.stdin, protocol=pickle.HIGHEST_PROTOCOL)
        proc.stdin.close()
    except BaseException:  # it never got its job: not left running
        proc.kill()
        proc.wait()
        raise
    reader = threading.Thread(target=_read_messages, args=(proc, k, messages), daemon=True)
    reader.start()
    return proc, reader


def index_parallel(
    todo: Todo,
    folder: Path,
    corpus: Path,
    enrich: Enricher,
    workers: int,
    record: Callable[[Prepared], None],
    progress: Progress | None,
) -> list[Any]:
    """Index ``todo`` in worker processes, each a contiguous share (so documents keep
    the order a serial build gives them), into one segment each; returns the segments.
    ``record`` enters each prepared file in the tables (and deletes its old version with the
    parent's writer)."""
    n = min(workers, len(todo))
    share = -(-len(todo) // n)
    messages: queue.Queue[tuple[int, Any]] = queue.Queue()
    procs = []
    readers = []
    segments: list[Any] = [None] * n
    done, pending = 0, n
    try:
        for k in range(n):
            job = (str(folder), str(corpus), enrich, 128, todo[k * share : (k + 1) * share])
            proc, reader = _start(k, job, messages)
            procs.append(proc)
            readers.append(reader)
        while pending:
            k, (kind, payload) = messages.get()
            if kind == "error":
                raise RuntimeError(f"a build worker failed:\n{payload}")
            if kind == "done":
                segments[k] = payload
                pending -= 1
                continue
            for prep in payload:
                record(prep)
            done += len(payload)
            if progress:
                progress(done, len(todo))
    finally:
        for proc in procs:
            if proc.poll() is None and pending:
                proc.kill()
            proc.wait()
        for reader in readers:
            reader.join()
    return [s for s in segments if s is not None]


def _read_messages(
    proc: subprocess.Popen[bytes], k: int, messages: queue.Queue[tuple[int, Any]]
) -> None:
    """Pass a worker's messages on to the parent's queue, and its death as an error."""
    assert proc.stdout is not None
    try:
        while True:
            message = pickle.load(proc.stdout)
            messages.put((k, message))
            if message[0] != "batch":
                return
    except (EOFError, pickle.UnpicklingError, OSError) as exc:
        messages.put(
            (k, ("error", f"worker {k} stopped ({type(exc).__name__}), exit {proc.wait()}"))
        )
    finally:
        proc.stdout.close()


def commit_with(writer: Any, segments: list[Any]) -> None:
    """Commit ``writer`` (its deletions, and merges of small old segments as Whoosh's policy
    decides) together with the build workers' segments, as ``MpWriter`` does for its own
    sub-writers with ``multisegment``: the new segments are not merged. Measured at 5,000
    articles: merging the two segments took 9 s (a build took 17–24 s) and saved 0.7 ms of
    a search's median, 2 ms of its p95."""
    try:
        final = writer._merge_segments(None, None, None)
        if writer._added:
            final.append(writer._finalize_segment())
        else:
            writer._close_segment()
        writer._commit_toc(final + segments)
    except BaseException:
        writer._cleanup_on_error()
        raise
    writer._finish()
