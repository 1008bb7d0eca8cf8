"""Loudness as FFmpeg measures it: EBU R128 for checking a file, loudnorm for normalising a mix.

Platforms play everything at about -14 LUFS; a video that is quieter sounds weak next to the
one before it, and one whose true peak passes -1 dBTP distorts after their re-encode.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from pathlib import Path

from reelestate.core.errors import InvalidInputError, OutputValidationError, RenderError
from reelestate.render.ffmpeg import CancelToken, run_ffmpeg

TARGET_LUFS = -14.0
TARGET_TRUE_PEAK = -2.0
"""What loudnorm aims for. The promise is -1.0 dBTP in the encoded file; AAC encoding adds up
to about half a decibel of overshoot (measured on speech and music beds at 192 kb/s), so the
target leaves a full decibel."""
TARGET_LRA = 11.0
OVERSAMPLED_RATE = 192000
"""Rate at which peaks are limited, so the peaks between samples are caught as well."""
SILENCE_LUFS = -70.0
"""EBU R128's absolute gate: anything quieter counts as silence."""
PEAK_FLOOR_DBTP = -120.0
"""The true peak reported for digital silence, instead of minus infinity."""


@dataclass(frozen=True)
class Loudness:
    integrated_lufs: float
    true_peak_dbtp: float
    lra: float

    @property
    def silent(self) -> bool:
        return self.integrated_lufs <= SILENCE_LUFS


@dataclass(frozen=True)
class LoudnormParams:
    """How a mix is brought to the target loudness.

    With the `measured_*` values of a first pass, and when one gain can reach the target
    without pushing true peaks past `true_peak`, FFmpeg's loudnorm applies that gain linearly.
    When it cannot (narration's peaks are high for its loudness), the gain is applied anyway and
    a limiter running at 4x the sample rate holds the true peaks: loudnorm's own dynamic mode
    would do the same job but lands more than a decibel off target on clips of a few seconds.
    Without measurements, loudnorm runs in its single-pass dynamic mode.
    """

    integrated: float = TARGET_LUFS
    true_peak: float = TARGET_TRUE_PEAK
    lra: float = TARGET_LRA
    measured_i: float | None = None
    measured_tp: float | None = None
    measured_lra: float | None = None
    measured_thresh: float | None = None
    offset: float = 0.0
    """Extra gain in dB on the limited path: the correction after a first encode."""
    normalize: bool = True
    """False leaves the level alone: used for silence, which no gain can bring to target."""
    draft: bool = False
    """A preview's level: the measured gain alone, limited at the mix's own rate where peaks
    would pass the ceiling (no 192 kHz loudnorm or oversampled limiter): within a couple of LU
    of the target at a fraction of the work."""

    @property
    def measured(self) -> bool:
        return None not in (
            self.measured_i,
            self.measured_tp,
            self.measured_lra,
            self.measured_thresh,
        )

    @property
    def linear(self) -> bool:
        """True when one gain reaches the target with the true peak still under the ceiling."""
        if self.measured_i is None or self.measured_tp is None or not self.measured:
            return False
        return self.measured_tp + (self.integrated - self.measured_i) <= self.true_peak

    def filter(self) -> str:
        """The normalising filter chain (numbers only: safe inside a graph).

        Its output sample rate varies (loudnorm and the limiter work at 192 kHz): resample after.
        """
        if self.draft and self.measured_i is not None and self.measured:
            gain = self.integrated - self.measured_i
            if self.linear:
                return f"volume={gain:.2f}dB"
            ceiling = 10 ** (self.true_peak / 20)
            return (
                f"volume={gain:.2f}dB,"
                f"alimiter=limit={ceiling:.4f}:level=0:latency=1:attack=1.5:release=80"
            )
        if self.measured_i is not None and self.measured and not self.linear:
            gain = self.integrated - self.measured_i + self.offset
            ceiling = 10 ** (self.true_peak / 20)
            return (
                f"volume={gain:.2f}dB,aresample={OVERSAMPLED_RATE},aformat=channel_layouts=stereo,"
                f"alimiter=limit={ceiling:.4f}:level=0:latency=1:attack=1.5:release=80"
            )
        parts = [f"I={self.integrated:.2f}", f"TP={self.true_peak:.2f}", f"LRA={self.lra:.2f}"]
        if self.measured:
            parts += [
                f"measured_I={self.measured_i:.2f}",
                f"measured_TP={self.measured_tp:.2f}",
                f"measured_LRA={self.measured_lra:.2f}",
                f"measured_thresh={self.measured_thresh:.2f}",
                "linear=true",
            ]
        return "loudnorm=" + ":".join(parts)


def _number(text: str) -> float:
    value = float(text)
    return value if math.isfinite(value) else -math.inf


def linear_params(stderr: str) -> LoudnormParams:
    """Second-pass loudnorm settings from an ebur128 first pass's summary in `stderr`.

    The first pass uses the same meter as the final check (ebur128), not loudnorm's own
    estimate: on clips of a few seconds loudnorm's estimate is off by more than a decibel,
    which linear normalisation would then carry straight into the result.
    """
    loudness = parse_ebur128_summary(stderr)
    threshold = _THRESHOLD.search(stderr[stderr.rfind("Summary:") :])
    if loudness.silent or threshold is None:
        return LoudnormParams(normalize=False)
    return LoudnormParams(
        measured_i=loudness.integrated_lufs,
        measured_tp=max(-99.0, loudness.true_peak_dbtp),
        measured_lra=loudness.lra,
        measured_thresh=max(SILENCE_LUFS, _number(threshold.group(1))),
    )


_THRESHOLD = re.compile(r"Integrated loudness:\s*I:[^\n]*\n\s*Threshold:\s*(-?inf|-?[\d.]+)")
_SUMMARY_FIELD = {
    "integrated": re.compile(r"^\s*I:\s*(-?inf|-?[\d.]+)\s*LUFS", re.MULTILINE),
    "lra": re.compile(r"^\s*LRA:\s*(-?inf|-?[\d.]+)\s*LU\b", re.MULTILINE),
    "peak": re.compile(r"^\s*Peak:\s*(-?inf|-?[\d.]+)\s*dB", re.MULTILINE),
}


def parse_ebur128_summary(stderr: str) -> Loudness:
    """The `Summary:` block that FFmpeg's ebur128 filter prints when it finishes."""
    at = stderr.rfind("Summary:")
    if at < 0:
        raise RenderError("FFmpeg did not print a loudness summary.")
    block = stderr[at:]
    found = {name: pattern.search(block) for name, pattern in _SUMMARY_FIELD.items()}
    missing = [name for name, match in found.items() if match is None]
    if missing:
        raise RenderError(f"FFmpeg's loudness summary lacks {', '.join(missing)}.")
    values = {name: _number(match.group(1)) for name, match in found.items() if match}
    return Loudness(
        integrated_lufs=max(SILENCE_LUFS, values["integrated"]),
        true_peak_dbtp=max(PEAK_FLOOR_DBTP, values["peak"]),
        lra=max(0.0, values["lra"]),
    )


def measure_loudness(path: Path, *, cancel: CancelToken | None = None) -> Loudness:
    """Integrated loudness, true peak and loudness range of the first audio track of `path`.

    Works on audio files and on videos (the video track is ignored).
    """
    if not path.is_file():
        raise InvalidInputError(f"Cannot measure the loudness of {path.name}: the file is missing.")
    args = [
        "-hide_banner",
        "-nostdin",
        "-nostats",
        "-i",
        f"file:{path}",
        "-map",
        "0:a:0",
        "-vn",
        "-af",
        "ebur128=peak=true:framelog=verbose",
        "-f",
        "null",
        "-",
    ]
    try:
        stderr = run_ffmpeg(args, cancel=cancel, timeout=600)
    except RenderError as exc:
        if "matches no streams" in exc.message:
            raise OutputValidationError(f"{path.name} has no audio track.") from exc
        raise
    return parse_ebur128_summary(stderr)
