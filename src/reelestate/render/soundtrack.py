"""The soundtrack: narration, music bed and their mix, each reused from the cache.

The mix is started in a background thread (its work happens in FFmpeg) so it overlaps the
frame encoder; `Soundtrack.wait` is called before the final join.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from reelestate.core.errors import InvalidSpecError, OutputValidationError
from reelestate.providers.music.procedural import bed_file_name, make_music_bed
from reelestate.providers.tts.base import Narration, TextToSpeech, WordTiming
from reelestate.render.audio import SAMPLE_RATE, Loudness, mix_audio
from reelestate.render.ffmpeg import CancelToken
from reelestate.render.music_bed import prepare_uploaded_bed
from reelestate.render.narration import synthesize_narration
from reelestate.render.probe import ffprobe_json
from reelestate.render.progress import ProgressReporter
from reelestate.render.segments import file_digest
from reelestate.render.spec import RenderSpec
from reelestate.render.timeline import Timeline

MAX_MUSIC_DB = 12.0
"""The most gain the mix takes on the music (a quiet track's levelling plus `volume_db`)."""
_AUDIO_POOL = ThreadPoolExecutor(max_workers=2, thread_name_prefix="audio-mix")


def _audio_duration(path: Path) -> float:
    try:
        return float(ffprobe_json(path)["format"]["duration"])
    except (OutputValidationError, KeyError, ValueError) as exc:
        raise InvalidSpecError(
            f"The voice track {path.name} cannot be read.", hint="Upload it again as WAV or MP3."
        ) from exc


def _narration(
    spec: RenderSpec, cache: Path, tts: TextToSpeech | None
) -> tuple[Path | None, list[WordTiming], float, float, Narration | None]:
    """(audio, words, offset, duration, narration) of the voice, synthesising it when asked."""
    if spec.voice is not None:
        if not spec.voice.audio.exists():
            raise InvalidSpecError(f"Voice track not found: {spec.voice.audio.name}.")
        return (
            spec.voice.audio,
            list(spec.voice.words),
            spec.voice.offset,
            _audio_duration(spec.voice.audio),
            None,
        )
    if spec.narration is not None:
        narration = synthesize_narration(spec.narration, cache, tts)
        return (
            narration.audio,
            list(narration.words),
            spec.narration.offset,
            narration.duration,
            narration,
        )
    return None, [], 0.0, 0.0, None


@dataclass(frozen=True)
class _Bed:
    """The music bed: where it is (or will be), its extra gain, and what identifies it."""

    path: Path
    gain_db: float
    identity: str
    make: Callable[[], Path] | None = None
    """Writes a generated bed: called by the mix, beside the frame encoder, not before it."""


def _music_bed(
    spec: RenderSpec,
    timeline: Timeline,
    cache: Path,
    memo: dict[Path, str],
    cancel: CancelToken | None,
) -> _Bed | None:
    """The mood's generated bed (named, not yet made), or the user's track levelled and looped
    to the video's length."""
    if spec.music is None:
        return None
    if spec.music.path is None:
        # Named by mood and length (not frame rate): a preview and its final share the bed.
        mood, duration, folder = spec.music.mood, timeline.duration, cache / "music"
        name = bed_file_name(mood, duration, sample_rate=SAMPLE_RATE, seed=0)
        return _Bed(
            folder / name,
            0.0,
            name,
            make=lambda: make_music_bed(mood, duration, folder / name, sample_rate=SAMPLE_RATE),
        )
    track = spec.music.path
    if not track.is_file():
        raise InvalidSpecError(f"Music track not found: {track.name}.")
    bed = prepare_uploaded_bed(
        track, file_digest(track, memo), timeline.duration, cache / "music", cancel
    )
    return _Bed(bed.path, bed.gain_db, file_digest(bed.path, memo))


def _audio_key(parts: dict[str, object]) -> str:
    return hashlib.sha256(json.dumps(parts, sort_keys=True, default=str).encode()).hexdigest()[:32]


@dataclass(frozen=True)
class Soundtrack:
    audio: Path
    voice: Path | None
    music: Path | None
    words: list[WordTiming]
    voice_start: float
    narration: Narration | None
    mixing: Future[Loudness | None] | None

    def wait(self) -> Loudness | None:
        """Block until the mix is written (re-raising its error); its measured loudness.

        The final join copies this audio stream bit for bit, so its loudness is the video's.
        None for draft mixes, which are not measured.
        """
        if self.mixing is not None:
            return self.mixing.result()
        return read_loudness(self.audio)


def prepare_soundtrack(
    spec: RenderSpec,
    timeline: Timeline,
    cache: Path,
    progress: ProgressReporter,
    tts: TextToSpeech | None,
    cancel: CancelToken | None,
) -> Soundtrack:
    """Narration, music bed and their mix, each reused from the cache when unchanged."""
    progress.stage("voice")
    voice, words, voice_offset, voice_length, narration = _narration(spec, cache, tts)
    voice_start = timeline.voice_start + voice_offset
    if voice is not None and voice_start < 0:
        raise InvalidSpecError(
            f"The voice starts {-voice_start:.1f} s before the video does.",
            hint="Set the voice's offset to no less than minus the cold open's length.",
        )
    if voice is not None and voice_start + voice_length > timeline.duration + 0.05:
        over = voice_start + voice_length - timeline.duration
        raise InvalidSpecError(
            f"The narration runs {voice_length:.1f} s from {voice_start:.1f} s, past the end of "
            f"the {timeline.duration:.1f} s video.",
            hint=f"Shorten the script or make the scenes {over:.1f} s longer in total.",
        )
    progress.stage("music")
    memo: dict[Path, str] = {}
    bed = _music_bed(spec, timeline, cache, memo, cancel)
    music = bed.path if bed else None
    music_db = (
        min(MAX_MUSIC_DB, spec.music.volume_db + bed.gain_db) if spec.music and bed else -16.0
    )
    progress.stage("audio")
    key = _audio_key(
        {
            "voice": file_digest(voice, memo) if voice else None,
            "voice_start": round(voice_start, 4),
            "music": bed.identity if bed else None,
            "music_db": music_db if spec.music else None,
            "duck": spec.music.duck if spec.music else None,
            "frames": timeline.total_frames,
            "fps": spec.frame_rate,
        }
    )
    audio = cache / "audio" / f"{key}-{spec.profile}.m4a"
    mixing: Future[Loudness | None] | None = None
    if not audio.exists():
        # The mix runs in FFmpeg beside the frame encoder; the result is awaited before muxing.
        mixing = _AUDIO_POOL.submit(
            _mix_and_record,
            make_bed=bed.make if bed else None,
            voice=voice,
            voice_offset=voice_start,
            music=music,
            music_volume_db=music_db,
            duck=spec.music.duck if spec.music else False,
            duration=timeline.duration,
            out=audio,
            cancel=cancel,
            draft=spec.profile == "preview",
            # Narration we synthesised and beds we generated or converted need no reading first.
            own_files=spec.voice is None,
        )
    return Soundtrack(audio, voice, music, words, voice_start, narration, mixing)


def _loudness_file(audio: Path) -> Path:
    return audio.with_name(audio.name + ".loudness.json")


def _mix_and_record(make_bed: Callable[[], Path] | None, **kwargs: Any) -> Loudness | None:
    """Make the generated bed if there is one, mix, then keep the measured loudness beside the
    cached file for later renders."""
    if make_bed is not None:
        make_bed()
    loudness = mix_audio(**kwargs)
    if loudness is not None:
        target = _loudness_file(kwargs["out"])
        tmp = target.with_name(target.name + ".part")
        tmp.write_text(json.dumps(asdict(loudness)), encoding="utf-8")
        tmp.replace(target)
    return loudness


def read_loudness(audio: Path) -> Loudness | None:
    """The loudness recorded when `audio` was mixed, if it was measured."""
    try:
        data = json.loads(_loudness_file(audio).read_text(encoding="utf-8"))
        return Loudness(**data)
    except (FileNotFoundError, json.JSONDecodeError, TypeError):
        return None
