"""Blending two shots' frames during a transition, on whole yuv420p buffers."""

from __future__ import annotations

import math

import cv2

from reelestate.render.frames import FrameBuffer
from reelestate.render.spec import TransitionKind


def eased(alpha: float) -> float:
    return 0.5 - 0.5 * math.cos(math.pi * min(1.0, max(0.0, alpha)))


def _mix(a: FrameBuffer, b: FrameBuffer, weight_b: float, out: FrameBuffer) -> None:
    cv2.addWeighted(
        a.data.reshape(1, -1),
        1.0 - weight_b,
        b.data.reshape(1, -1),
        weight_b,
        0.0,
        dst=out.data.reshape(1, -1),
    )


def blend(
    kind: TransitionKind,
    a: FrameBuffer,
    b: FrameBuffer,
    *,
    alpha: float,
    out: FrameBuffer,
    black: FrameBuffer,
) -> None:
    """Frame `alpha` (0..1) of the way from `a` to `b`, written to `out`."""
    t = eased(alpha)
    if kind in ("crossfade", "cut"):
        _mix(a, b, t, out)
    elif kind == "fade_black":
        if t < 0.5:
            _mix(a, black, t * 2, out)
        else:
            _mix(black, b, t * 2 - 1, out)
    else:  # slide: the next shot pushes the current one out to the left
        w = a.width
        shift = min(w, round(t * w / 2) * 2)
        for pa, pb, po, width in (
            (a.y, b.y, out.y, w),
            (a.u, b.u, out.u, w // 2),
            (a.v, b.v, out.v, w // 2),
        ):
            s = shift if width == w else shift // 2
            po[:, : width - s] = pa[:, s:]
            po[:, width - s :] = pb[:, :s]
