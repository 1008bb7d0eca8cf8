"""Beats of a person's own track are found where the pulse is, so cuts can land on them."""

from __future__ import annotations

import wave
from pathlib import Path

import numpy as np

from reelestate.providers.music.beats import detect_beats
from reelestate.providers.music.uploaded import check_music_track
from reelestate.tools.storyboard_model import StoryboardSettings
from reelestate.tools.storyboard_timing import settings_beats

RATE = 48_000
PERIOD = 0.5  # 120 BPM
FIRST = 0.25
FRAME = 1 / 30


def _click_track(path: Path, seconds: float = 20.0) -> list[float]:
    """A 120 BPM pulse of short 1 kHz clicks over a quiet pad; returns the click times."""
    t = np.arange(int(seconds * RATE)) / RATE
    signal = 0.05 * np.sin(2 * np.pi * 220 * t)
    clicks = [FIRST + k * PERIOD for k in range(int((seconds - FIRST) / PERIOD))]
    burst = np.sin(2 * np.pi * 1000 * np.arange(int(0.02 * RATE)) / RATE)
    burst *= np.exp(-np.arange(burst.size) / (0.004 * RATE))
    for at in clicks:
        start = int(at * RATE)
        signal[start : start + burst.size] += 0.8 * burst
    pcm = (np.clip(signal, -1, 1) * 32767).astype("<i2")
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(RATE)
        out.writeframes(pcm.tobytes())
    return clicks


def test_beats_of_a_click_track_land_within_a_frame_of_the_clicks(tmp_path: Path) -> None:
    clicks = _click_track(tmp_path / "pulse.wav")
    beats = detect_beats(tmp_path / "pulse.wav")
    assert len(beats) >= len(clicks) // 2  # the pulse, or every other beat of it
    misses = [b for b in beats if min(abs(b - c) for c in clicks) > FRAME]
    assert misses == [], misses


def test_an_accepted_track_carries_its_beats_to_the_storyboard(tmp_path: Path) -> None:
    clicks = _click_track(tmp_path / "ours.wav")
    info = check_music_track(tmp_path / "ours.wav")
    assert info.beats and all(min(abs(b - c) for c in clicks) <= FRAME for b in info.beats)
    settings = StoryboardSettings.model_validate(
        {"music_track": {"name": "ours.wav", "path": str(tmp_path / "ours.wav"),
                         "info": info.model_dump()}}
    )  # fmt: skip
    grid = settings_beats(settings)
    assert grid is not None and grid.between(5.0, 6.0) == [b for b in info.beats if 5 <= b <= 6]


def test_a_track_without_audio_frames_has_no_beats(tmp_path: Path) -> None:
    broken = tmp_path / "broken.wav"
    broken.write_bytes(b"RIFF....WAVEfmt ")
    assert detect_beats(broken) == ()
