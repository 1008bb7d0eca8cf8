"""Turning a spec's asked-for AI motion into clips, or into Ken Burns with the reason why.

A scene with `ai_motion` gets a clip from an image-to-video provider before rendering. The
provider is slow, paid and sometimes down, so every scene ends one of two ways, and both are
recorded: a checked clip (cached by model, photo, prompt and parameters, so a re-render never
pays twice) or the scene's own photo motion with a reason a user can read. The video is made
either way. The queued path (`workers.generate_clip`) and the in-process path (`resolve_clips`)
share `generate_clip`, so both check, cache and fall back the same way.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import shutil
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from reelestate.core.errors import InvalidSpecError, ProviderError, ReelEstateError
from reelestate.core.hashing import file_sha256
from reelestate.providers.video_gen.base import (
    ClipProgress,
    ClipRequest,
    VideoGenerator,
    estimate_cost,
)
from reelestate.providers.video_gen.registry import VideoModelRegistry
from reelestate.render.clip_source import read_clip_info
from reelestate.render.spec import RenderSpec

CACHE_FORMAT = 1


class AiSceneRequest(BaseModel):
    """One scene's clip to make: what the provider is asked, and where it sits in the spec."""

    model_config = ConfigDict(frozen=True)

    scene: int
    """Index into `spec.scenes`."""
    photo: Path
    model: str
    prompt: str
    duration_s: float
    aspect: str


class AiClipOutcome(BaseModel):
    """How one scene's asked-for AI motion ended, for the job report and `report.json`."""

    model_config = ConfigDict(frozen=True)

    scene: int
    model: str
    made_by: Literal["ai", "ken_burns"]
    clip: Path | None = None
    cost_usd: float = Field(default=0.0, ge=0)
    cached: bool = False
    request_id: str | None = None
    fallback_reason: str | None = None


class CostEstimate(BaseModel):
    """What the AI scenes of a storyboard are expected to cost, shown before approval."""

    model_config = ConfigDict(frozen=True)

    scenes: int
    usd: float
    per_scene: list[tuple[int, str, float]]
    """(scene index, model key, USD)."""

    def summary(self) -> str:
        if not self.scenes:
            return "No AI motion: photo motion only, no provider cost."
        return (
            f"AI motion on {self.scenes} scene{'s' if self.scenes != 1 else ''}: "
            f"about ${self.usd:.2f} in provider cost."
        )


def ai_requests(spec: RenderSpec) -> list[AiSceneRequest]:
    """The scenes that ask for AI motion and have no clip yet."""
    return [
        AiSceneRequest(
            scene=i,
            photo=scene.photo,
            model=scene.ai_motion.model,
            prompt=scene.ai_motion.prompt,
            duration_s=scene.duration,
            aspect=spec.aspect,
        )
        for i, scene in enumerate(spec.scenes)
        if scene.ai_motion is not None and scene.clip is None
    ]


def estimate_spec_cost(spec: RenderSpec, registry: VideoModelRegistry) -> CostEstimate:
    """Provider cost of every AI scene of `spec`; an unknown model key is an `InvalidInputError`."""
    per_scene = [
        (r.scene, r.model, estimate_cost(registry.get(r.model), r.duration_s))
        for r in ai_requests(spec)
    ]
    return CostEstimate(
        scenes=len(per_scene), usd=round(sum(c for _, _, c in per_scene), 4), per_scene=per_scene
    )


def clip_cache_key(request: AiSceneRequest, photo_sha256: str) -> str:
    """Same model, photo, prompt and parameters: same clip, whichever storyboard asks."""
    payload = [
        CACHE_FORMAT,
        request.model,
        photo_sha256,
        request.prompt,
        round(request.duration_s, 2),
        request.aspect,
    ]
    blob = json.dumps(payload, ensure_ascii=False).encode("utf-8")
    return hashlib.sha256(blob).hexdigest()[:40]


def apply_outcomes(spec: RenderSpec, outcomes: Sequence[AiClipOutcome]) -> RenderSpec:
    """`spec` with each made clip in its scene; fallen-back scenes keep their photo motion."""
    scenes = list(spec.scenes)
    for outcome in outcomes:
        scene = scenes[outcome.scene]
        if outcome.made_by == "ai" and outcome.clip is not None:
            scenes[outcome.scene] = scene.model_copy(
                update={"clip": outcome.clip, "ai_generated": True}
            )
        else:
            scenes[outcome.scene] = scene.model_copy(update={"ai_motion": None})
    return spec.model_copy(update={"scenes": scenes})


def without_ai_motion(spec: RenderSpec) -> RenderSpec:
    """`spec` with photo motion wherever no clip is made yet (previews: clips cost money)."""
    scenes = [
        s.model_copy(update={"ai_motion": None}) if s.clip is None else s for s in spec.scenes
    ]
    return spec.model_copy(update={"scenes": scenes})


def fallback(request: AiSceneRequest, reason: str) -> AiClipOutcome:
    return AiClipOutcome(
        scene=request.scene, model=request.model, made_by="ken_burns", fallback_reason=reason
    )


def describe_failure(error: BaseException) -> str:
    """A reason a user can read; never a key or a stack trace."""
    if isinstance(error, ReelEstateError):
        return str(error)  # the message and its hint
    return "the provider failed unexpectedly"


async def generate_clip(
    request: AiSceneRequest,
    generator: VideoGenerator,
    registry: VideoModelRegistry,
    work: Path,
    *,
    on_progress: Callable[[ClipProgress], None] | None = None,
    should_cancel: Callable[[], bool] | None = None,
) -> tuple[Path, float, str]:
    """Make one checked clip in `work`: (path, USD cost, provider request id).

    The generator retries by its own policy (`REELESTATE_VIDEO_GEN_ATTEMPTS`); what is left
    is a `ProviderError`, or an `InvalidSpecError` when the clip is not a usable video.
    """
    registry.get(request.model)  # an unknown key fails here, before any call is paid for
    clip_request = ClipRequest(
        model=request.model,
        image=request.photo,
        prompt=request.prompt,
        duration_s=request.duration_s,
        aspect=request.aspect,
    )
    await asyncio.to_thread(work.mkdir, parents=True, exist_ok=True)
    made = await generator.generate(
        clip_request, work, on_progress=on_progress, should_cancel=should_cancel
    )
    await asyncio.to_thread(read_clip_info, made.path)  # a truncated download is refused here
    return made.path, made.cost_usd, made.request_id


async def resolve_clips(
    spec: RenderSpec,
    generator: VideoGenerator | None,
    registry: VideoModelRegistry,
    cache_dir: Path,
    *,
    concurrency: int = 2,
    unavailable_reason: str = "AI video is not configured (FAL_KEY is not set)",
) -> tuple[RenderSpec, list[AiClipOutcome]]:
    """Make every asked-for clip of `spec` in this process; the spec to render and the outcomes."""
    requests = ai_requests(spec)
    if not requests:
        return spec, []
    store = cache_dir / "ai-clips"
    store.mkdir(parents=True, exist_ok=True)
    gate = asyncio.Semaphore(concurrency)

    async def one(request: AiSceneRequest) -> AiClipOutcome:
        try:
            registry.get(request.model)
        except ReelEstateError as exc:
            return fallback(request, describe_failure(exc))
        key = clip_cache_key(request, file_sha256(request.photo))
        cached = store / f"{key}.mp4"
        if cached.exists():
            return AiClipOutcome(
                scene=request.scene, model=request.model, made_by="ai", clip=cached, cached=True
            )
        if generator is None:
            return fallback(request, unavailable_reason)
        async with gate:
            try:
                path, cost, request_id = await generate_clip(
                    request,
                    generator,
                    registry,
                    store / f".work-{key}",
                )
            except (ProviderError, InvalidSpecError) as exc:
                shutil.rmtree(store / f".work-{key}", ignore_errors=True)
                return fallback(request, describe_failure(exc))
        shutil.move(str(path), cached)
        shutil.rmtree(store / f".work-{key}", ignore_errors=True)
        return AiClipOutcome(
            scene=request.scene,
            model=request.model,
            made_by="ai",
            clip=cached,
            cost_usd=cost,
            request_id=request_id,
        )

    outcomes = list(await asyncio.gather(*(one(r) for r in requests)))
    return apply_outcomes(spec, outcomes), outcomes
