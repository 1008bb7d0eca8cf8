"""Where the beats fall in a person's own track, so the storyboard can cut on them.

librosa's beat tracker (onset strength, tempo estimate, dynamic-programming beat placement;
Ellis, "Beat Tracking by Dynamic Programming", 2007) does this well on pop and acoustic beds;
writing our own would repeat it less well. It is imported only here, when a track is accepted,
because importing it compiles numba kernels (a few seconds, once per process).
"""

from __future__ import annotations

import logging
import subprocess
from pathlib import Path

import numpy as np

from reelestate.core.media_tools import find_tools

log = logging.getLogger(__name__)

SAMPLE_RATE = 22_050
ANALYSED_SECONDS = 180.0
"""Beats past the first three minutes never meet a cut: videos last at most 90 s."""
DECODE_TIMEOUT_S = 60


def _mono_pcm(path: Path) -> np.ndarray:
    argv = [find_tools().ffmpeg, "-hide_banner", "-nostdin", "-v", "error", "-i", f"file:{path}"]
    argv += ["-t", f"{ANALYSED_SECONDS:g}", "-map", "0:a:0", "-ac", "1", "-ar", str(SAMPLE_RATE)]
    argv += ["-f", "f32le", "-"]
    done = subprocess.run(argv, capture_output=True, check=True, timeout=DECODE_TIMEOUT_S)
    return np.frombuffer(done.stdout, dtype=np.float32)


def detect_beats(path: Path) -> tuple[float, ...]:
    """Beat times in seconds from the track's start, to the millisecond; () when the track has
    no steady pulse or cannot be read (the storyboard then cuts where the words fall)."""
    try:
        samples = _mono_pcm(path)
        import librosa  # noqa: PLC0415 - slow import, needed only when a track arrives

        _tempo, times = librosa.beat.beat_track(y=samples, sr=SAMPLE_RATE, units="time")
    except (subprocess.SubprocessError, OSError, ValueError) as exc:
        log.warning("no beats found in the music track: %s", type(exc).__name__)
        return ()
    return tuple(round(float(t), 3) for t in np.atleast_1d(times))
