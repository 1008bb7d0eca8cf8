"""Where things sit in the frame: platform safe zones per aspect, in fractions of the frame.

Reels, TikTok and Shorts cover the bottom fifth and the right edge of a vertical video with
their own buttons and text; captions and facts stay out of those zones.
"""

from __future__ import annotations

from dataclasses import dataclass

from reelestate.render.captions import CaptionLayout
from reelestate.render.fonts import DEFAULT_FAMILY
from reelestate.render.spec import Aspect, BrandKit


@dataclass(frozen=True)
class SafeZone:
    top: float
    bottom: float
    left: float
    right: float


SAFE_ZONES: dict[str, SafeZone] = {
    "9:16": SafeZone(top=0.10, bottom=0.22, left=0.06, right=0.12),
    "4:5": SafeZone(top=0.06, bottom=0.12, left=0.06, right=0.06),
    "1:1": SafeZone(top=0.06, bottom=0.08, left=0.06, right=0.06),
    "16:9": SafeZone(top=0.07, bottom=0.08, left=0.05, right=0.05),
}

LOWER_THIRD_HEIGHT = {"9:16": 0.10, "4:5": 0.13, "1:1": 0.15, "16:9": 0.17}
"""Height of the facts panel as a fraction of the frame height."""


@dataclass(frozen=True)
class Rect:
    x: int
    y: int
    w: int
    h: int


def lower_third_rect(aspect: Aspect, width: int, height: int) -> Rect:
    zone = SAFE_ZONES[aspect]
    h = round(height * LOWER_THIRD_HEIGHT[aspect])
    bottom = round(height * (1 - zone.bottom))
    left = round(width * zone.left)
    w = round(width * (1 - zone.left - zone.right)) if aspect != "16:9" else round(width * 0.5)
    return Rect(x=left, y=bottom - h, w=w, h=h)


def logo_rect(aspect: Aspect, width: int, height: int) -> Rect:
    zone = SAFE_ZONES[aspect]
    return Rect(
        x=round(width * zone.left),
        y=round(height * zone.top),
        w=round(width * 0.30),
        h=round(height * (0.05 if aspect == "9:16" else 0.08)),
    )


def caption_layout(
    aspect: Aspect, width: int, height: int, brand: BrandKit, font_family: str = DEFAULT_FAMILY
) -> CaptionLayout:
    zone = SAFE_ZONES[aspect]
    panel = lower_third_rect(aspect, width, height)
    narration_size = round(min(width, height) * (0.058 if aspect == "9:16" else 0.05))
    logo = logo_rect(aspect, width, height)
    chars = {"9:16": 24, "4:5": 26, "1:1": 26, "16:9": 40}[aspect]
    return CaptionLayout(
        width=width,
        height=height,
        font_family=font_family,
        narration_size=narration_size,
        title_size=round(narration_size * 0.8),
        margin_h=round(width * max(zone.left, zone.right)),
        narration_margin_v=height - panel.y + round(height * 0.02),
        title_margin_v=logo.y + logo.h + round(height * 0.02),
        highlight=brand.accent_color,
        text=brand.text_color,
        max_chars=chars,
    )
