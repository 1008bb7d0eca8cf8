"""What an image-to-video model is told: camera movement over the photo, nothing else.

A listing video may only show what is in the listing. A generative model asked for "a bright
kitchen with a marble island" paints marble and light that may not be there, so the prompt names
a camera move and the room type the photo analyser gave, and asks for everything else to stay
exactly as photographed. Free text (listing facts, a caption, an agent's note) never goes into
it: an unknown room label becomes "the space" rather than being echoed.
"""

from __future__ import annotations

from typing import Literal

CameraMove = Literal["dolly_in", "dolly_out", "pan_left", "pan_right", "tilt_up", "static"]

ROOM_PHRASES: dict[str, str] = {
    "kitchen": "the kitchen",
    "bedroom": "the bedroom",
    "bathroom": "the bathroom",
    "living_room": "the living room",
    "dining_room": "the dining room",
    "exterior": "the exterior of the property",
    "other": "the space",
}
"""Room labels the photo analyser gives (and a few it may give later), as the prompt says them."""

UNKNOWN_ROOM = "the space"

MOVE_TEMPLATES: dict[CameraMove, str] = {
    "dolly_in": "Slow, steady dolly-in through {room}.",
    "dolly_out": "Slow, steady dolly-out from {room}.",
    "pan_left": "Slow, steady pan to the left across {room}.",
    "pan_right": "Slow, steady pan to the right across {room}.",
    "tilt_up": "Slow, steady tilt up over {room}.",
    "static": "Almost still camera on {room}, with a very slight push-in.",
}

DEFAULT_MOVE: dict[str, CameraMove] = {"exterior": "pan_right"}
"""A push-in suits rooms; an exterior reads better as a gentle sideways move."""

KEEP_AS_IS = (
    "Camera movement only. Keep every object exactly as in the photo; "
    "no people, no added or removed objects, no text."
)

NEGATIVE_MOTION_PROMPT = (
    "people, animals, added objects, removed objects, new furniture, changed layout, "
    "text, watermark, logo, distortion, warping, morphing, blur, flicker, low quality"
)
"""For models that take a negative prompt: what must not appear or happen."""


def room_phrase(room: str | None) -> str:
    """The room as the prompt names it; anything not in `ROOM_PHRASES` is "the space"."""
    if room is None:
        return UNKNOWN_ROOM
    key = room.strip().lower().replace(" ", "_").replace("-", "_")
    return ROOM_PHRASES.get(key, UNKNOWN_ROOM)


def motion_prompt(room: str | None, *, move: CameraMove | None = None) -> str:
    """The prompt for one photo: a camera move through the labelled room, nothing invented.

    Listing facts are deliberately not a parameter: whatever the model is told about, it draws.
    """
    key = (room or "").strip().lower().replace(" ", "_")
    chosen: CameraMove = move or DEFAULT_MOVE.get(key, "dolly_in")
    return f"{MOVE_TEMPLATES[chosen].format(room=room_phrase(room))} {KEEP_AS_IS}"
