"""A talking presenter on a finished listing video; the video is kept as it was on failure."""

from __future__ import annotations

from pathlib import Path

from reelestate.core.errors import ReelEstateError
from reelestate.core.settings import Settings
from reelestate.render.presenter import add_presenter
from reelestate.render.presenter_clips import (
    PORTRAIT_NOTE,
    PresenterChoice,
    PresenterOutcome,
    estimate_presenter_cost,
    make_presenter_clip,
)
from reelestate.render.result import RenderResult
from reelestate.render.spec import RenderSpec

__all__ = [
    "PORTRAIT_NOTE",
    "PresenterChoice",
    "PresenterOutcome",
    "estimate_presenter_cost",
    "make_presenter_clip",
    "present_on_video",
]


def present_on_video(
    result: RenderResult,
    spec: RenderSpec,
    choice: PresenterChoice,
    settings: Settings,
    work: Path,
) -> PresenterOutcome:
    """Put the presenter on `result.video` in place; the video is left as it was on failure."""
    narration = result.narration
    if narration is None or result.voice_start is None:
        return PresenterOutcome(
            requested=choice.provider,
            provider=None,
            layout=choice.layout,
            fallbacks=["the video has no narration for a presenter to speak."],
        )
    clip, outcome = make_presenter_clip(
        choice, narration.audio, narration.duration, spec.brand.accent_color, settings
    )
    if clip is None:
        return outcome
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
