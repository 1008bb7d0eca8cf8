"""Ken Burns camera paths as pure geometry.

A shot is a window of the output's aspect moving over a source image. The path is planned
in source pixels (`plan_path`), then each frame's window becomes one affine map
(`window_affine`) that `warpAffine` applies with sub-pixel precision. Zooms interpolate the
window size geometrically so the speed of the zoom looks constant to the eye.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from reelestate.render.spec import Easing, MotionKind


@dataclass(frozen=True)
class Window:
    """A window of the output's aspect: centre and width in source pixels."""

    cx: float
    cy: float
    width: float

    def height(self, aspect: float) -> float:
        return self.width / aspect

    def bounds(self, aspect: float) -> tuple[float, float, float, float]:
        """Left, top, right, bottom."""
        hw, hh = self.width / 2, self.height(aspect) / 2
        return self.cx - hw, self.cy - hh, self.cx + hw, self.cy + hh


@dataclass(frozen=True)
class CameraPath:
    start: Window
    end: Window
    easing: Easing
    aspect: float

    def at(self, progress: float) -> Window:
        """The window at `progress` in [0, 1] of the shot's visible time."""
        p = ease(min(1.0, max(0.0, progress)), self.easing)
        width = self.start.width * (self.end.width / self.start.width) ** p
        # Moving the centre in step with the zoom keeps a zoom towards a point straight.
        if abs(self.end.width - self.start.width) > 1e-9:
            q = (width - self.start.width) / (self.end.width - self.start.width)
        else:
            q = p
        return Window(
            cx=self.start.cx + (self.end.cx - self.start.cx) * q,
            cy=self.start.cy + (self.end.cy - self.start.cy) * q,
            width=width,
        )

    def union(self) -> tuple[float, float, float, float]:
        """The source region every window of the path stays inside."""
        a = self.start.bounds(self.aspect)
        b = self.end.bounds(self.aspect)
        return min(a[0], b[0]), min(a[1], b[1]), max(a[2], b[2]), max(a[3], b[3])


def ease(p: float, easing: Easing) -> float:
    if easing == "linear":
        return p
    return 0.5 - 0.5 * math.cos(math.pi * p)


def fit_width(src_w: float, src_h: float, aspect: float) -> float:
    """Width of the largest window of `aspect` that fits inside a source of that size."""
    return min(src_w, src_h * aspect)


def _clamp_centre(c: float, half: float, size: float) -> float:
    if 2 * half >= size:
        return size / 2
    return min(max(c, half), size - half)


def _place(cx: float, cy: float, width: float, src_w: float, src_h: float, aspect: float) -> Window:
    height = width / aspect
    return Window(
        cx=_clamp_centre(cx, width / 2, src_w),
        cy=_clamp_centre(cy, height / 2, src_h),
        width=width,
    )


def plan_path(
    kind: MotionKind,
    *,
    src_w: float,
    src_h: float,
    aspect: float,
    focal: tuple[float, float],
    strength: float,
    easing: Easing,
) -> CameraPath:
    """The start and end windows of a motion over a source of `src_w` x `src_h` pixels."""
    fx, fy = focal[0] * src_w, focal[1] * src_h
    full = fit_width(src_w, src_h, aspect)
    tight = full / (1.0 + strength)
    wide = _place(fx, fy, full, src_w, src_h, aspect)
    if kind in ("zoom_in", "zoom_out"):
        # The close-up stays inside the wide framing so the whole path is one crop region.
        left, top, right, bottom = wide.bounds(aspect)
        close = _place(fx - left, fy - top, tight, right - left, bottom - top, aspect)
        close = Window(close.cx + left, close.cy + top, close.width)
        start, end = (wide, close) if kind == "zoom_in" else (close, wide)
    elif kind == "static":
        start = end = _place(fx, fy, tight, src_w, src_h, aspect)
    else:
        width = tight
        height = width / aspect
        if kind in ("pan_left", "pan_right"):
            lo = _place(width / 2, fy, width, src_w, src_h, aspect)
            hi = _place(src_w - width / 2, fy, width, src_w, src_h, aspect)
            # A long photo in a tall frame would pan too fast; limit the travel to one window.
            travel = min(hi.cx - lo.cx, width)
            centre = _clamp_centre(fx, width / 2 + travel / 2, src_w)
            lo = Window(centre - travel / 2, lo.cy, width)
            hi = Window(centre + travel / 2, hi.cy, width)
            start, end = (hi, lo) if kind == "pan_left" else (lo, hi)
        else:
            lo = _place(fx, height / 2, width, src_w, src_h, aspect)
            hi = _place(fx, src_h - height / 2, width, src_w, src_h, aspect)
            travel = min(hi.cy - lo.cy, height)
            centre = _clamp_centre(fy, height / 2 + travel / 2, src_h)
            lo = Window(lo.cx, centre - travel / 2, width)
            hi = Window(hi.cx, centre + travel / 2, width)
            start, end = (hi, lo) if kind == "pan_up" else (lo, hi)
    return CameraPath(start=start, end=end, easing=easing, aspect=aspect)


def inverse_map(
    window: Window, out_w: int, out_h: int, plane_scale: float = 1.0
) -> tuple[float, float, float]:
    """Affine `src = a * dst + (tx, ty)` in a plane's own pixel-centre coordinates."""
    a = window.width / out_w
    left = window.cx - window.width / 2
    top = window.cy - (window.width * out_h / out_w) / 2
    tx = a * 0.5 - 0.5 + left * plane_scale
    ty = a * 0.5 - 0.5 + top * plane_scale
    return a, tx, ty
