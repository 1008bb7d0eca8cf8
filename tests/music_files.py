"""Real audio files made by FFmpeg's own sources, for the music track tests in every layer."""

from __future__ import annotations

import subprocess
from pathlib import Path

import numpy as np
import numpy.typing as npt

from reelestate.render.ffmpeg import find_tools


def ffmpeg(*args: str) -> None:
    subprocess.run([find_tools().ffmpeg, "-v", "error", "-y", *args], check=True)


def music(
    path: Path,
    seconds: float = 12.0,
    *,
    freq: int = 440,
    volume_db: float = 6.0,
    extra: tuple[str, ...] = (),
) -> Path:
    """A tone with a little pink noise (so it has some texture), in the format of the suffix.

    At the default volume it measures about -15 LUFS, like a quiet commercial master.
    """
    sources = (
        f"sine=frequency={freq}:sample_rate=44100:duration={seconds}",
        f"anoisesrc=color=pink:amplitude=0.05:sample_rate=44100:duration={seconds}",
    )
    ffmpeg(
        *("-f", "lavfi", "-i", sources[0], "-f", "lavfi", "-i", sources[1]),
        "-filter_complex",
        f"amix=inputs=2:normalize=0,volume={volume_db}dB,aformat=channel_layouts=stereo",
        *extra,
        str(path),
    )
    return path


def silence(path: Path, seconds: float = 12.0) -> Path:
    source = f"anullsrc=r=44100:cl=stereo:d={seconds}"
    ffmpeg("-f", "lavfi", "-i", source, "-t", str(seconds), str(path))
    return path


def video_only(path: Path, seconds: float = 12.0) -> Path:
    ffmpeg(
        *("-f", "lavfi", "-i", f"testsrc=size=160x120:rate=10:duration={seconds}"),
        *("-c:v", "libx264", "-preset", "ultrafast", str(path)),
    )
    return path


def video_with_sound(path: Path, seconds: float = 12.0) -> Path:
    ffmpeg(
        *("-f", "lavfi", "-i", f"testsrc=size=160x120:rate=10:duration={seconds}"),
        *("-f", "lavfi", "-i", f"sine=duration={seconds}"),
        *("-c:v", "libx264", "-preset", "ultrafast", "-c:a", "aac", "-shortest", str(path)),
    )
    return path


def text_as_mp3(path: Path) -> Path:
    path.write_text("Our favourite song, lyrics and chords.\n" * 200, encoding="utf-8")
    return path


def truncated(source: Path, path: Path, keep_bytes: int = 6000) -> Path:
    """The first bytes of a good file: its header still states the full length."""
    path.write_bytes(source.read_bytes()[:keep_bytes])
    return path


def samples_48k(path: Path) -> npt.NDArray[np.float64]:
    """The first audio track of `path` as mono float samples at 48 kHz."""
    argv = [find_tools().ffmpeg, "-v", "error", "-i", str(path), "-map", "0:a:0"]
    raw = subprocess.run(
        [*argv, "-ar", "48000", "-ac", "1", "-f", "f32le", "-"],
        capture_output=True,
        check=True,
    ).stdout
    return np.frombuffer(raw, dtype="<f4").astype(np.float64)
