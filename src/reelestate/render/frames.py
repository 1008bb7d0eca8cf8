"""Raw yuv420p frames: one reusable buffer, planes as views, motion by `warpAffine`.

A frame is written into a preallocated buffer and handed to the encoder's pipe as one
write, so no frame is ever copied or allocated in the loop.
"""

from __future__ import annotations

import math
import threading

import cv2
import numpy as np

from reelestate.render.camera import inverse_map
from reelestate.render.colour import BLACK_Y, NEUTRAL_C, U8
from reelestate.render.shot_source import ShotSource

_WARP_FLAGS = cv2.INTER_LINEAR | cv2.WARP_INVERSE_MAP


class FrameBuffer:
    """A yuv420p frame in one contiguous buffer, with Y, U and V as writable views."""

    def __init__(self, width: int, height: int) -> None:
        self.width, self.height = width, height
        self.data = np.empty(width * height * 3 // 2, dtype=np.uint8)
        luma = width * height
        chroma = luma // 4
        self.y: U8 = self.data[:luma].reshape(height, width)
        self.u: U8 = self.data[luma : luma + chroma].reshape(height // 2, width // 2)
        self.v: U8 = self.data[luma + chroma :].reshape(height // 2, width // 2)

    def planes(self) -> tuple[U8, U8, U8]:
        return self.y, self.u, self.v

    def fill_black(self) -> None:
        self.y.fill(BLACK_Y)
        self.u.fill(NEUTRAL_C)
        self.v.fill(NEUTRAL_C)


SHIFT_SCALE_TOLERANCE = 1e-9
"""A warp whose scale is this close to 1 is a pure shift: pans and static shots, whose canvas
is scaled so one canvas pixel is one output pixel (`shot_source.prepare_shot`)."""
_scratch = threading.local()


def _scratch_plane(height: int, width: int) -> U8:
    """A reusable plane for the first pass of a shift: one per thread, replaced when a shot of
    another size comes (a framed box's size follows its photo, so sizes are many over time)."""
    plane: U8 | None = getattr(_scratch, "plane", None)
    if plane is None or plane.shape != (height, width):
        plane = np.empty((height, width), dtype=np.uint8)
        _scratch.plane = plane
    return plane


def _shift_into(src: U8, tx: float, ty: float, dst: U8) -> bool:
    """`dst` = `src` moved by a sub-pixel (tx, ty), bilinear; False when it would read outside.

    The same result as `warpAffine` at scale 1, in two weighted sums over shifted views: about
    a sixth of the time (`benchmarks/PROFILE.md`), and the fractions are exact instead of
    rounded to 1/32 pixel, so a pan's step is the same on every frame.
    """
    h, w = dst.shape
    ix, iy = math.floor(tx), math.floor(ty)
    fx, fy = tx - ix, ty - iy
    if ix < 0 or iy < 0 or ix + w + 1 > src.shape[1] or iy + h + 1 > src.shape[0]:
        return False
    rows = src[iy : iy + h + 1]
    if fx == 0.0:
        across = rows[:, ix : ix + w]
    else:
        across = _scratch_plane(h + 1, w)
        left, right = rows[:, ix : ix + w], rows[:, ix + 1 : ix + w + 1]
        cv2.addWeighted(left, 1.0 - fx, right, fx, 0.0, dst=across)
    if fy == 0.0:
        np.copyto(dst, across[:h])
    else:
        cv2.addWeighted(across[:h], 1.0 - fy, across[1:], fy, 0.0, dst=dst)
    return True


def _resample(src: U8, a: float, tx: float, ty: float, dst: U8) -> None:
    """`dst[y, x] = src[a*y + ty, a*x + tx]`, bilinear, edges repeated."""
    if abs(a - 1.0) <= SHIFT_SCALE_TOLERANCE and _shift_into(src, tx, ty, dst):
        return
    h, w = dst.shape
    cv2.warpAffine(
        src,
        np.array([[a, 0.0, tx], [0.0, a, ty]]),
        (w, h),
        dst=dst,
        flags=_WARP_FLAGS,
        borderMode=cv2.BORDER_REPLICATE,
    )


def _warp_into(source: ShotSource, progress: float, y: U8, u: U8, v: U8) -> None:
    """The camera's window at `progress` resampled into planes of the view's size."""
    window = source.path.at(progress)
    h, w = y.shape
    _resample(source.y, *inverse_map(window, w, h, 1.0), y)
    chroma = inverse_map(window, w, h, 0.5)
    _resample(source.u, *chroma, u)
    _resample(source.v, *chroma, v)


def render_shot_frame(
    source: ShotSource,
    progress: float,
    out: FrameBuffer,
    *,
    page: FrameBuffer | None = None,
    page_in_place: bool = False,
) -> None:
    """Draw `source` at `progress` (0..1 of its visible time) into `out`.

    A framed shot warps its photo straight into the box of its page. The page is copied into
    `out` first: `page` when given (the page with the shot's settled text on it), else the bare
    backdrop; with `page_in_place`, `out` already holds that page outside the box (the previous
    frame drew it and nothing else touched it), so only the box is drawn.
    """
    framing = source.framing
    if framing is None:
        _warp_into(source, progress, out.y, out.u, out.v)
        return
    if not page_in_place:
        if page is not None:
            np.copyto(out.data, page.data)
        else:
            out.y[...] = framing.y
            out.u[...] = framing.u
            out.v[...] = framing.v
    box = framing.box
    cy, cx = box.y // 2, box.x // 2
    _warp_into(
        source,
        progress,
        out.y[box.y : box.bottom, box.x : box.right],
        out.u[cy : cy + box.h // 2, cx : cx + box.w // 2],
        out.v[cy : cy + box.h // 2, cx : cx + box.w // 2],
    )
