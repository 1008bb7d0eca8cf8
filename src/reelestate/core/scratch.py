"""Temporary folders of work in flight, under the data dir, that no exit path leaves behind.

A request's copies (an upload being checked, photos fetched for planning) live in a folder
named after the process that made it (`upload-<pid>.<start>-<random>`, where `<start>` is the
process's start time, so a later process that happens to get the same pid is not mistaken for
it). The folder is removed when the work ends however it ends; a process that was killed cannot
remove its own, so every process sweeps at start-up the folders whose owner is no longer
running. Keeping them under the data dir rather than /tmp puts them on the volume that has room
for photos, and in one place the sweep can own.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

_OWNED = re.compile(r"^[a-z]+-(\d+)\.(\d+)-")


def _start_time(pid: int) -> int | None:
    """The process's start time in clock ticks since boot (Linux); None when unknown."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text(encoding="ascii")
    except OSError:
        return None
    # The command name (field 2) may hold spaces and parentheses; fields after it are plain.
    fields = stat[stat.rindex(")") + 2 :].split()
    return int(fields[19])


def owner_tag(pid: int | None = None) -> str:
    pid = os.getpid() if pid is None else pid
    return f"{pid}.{_start_time(pid) or 0}"


def _owner_running(pid: int, start: int) -> bool:
    if pid == os.getpid():
        return start == (_start_time(pid) or 0)
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        pass  # another user's process: it exists
    found = _start_time(pid)
    return found is None or start in (0, found)


@contextlib.contextmanager
def scratch_folder(root: Path, kind: str) -> Iterator[Path]:
    """A fresh folder under `root` for one piece of work; removed when the block ends."""
    root.mkdir(parents=True, exist_ok=True)
    folder = Path(tempfile.mkdtemp(prefix=f"{kind}-{owner_tag()}-", dir=root))
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def sweep_scratch(root: Path) -> list[Path]:
    """Remove the folders under `root` whose process has ended; returns what was removed."""
    removed: list[Path] = []
    if not root.is_dir():
        return removed
    for entry in root.iterdir():
        found = _OWNED.match(entry.name)
        if found is None or _owner_running(int(found[1]), int(found[2])):
            continue
        if entry.is_dir() and not entry.is_symlink():
            shutil.rmtree(entry, ignore_errors=True)
        else:
            entry.unlink(missing_ok=True)
        removed.append(entry)
    return removed
