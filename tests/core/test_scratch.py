"""Temporary folders go when their work ends, and a start-up sweep takes those of processes
that were killed, never those of a process still running."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from reelestate.core.scratch import owner_tag, scratch_folder, sweep_scratch


def test_the_folder_goes_when_the_work_fails(tmp_path: Path) -> None:
    with pytest.raises(RuntimeError), scratch_folder(tmp_path, "upload") as folder:
        (folder / "photo.jpg").write_bytes(b"x")
        raise RuntimeError("the client went away")
    assert list(tmp_path.iterdir()) == []


def test_the_sweep_takes_only_folders_of_ended_processes(tmp_path: Path) -> None:
    ended = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                           capture_output=True, text=True, check=True)  # fmt: skip
    dead = tmp_path / f"upload-{ended.stdout.strip()}.1-abc"
    dead.mkdir()
    reused_pid = tmp_path / f"upload-{owner_tag().split('.')[0]}.1-def"  # same pid, other start
    reused_pid.mkdir()
    with scratch_folder(tmp_path, "upload") as mine:
        removed = sweep_scratch(tmp_path)
        assert mine.exists()
    assert sorted(removed) == sorted([dead, reused_pid])
    assert list(tmp_path.iterdir()) == []
