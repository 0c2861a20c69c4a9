"""Writing the entity catalogue for the user, and undoing what xref wrote.

The catalogue is the user's file, so a change made by xref keeps the promises the README makes
for user files: it is written to a temporary file beside the target, checked by reading that
very file back with the catalogue's own loader, then renamed over the original (through a
symbolic link, to its target), so a crash leaves the old text or the new one. A catalogue that
does not parse, is not a regular file or has no write permission is never written.

Undo needs the exact bytes from before each change, and they must not go into the user's corpus
folder: a small journal (``<state>/catalogue-undo/<hash of the catalogue's path>.json``) keeps
them, in a folder xref owns. ``undo`` restores the previous bytes exactly, and only while the
catalogue still holds what xref wrote: a hand edit made since is never overwritten.

An ``flock`` on the journal's lock file serialises read-change-write between two xref processes
(two edits at once must not lose one).
"""

from __future__ import annotations

import base64
import contextlib
import datetime as dt
import fcntl
import hashlib
import json
import os
import stat
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from index.catalogue import CatalogueError, load_checked
from index.catalogue_edit import EditError
from index.files import write_atomic

KEEP = 50  # changes remembered per catalogue


class CatalogueWriteError(Exception):
    """The catalogue was not changed; one line saying why."""


@dataclass(frozen=True)
class Written:
    """A change made: what it was, the catalogue written and the problems its entries have
    (as the loader names them; the user's own entries may have some)."""

    label: str
    path: Path
    problems: list[str]


def journal_for(state_dir: Path, catalogue: Path) -> Path:
    """The journal of one catalogue (by its real path: a symlink and its target share one)."""
    real = os.path.realpath(catalogue)
    name = hashlib.sha1(real.encode("utf-8", "surrogateescape")).hexdigest()[:16]
    return state_dir / "catalogue-undo" / f"{name}.json"


def _sha(data: bytes | None) -> str | None:
    return None if data is None else hashlib.sha1(data).hexdigest()


@contextlib.contextmanager
def _locked(journal: Path) -> Iterator[None]:
    journal.parent.mkdir(parents=True, exist_ok=True)
    with open(journal.with_suffix(".lock"), "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def _read(target: Path) -> bytes | None:
    """The catalogue's bytes, None when there is none yet; refuses what is not a regular file
    (a directory, a FIFO: never read or replaced)."""
    try:
        st = target.stat()
    except FileNotFoundError:
        return None
    if not stat.S_ISREG(st.st_mode):
        raise CatalogueWriteError(f"{target} is not a regular file; not changed")
    if not st.st_mode & stat.S_IWUSR or not os.access(target, os.W_OK):
        raise CatalogueWriteError(f"{target} is read-only; not changed")
    return target.read_bytes()


def check(catalogue: Path) -> bytes | None:
    """The catalogue's bytes (None: no catalogue yet) if xref may change it; else
    ``CatalogueWriteError``. Asked before anything else, so a broken catalogue is reported
    before an index is built or an entity looked up."""
    target = Path(os.path.realpath(catalogue))
    before = _read(target)
    if before is not None:
        try:
            load_checked(target)
        except CatalogueError as exc:
            raise CatalogueWriteError(f"{exc}; not changed") from exc
    return before


def _write_checked(target: Path, data: bytes) -> list[str]:
    """``data`` into a temporary file beside ``target``, read back by the catalogue loader,
    then renamed over ``target``: what is renamed is exactly what was checked."""
    problems: list[str] = []

    def check(tmp: Path) -> None:
        try:
            _catalogue, found = load_checked(tmp)
        except CatalogueError as exc:
            raise CatalogueWriteError(
                f"the change would not parse ({str(exc).replace(str(tmp), target.name)}); "
                "not changed"
            ) from exc
        problems.extend(p.replace(str(tmp), str(target)) for p in found)

    write_atomic(target, data, check)
    return problems


def _load_journal(journal: Path) -> list[dict[str, object]]:
    try:
        data = json.loads(journal.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return []
    except (OSError, ValueError) as exc:
        raise CatalogueWriteError(f"the undo journal {journal} is damaged ({exc})") from exc
    changes = data.get("changes") if isinstance(data, dict) else None
    if not isinstance(changes, list) or not all(isinstance(c, dict) for c in changes):
        raise CatalogueWriteError(f"the undo journal {journal} is damaged")
    return changes


def _save_journal(journal: Path, catalogue: Path, changes: list[dict[str, object]]) -> None:
    data = {"catalogue": str(catalogue), "changes": changes[-KEEP:]}
    write_atomic(journal, json.dumps(data, indent=1) + "\n")


def edit(catalogue: Path, journal: Path, label: str, change: Callable[[str], str]) -> Written:
    """Apply ``change`` (text to text, ``catalogue_edit``) to the catalogue and remember the
    bytes before it for ``undo``. Raises ``CatalogueWriteError`` and writes nothing when the
    catalogue cannot be read, does not parse, or the change cannot be made."""
    target = Path(os.path.realpath(catalogue))
    with _locked(journal):
        before = check(target)
        text = "" if before is None else before.decode("utf-8")
        try:
            after = change(text).encode("utf-8")
        except EditError as exc:
            raise CatalogueWriteError(f"{target}: {exc}") from exc
        changes = _load_journal(journal)
        entry: dict[str, object] = {
            "label": label,
            "time": dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat(),
            "before": None if before is None else base64.b64encode(before).decode("ascii"),
            "after_sha1": _sha(after),
        }
        # Journal first: a crash before the rename leaves an entry that undo recognises as
        # never applied (the catalogue still holds its "before") and skips.
        _save_journal(journal, target, [*changes, entry])
        try:
            problems = _write_checked(target, after)
        except BaseException:
            _save_journal(journal, target, changes)
            raise
    return Written(label, target, problems)


def undo(catalogue: Path, journal: Path) -> Written:
    """Put back the catalogue as it was before xref's last change: its exact bytes, or no file
    when xref created it. Refused when the catalogue changed since (a hand edit stays)."""
    target = Path(os.path.realpath(catalogue))
    with _locked(journal):
        changes = _load_journal(journal)
        current = _read(target)
        while changes:
            last = changes[-1]
            raw = last.get("before")
            before = base64.b64decode(raw) if isinstance(raw, str) else None
            if _sha(current) == last.get("after_sha1"):
                break
            if current == before:  # written to the journal, never to the catalogue
                changes.pop()
                continue
            raise CatalogueWriteError(
                f"{target} changed since xref's last change ({last.get('label')}); "
                "not undone: edit it by hand"
            )
        else:
            raise CatalogueWriteError(f"nothing to undo: xref has not changed {target}")
        if before is None:
            target.unlink()  # xref created it, and it still holds only what xref wrote
            problems: list[str] = []
        else:
            problems = _write_checked(target, before)
        changes.pop()
        _save_journal(journal, target, changes)
    return Written(str(last.get("label", "")), target, problems)


def history(journal: Path) -> list[str]:
    """The labels of the changes ``undo`` can take back, oldest first."""
    return [str(c.get("label", "")) for c in _load_journal(journal)]
