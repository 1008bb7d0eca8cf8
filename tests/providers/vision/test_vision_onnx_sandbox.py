"""The room model runs with nothing written to disk and nothing fetched."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

PHOTO = Path(__file__).parents[2] / "fixtures" / "photos" / "house3" / "kitchen.jpg"

SCRIPT = f"""
import socket
def refuse(*args, **kwargs):
    raise RuntimeError("network used")
socket.socket.connect = refuse
socket.create_connection = refuse
from pathlib import Path
from reelestate.providers.vision.embedded import EmbeddedPhotoAnalyser
result = EmbeddedPhotoAnalyser().analyse([Path({str(PHOTO)!r})])[0]
print(result.room)
"""


def test_room_classification_writes_nothing_and_needs_no_network(tmp_path: Path) -> None:
    home = tmp_path / "home"
    work = tmp_path / "work"
    home.mkdir()
    work.mkdir()
    env = {
        **os.environ,
        "HOME": str(home),
        "TMPDIR": str(tmp_path / "tmp"),
        "XDG_CACHE_HOME": str(home),
    }
    (tmp_path / "tmp").mkdir()
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT],
        cwd=work,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "kitchen"
    assert list(home.iterdir()) == []
    assert list(work.iterdir()) == []
    assert list((tmp_path / "tmp").iterdir()) == []
