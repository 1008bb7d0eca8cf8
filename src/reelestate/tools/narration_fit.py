"""Make the scenes long enough for the narration as it is actually spoken.

Storyboards are timed from an estimated speaking rate; the voice decides the real length.
Before a render, the narration is synthesised (cached, so the engine reuses it), attached to
the spec with its word timings, and the scenes are stretched evenly if the voice would
otherwise run past the end of the video.
"""

from __future__ import annotations

from pathlib import Path

from reelestate.core.errors import InvalidSpecError
from reelestate.providers.tts.base import Narration, TextToSpeech
from reelestate.render.narration import synthesize_narration
from reelestate.render.spec import MAX_SCENE_SECONDS, RenderSpec, VoiceTrack
from reelestate.render.timeline import OUTRO_SECONDS

TAIL_SECONDS = 0.4
"""Quiet time kept after the last word before the video (or its outro card) ends."""


def required_scene_seconds(spec: RenderSpec, narration_seconds: float, offset: float) -> float:
    """Total scene time the narration needs; an intro card delays voice and photos alike."""
    outro = OUTRO_SECONDS if spec.brand.outro_card and not spec.flags.unbranded else 0.0
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


def fit_to_narration(
    spec: RenderSpec, *, cache_dir: Path, tts: TextToSpeech | None = None
) -> RenderSpec:
    """Synthesise the spec's narration once and make the scenes fit it."""
    return speak_and_fit(spec, tts=tts, cache_dir=cache_dir)[0]


def speak_and_fit(
    spec: RenderSpec, *, cache_dir: Path, tts: TextToSpeech | None = None
) -> tuple[RenderSpec, Narration | None]:
    """`fit_to_narration`, also returning the narration (its provider, cost and fallbacks)."""
    if spec.narration is None or spec.voice is not None:
        return spec, None
    request = spec.narration
    narration = synthesize_narration(request, cache_dir, tts)
    voice = VoiceTrack(audio=narration.audio, words=narration.words, offset=request.offset)
    fitted = spec.model_copy(update={"voice": voice, "narration": None})
    needed = required_scene_seconds(spec, narration.duration, request.offset)
    return stretch_scenes(fitted, needed), narration
