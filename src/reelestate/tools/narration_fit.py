"""Fit the spoken narration and the scenes into the length asked, cuts on the beat.

Storyboards are timed from an estimated speaking rate; the voice decides the real length.
Before a render the narration is synthesised once (cached, so the engine reuses it). When the
spec says which words open each scene, each scene's sentences are placed to start just after
the scene does, the scenes are fitted so each holds its sentences, and the cuts between photos
move onto the music's beats, while the video's total (cards included, as `render.timeline`
counts it) stays the length the spec already had. A voice too long for that length is first
spoken faster (up to `MAX_RATE`, embedded voice only); only then does the video grow, and the
notes say so.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from reelestate.core.errors import InvalidSpecError
from reelestate.providers.tts.base import Narration, TextToSpeech
from reelestate.render.narration import place_narration, synthesize_narration
from reelestate.render.spec import MAX_SCENE_SECONDS, RenderSpec, Scene, VoiceTrack
from reelestate.render.timeline import card_seconds, total_seconds
from reelestate.tools.storyboard_model import MIN_SCENE_SECONDS
from reelestate.tools.storyboard_style import fit_transition
from reelestate.tools.timing import (
    COLD_OPEN_VOICE_SECONDS,
    FASTEST_RATE,
    GAP_SECONDS,
    LEAD_SECONDS,
    READABLE_SECONDS,
    TAIL_SECONDS,
    BeatGrid,
    fit_durations,
    mood_beats,
    snap_to_beats,
    spoken_needs,
)

__all__ = [
    "GAP_SECONDS",
    "LEAD_SECONDS",
    "MAX_RATE",
    "TAIL_SECONDS",
    "TimedSpec",
    "fit_scenes_to_length",
    "fit_to_narration",
    "speak_and_fit",
    "speak_and_time",
]

MAX_RATE = FASTEST_RATE
FREE_VOICES = frozenset({"espeak"})
"""Voices spoken again, faster, to fit a length; a paid voice is not paid for twice."""


@dataclass(frozen=True)
class TimedSpec:
    spec: RenderSpec
    narration: Narration | None
    notes: tuple[str, ...] = ()
    """What the fit had to do that the person should know (a faster voice, a longer video)."""


def required_scene_seconds(spec: RenderSpec, narration_seconds: float, offset: float) -> float:
    """Total scene time the narration needs; an intro card delays voice and photos alike."""
    outro = card_seconds(spec.brand, spec.flags)[1]
    return offset + narration_seconds + TAIL_SECONDS - outro


def stretch_scenes(spec: RenderSpec, total: float) -> RenderSpec:
    """The same spec with scene durations scaled evenly up to `total` seconds."""
    current = sum(s.duration for s in spec.scenes)
    if current >= total:
        return spec
    factor = total / current
    scenes = [s.model_copy(update={"duration": round(s.duration * factor, 3)}) for s in spec.scenes]
    if any(s.duration > MAX_SCENE_SECONDS for s in scenes):
        raise InvalidSpecError(
            f"The narration needs {total:.0f} s of photos but {len(scenes)} photos cannot fill it.",
            hint="Shorten the script or add photos.",
        )
    return spec.model_copy(update={"scenes": scenes})


def music_beats(spec: RenderSpec) -> BeatGrid | None:
    """The beats of the spec's generated bed; None for no music or a person's own track."""
    if spec.music is None or spec.music.path is not None:
        return None
    return mood_beats(spec.music.mood)


def retimed(spec: RenderSpec, durations: Sequence[float]) -> RenderSpec:
    """`spec` with new scene durations and each transition shortened to fit them."""
    scenes: list[Scene] = []
    for i, (scene, duration) in enumerate(zip(spec.scenes, durations, strict=True)):
        after = durations[i + 1] if i + 1 < len(durations) else None
        transition = fit_transition(scene.transition, duration, after)
        scenes.append(scene.model_copy(update={"duration": duration, "transition": transition}))
    return spec.model_copy(update={"scenes": scenes})


def fit_scenes_to_length(
    spec: RenderSpec,
    length_seconds: float,
    *,
    needs: Sequence[float] | None = None,
    beats: BeatGrid | None = None,
) -> tuple[RenderSpec, tuple[str, ...]]:
    """`spec` whose timeline lasts `length_seconds` to the frame, scenes kept in proportion,
    cuts on `beats` (default: the generated bed's)."""
    intro, outro = card_seconds(spec.brand, spec.flags)
    durations = [s.duration for s in spec.scenes]
    floor = min(MIN_SCENE_SECONDS, *durations)
    fit = fit_durations(
        durations,
        start=intro,
        end=length_seconds - outro,
        fps=spec.fps,
        needs=needs,
        min_seconds=floor,
        max_seconds=max(*durations, MIN_SCENE_SECONDS),
    )
    grid = beats if beats is not None else music_beats(spec)
    fitted = fit.durations
    if grid is not None:
        fitted = snap_to_beats(
            fitted, start=intro, fps=spec.fps, beats=grid, needs=needs, min_seconds=floor
        )
    return retimed(spec, fitted), fit.notes


def fit_to_narration(
    spec: RenderSpec, *, cache_dir: Path, tts: TextToSpeech | None = None
) -> RenderSpec:
    """Synthesise the spec's narration once and make the scenes fit it."""
    return speak_and_time(spec, tts=tts, cache_dir=cache_dir).spec


def speak_and_fit(
    spec: RenderSpec, *, cache_dir: Path, tts: TextToSpeech | None = None
) -> tuple[RenderSpec, Narration | None]:
    """`fit_to_narration`, also returning the narration (its provider, cost and fallbacks)."""
    timed = speak_and_time(spec, cache_dir=cache_dir, tts=tts)
    return timed.spec, timed.narration


def _scene_needs(
    spec: RenderSpec, narration: Narration, firsts: Sequence[int | None], *, relaxed: bool
) -> tuple[list[float], list[tuple[int, int]]]:
    """Seconds each scene needs for its words, and (scene, first word) of the spoken scenes."""
    spoken = [(scene, first) for scene, first in enumerate(firsts) if first is not None]
    words = narration.words
    seconds = [0.0] * len(spec.scenes)
    for k, (scene, first) in enumerate(spoken):
        last = spoken[k + 1][1] - 1 if k + 1 < len(spoken) else len(words) - 1
        seconds[scene] = max(words[last].end - words[first].start, 1e-3)
    intro, outro = card_seconds(spec.brand, spec.flags)
    return spoken_needs(seconds, intro=intro, outro=outro, relaxed=relaxed), spoken


def _fits(needs: Sequence[float], room: float, floor: float = MIN_SCENE_SECONDS) -> bool:
    return sum(max(floor, n) for n in needs) <= room + 1e-6


def _usable_cues(spec: RenderSpec, narration: Narration) -> list[int | None] | None:
    firsts = spec.narration.scene_words if spec.narration else []
    given = [f for f in firsts if f is not None]
    if (
        len(firsts) != len(spec.scenes)
        or not given
        or given != sorted(set(given))
        or given[0] != 0
        or given[-1] >= len(narration.words)
    ):
        return None
    return list(firsts)


def speak_and_time(
    spec: RenderSpec, *, cache_dir: Path, tts: TextToSpeech | None = None
) -> TimedSpec:
    """The spec with its narration spoken, placed scene by scene, and the scenes fitted."""
    if spec.narration is None or spec.voice is not None:
        return TimedSpec(spec, None)
    request = spec.narration
    length = total_seconds(spec)
    narration = synthesize_narration(request, cache_dir, tts)
    firsts = _usable_cues(spec, narration)
    if firsts is None:
        return _straight_through(spec, narration, cache_dir, tts)
    notes: list[str] = []
    intro, outro = card_seconds(spec.brand, spec.flags)
    room = length - intro - outro
    needs, spoken = _scene_needs(spec, narration, firsts, relaxed=False)
    relaxed = not _fits(needs, room)
    if relaxed:  # the voice starts in the cold open and runs on over silent photos
        needs, spoken = _scene_needs(spec, narration, firsts, relaxed=True)
    floors = sum(max(READABLE_SECONDS if relaxed else MIN_SCENE_SECONDS, n) for n in needs)
    if floors > room and request.rate < MAX_RATE and request.provider in FREE_VOICES:
        rate = min(MAX_RATE, round(request.rate * floors / room + 0.005, 2))
        faster = request.model_copy(update={"rate": rate})
        narration = synthesize_narration(faster, cache_dir, tts)
        if _usable_cues(spec.model_copy(update={"narration": faster}), narration) is None:
            return _straight_through(spec, narration, cache_dir, tts)
        needs, spoken = _scene_needs(spec, narration, firsts, relaxed=True)
        notes.append(f"The voice speaks {rate - 1:.0%} faster to fit {length:g} s.")
    fitted, fit_notes = fit_scenes_to_length(spec, length, needs=needs)
    notes.extend(fit_notes)
    early = intro - COLD_OPEN_VOICE_SECONDS if relaxed and intro > 0 else 0.0
    starts: list[float] = []
    elapsed = early
    for scene in fitted.scenes:
        starts.append(elapsed)
        elapsed += scene.duration
    parts = [
        (first, 0.0 if early and scene == 0 else starts[scene] + LEAD_SECONDS)
        for scene, first in spoken
    ]
    audio, words = place_narration(narration, parts, cache_dir)
    voice = VoiceTrack(audio=audio, words=words, offset=-early)
    done = fitted.model_copy(update={"voice": voice, "narration": None})
    return TimedSpec(done, narration, tuple(notes))


def _straight_through(
    spec: RenderSpec, narration: Narration, cache_dir: Path, tts: TextToSpeech | None
) -> TimedSpec:
    """The narration spoken from the start as one piece; the scenes grow only if they must."""
    del cache_dir, tts
    request = spec.narration
    offset = request.offset if request else 0.0
    voice = VoiceTrack(audio=narration.audio, words=narration.words, offset=offset)
    fitted = spec.model_copy(update={"voice": voice, "narration": None})
    needed = required_scene_seconds(spec, narration.duration, offset)
    stretched = stretch_scenes(fitted, needed)
    notes: tuple[str, ...] = ()
    if stretched is not fitted:
        notes = (
            f"The narration needs {needed:.1f} s of photos, so the video runs "
            f"{total_seconds(stretched):.1f} s.",
        )
    return TimedSpec(stretched, narration, notes)
