"""The index folder: what xref may write there, delete there, and how a rebuild is swapped in.

The folder is named by the user (``--index-dir``, ``$XREF_INDEX_DIR``) and may be any folder
on the disk, even the corpus or the current directory. So xref writes only into a folder that
is new, empty or already an xref index (recognised by its marker, ``xref-index.json``, which
every xref version has written first thing in a build), and deletes only the files it knows
it writes: its own JSON files, its lock, Whoosh's segment files and the temporary files of
both. A folder holding anything else and no marker is refused, untouched.

A rebuild is made in a new folder beside the old index and exchanged with it in one rename,
so a reader of the old index sees the old one or the new one, never one half deleted.
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import fcntl
import hashlib
import os
import re
import shutil
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO

from index.text import slugify

MARKER = "xref-index.json"
LOCK = "xref.lock"
# Everything xref and Whoosh write in an index folder: xref's JSON files and their temporary
# files (``write_atomic``), the lock, Whoosh's table of contents (and its temporary copies),
# segments, write lock and temporary storage folder.
_OWN = re.compile(
    r"(?:xref-index|manifest|links|catalog|summaries|fresh)\.json"
    r"|\.(?:xref-index|manifest|links|catalog|summaries|fresh)\.json\.[^/]+\.tmp"
    r"|xref\.lock"
    r"|_MAIN_\d+\.toc(?:\.[\d.e+-]+)?"
    r"|MAIN_[a-z0-9]+\.[a-z0-9]+"
    r"|MAIN_WRITELOCK"
    r"|MAIN\.tmp"
)
_BESIDE = re.compile(r"\.(?P<name>.+)\.xref-(?:new|old)-[A-Za-z0-9_]+")


class IndexDirRefused(Exception):
    """The index folder is one xref must not write to; the message is one line for the user."""


def is_own(name: str) -> bool:
    """Is ``name`` a file that xref (or Whoosh for xref) writes in an index folder?"""
    return _OWN.fullmatch(name) is not None


def claim(folder: Path) -> tuple[list[str], list[str]]:
    """Check that xref may use ``folder`` as its index folder, before anything is written.

    Returns the entries xref wrote and those it did not (kept, never deleted). Raises
    ``IndexDirRefused`` for a folder that is a file, cannot be listed, or is not empty and
    shows no sign of an index. An index of an earlier xref is recognised by its marker or,
    failing that (a build killed before it wrote one), by holding nothing but xref's files.
    """
    try:
        names = os.listdir(folder)
    except FileNotFoundError:
        return [], []
    except NotADirectoryError:
        raise IndexDirRefused(f"the index folder {folder} is a file, not a folder") from None
    except OSError as exc:
        raise IndexDirRefused(
            f"cannot read the index folder {folder}: {exc.strerror or exc}"
        ) from None
    own = sorted(n for n in names if is_own(n))
    foreign = sorted(n for n in names if not is_own(n))
    if not foreign or (MARKER in own and (folder / MARKER).is_file()):
        return own, foreign
    more = f" and {len(foreign) - 1} more" if len(foreign) > 1 else ""
    raise IndexDirRefused(
        f"{folder} is not empty and holds no xref index ({foreign[0]!r}{more}); xref will not "
        "write there: choose a new or empty folder for --index-dir / XREF_INDEX_DIR"
    )


def remove_own(folder: Path, keep: tuple[str, ...] = ()) -> None:
    """Delete xref's own entries of ``folder`` (except ``keep``); leave everything else."""
    for name in os.listdir(folder):
        if name in keep or not is_own(name):
            continue
        path = folder / name
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path)
        else:
            with contextlib.suppress(FileNotFoundError):  # gone already: nothing to remove
                path.unlink()


def new_beside(folder: Path) -> Path | None:
    """A new empty folder beside ``folder`` to build a replacement in (None when the parent
    folder cannot be written: the rebuild then happens in place)."""
    try:
        return Path(tempfile.mkdtemp(prefix=f".{folder.name}.xref-new-", dir=folder.parent))
    except OSError:
        return None


def remove_leftovers(folder: Path) -> None:
    """Remove what a killed rebuild left beside ``folder`` (its half-built or replaced index),
    emptying only xref's own files and removing the folder only when that leaves it empty."""
    try:
        names = os.listdir(folder.parent)
    except OSError:
        return
    for name in names:
        m = _BESIDE.fullmatch(name)
        if m is None or m.group("name") != folder.name:
            continue
        _discard(folder.parent / name)


def _discard(folder: Path) -> None:
    if folder.is_symlink() or not folder.is_dir():
        return
    remove_own(folder)
    with contextlib.suppress(OSError):  # not empty: something not ours is in it; keep it
        folder.rmdir()


_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths in one step (Linux ``renameat2``); False where that is not available."""
    try:
        renameat2 = ctypes.CDLL(None, use_errno=True).renameat2
    except (AttributeError, OSError):
        return False
    renameat2.argtypes = [
        ctypes.c_int,
        ctypes.c_char_p,
        ctypes.c_int,
        ctypes.c_char_p,
        ctypes.c_uint,
    ]
    if renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) == 0:
        return True
    err = ctypes.get_errno()
    if err in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP):
        return False
    raise OSError(err, os.strerror(err), str(a))


def swap_in(build: Path, folder: Path) -> None:
    """Put the index built in ``build`` at ``folder`` and discard the old one.

    With ``renameat2`` the two are exchanged atomically; elsewhere the old index is renamed
    aside and the new one renamed in, leaving a moment with no index at ``folder`` (a reader
    then waits for the writer's lock, it never sees a mixture)."""
    if _exchange(build, folder):
        _discard(build)
        return
    old = Path(tempfile.mkdtemp(prefix=f".{folder.name}.xref-old-", dir=folder.parent))
    os.rename(folder, old / "index")
    os.rename(build, folder)
    _discard(old / "index")
    with contextlib.suppress(OSError):  # kept if something not ours was in the old index
        old.rmdir()


@contextlib.contextmanager
def writer_lock(folder: Path, on_wait: Callable[[], None] | None = None) -> Iterator[IO[str]]:
    """Hold the ``flock`` on ``folder/xref.lock`` (making the folder if need be), which a
    rebuild swaps for a new file: after waiting, the lock is taken again if the file it was
    taken on is no longer the current one, so two writers never both believe they hold it.
    A folder that cannot be written is refused with a message (``IndexDirRefused``)."""
    path = folder / LOCK
    for _attempt in range(1000):
        try:
            folder.mkdir(parents=True, exist_ok=True)
            f = path.open("a")
        except PermissionError as exc:
            raise IndexDirRefused(
                f"the index in {folder} needs writing and the folder is read-only ({exc.strerror})"
            ) from None
        except FileNotFoundError:
            # The folder is between the two renames of a swap without renameat2.
            time.sleep(0.01)
            continue
        try:
            try:
                fcntl.flock(f, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                if on_wait is not None:
                    on_wait()
                    on_wait = None
                fcntl.flock(f, fcntl.LOCK_EX)
            try:
                current = os.stat(path)
            except FileNotFoundError:
                current = None
            held = os.fstat(f.fileno())
            if current is not None and (current.st_ino, current.st_dev) == (
                held.st_ino,
                held.st_dev,
            ):
                break
        except BaseException:
            f.close()
            raise
        f.close()
    else:
        raise OSError(errno.ENOENT, "the index folder keeps disappearing", str(folder))
    try:
        yield f
    finally:
        fcntl.flock(f, fcntl.LOCK_UN)
        f.close()


def default_index_dir(corpus: Path) -> Path:
    """One index per corpus path, under the XDG cache directory."""
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "xref" / "indexes"
    resolved = corpus.resolve()
    digest = hashlib.sha1(str(resolved).encode()).hexdigest()[:12]
    return base / f"{slugify(resolved.name)}-{digest}"
