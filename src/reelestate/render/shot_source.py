"""Prepare a shot once: lay it out, crop, scale and convert its source so every frame is one warp.

The layout (`shot_layout.choose_layout`) decides between a full-frame shot and a framed one.
The source is cut to the region the camera path visits and scaled (Lanczos when enlarging,
area averaging when shrinking) so the tightest window maps to about one source pixel per
output pixel; frames are then resampled from it with sub-pixel precision. A framed shot
keeps a static backdrop of brand panels and moves the photo inside its box.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass

import cv2
import numpy as np

from reelestate.render.camera import CameraPath, Window, plan_path
from reelestate.render.cards import framed_backdrop
from reelestate.render.colour import U8, rgb_to_yuv420
from reelestate.render.layout import Rect, framed_box
from reelestate.render.shot_layout import LayoutKind, choose_layout
from reelestate.render.spec import Aspect, BrandKit, FitMode, Motion


@dataclass(frozen=True)
class Framing:
    """A framed shot's static page and where its moving photo goes on it."""

    y: U8
    u: U8
    v: U8
    box: Rect


@dataclass(frozen=True)
class ShotSource:
    """A shot ready to render: 4:2:0 planes of its canvas and the camera path over it."""

    y: U8
    u: U8
    v: U8
    path: CameraPath
    layout: LayoutKind
    framing: Framing | None = None


def _rescale(img: U8, scale: float) -> U8:
    """`img` scaled by exactly `scale` (a pixel edge at x lands at x * scale), even-sized.

    Sizes follow the scale, not the other way round, so a camera window keeps its exact size on
    the canvas: a pan or a still is then a pure shift (see `frames`). An odd edge repeats its
    last row or column, which no window reaches.
    """
    interp = cv2.INTER_AREA if scale < 1.0 else cv2.INTER_LANCZOS4
    out = np.asarray(cv2.resize(img, None, fx=scale, fy=scale, interpolation=interp), np.uint8)
    h, w = out.shape[:2]
    if h % 2 or w % 2 or h < 2 or w < 2:
        bottom, right = max(2, h + h % 2) - h, max(2, w + w % 2) - w
        out = np.asarray(
            cv2.copyMakeBorder(out, 0, bottom, 0, right, cv2.BORDER_REPLICATE), np.uint8
        )
    return np.ascontiguousarray(out)


_PAGES: OrderedDict[tuple[object, ...], tuple[U8, U8, U8]] = OrderedDict()
_PAGES_KEPT = 8
_PAGES_LOCK = threading.Lock()


def _page(out_w: int, out_h: int, box: Rect, brand: BrandKit) -> tuple[U8, U8, U8]:
    """The backdrop's planes, drawn once for each size, box and brand colours: photos of one
    shape share a box, so a storyboard draws a handful of pages, not one per shot. The planes
    are shared and read-only."""
    key = (out_w, out_h, box, brand.primary_color, brand.accent_color)
    with _PAGES_LOCK:
        if key in _PAGES:
            _PAGES.move_to_end(key)
            return _PAGES[key]
    planes = rgb_to_yuv420(framed_backdrop(out_w, out_h, box, brand))
    for plane in planes:
        plane.flags.writeable = False
    with _PAGES_LOCK:
        _PAGES[key] = planes
        if len(_PAGES) > _PAGES_KEPT:
            _PAGES.popitem(last=False)
    return planes


def _framing(
    out_w: int, out_h: int, aspect: Aspect, src: tuple[int, int], brand: BrandKit
) -> Framing:
    box = framed_box(aspect, out_w, out_h, src[0], src[1])
    y, u, v = _page(out_w, out_h, box, brand)
    return Framing(y=y, u=u, v=v, box=box)


def prepare_shot(
    rgb: U8,
    *,
    out_w: int,
    out_h: int,
    frame_aspect: Aspect,
    motion: Motion,
    focal: tuple[float, float],
    fit: FitMode,
    brand: BrandKit,
) -> ShotSource:
    """Lay out, crop, scale and convert `rgb` for a shot of `out_w` x `out_h`."""
    src_h, src_w = rgb.shape[:2]
    layout = choose_layout(src_w, src_h, frame_aspect, motion, focal=focal, fit=fit)
    motion = layout.motion
    framing = None
    if layout.kind == "framed":
        framing = _framing(out_w, out_h, frame_aspect, (src_w, src_h), brand)
        out_w, out_h = framing.box.w, framing.box.h
    aspect = out_w / out_h
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
    canvas = _rescale(np.ascontiguousarray(rgb[y0:y1, x0:x1]), scale)

    def to_canvas(w: Window) -> Window:
        return Window(cx=(w.cx - x0) * scale, cy=(w.cy - y0) * scale, width=w.width * scale)

    canvas_path = CameraPath(
        start=to_canvas(path.start), end=to_canvas(path.end), easing=path.easing, aspect=aspect
    )
    y, u, v = rgb_to_yuv420(canvas)
    return ShotSource(y=y, u=u, v=v, path=canvas_path, layout=layout.kind, framing=framing)
