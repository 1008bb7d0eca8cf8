"""Check a rendered file before anyone sees it: streams, size, rate, duration, tags, loudness.

Nothing leaves the engine without passing `validate_video`; a failure names what was wrong
so the job can retry or report it.
"""

from __future__ import annotations

import json
import struct
import subprocess
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Any, cast

from reelestate.core.errors import OutputValidationError
from reelestate.render.ffmpeg import find_tools


@dataclass(frozen=True)
class ExpectedVideo:
    width: int
    height: int
    fps: int
    frames: int
    require_high_profile: bool
    loudness_target: float | None = -14.0
    loudness_tolerance: float = 1.0


@dataclass(frozen=True)
class ProbeReport:
    width: int
    height: int
    fps: Fraction
    video_duration: float
    audio_duration: float
    frames: int
    profile: str
    pix_fmt: str
    colour: tuple[str, str, str]
    audio_rate: int
    audio_channels: int
    faststart: bool
    size_bytes: int


def ffprobe_json(path: Path) -> dict[str, Any]:
    """ffprobe's view of a file's format and streams."""
    proc = subprocess.run(
        [
            find_tools().ffprobe,
            "-v",
            "error",
            "-print_format",
            "json",
            "-show_format",
            "-show_streams",
            str(path),
        ],
        capture_output=True,
        check=False,
    )
    if proc.returncode != 0:
        raise OutputValidationError(f"The rendered file {path.name} cannot be read back.")
    data = json.loads(proc.stdout.decode("utf-8", "replace"))
    if not isinstance(data, dict):
        raise OutputValidationError(f"The rendered file {path.name} cannot be read back.")
    return cast("dict[str, Any]", data)


def top_level_atoms(path: Path) -> list[str]:
    """Names of an MP4's top-level boxes in file order."""
    names: list[str] = []
    with path.open("rb") as fh:
        while True:
            header = fh.read(8)
            if len(header) < 8:
                break
            size, name = struct.unpack(">I4s", header)
            names.append(name.decode("latin-1"))
            if size == 1:
                size = struct.unpack(">Q", fh.read(8))[0]
                fh.seek(size - 16, 1)
            elif size == 0:
                break
            else:
                fh.seek(size - 8, 1)
    return names


def _stream(data: dict[str, Any], kind: str) -> dict[str, Any]:
    streams = [s for s in data.get("streams", []) if s.get("codec_type") == kind]
    if len(streams) != 1:
        raise OutputValidationError(f"Expected one {kind} stream, found {len(streams)}.")
    stream: dict[str, Any] = streams[0]
    return stream


def inspect_video(path: Path) -> ProbeReport:
    data = ffprobe_json(path)
    video, audio = _stream(data, "video"), _stream(data, "audio")
    if video.get("codec_name") != "h264" or audio.get("codec_name") != "aac":
        raise OutputValidationError(
            f"Unexpected codecs: {video.get('codec_name')} video, {audio.get('codec_name')} audio."
        )
    atoms = top_level_atoms(path)
    faststart = "moov" in atoms and "mdat" in atoms and atoms.index("moov") < atoms.index("mdat")
    return ProbeReport(
        width=int(video["width"]),
        height=int(video["height"]),
        fps=Fraction(video.get("r_frame_rate", "0/1")),
        video_duration=float(video.get("duration", 0.0)),
        audio_duration=float(audio.get("duration", 0.0)),
        frames=int(video.get("nb_frames", 0)),
        profile=str(video.get("profile", "")),
        pix_fmt=str(video.get("pix_fmt", "")),
        colour=(
            str(video.get("color_space", "")),
            str(video.get("color_primaries", "")),
            str(video.get("color_transfer", "")),
        ),
        audio_rate=int(audio.get("sample_rate", 0)),
        audio_channels=int(audio.get("channels", 0)),
        faststart=faststart,
        size_bytes=path.stat().st_size,
    )


def check_report(report: ProbeReport, expected: ExpectedVideo) -> list[str]:
    """Every way `report` differs from what was asked for; empty when the file is right."""
    problems: list[str] = []
    frame = 1.0 / expected.fps
    if (report.width, report.height) != (expected.width, expected.height):
        problems.append(
            f"size {report.width}x{report.height}, expected {expected.width}x{expected.height}"
        )
    if report.fps != expected.fps:
        problems.append(f"frame rate {report.fps}, expected {expected.fps}")
    if abs(report.frames - expected.frames) > 1:
        problems.append(f"{report.frames} frames, expected {expected.frames}")
    target = expected.frames / expected.fps
    if abs(report.video_duration - target) > frame + 1e-6:
        problems.append(f"video lasts {report.video_duration:.3f} s, expected {target:.3f} s")
    if abs(report.audio_duration - report.video_duration) > frame + 1e-6:
        problems.append(
            f"audio ({report.audio_duration:.3f} s) and video ({report.video_duration:.3f} s) "
            "differ by more than a frame"
        )
    if report.pix_fmt != "yuv420p":
        problems.append(f"pixel format {report.pix_fmt}")
    if report.colour != ("bt709", "bt709", "bt709"):
        problems.append(f"colour tags {report.colour}, expected BT.709")
    if expected.require_high_profile and report.profile != "High":
        problems.append(f"H.264 profile {report.profile}, expected High")
    if report.audio_rate != 48000:
        problems.append(f"audio at {report.audio_rate} Hz, expected 48000")
    if not report.faststart:
        problems.append("the index is not at the start of the file (not streamable)")
    return problems
