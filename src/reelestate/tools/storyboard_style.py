"""How a scene moves and hands over, from the photo's framing, the output aspect and the style.

Ken Burns motion follows the eye: a photo much wider than the frame pans across towards its
focal point, an off-centre focal point is panned to, a centred one is zoomed into, and the
opening exterior zooms out as a reveal. Two scenes in a row never get the same move.
"pan_right" travels towards the right edge, ending on what is there.
"""

from __future__ import annotations

from reelestate.core.styles import Style
from reelestate.render.spec import (
    ASPECT_SIZES,
    Aspect,
    FocalPoint,
    Motion,
    MotionKind,
    Transition,
    TransitionKind,
)

MOTION_STRENGTH: dict[Style, float] = {
    "luxury": 0.08,
    "modern": 0.12,
    "cozy": 0.1,
    "energetic": 0.18,
    "minimal": 0.06,
}
TRANSITIONS: dict[Style, tuple[tuple[TransitionKind, float], ...]] = {
    "luxury": (("crossfade", 0.8), ("crossfade", 0.8), ("fade_black", 0.6)),
    "modern": (("crossfade", 0.5), ("slide", 0.4), ("crossfade", 0.5)),
    "cozy": (("crossfade", 0.7),),
    "energetic": (("crossfade", 0.3), ("slide", 0.3), ("cut", 0.0), ("crossfade", 0.3)),
    "minimal": (("crossfade", 0.4), ("crossfade", 0.4), ("cut", 0.0)),
}
"""A cycle of transitions per style: crossfades mostly, with the style's accent in between."""
WIDE_RATIO = 1.25
"""A photo this much wider (or taller) than the frame is panned across rather than zoomed."""
OFF_CENTRE = 0.15

_VARIED: dict[MotionKind, MotionKind] = {
    "zoom_in": "zoom_out",
    "zoom_out": "zoom_in",
    "pan_left": "zoom_in",
    "pan_right": "zoom_in",
    "pan_up": "zoom_out",
    "pan_down": "zoom_out",
    "static": "zoom_in",
}


def motion_kind(
    size: tuple[int, int], focal: FocalPoint, aspect: Aspect, *, opening: bool
) -> MotionKind:
    """The move that suits this photo in this frame, before variety is applied."""
    if opening:
        return "zoom_out"
    out_w, out_h = ASPECT_SIZES[aspect]
    photo_ratio = size[0] / size[1]
    frame_ratio = out_w / out_h
    dx, dy = focal.x - 0.5, focal.y - 0.5
    if photo_ratio > frame_ratio * WIDE_RATIO:
        return "pan_right" if dx >= 0 else "pan_left"
    if photo_ratio < frame_ratio / WIDE_RATIO:
        return "pan_down" if dy >= 0 else "pan_up"
    if max(abs(dx), abs(dy)) > OFF_CENTRE:
        if abs(dx) >= abs(dy):
            return "pan_right" if dx > 0 else "pan_left"
        return "pan_down" if dy > 0 else "pan_up"
    return "zoom_in"


def choose_motion(
    size: tuple[int, int],
    focal: FocalPoint,
    aspect: Aspect,
    style: Style,
    *,
    opening: bool,
    previous: MotionKind | None,
) -> Motion:
    kind = motion_kind(size, focal, aspect, opening=opening)
    if kind == previous:
        kind = _VARIED[kind]
    easing = "linear" if style == "energetic" else "ease_in_out"
    return Motion(kind=kind, strength=MOTION_STRENGTH[style], easing=easing)


def choose_transition(style: Style, position: int) -> Transition:
    kind, duration = TRANSITIONS[style][position % len(TRANSITIONS[style])]
    return Transition(kind=kind, duration=duration)


def fit_transition(transition: Transition, before: float, after: float | None) -> Transition:
    """`transition` shortened, if needed, to half the shorter of the two scenes it joins."""
    limit = min(before, after if after is not None else before) / 2
    if transition.duration <= limit:
        return transition
    return transition.model_copy(update={"duration": round(int(limit * 20) / 20, 2)})
