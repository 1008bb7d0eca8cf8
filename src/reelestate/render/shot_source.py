"""Prepare a shot once: crop, scale and convert its source so every frame is one warp.

The source is cut to the region the camera path visits and scaled so the tightest window
maps to about one source pixel per output pixel; frames are then resampled from it with
sub-pixel precision. Photos whose shape is far from the frame's (a landscape room in a
vertical reel) get a blurred-fill background instead of losing two thirds of the room.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from reelestate.render.camera import CameraPath, Window, fit_width, plan_path
from reelestate.render.colour import U8, rgb_to_yuv420
from reelestate.render.spec import FitMode, Motion

MIN_KEPT_FOR_CROP = 0.5
"""Below this fraction of the photo kept by a crop, the photo is shown whole on a blurred fill."""


@dataclass(frozen=True)
class ShotSource:
    """A shot ready to render: 4:2:0 planes of its canvas and the camera path over it."""

    y: U8
    u: U8
    v: U8
    path: CameraPath
    fit: FitMode


def choose_fit(fit: FitMode, motion: Motion, src_w: int, src_h: int, aspect: float) -> FitMode:
    """Smart crop unless it would throw away most of the photo."""
    if fit != "auto":
        return fit
    kept = fit_width(src_w, src_h, aspect) ** 2 / aspect / (src_w * src_h)
    pans_long_axis = (motion.kind in ("pan_left", "pan_right") and src_w / src_h > aspect) or (
        motion.kind in ("pan_up", "pan_down") and src_w / src_h < aspect
    )
    return "smart_crop" if kept >= MIN_KEPT_FOR_CROP or pans_long_axis else "blur_fill"


def _resize(img: U8, width: int, height: int) -> U8:
    shrinking = width * height < img.shape[0] * img.shape[1]
    interp = cv2.INTER_AREA if shrinking else cv2.INTER_CUBIC
    return np.asarray(cv2.resize(img, (width, height), interpolation=interp), dtype=np.uint8)


def blur_fill(rgb: U8, out_w: int, out_h: int) -> U8:
    """The photo whole, centred on a blurred, darkened cover of itself, at `out_w` x `out_h`."""
    h, w = rgb.shape[:2]
    cover = max(out_w / w, out_h / h)
    small_w, small_h = max(8, out_w // 8), max(8, out_h // 8)
    bg_scale = cover / 8
    bg = _resize(rgb, max(small_w, round(w * bg_scale)), max(small_h, round(h * bg_scale)))
    y0 = (bg.shape[0] - small_h) // 2
    x0 = (bg.shape[1] - small_w) // 2
    bg = bg[y0 : y0 + small_h, x0 : x0 + small_w]
    bg = np.asarray(cv2.GaussianBlur(bg, (0, 0), sigmaX=max(small_w, small_h) / 24), dtype=np.uint8)
    bg = _resize((bg.astype(np.float32) * 0.55).astype(np.uint8), out_w, out_h)
    contain = min(out_w / w, out_h / h)
    fg_w, fg_h = max(2, round(w * contain)), max(2, round(h * contain))
    fg = _resize(rgb, fg_w, fg_h)
    top, left = (out_h - fg_h) // 2, (out_w - fg_w) // 2
    canvas = bg.copy()
    canvas[top : top + fg_h, left : left + fg_w] = fg
    return canvas


def prepare_shot(
    rgb: U8,
    *,
    out_w: int,
    out_h: int,
    motion: Motion,
    focal: tuple[float, float],
    fit: FitMode,
) -> ShotSource:
    """Crop, scale and convert `rgb` for a shot of `out_w` x `out_h` with `motion`."""
    aspect = out_w / out_h
    src_h, src_w = rgb.shape[:2]
    chosen = choose_fit(fit, motion, src_w, src_h, aspect)
    if chosen == "blur_fill":
        margin = 1.0 + motion.strength
        comp_w, comp_h = _even(out_w * margin), _even(out_h * margin)
        contain = min(comp_w / src_w, comp_h / src_h)
        fx = (comp_w - src_w * contain) / 2 + focal[0] * src_w * contain
        fy = (comp_h - src_h * contain) / 2 + focal[1] * src_h * contain
        rgb = blur_fill(rgb, comp_w, comp_h)
        src_h, src_w = comp_h, comp_w
        focal = (fx / comp_w, fy / comp_h)
    path = plan_path(
        motion.kind,
        src_w=src_w,
        src_h=src_h,
        aspect=aspect,
        focal=focal,
        strength=motion.strength,
        easing=motion.easing,
    )
    left, top, right, bottom = path.union()
    x0, y0 = max(0, int(np.floor(left)) - 1), max(0, int(np.floor(top)) - 1)
    x1, y1 = min(src_w, int(np.ceil(right)) + 1), min(src_h, int(np.ceil(bottom)) + 1)
    scale = out_w / min(path.start.width, path.end.width)
    canvas_w, canvas_h = _even((x1 - x0) * scale), _even((y1 - y0) * scale)
    sx, sy = canvas_w / (x1 - x0), canvas_h / (y1 - y0)
    canvas = _resize(np.ascontiguousarray(rgb[y0:y1, x0:x1]), canvas_w, canvas_h)

    def to_canvas(w: Window) -> Window:
        return Window(cx=(w.cx - x0) * sx, cy=(w.cy - y0) * sy, width=w.width * sx)

    canvas_path = CameraPath(
        start=to_canvas(path.start), end=to_canvas(path.end), easing=path.easing, aspect=aspect
    )
    y, u, v = rgb_to_yuv420(canvas)
    return ShotSource(y=y, u=u, v=v, path=canvas_path, fit=chosen)


def _even(value: float) -> int:
    return max(2, round(value / 2) * 2)
