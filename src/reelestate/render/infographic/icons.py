"""The card's icons (bed, bath, area, phone, tick), drawn here as vector shapes.

They are drawn in code rather than shipped as files, so they carry the package's own licence
(see `ICONS_LICENCE`), need no download, and stay sharp at any size: each is drawn at four
times its size and scaled down, which anti-aliases the edges.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Literal

from PIL import Image, ImageDraw

IconName = Literal["bed", "bath", "area", "phone", "tick"]
ICONS_LICENCE = (
    "The infographic icons are original vector drawings in reelestate.render.infographic.icons, "
    "released under the package's licence; no third-party artwork is used."
)
SUPERSAMPLE = 4
Colour = tuple[int, int, int, int]


def _bed(d: ImageDraw.ImageDraw, s: int, c: Colour) -> None:
    w = max(1, s // 14)
    d.rounded_rectangle((0.08 * s, 0.22 * s, 0.2 * s, 0.84 * s), radius=w, fill=c)  # headboard
    d.rounded_rectangle((0.08 * s, 0.52 * s, 0.92 * s, 0.7 * s), radius=w, fill=c)  # mattress
    d.rounded_rectangle((0.26 * s, 0.36 * s, 0.46 * s, 0.49 * s), radius=w, fill=c)  # pillow
    d.rounded_rectangle((0.5 * s, 0.4 * s, 0.92 * s, 0.49 * s), radius=w, fill=c)  # blanket
    d.rectangle((0.84 * s, 0.66 * s, 0.92 * s, 0.84 * s), fill=c)  # foot


def _bath(d: ImageDraw.ImageDraw, s: int, c: Colour) -> None:
    w = max(1, s // 14)
    d.line((0.2 * s, 0.5 * s, 0.2 * s, 0.18 * s), fill=c, width=w)  # pipe
    d.arc((0.2 * s, 0.08 * s, 0.42 * s, 0.28 * s), 180, 360, fill=c, width=w)  # spout
    d.ellipse((0.36 * s, 0.22 * s, 0.48 * s, 0.3 * s), fill=c)  # rose
    d.rounded_rectangle((0.06 * s, 0.5 * s, 0.94 * s, 0.58 * s), radius=w // 2, fill=c)  # rim
    d.chord((0.12 * s, 0.3 * s, 0.88 * s, 0.82 * s), 0, 180, fill=c)  # tub
    d.line((0.26 * s, 0.78 * s, 0.2 * s, 0.9 * s), fill=c, width=w)  # feet
    d.line((0.74 * s, 0.78 * s, 0.8 * s, 0.9 * s), fill=c, width=w)


def _area(d: ImageDraw.ImageDraw, s: int, c: Colour) -> None:
    w = max(1, s // 14)
    d.rectangle((0.14 * s, 0.14 * s, 0.86 * s, 0.86 * s), outline=c, width=w)
    # a diagonal with an arrowhead at each end: the size of the floor
    a, b = 0.3 * s, 0.7 * s
    d.line((a, b, b, a), fill=c, width=w)
    head = 0.16 * s
    d.polygon([(b + w / 2, a - w / 2), (b - head, a), (b, a + head)], fill=c)
    d.polygon([(a - w / 2, b + w / 2), (a + head, b), (a, b - head)], fill=c)


def _phone(d: ImageDraw.ImageDraw, s: int, c: Colour) -> None:
    """A telephone handset: a curved grip with the ear and mouth pieces turned inwards.

    Drawn filled, not as an outline: a hollow rounded rectangle at text size reads as the
    missing-glyph box, which is exactly what a phone number must not look like.
    """
    w = 0.17 * s  # thickness of the grip
    cx, cy = 0.58 * s, 0.42 * s  # the grip bulges towards the lower left
    r = 0.3 * s  # radius of the grip's centre line
    box = (cx - r - w / 2, cy - r - w / 2, cx + r + w / 2, cy + r + w / 2)
    d.arc(box, 60, 210, fill=c, width=round(w))
    for angle in (60.0, 210.0):
        a = math.radians(angle)
        ux, uy = math.cos(a), math.sin(a)  # outwards from the centre
        tx, ty = -uy, ux  # along the grip
        # the piece: a rounded block reaching from the rim inwards towards the centre
        outer, inner, half = r + w * 0.75, r - w * 0.55, w * 0.8
        sign = 1.0 if angle < 180 else -1.0  # widen away from the grip
        corners = [
            (
                cx + ux * outer + tx * half * sign * -0.15,
                cy + uy * outer + ty * half * sign * -0.15,
            ),
            (cx + ux * outer + tx * half * sign, cy + uy * outer + ty * half * sign),
            (cx + ux * inner + tx * half * sign, cy + uy * inner + ty * half * sign),
            (
                cx + ux * inner + tx * half * sign * -0.15,
                cy + uy * inner + ty * half * sign * -0.15,
            ),
        ]
        d.polygon(corners, fill=c)


def _tick(d: ImageDraw.ImageDraw, s: int, c: Colour) -> None:
    d.ellipse((0, 0, s - 1, s - 1), fill=c)
    clear = (0, 0, 0, 0)
    w = max(1, s // 9)
    d.line([(0.27 * s, 0.52 * s), (0.44 * s, 0.68 * s), (0.74 * s, 0.34 * s)], fill=clear, width=w)


_DRAW: dict[str, Callable[[ImageDraw.ImageDraw, int, Colour], None]] = {
    "bed": _bed,
    "bath": _bath,
    "area": _area,
    "phone": _phone,
    "tick": _tick,
}


def icon(name: IconName, size: int, colour: tuple[int, int, int]) -> Image.Image:
    """`name` as an RGBA image of `size` x `size` pixels in `colour` on transparency."""
    big = size * SUPERSAMPLE
    canvas = Image.new("RGBA", (big, big), (0, 0, 0, 0))
    _DRAW[name](ImageDraw.Draw(canvas), big, (*colour, 255))
    return canvas.resize((size, size), Image.Resampling.LANCZOS)
