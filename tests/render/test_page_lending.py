"""Frames lent to a pipe by reference reach the reader intact when the writer keeps the rotation."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest

from reelestate.core.errors import RenderError
from reelestate.render import page_lending
from reelestate.render.ffmpeg import FFmpegPipe
from reelestate.render.page_lending import buffers_in_rotation, can_lend, lend, pipe_capacity

# Reads frames slowly and prints, per frame, whether every byte holds the frame's own number.
_READER = """
import sys, time
size, count = int(sys.argv[1]), int(sys.argv[2])
stream = sys.stdin.buffer
bad = 0
for i in range(count):
    data = b""
    while len(data) < size:
        chunk = stream.read(size - len(data))
        if not chunk:
            break
        data += chunk
        time.sleep(0.001)
    if data != bytes([i % 251]) * size:
        bad += 1
print(bad)
"""


@pytest.mark.parametrize("frame_bytes", [300_000, 1_500_000])
def test_frames_drawn_in_rotation_reach_the_reader_unchanged(frame_bytes: int) -> None:
    count = 24
    with subprocess.Popen(
        [sys.executable, "-c", _READER, str(frame_bytes), str(count)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
    ) as reader:
        assert reader.stdin is not None and reader.stdout is not None
        fd = reader.stdin.fileno()
        slots = buffers_in_rotation(frame_bytes, pipe_capacity(fd))
        frames = [np.empty(frame_bytes, dtype=np.uint8) for _ in range(slots)]
        lent = []
        for i in range(count):
            frame = frames[i % slots]
            frame.fill(i % 251)  # drawn over as soon as its turn comes round again
            lent.append(lend(fd, frame.data))
        reader.stdin.close()
        assert reader.stdout.read().strip() == b"0"
    assert reader.returncode == 0
    assert all(lent) == can_lend()


def test_the_rotation_covers_the_pipe() -> None:
    assert buffers_in_rotation(3_110_400, 1 << 20) == 2
    assert buffers_in_rotation(777_600, 1 << 20) == 3
    assert buffers_in_rotation(1 << 20, 1 << 20) == 2
    assert buffers_in_rotation(1000, 1 << 16) == 67


def test_read_only_bytes_are_not_lent_but_written() -> None:
    with FFmpegPipe(["-f", "data", "-i", "pipe:0", "-map", "0", "-f", "null", "-"]) as pipe:
        pipe.lend(memoryview(b"not lent: read-only"))
        pipe.lend(memoryview(bytearray(b"lent where the system can")))


def test_without_vmsplice_frames_are_written(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(page_lending, "_vmsplice", lambda: None)
    assert not page_lending.can_lend()
    assert not lend(0, memoryview(bytearray(8)))


def test_a_reader_that_has_gone_is_a_render_error() -> None:
    one_frame = ["-f", "rawvideo", "-s", "16x16", "-i", "pipe:0", "-frames:v", "1"]
    frame = memoryview(bytearray(16 * 16 * 3))
    with (
        pytest.raises(RenderError, match="stopped early"),
        FFmpegPipe([*one_frame, "-f", "null", "-"]) as pipe,
    ):
        for _ in range(20_000):
            pipe.lend(frame)
