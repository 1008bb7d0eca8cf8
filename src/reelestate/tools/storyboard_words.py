"""A storyboard in plain words: the room, the camera move and the length, as an editor says
them. The raw names (`pan_right`, `unsure`) stay in the data; people read these."""

from __future__ import annotations

from reelestate.prompts.features import ROOM_LABELS
from reelestate.render.spec import MotionKind
from reelestate.tools.storyboard_model import StoryboardScene, StoryboardVersion, storyboard_cards

UNLABELLED = "Photo"
"""What a scene whose room is not known is called: never a guessed room, never 'unsure'."""
_MOVES: dict[MotionKind, str] = {
    "zoom_in": "Push in",
    "zoom_out": "Pull back",
    "pan_left": "Pan left",
    "pan_right": "Pan right",
    "pan_up": "Tilt up",
    "pan_down": "Tilt down",
    "static": "Hold still",
}
SLOW_STRENGTH = 0.1
"""A move at or below this strength reads as slow."""


def room_words(room: str) -> str:
    return ROOM_LABELS.get(room, UNLABELLED)


def scene_title(scene: StoryboardScene) -> str:
    """What a scene shows, as the storyboard lists it: the room, or "Facts card"."""
    return "Facts card" if scene.is_card else room_words(scene.room)


def motion_words(scene: StoryboardScene) -> str:
    """'Slow pan right', 'Push in on the kitchen', 'Generated motion (kling-1.6-standard)'."""
    if scene.is_card:
        extra = f", {len(scene.highlights)} highlights" if scene.highlights else ""
        return f"Price counting up, rooms and area, the agent{extra}"
    if scene.ai_motion is not None:
        return f"Generated motion ({scene.ai_motion.model})"
    kind = scene.motion.kind
    words = _MOVES[kind]
    if kind != "static" and scene.motion.strength <= SLOW_STRENGTH:
        words = "Slow " + words.lower()
    if kind == "zoom_in" and scene.room in ROOM_LABELS and scene.room != "exterior":
        words += f" on the {ROOM_LABELS[scene.room].lower()}"
    return words


def seconds_words(seconds: float) -> str:
    return f"{seconds:.1f} s"


def total_words(version: StoryboardVersion) -> str:
    """'Total 30.0 s (intro 2.5 s, 8 photos 24.5 s, outro 3.0 s)'."""
    intro, outro = storyboard_cards()
    parts = []
    if intro:
        parts.append(f"intro {seconds_words(intro)}")
    parts.append(f"{len(version.scenes)} photos {seconds_words(version.scene_seconds)}")
    if outro:
        parts.append(f"outro {seconds_words(outro)}")
    return f"Total {seconds_words(version.total_seconds)} ({', '.join(parts)})"
