"""Files xref writes and the user edits: written so that a crash leaves the old version or the
new one, never half of one; and a YAML mistake told in one line that names where to look.

Shared by the index (its metadata, manifest and links), the entity catalogue and the bookmarks
file. Kept free of heavy imports (not even PyYAML): the app loads it before its first frame.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Callable
from pathlib import Path


def write_atomic(
    path: Path, data: str | bytes, check: Callable[[Path], None] | None = None
) -> None:
    """Temporary file in the same folder, flushed and fsynced, renamed over ``path`` (keeping
    its permissions), then the folder fsynced so the rename itself survives a crash. Text is
    written with ``\n`` line ends, bytes as they are. ``check`` reads the temporary file
    before the rename and raises to refuse it: what is renamed is exactly what was checked."""
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        mode = path.stat().st_mode & 0o777
    except FileNotFoundError:
        mode = 0o644
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data.encode("utf-8") if isinstance(data, str) else data)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, mode)
        if check is not None:
            check(Path(tmp))
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):  # the original error is the one to report
            os.unlink(tmp)
        raise
    fsync_dir(path.parent)


def fsync_dir(folder: Path) -> None:
    """Make a rename in ``folder`` durable: without it a crash may bring the old file back."""
    dir_fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(dir_fd)
    finally:
        os.close(dir_fd)


def yaml_problem(exc: Exception) -> str:
    """A PyYAML error as "line N: what is wrong", N being where the broken construct began
    (an unclosed quote or bracket is only noticed at the end of the file, but began where the
    user must look), with the line where it was noticed when that is another one."""
    mark = getattr(exc, "problem_mark", None)
    began = getattr(exc, "context_mark", None)
    problem = getattr(exc, "problem", None) or (
        "not valid YAML" if mark or began else (str(exc).splitlines() or ["not valid YAML"])[0]
    )
    context = getattr(exc, "context", None)
    if began is not None and context:
        at = f" (found at line {mark.line + 1})" if mark is not None else ""
        return f"line {began.line + 1}: {context}: {problem}{at}"
    if mark is None:
        return str(problem)
    return f"line {mark.line + 1}: {problem}"
