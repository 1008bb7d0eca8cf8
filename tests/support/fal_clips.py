"""Small real video files for the fake fal to serve, made with FFmpeg's test source.

clips = make_fal_clips(tmp_path)       # or the session fixture `fal_clips`
clips.good        # 540x960 (9:16), 24 fps, 5.0 s, H.264 yuv420p: what a model might send
clips.odd         # 640x480 (4:3), 15 fps, 3.0 s: the wrong size and rate, to be conformed
clips.corrupt     # the good file cut in half: no moov atom, ffprobe fails on it
"""

from __future__ import annotations

import subprocess
from dataclasses import dataclass
from pathlib import Path

from reelestate.render.ffmpeg import find_tools


@dataclass(frozen=True)
class FalClips:
    good: Path
    odd: Path
    corrupt: Path


def _testsrc(ffmpeg: str, out: Path, size: str, fps: int, seconds: float) -> Path:
    subprocess.run(
        [ffmpeg, "-hide_banner", "-loglevel", "error", "-y",
         "-f", "lavfi", "-i", f"testsrc=size={size}:rate={fps}:duration={seconds}",
         "-c:v", "libx264", "-preset", "ultrafast", "-crf", "35", "-pix_fmt", "yuv420p", str(out)],
        check=True,
    )  # fmt: skip
    return out


def make_fal_clips(folder: Path) -> FalClips:
    """The three clips in `folder` (created if needed)."""
    folder.mkdir(parents=True, exist_ok=True)
    ffmpeg = find_tools().ffmpeg
    good = _testsrc(ffmpeg, folder / "good.mp4", "540x960", 24, 5.0)
    odd = _testsrc(ffmpeg, folder / "odd.mp4", "640x480", 15, 3.0)
    data = good.read_bytes()
    corrupt = folder / "corrupt.mp4"
    corrupt.write_bytes(data[: len(data) // 2])
    return FalClips(good=good, odd=odd, corrupt=corrupt)
