"""Where things sit in the frame: platform safe zones per aspect, in fractions of the frame.

Reels, TikTok and Shorts cover the top seventh (account name, tabs), the bottom fifth
(caption, music) and the right edge (buttons) of a vertical video with their own interface;
every title, caption, stat and logo stays inside the safe area. Feed posts (4:5, 1:1) and
landscape players cover much less, so their margins are small.

Vertically, from the top of the safe area: the logo, the scene title, then (above the
captions) the stat callouts and the cold open's headline, then the narration captions on the
safe area's bottom edge.
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
    "9:16": SafeZone(top=0.14, bottom=0.20, left=0.06, right=0.12),
    "4:5": SafeZone(top=0.07, bottom=0.12, left=0.06, right=0.06),
    "1:1": SafeZone(top=0.06, bottom=0.08, left=0.06, right=0.06),
    "16:9": SafeZone(top=0.07, bottom=0.08, left=0.05, right=0.05),
}

CAPTION_LINES = 2
"""Narration captions wrap to at most this many lines."""
STATS_HEIGHT = {"9:16": 0.15, "4:5": 0.17, "1:1": 0.2, "16:9": 0.24}
"""Height of the stat callouts (and the cold open's headline) as a fraction of the frame."""
FRAMED_CENTRE_Y = {"9:16": 0.47, "4:5": 0.45, "1:1": 0.42, "16:9": 0.5}
"""Where a framed photo's centre sits, as a fraction of the frame height."""


@dataclass(frozen=True)
class Rect:
    x: int
    y: int
    w: int
    h: int

    @property
    def bottom(self) -> int:
        return self.y + self.h

    @property
    def right(self) -> int:
        return self.x + self.w


def _even(value: float) -> int:
    return round(value / 2) * 2


def safe_rect(aspect: Aspect, width: int, height: int) -> Rect:
    """The part of the frame no platform interface covers."""
    zone = SAFE_ZONES[aspect]
    x, y = round(width * zone.left), round(height * zone.top)
    return Rect(
        x=x,
        y=y,
        w=round(width * (1 - zone.right)) - x,
        h=round(height * (1 - zone.bottom)) - y,
    )


def centred_rect(aspect: Aspect, width: int, height: int) -> Rect:
    """The safe area made symmetric about the frame's centre, for centred text."""
    safe = safe_rect(aspect, width, height)
    margin = max(safe.x, width - safe.right)
    margin += margin % 2  # overlays sit on even columns
    return Rect(x=margin, y=safe.y, w=width - 2 * margin, h=safe.h)


def narration_size(aspect: Aspect, width: int, height: int) -> int:
    return round(min(width, height) * (0.076 if aspect == "9:16" else 0.058))


def title_size(aspect: Aspect, width: int, height: int) -> int:
    return round(min(width, height) * (0.088 if aspect == "9:16" else 0.066))


def captions_rect(aspect: Aspect, width: int, height: int) -> Rect:
    """Where narration captions may be: up to `CAPTION_LINES` lines on the safe bottom edge."""
    area = centred_rect(aspect, width, height)
    pad = round(height * 0.01)
    h = round(narration_size(aspect, width, height) * 1.25 * CAPTION_LINES)
    return Rect(x=area.x, y=area.bottom - pad - h, w=area.w, h=h)


def logo_rect(aspect: Aspect, width: int, height: int) -> Rect:
    safe = safe_rect(aspect, width, height)
    return Rect(
        x=safe.x,
        y=safe.y,
        w=round(width * 0.30),
        h=round(height * (0.05 if aspect == "9:16" else 0.08)),
    )


def title_rect(aspect: Aspect, width: int, height: int) -> Rect:
    """The scene's title (its room or feature), centred under the logo."""
    area = centred_rect(aspect, width, height)
    logo = logo_rect(aspect, width, height)
    y = logo.bottom + round(height * 0.012)
    return Rect(x=area.x, y=y, w=area.w, h=round(title_size(aspect, width, height) * 1.3))


def stats_rect(aspect: Aspect, width: int, height: int) -> Rect:
    """The stat callouts (price, rooms, area) and the cold open's headline, above the captions."""
    area = centred_rect(aspect, width, height)
    captions = captions_rect(aspect, width, height)
    h = round(height * STATS_HEIGHT[aspect])
    bottom = captions.y - round(height * 0.012)
    return Rect(x=area.x, y=bottom - h, w=area.w, h=h)


def framed_box(aspect: Aspect, width: int, height: int, photo_w: int, photo_h: int) -> Rect:
    """Where a framed photo sits: whole, across the frame's width (or height), on the panels."""
    contain = min(width / photo_w, height / photo_h)
    w = min(width, max(2, _even(photo_w * contain)))
    h = min(height, max(2, _even(photo_h * contain)))
    x = _even((width - w) / 2)
    y = _even(height * FRAMED_CENTRE_Y[aspect] - h / 2)
    return Rect(x=x, y=min(max(0, y), height - h), w=w, h=h)


def caption_layout(
    aspect: Aspect, width: int, height: int, brand: BrandKit, font_family: str = DEFAULT_FAMILY
) -> CaptionLayout:
    area = centred_rect(aspect, width, height)
    captions = captions_rect(aspect, width, height)
    title = title_rect(aspect, width, height)
    chars = {"9:16": 20, "4:5": 24, "1:1": 24, "16:9": 36}[aspect]
    return CaptionLayout(
        width=width,
        height=height,
        font_family=font_family,
        narration_size=narration_size(aspect, width, height),
        title_size=title_size(aspect, width, height),
        margin_h=area.x,
        narration_margin_v=height - captions.bottom,
        title_margin_v=title.y,
        highlight=brand.accent_color,
        text=brand.text_color,
        max_chars=chars,
    )
