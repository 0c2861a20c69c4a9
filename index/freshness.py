"""Is the index current? Answered in one walk of the corpus, without reading the manifest.

An update that leaves the index settled writes ``fresh.json`` last, a few hundred bytes: a
digest of the corpus as one listing of its candidate files (path, size, mtime; taken before
the update's own scan, so that a file changed while it ran is seen as changed next time), the
size and mtime of every file of the index folder, the stamp of the rules and catalogue, which
formats' libraries were missing, and what the command line reports of an unchanged corpus
(the counts, the files skipped and why). A command then costs one ``stat`` per file and one
hash: the per-article tables (``manifest.json`` and the others) are parsed only by what needs
them, and a read-only command writes nothing.

Anything the listing cannot vouch for sends the caller to the full check (``update.plan``),
which is always right: a symbolic link or a file that is not regular in the corpus, a folder
that cannot be listed, any index file changed since (another writer, damage), a file that
could not be read and was not remembered as refused.
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
from pathlib import Path
from typing import Any

from index.files import write_atomic
from index.formats import FORMATS, format_of
from index.manifest import SCHEMA_VERSION
from index.reading import META_NAMES, Skipped

FRESH = "fresh.json"
_UNSTAMPED = ("xref.lock", "MAIN_WRITELOCK", FRESH)


def corpus_digest(corpus: Path) -> str | None:
    """A digest of every candidate file of ``corpus`` (as ``reading.scan`` finds them: not
    hidden, not a README, of a format xref reads) with its size and mtime; None when the
    corpus holds something only the full scan judges (a link, a FIFO, an unlistable
    folder)."""
    h = hashlib.sha1()
    root = str(corpus)
    cut = len(root) + 1
    stack = [root]
    while stack:
        folder = stack.pop()
        try:
            with os.scandir(folder) as it:
                entries = sorted(it, key=lambda e: e.name)
        except OSError:
            return None
        lines = []
        for e in entries:
            name = e.name
            if name.startswith("."):
                continue
            try:
                if e.is_symlink():
                    return None
                if e.is_dir(follow_symlinks=False):
                    stack.append(e.path)
                    continue
                rel = e.path[cut:].replace(os.sep, "/")
                if META_NAMES.match(name) or format_of(rel) is None:
                    continue
                st = e.stat(follow_symlinks=False)
            except OSError:
                return None
            if not stat.S_ISREG(st.st_mode):
                return None
            lines.append(f"{rel}\t{st.st_size}\t{st.st_mtime_ns}\n")
        h.update("".join(lines).encode("utf-8", "surrogateescape"))
    return h.hexdigest()


def folder_stamps(folder: Path) -> dict[str, list[int]]:
    """Size and mtime of every file of the index folder but its locks and this record."""
    out = {}
    with os.scandir(folder) as it:
        for e in it:
            if e.name in _UNSTAMPED or e.name.startswith("."):
                continue
            st = e.stat(follow_symlinks=False)
            out[e.name] = [st.st_size, st.st_mtime_ns]
    return out


def missing_formats() -> list[str | None]:
    """Which formats cannot be read here: installing a library changes what a scan finds."""
    return [f.missing for f in FORMATS]


def write(
    folder: Path,
    digest: str,
    enrich_stamp: str,
    counts: tuple[int, int],
    skipped: list[Skipped],
    notes: dict[str, Any],
) -> dict[str, Any]:
    """Record that the index in ``folder`` is current for the corpus ``digest`` describes;
    written after every other file of the index, whose stamps it holds."""
    record = {
        "schema": SCHEMA_VERSION,
        "corpus": digest,
        "enrich_stamp": enrich_stamp,
        "missing": missing_formats(),
        "files": folder_stamps(folder),
        "counts": list(counts),
        "skipped": [[s.path, s.reason] for s in skipped],
        "notes": notes,  # the caller's, as true as the rest while the stamps hold
    }
    write_atomic(folder / FRESH, json.dumps(record, ensure_ascii=False, separators=(",", ":")))
    return record


def forget(folder: Path) -> None:
    """No record: the next command makes the full check (an update left something to do)."""
    (folder / FRESH).unlink(missing_ok=True)


def current(folder: Path, corpus: Path, enrich_stamp: str) -> dict[str, Any] | None:
    """The record of ``folder`` if the index is current by it, else None (decide by the full
    check). Reads one small file, stats the index folder and walks the corpus."""
    try:
        record = json.loads((folder / FRESH).read_text(encoding="utf-8"))
        if not (
            isinstance(record, dict)
            and record.get("enrich_stamp") == enrich_stamp
            and enrich_stamp
            and record.get("files") == folder_stamps(folder)
            and record.get("missing") == missing_formats()
            and isinstance(record.get("counts"), list)
            and isinstance(record.get("skipped"), list)
        ):
            return None
    except (OSError, ValueError):
        return None
    digest = corpus_digest(corpus)
    return record if digest is not None and digest == record.get("corpus") else None


def skipped_of(record: dict[str, Any]) -> list[Skipped]:
    return [Skipped(str(p), str(r)) for p, r in record["skipped"]]
