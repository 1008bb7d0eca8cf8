"""A music track the user brought: probed, decoded once and measured before anything uses it.

The file's name and extension say nothing we trust: ffprobe names the container and codec,
and a full decode proves the audio plays to its end (a truncated download still probes with
the length its header claims). The same pass measures EBU R128 loudness, so the mix can bring
a loud master and a quiet home recording to the same level under the voice.
"""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from reelestate.core.errors import MusicTrackError, UnsupportedMediaError
from reelestate.core.media_tools import find_tools
from reelestate.providers.music.beats import detect_beats

MIN_SECONDS = 10.0
MAX_SECONDS = 900.0
LENGTH_SLACK = 0.5
"""Encoders pad or trim a few hundred milliseconds; a "10 s" or "15 min" file is what it says."""
SILENT_LUFS = -50.0
"""Integrated loudness at or below this is no music bed: silence, or noise that nobody hears."""
DAMAGED_RATIO = 0.5
"""A file that decodes to less than this share of the length its header states is damaged."""
PROBE_TIMEOUT_S = 30.0
DECODE_TIMEOUT_S = 180.0
MB = 1024 * 1024
SUPPORTED = "Send an MP3, M4A/AAC, WAV, OGG/Opus or FLAC file."

_CONTAINERS: dict[str, tuple[str, str, str]] = {
    "mp3": ("mp3", "audio/mpeg", ".mp3"),
    "mov,mp4,m4a,3gp,3g2,mj2": ("mp4", "audio/mp4", ".m4a"),
    "aac": ("aac", "audio/aac", ".aac"),
    "wav": ("wav", "audio/wav", ".wav"),
    "ogg": ("ogg", "audio/ogg", ".ogg"),
    "flac": ("flac", "audio/flac", ".flac"),
}
"""ffprobe's format name -> (container, content type to store it as, file suffix)."""
_CODECS = frozenset({"mp3", "aac", "vorbis", "opus", "flac", "alac"})
_VIDEO_CONTAINERS = frozenset(
    {"mov,mp4,m4a,3gp,3g2,mj2", "matroska,webm", "avi", "mpegts", "mpeg", "flv", "asf", "ogg"}
)
"""Formats a real video file comes in; anything else that only "has video" (a raw stream
ffprobe guessed in damaged or random bytes) is a file we cannot read."""
_LOUDNESS = re.compile(r"^\s*I:\s*(-?inf|-?[\d.]+)\s*LUFS", re.MULTILINE)
_PEAK = re.compile(r"^\s*Peak:\s*(-?inf|-?[\d.]+)\s*dBFS", re.MULTILINE)
_OUT_TIME = re.compile(r"^out_time_us=(\d+)$", re.MULTILINE)


class MusicTrackInfo(BaseModel):
    """What the check found: enough to show the user and for the mix to level the track."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    duration_seconds: float = Field(ge=MIN_SECONDS - LENGTH_SLACK, le=MAX_SECONDS + LENGTH_SLACK)
    """The decoded length, which is what plays (not the header's claim)."""
    loudness_lufs: float
    """Integrated loudness (EBU R128) of the whole track."""
    peak_dbfs: float
    codec: str
    container: str
    content_type: str
    """The MIME type of what the file really is, for storing it."""
    suffix: str
    """The file suffix matching `container` (`.mp3`, `.m4a`...), for naming a stored copy."""
    sample_rate: int = Field(gt=0)
    channels: int = Field(gt=0)
    size_bytes: int = Field(gt=0)
    beats: tuple[float, ...] = ()
    """Beat times (seconds from the track's start) found in the first minutes; empty: none."""


def _minutes(seconds: float) -> str:
    if seconds < 1:
        return f"{seconds:.1f} s"
    if seconds < 60:
        return f"{seconds:.0f} s"
    return f"{int(seconds // 60)} min {int(seconds % 60):02d} s"


def _probe(path: Path) -> dict[str, Any]:
    argv = [find_tools().ffprobe, "-v", "error", "-print_format", "json"]
    argv += ["-show_format", "-show_streams", f"file:{path}"]
    try:
        proc = subprocess.run(argv, capture_output=True, check=False, timeout=PROBE_TIMEOUT_S)
    except subprocess.TimeoutExpired as exc:
        raise UnsupportedMediaError(
            "This file could not be read in time; it may be damaged.", hint=SUPPORTED
        ) from exc
    data: Any = None
    if proc.returncode == 0:
        try:
            data = json.loads(proc.stdout.decode("utf-8", "replace"))
        except json.JSONDecodeError:
            data = None
    if not isinstance(data, dict) or not isinstance(data.get("format"), dict):
        raise UnsupportedMediaError(
            "This file is not audio we can read: it is damaged, or not a music file.",
            hint=SUPPORTED,
        )
    return data


def _audio_stream(data: dict[str, Any]) -> dict[str, Any]:
    streams = [s for s in data.get("streams") or [] if isinstance(s, dict)]
    audio = [s for s in streams if s.get("codec_type") == "audio"]
    video = [
        s
        for s in streams
        if s.get("codec_type") == "video" and not (s.get("disposition") or {}).get("attached_pic")
    ]
    if not audio:
        format_name = str((data.get("format") or {}).get("format_name", ""))
        if video and format_name not in _VIDEO_CONTAINERS:
            raise UnsupportedMediaError(
                "This file is not audio we can read: it is damaged, or not a music file.",
                hint=SUPPORTED,
            )
        if video:
            raise MusicTrackError(
                "This file has no audio track: it is a video without sound.", hint=SUPPORTED
            )
        raise MusicTrackError("This file has no audio track.", hint=SUPPORTED)
    if video:
        raise UnsupportedMediaError(
            "This file is a video; music beds are audio files.",
            hint="Export the soundtrack as an audio file first. " + SUPPORTED,
        )
    stream: dict[str, Any] = audio[0]
    return stream


def _check_length(seconds: float) -> None:
    if seconds < MIN_SECONDS - LENGTH_SLACK:
        raise MusicTrackError(
            f"The track is {seconds:.0f} s long; music beds need at least {MIN_SECONDS:.0f} s.",
            hint="Pick a longer track; a short one would repeat every few seconds.",
        )
    if seconds > MAX_SECONDS + LENGTH_SLACK:
        raise MusicTrackError(
            f"The track is {_minutes(seconds)} long; music beds can be at most "
            f"{MAX_SECONDS / 60:.0f} min.",
            hint="Trim it, or pick a shorter track.",
        )


def _decode(path: Path) -> tuple[float, float, float]:
    """(decoded seconds, integrated LUFS, sample peak dBFS) from one full decode."""
    argv = [find_tools().ffmpeg, "-hide_banner", "-nostdin", "-nostats", "-i", f"file:{path}"]
    argv += ["-map", "0:a:0", "-vn", "-af", "ebur128=peak=sample", "-f", "null", "-"]
    argv += ["-progress", "pipe:1"]
    try:
        proc = subprocess.run(argv, capture_output=True, check=False, timeout=DECODE_TIMEOUT_S)
    except subprocess.TimeoutExpired as exc:
        raise UnsupportedMediaError(
            "This file took too long to decode; it may be damaged.", hint=SUPPORTED
        ) from exc
    stderr = proc.stderr.decode("utf-8", "replace")
    summary = stderr[stderr.rfind("Summary:") :] if "Summary:" in stderr else ""
    times = _OUT_TIME.findall(proc.stdout.decode("utf-8", "replace"))
    loudness, peak = _LOUDNESS.search(summary), _PEAK.search(summary)
    if proc.returncode != 0 or not times or loudness is None:
        raise UnsupportedMediaError(
            "This file's audio cannot be decoded; it is damaged or in a format we do not read.",
            hint=SUPPORTED,
        )

    def number(text: str) -> float:
        return float("-inf") if text.endswith("inf") else float(text)

    return (
        int(times[-1]) / 1e6,
        number(loudness.group(1)),
        number(peak.group(1)) if peak else float("-inf"),
    )


def check_music_track(path: Path, *, max_bytes: int = 100 * MB) -> MusicTrackInfo:
    """Check that `path` can be a music bed; what it is, or a `MusicTrackError` saying why not.

    Refused: files over `max_bytes`, anything ffprobe does not see as one of the supported
    audio formats (whatever its extension), files with no audio or with video, tracks under
    10 s or over 15 min, files that stop decoding early, and silent tracks.
    """
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise MusicTrackError("The music file is missing; send it again.") from exc
    if size == 0:
        raise MusicTrackError("This file is empty.", hint=SUPPORTED)
    if size > max_bytes:
        raise MusicTrackError(
            f"This file is {size / MB:.0f} MB; music tracks can be at most {max_bytes // MB} MB.",
            hint="Send it as MP3 or M4A, which are about a tenth of the size of WAV.",
        )
    data = _probe(path)
    stream = _audio_stream(data)
    fmt = data["format"]
    container = _CONTAINERS.get(str(fmt.get("format_name", "")))
    codec = str(stream.get("codec_name", ""))
    if container is None or not (codec in _CODECS or codec.startswith("pcm_")):
        kind = fmt.get("format_long_name") or fmt.get("format_name") or "unknown"
        raise UnsupportedMediaError(
            f"This file is {kind} audio ({codec or 'unknown codec'}), which we cannot use.",
            hint=SUPPORTED,
        )
    try:
        stated = float(fmt.get("duration") or stream.get("duration") or 0.0)
    except ValueError:
        stated = 0.0
    if stated > 0:
        _check_length(stated)
    seconds, lufs, peak = _decode(path)
    if stated > 0 and seconds < stated * DAMAGED_RATIO:
        raise MusicTrackError(
            f"This file is damaged or incomplete: only {_minutes(seconds)} of its "
            f"{_minutes(stated)} can be played.",
            hint="Download or export it again.",
        )
    _check_length(seconds)
    if lufs <= SILENT_LUFS:
        quiet = "silent" if lufs <= -70 else f"almost silent ({lufs:.0f} LUFS)"
        raise MusicTrackError(
            f"This track is {quiet}.", hint="Check that you picked the right file."
        )
    name, content_type, suffix = container
    return MusicTrackInfo(
        duration_seconds=round(seconds, 3),
        loudness_lufs=round(lufs, 2),
        peak_dbfs=round(max(peak, -120.0), 2),
        codec=codec,
        container=name,
        content_type=content_type,
        suffix=suffix,
        sample_rate=int(stream.get("sample_rate") or 0),
        channels=int(stream.get("channels") or 0),
        size_bytes=size,
        beats=detect_beats(path),
    )
