"""A user's music track made into a bed for one video: looped without a seam, and levelled.

The procedural beds all sit near `REFERENCE_LUFS`, and a spec's `volume_db` is set against
that. An uploaded track may be a -8 LUFS master or a -30 LUFS home recording, so it gets the
gain that brings the part the video plays to the same level first; `volume_db` then means the
same for both. A track shorter than the video is repeated with a crossfade at each join, since
a hard loop clicks or jumps mid-phrase (the crossfade keeps the power of unrelated material
steady, so the join does not dip). Both results are cached by the track's content.
"""

from __future__ import annotations

import hashlib
import json
import math
from dataclasses import dataclass
from pathlib import Path

from reelestate.core.errors import InvalidSpecError, OutputValidationError
from reelestate.render.ffmpeg import CancelToken, run_ffmpeg
from reelestate.render.loudness import SILENCE_LUFS, parse_ebur128_summary
from reelestate.render.probe import ffprobe_json

REFERENCE_LUFS = -13.0
"""About where the procedural beds measure (-12 to -14.5 LUFS)."""
MAX_GAIN_DB = 20.0
LOOP_CROSSFADE_SECONDS = 1.5
MIN_TRACK_SECONDS = 3 * LOOP_CROSSFADE_SECONDS
"""Below this a crossfaded loop would be mostly crossfade; the track is looped hard instead."""
MAX_REPEATS = 200
_FORMAT = 1


@dataclass(frozen=True)
class PreparedBed:
    path: Path
    """The audio to mix: the track itself, or its crossfaded repetition."""
    gain_db: float
    """Added to the spec's `volume_db` so the bed plays at the procedural beds' level."""


def _track_seconds(track: Path) -> float:
    try:
        return float(ffprobe_json(track)["format"]["duration"])
    except (OutputValidationError, KeyError, ValueError, TypeError) as exc:
        raise InvalidSpecError(
            f"The music track {track.name} cannot be read.",
            hint="Upload it again as MP3, M4A, WAV, OGG or FLAC.",
        ) from exc


def build_loop_args(track: Path, track_seconds: float, duration: float, out: Path) -> list[str]:
    """FFmpeg args (no binary) for `track` repeated, crossfaded at each join, cut to `duration`.

    Every copy is its own `-i` input; the graph holds labels and numbers only.
    """
    fade = LOOP_CROSSFADE_SECONDS
    repeats = min(MAX_REPEATS, max(2, math.ceil((duration - fade) / (track_seconds - fade)) + 1))
    inputs: list[str] = []
    for _ in range(repeats):
        inputs += ["-i", f"file:{track}"]
    chains = []
    last = "0:a:0"
    for index in range(1, repeats):
        label = f"loop{index}"
        chains.append(f"[{last}][{index}:a:0]acrossfade=d={fade:.3f}:c1=qsin:c2=qsin[{label}]")
        last = label
    chains.append(f"[{last}]atrim=end={duration:.4f}[out]")
    return [
        *("-hide_banner", "-nostdin", "-nostats", "-y", *inputs),
        *("-filter_complex", ";".join(chains), "-map", "[out]"),
        *("-c:a", "pcm_f32le", "-f", "wav", f"file:{out}"),
    ]


def _measure_args(bed: Path, duration: float) -> list[str]:
    """The loudness of what the video plays: the bed's first `duration` seconds."""
    return [
        *("-hide_banner", "-nostdin", "-nostats", "-i", f"file:{bed}", "-map", "0:a:0"),
        *("-t", f"{duration:.4f}", "-af", "ebur128=peak=sample", "-f", "null", "-"),
    ]


def level_gain(measured_lufs: float) -> float:
    """The gain that brings a bed measured at `measured_lufs` to the reference, within limits."""
    if measured_lufs <= SILENCE_LUFS:
        return 0.0
    return round(max(-MAX_GAIN_DB, min(MAX_GAIN_DB, REFERENCE_LUFS - measured_lufs)), 2)


def prepare_uploaded_bed(
    track: Path, digest: str, duration: float, folder: Path, cancel: CancelToken | None
) -> PreparedBed:
    """The bed for a video of `duration` seconds from `track` (whose content hash is `digest`)."""
    key = hashlib.sha256(f"{_FORMAT}:{digest}:{duration:.4f}".encode()).hexdigest()[:32]
    record = folder / f"uploaded-{key}.json"
    looped = folder / f"uploaded-{key}.wav"
    try:
        data = json.loads(record.read_text(encoding="utf-8"))
        bed = looped if data["looped"] else track
        if bed.exists():
            return PreparedBed(path=bed, gain_db=float(data["gain_db"]))
    except (FileNotFoundError, json.JSONDecodeError, KeyError, TypeError, ValueError):
        pass
    folder.mkdir(parents=True, exist_ok=True)
    seconds = _track_seconds(track)
    bed = track
    if MIN_TRACK_SECONDS <= seconds < duration:
        tmp = looped.with_name(f".{looped.name}.part")
        try:
            run_ffmpeg(
                build_loop_args(track, seconds, duration, tmp),
                cancel=cancel,
                timeout=120 + duration,
            )
            tmp.replace(looped)
        finally:
            tmp.unlink(missing_ok=True)
        bed = looped
    summary = run_ffmpeg(_measure_args(bed, duration), cancel=cancel, timeout=120 + duration)
    gain = level_gain(parse_ebur128_summary(summary).integrated_lufs)
    part = record.with_name(f".{record.name}.part")
    part.write_text(json.dumps({"looped": bed == looped, "gain_db": gain}), encoding="utf-8")
    part.replace(record)
    return PreparedBed(path=bed, gain_db=gain)
