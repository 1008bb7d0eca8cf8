"""Loudness measurement and the normalisation settings derived from it."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from reelestate.core.errors import InvalidInputError, OutputValidationError, RenderError
from reelestate.render.ffmpeg import find_tools
from reelestate.render.loudness import (
    LoudnormParams,
    linear_params,
    measure_loudness,
    parse_ebur128_summary,
)

SUMMARY = """
[Parsed_ebur128_0 @ 0x1] Summary:

  Integrated loudness:
    I:         -19.5 LUFS
    Threshold: -30.1 LUFS

  Loudness range:
    LRA:         6.2 LU
    Threshold: -40.0 LUFS
    LRA low:   -24.0 LUFS
    LRA high:  -17.8 LUFS

  True peak:
    Peak:       -3.4 dBFS
"""
SILENT = SUMMARY.replace("-19.5", "-70.0").replace("-3.4 dBFS", "-inf dBFS")


def make(path: Path, *lavfi: str) -> Path:
    args = [find_tools().ffmpeg, "-v", "error", "-y"]
    for source in lavfi:
        args += ["-f", "lavfi", "-i", source]
    args += ["-t", "3", "-pix_fmt", "yuv420p", "-c:a", "aac", str(path)]
    subprocess.run(args, check=True, capture_output=True)
    return path


def test_the_summary_block_is_read() -> None:
    loudness = parse_ebur128_summary("noise before\n" + SUMMARY)
    assert (loudness.integrated_lufs, loudness.true_peak_dbtp, loudness.lra) == (-19.5, -3.4, 6.2)
    assert not loudness.silent


def test_silence_reads_as_floors_not_infinities() -> None:
    loudness = parse_ebur128_summary(SILENT)
    assert loudness.silent and loudness.true_peak_dbtp == -120.0
    assert linear_params(SILENT) == LoudnormParams(normalize=False)


@pytest.mark.parametrize("text", ["no summary here", "Summary:\n  I: -20.0 LUFS\n"])
def test_a_missing_or_partial_summary_is_an_error(text: str) -> None:
    with pytest.raises(RenderError):
        parse_ebur128_summary(text)


def test_second_pass_settings_choose_linear_only_when_peaks_allow() -> None:
    params = linear_params(SUMMARY)
    assert (params.measured_i, params.measured_tp, params.measured_thresh) == (-19.5, -3.4, -30.1)
    assert not params.linear  # +5.5 dB would put the peak at +2.1 dBTP
    assert params.filter().startswith("volume=5.50dB,aresample=192000")
    quiet_peaks = linear_params(SUMMARY.replace("-3.4 dBFS", "-9.0 dBFS"))
    assert quiet_peaks.linear and "linear=true" in quiet_peaks.filter()
    assert LoudnormParams().filter() == "loudnorm=I=-14.00:TP=-2.00:LRA=11.00"


def test_a_video_file_is_measured_by_its_audio(tmp_path: Path) -> None:
    video = make(tmp_path / "v.mp4", "testsrc2=s=160x120:r=10", "sine=f=440:r=48000")
    loudness = measure_loudness(video)
    assert -25 < loudness.integrated_lufs < -10
    assert loudness.true_peak_dbtp < 0


def test_a_video_without_sound_is_an_invalid_output(tmp_path: Path) -> None:
    video = make(tmp_path / "mute.mp4", "testsrc2=s=160x120:r=10")
    with pytest.raises(OutputValidationError, match="no audio"):
        measure_loudness(video)


def test_a_missing_file_is_refused(tmp_path: Path) -> None:
    with pytest.raises(InvalidInputError):
        measure_loudness(tmp_path / "absent.m4a")
