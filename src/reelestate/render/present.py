"""The presenter a spec asks for, put on its finished render; the video is kept on failure.

Both render backends (in this process and the job workers) call `present_on_video` after
the engine, so a storyboard's `presenter` is honoured wherever it renders, and the outcome
(who made the clip, why it fell back) travels with the result's notes.
"""

from __future__ import annotations

from pathlib import Path

from reelestate.core.errors import OutputValidationError, ReelEstateError
from reelestate.core.settings import Settings
from reelestate.providers.avatar import AvatarClip
from reelestate.render.presenter import add_presenter
from reelestate.render.presenter_clips import PresenterChoice, PresenterOutcome, make_presenter_clip
from reelestate.render.probe import ffprobe_json
from reelestate.render.result import RenderResult
from reelestate.render.spec import RenderSpec


def choice_of(spec: RenderSpec) -> PresenterChoice | None:
    """The presenter `spec` asks for (None: it asks for none)."""
    if spec.presenter is None:
        return None
    return PresenterChoice(
        photo=spec.presenter.photo,
        provider=spec.presenter.provider,
        layout=spec.presenter.layout,
    )


def spoken_voice(result: RenderResult, spec: RenderSpec) -> tuple[Path, float] | None:
    """The narration the video speaks: the one the engine made, else the spec's voice track."""
    if result.narration is not None:
        return result.narration.audio, result.narration.duration
    if spec.voice is None or not spec.voice.audio.exists():
        return None
    try:
        return spec.voice.audio, float(ffprobe_json(spec.voice.audio)["format"]["duration"])
    except (OutputValidationError, KeyError, ValueError):
        return None


def present_on_video(
    result: RenderResult,
    spec: RenderSpec,
    choice: PresenterChoice,
    settings: Settings,
    work: Path,
) -> PresenterOutcome:
    """Put the presenter on `result.video` in place; the video is left as it was on failure."""
    if not choice.photo.is_file():
        return PresenterOutcome(
            requested=choice.provider,
            provider=None,
            layout=choice.layout,
            fallbacks=["the presenter photo could not be found where the video was rendered."],
        )
    voice = spoken_voice(result, spec)
    if voice is None or result.voice_start is None:
        return PresenterOutcome(
            requested=choice.provider,
            provider=None,
            layout=choice.layout,
            fallbacks=["the video has no narration for a presenter to speak."],
        )
    audio, seconds = voice
    clip, outcome = make_presenter_clip(choice, audio, seconds, spec.brand.accent_color, settings)
    if clip is None:
        return outcome
    return place_clip(result, spec, choice, clip, outcome, work)


def place_clip(
    result: RenderResult,
    spec: RenderSpec,
    choice: PresenterChoice,
    clip: AvatarClip,
    outcome: PresenterOutcome,
    work: Path,
) -> PresenterOutcome:
    """Composite a made presenter clip over `result.video` in place; the outcome says how."""
    assert result.voice_start is not None
    try:
        add_presenter(
            result.video,
            clip.path,
            aspect=spec.aspect,
            fps=spec.fps,
            start=result.voice_start,
            layout=choice.layout,
            accent=spec.brand.accent_color,
            disclosure=clip.generated and spec.flags.ai_disclosure,
            profile=spec.profile,
            work=work,
        )
    except ReelEstateError as exc:
        return outcome.model_copy(
            update={
                "provider": None,
                "fallbacks": [
                    *outcome.fallbacks,
                    f"the presenter could not be added: {exc.message}",
                ],
            }
        )
    return outcome


def with_presenter(
    result: RenderResult, spec: RenderSpec, settings: Settings, work: Path
) -> tuple[RenderResult, PresenterOutcome | None]:
    """`result` with the spec's presenter on it and its notes added; unchanged without one."""
    choice = choice_of(spec)
    if choice is None:
        return result, None
    outcome = present_on_video(result, spec, choice, settings, work)
    return result.model_copy(update={"notes": (*result.notes, *outcome.notes())}), outcome
