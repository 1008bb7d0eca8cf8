"""How a photo fills the frame: full frame when it is sharp enough, a designed frame when not.

A photo is shown full frame when covering the frame (at the aspect's final size, so a preview
shows what the final will) needs at most `MAX_FILL_UPSCALE` times its pixels, motion included.
A photo much wider than the frame (a landscape room in a vertical reel) is then panned across
its width towards its focal point rather than zoomed, so the whole room is seen. A photo that
would need more upscaling is "framed": shown whole across the frame's width (or height) on the
brand's colours, moving inside its box, with the text on the panels around it. No photo is ever
shown as a small band on a blurred copy of itself.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from reelestate.render.layout import PANEL_ASPECTS
from reelestate.render.spec import ASPECT_SIZES, Aspect, FitMode, Motion, MotionKind

MAX_FILL_UPSCALE = 1.5
"""Most source-to-output magnification a full-frame shot may need at its tightest framing."""
WIDE_RATIO = 1.25
"""A photo this much wider (or taller) than the frame is panned along its long side."""

LayoutKind = Literal["fill", "framed"]


@dataclass(frozen=True)
class ShotLayout:
    kind: LayoutKind
    motion: Motion
    """The motion to render: the scene's, or a pan along the photo's long side."""
    upscale: float
    """Magnification a full-frame shot would need at its tightest framing."""


def fill_upscale(photo_w: int, photo_h: int, aspect: Aspect, motion: Motion) -> float:
    """Output pixels per photo pixel at the tightest window of a full-frame shot."""
    out_w, out_h = ASPECT_SIZES[aspect]
    cover = max(out_w / photo_w, out_h / photo_h)
    tighten = 1.0 if motion.kind == "static" and motion.strength == 0 else 1.0 + motion.strength
    return cover * tighten


def _long_side_pan(
    photo_w: int, photo_h: int, aspect: Aspect, motion: Motion, focal: tuple[float, float]
) -> MotionKind:
    out_w, out_h = ASPECT_SIZES[aspect]
    photo_ratio, frame_ratio = photo_w / photo_h, out_w / out_h
    if photo_ratio > frame_ratio * WIDE_RATIO:
        if motion.kind in ("pan_left", "pan_right"):
            return motion.kind
        return "pan_right" if focal[0] >= 0.5 else "pan_left"
    if photo_ratio < frame_ratio / WIDE_RATIO:
        if motion.kind in ("pan_up", "pan_down"):
            return motion.kind
        return "pan_down" if focal[1] >= 0.5 else "pan_up"
    return motion.kind


def choose_layout(
    photo_w: int,
    photo_h: int,
    aspect: Aspect,
    motion: Motion,
    *,
    focal: tuple[float, float] = (0.5, 0.5),
    fit: FitMode = "auto",
) -> ShotLayout:
    """The layout and motion of a photo of `photo_w` x `photo_h` in a frame of `aspect`.

    `fit` is the storyboard's wish: `smart_crop` forces full frame, `blur_fill` (the name
    older storyboards use for "show it whole") forces the framed layout.
    """
    upscale = fill_upscale(photo_w, photo_h, aspect, motion)
    full = fit == "smart_crop" or (fit == "auto" and upscale <= MAX_FILL_UPSCALE)
    if not full:
        return ShotLayout(kind="framed", motion=motion, upscale=upscale)
    kind = _long_side_pan(photo_w, photo_h, aspect, motion, focal)
    moved = motion if kind == motion.kind else motion.model_copy(update={"kind": kind})
    return ShotLayout(kind="fill", motion=moved, upscale=upscale)


def on_page(
    photo_w: int,
    photo_h: int,
    aspect: Aspect,
    motion: Motion,
    *,
    focal: tuple[float, float] = (0.5, 0.5),
    fit: FitMode = "auto",
) -> bool:
    """Whether the photo is framed in a band between text panels (`layout.panels`): its text
    then goes on the panels, not on the photo."""
    if aspect not in PANEL_ASPECTS or photo_w < photo_h:
        return False
    return choose_layout(photo_w, photo_h, aspect, motion, focal=focal, fit=fit).kind == "framed"
