"""The storyboard's steps, shared by the chat, `reelestate make` and the REST API.

listing + photo analyses + script + choices -> a storyboard history (version 1, or the next
version on a re-plan); operations and reverts make further versions; a version becomes the
engine's `RenderSpec` with the render's profile, brand and music choice, and finally with its
narration synthesised and the scenes fitted to it.

The steps here touch no database. Speech synthesis, photo analysis and script writing block
for seconds, so the `async` entry points run them in a worker thread, never on the event loop.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

from reelestate.core.errors import ConfigurationError
from reelestate.core.settings import MIN_PHOTOS
from reelestate.core.styles import Style
from reelestate.prompts.styles import STYLE_MUSIC
from reelestate.providers.tts.base import Narration, VoiceStyle
from reelestate.providers.video_gen.registry import VideoModelRegistry
from reelestate.providers.vision.base import PhotoAnalyser, PhotoAnalysis
from reelestate.render.spec import Aspect, BrandKit, Profile, RenderSpec
from reelestate.tools.ai_motion import DEFAULT_AI_SCENES, with_ai_motion
from reelestate.tools.listing import Listing
from reelestate.tools.narration_fit import TimedSpec, speak_and_fit, speak_and_time
from reelestate.tools.script import write_script
from reelestate.tools.script_model import Script
from reelestate.tools.storyboard import (
    StoryboardHistory,
    plan_storyboard,
    to_render_spec,
    write_render_spec,
)
from reelestate.tools.storyboard_model import MusicTrackRef, StoryboardSettings, StoryboardVersion
from reelestate.tools.storyboard_ops import RevisionOp

REPLAN_REASON = "new plan from updated facts"


class PlanChoices(BaseModel):
    """What the person chose for a storyboard before it is planned."""

    model_config = ConfigDict(frozen=True)

    style: Style
    length_seconds: float
    aspect: Aspect = "9:16"
    music_track: MusicTrackRef | None = None
    """The person's own track; `None` plays the style's generated bed."""
    voice: str | None = None
    """`provider:voice`; `None` keeps the default voice."""
    voice_model: str | None = None
    voice_style: VoiceStyle | None = None
    ai_video: str | None = None
    """Video model key for the scenes best suited to generated motion; `None`: photo motion."""
    ai_scenes: int = Field(default=DEFAULT_AI_SCENES, ge=0, le=40)

    def settings(self) -> StoryboardSettings:
        """The storyboard's settings; no voice named keeps the storyboard's default voice."""
        chosen = self.model_dump(exclude={"ai_video", "ai_scenes"}, exclude_none=True)
        if not chosen.get("voice"):
            chosen.pop("voice", None)
        return StoryboardSettings(**chosen, music_mood=STYLE_MUSIC[self.style])


def plan(
    listing: Listing,
    analyses: Sequence[PhotoAnalysis],
    script: Script,
    choices: PlanChoices,
    *,
    previous: StoryboardHistory | None = None,
    ai_author: str = "planner",
    min_photos: int = MIN_PHOTOS,
    models: VideoModelRegistry | None = None,
) -> StoryboardHistory:
    """Version 1 from the photos and script; with `previous`, its next version instead.

    A re-plan keeps the music the storyboard had: the person may have dropped their track
    since, and a new plan is about the facts, not the soundtrack. With `choices.ai_video`,
    further versions (credited to `ai_author`) ask for generated motion in the best scenes,
    checked against `models` (the configured video models).
    """
    if previous is not None:
        choices = choices.model_copy(update={"music_track": previous.current.settings.music_track})
    history = plan_storyboard(
        listing, analyses, script, settings=choices.settings(), min_photos=min_photos
    )
    if previous is not None:
        fresh = history.current.model_copy(
            update={"number": previous.current.number + 1, "reason": REPLAN_REASON}
        )
        history = history.model_copy(update={"versions": (*previous.versions, fresh)})
    if choices.ai_video:
        if models is None:
            raise ConfigurationError("Generated motion was asked for without the video models.")
        history = with_ai_motion(
            history, choices.ai_video, choices.ai_scenes, author=ai_author, models=models
        )
    return history


def revise(
    history: StoryboardHistory,
    operations: Sequence[RevisionOp],
    *,
    author: str,
    reason: str | None = None,
    models: VideoModelRegistry | None = None,
) -> StoryboardHistory:
    """One new version per operation; every earlier version is kept. An operation asking for
    generated motion is checked against `models` (and refused without them)."""
    for op in operations:
        history = history.apply(op, author=author, reason=reason, models=models)
    return history


def revert(history: StoryboardHistory, number: int, *, author: str) -> StoryboardHistory:
    """A new version with the content of version `number`; nothing is deleted."""
    return history.revert(number, author=author)


def render_spec(
    version: StoryboardVersion,
    listing: Listing,
    script: Script,
    *,
    profile: Profile = "final",
    brand: BrandKit | None = None,
    music_on: bool = True,
) -> RenderSpec:
    """The engine's input for `version`, narration still to be spoken."""
    spec = to_render_spec(version, listing, script, profile=profile, brand=brand)
    if not music_on:
        spec = spec.model_copy(update={"music": None})
    return spec


def fit(spec: RenderSpec, *, cache_dir: Path) -> tuple[RenderSpec, Narration | None]:
    """The spec with its narration synthesised (cached under `cache_dir`) and the scenes long
    enough for it (blocks)."""
    return speak_and_fit(spec, cache_dir=cache_dir)


def fit_in_time(spec: RenderSpec, *, cache_dir: Path) -> TimedSpec:
    """`fit`, with notes on what keeping the length took (a faster voice, a longer video)."""
    return speak_and_time(spec, cache_dir=cache_dir)


async def spoken(spec: RenderSpec, *, cache_dir: Path) -> RenderSpec:
    """`fit` in a worker thread, so the event loop keeps serving while the voice speaks."""
    fitted, _ = await asyncio.to_thread(fit, spec, cache_dir=cache_dir)
    return fitted


def write_storyboard_file(
    path: Path,
    version: StoryboardVersion,
    listing: Listing,
    script: Script,
    *,
    brand: BrandKit | None = None,
) -> Path:
    """`version` as a storyboard file `reelestate render` takes (narration still to speak)."""
    return write_render_spec(render_spec(version, listing, script, brand=brand), path)


async def analyse_photos(analyser: PhotoAnalyser, paths: Sequence[Path]) -> list[PhotoAnalysis]:
    """The analyser's findings for `paths`, run in a worker thread."""
    return list(await asyncio.to_thread(analyser.analyse, list(paths)))


async def script_for(
    listing: Listing,
    analyses: Sequence[PhotoAnalysis],
    *,
    style: Style,
    length_seconds: float,
) -> Script:
    """The narration script, written in a worker thread (it may call a language model)."""
    return await asyncio.to_thread(
        write_script, listing, analyses, style=style, length_seconds=length_seconds
    )
