"""Which scenes get generated motion, and what that is expected to cost before anyone approves.

Image-to-video models do best where a camera move tells more than a still: the front of the
house (a slow approach), the kitchen and the living room (a push through the space). Rooms
the classifier is unsure of are never picked, so no prompt names a room that is not there.
"""

from __future__ import annotations

from collections.abc import Sequence

from reelestate.core.errors import InvalidInputError
from reelestate.core.settings import Settings
from reelestate.providers.video_gen import video_generator
from reelestate.providers.video_gen.base import estimate_cost
from reelestate.providers.video_gen.registry import VideoModelRegistry, video_models
from reelestate.render.ai_clips import (
    AiClipOutcome,
    CostEstimate,
    ai_requests,
    estimate_spec_cost,
    resolve_clips,
)
from reelestate.render.spec import RenderSpec
from reelestate.tools.storyboard import StoryboardHistory
from reelestate.tools.storyboard_model import StoryboardScene
from reelestate.tools.storyboard_ops import SetAiMotionOp

ROOM_PREFERENCE = {"exterior": 0, "kitchen": 1, "living_room": 2, "bedroom": 3, "bathroom": 4}
"""Lower first; rooms not listed (`other`, `unsure`) are never chosen."""
DEFAULT_AI_SCENES = 3


def choose_ai_scenes(scenes: Sequence[StoryboardScene], count: int) -> list[int]:
    """Up to `count` scene numbers (from 1) best suited to generated motion, in video order."""
    if count < 0:
        raise InvalidInputError("The number of AI scenes cannot be negative.")
    ranked = sorted(
        (
            (ROOM_PREFERENCE[scene.room], -scene.duration, position)
            for position, scene in enumerate(scenes)
            if scene.room in ROOM_PREFERENCE and scene.ai_motion is None and not scene.is_card
        ),
    )
    return sorted(position + 1 for _, _, position in ranked[:count])


def with_ai_motion(
    history: StoryboardHistory,
    model: str,
    count: int = DEFAULT_AI_SCENES,
    *,
    author: str,
    models: VideoModelRegistry,
) -> StoryboardHistory:
    """`history` with one new version per chosen scene asking for `model`'s motion."""
    models.get(model)  # an unknown key is refused before any change
    for scene in choose_ai_scenes(history.current.scenes, count):
        history = history.apply(
            SetAiMotionOp(scene=scene, model=model), author=author, models=models
        )
    return history


def version_cost(scenes: Sequence[StoryboardScene], models: VideoModelRegistry) -> CostEstimate:
    """The provider cost of a storyboard version's AI scenes, before anything is generated."""
    per_scene = [
        (i, s.ai_motion.model, estimate_cost(models.get(s.ai_motion.model), s.duration))
        for i, s in enumerate(scenes)
        if s.ai_motion is not None
    ]
    return CostEstimate(
        scenes=len(per_scene), usd=round(sum(c for _, _, c in per_scene), 4), per_scene=per_scene
    )


def cost_estimate(spec: RenderSpec, models: VideoModelRegistry) -> CostEstimate:
    """The provider cost of the spec's AI scenes with `models`' price list."""
    return estimate_spec_cost(spec, models)


async def generate_ai_clips(
    spec: RenderSpec, settings: Settings
) -> tuple[RenderSpec, list[AiClipOutcome]]:
    """Make the spec's AI clips in this process; scenes that fail keep photo motion.

    `settings` chooses the video provider, its price list, the clip cache and how many
    clips are made at once.
    """
    if not ai_requests(spec):
        return spec, []
    return await resolve_clips(
        spec,
        video_generator(settings),
        video_models(settings),
        settings.cache_dir,
        concurrency=settings.video_gen_concurrency,
    )


def outcome_notes(outcomes: Sequence[AiClipOutcome]) -> list[str]:
    """One line per scene that asked for AI motion and did not get it, for the user."""
    return [
        f"Scene {o.scene + 1} kept photo motion: {o.fallback_reason}"
        for o in outcomes
        if o.made_by == "ken_burns" and o.fallback_reason
    ]
