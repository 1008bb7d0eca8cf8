"""Which scenes get generated motion, and what that is expected to cost before anyone approves.

Image-to-video models do best where a camera move tells more than a still: the front of the
house (a slow approach), the kitchen and the living room (a push through the space). Rooms
the classifier is unsure of are never picked, so no prompt names a room that is not there.
"""

from __future__ import annotations

from collections.abc import Sequence

from reelestate.core.errors import InvalidInputError
from reelestate.core.settings import get_settings
from reelestate.providers.video_gen.registry import video_models
from reelestate.render.ai_clips import CostEstimate, estimate_spec_cost
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
            if scene.room in ROOM_PREFERENCE and scene.ai_motion is None
        ),
    )
    return sorted(position + 1 for _, _, position in ranked[:count])


def with_ai_motion(
    history: StoryboardHistory, model: str, count: int = DEFAULT_AI_SCENES, *, author: str
) -> StoryboardHistory:
    """`history` with one new version per chosen scene asking for `model`'s motion."""
    video_models(get_settings()).get(model)  # an unknown key is refused before any change
    for scene in choose_ai_scenes(history.current.scenes, count):
        history = history.apply(SetAiMotionOp(scene=scene, model=model), author=author)
    return history


def cost_estimate(spec: RenderSpec) -> CostEstimate:
    """The provider cost of the spec's AI scenes with the configured price list."""
    return estimate_spec_cost(spec, video_models(get_settings()))
