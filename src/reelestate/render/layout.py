"""Where things sit in the frame: platform safe zones per aspect, in fractions of the frame.

Reels, TikTok and Shorts cover the top seventh (account name, tabs), the bottom fifth
(caption, music) and the right edge (buttons) of a vertical video with their own interface;
every title, caption, stat and logo stays inside the safe area. Feed posts (4:5, 1:1) and
landscape players cover much less, so their margins are small.

Vertically, from the top of the safe area: the logo, the scene title, then (above the
captions) the stat callouts and the cold open's headline, then the narration captions on the
safe area's bottom edge.

A framed photo in a vertical reel leaves panels above and below it; `panels` lays them out as
a page: the logo and the listing's headline above the photo, the facts strip (price, rooms,
area) and large captions below it, all inside the safe area, none on the photo.
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


LOGO_SIZE = {"9:16": (0.62, 0.038), "4:5": (0.5, 0.06), "1:1": (0.5, 0.07), "16:9": (0.32, 0.08)}
"""The logo's box as fractions of the frame's width and height: big enough to read on a phone."""


def logo_rect(aspect: Aspect, width: int, height: int) -> Rect:
    safe = safe_rect(aspect, width, height)
    fw, fh = LOGO_SIZE[aspect]
    # Overlays sit on even pixels: round inwards so the logo never leaves the safe area.
    x, y = safe.x + safe.x % 2, safe.y + safe.y % 2
    return Rect(x=x, y=y, w=min(safe.right - x, round(width * fw)), h=round(height * fh))


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


PANEL_ASPECTS: tuple[Aspect, ...] = ("9:16",)
"""Aspects tall enough to lay a framed photo out as a page with text panels around it."""
PANEL_CAPTION_SIZE = 0.056
"""Captions on a panel: this fraction of the frame's height (the libass size, one line's height)."""
PANEL_HEADLINE_HEIGHT = 0.095
"""The top panel's text block (kicker and headline) as a fraction of the frame's height."""
PANEL_FACTS_HEIGHT = 0.044
"""The facts strip's height as a fraction of the frame's height."""
PANEL_GAP = 0.013
"""Space between the panels' rows and the photo, as a fraction of the frame's height."""


@dataclass(frozen=True)
class Panels:
    """A framed photo's page in a vertical reel: where each piece of text and the photo go."""

    headline: Rect
    """The kicker and the headline, under the logo."""
    photo: Rect
    """The tallest the photo's band may be; the photo is cropped to it when taller."""
    facts: Rect
    """The facts strip: the price and the rooms and area, on chips in one row."""
    captions: Rect
    """Narration captions, anchored at the top, at most `CAPTION_LINES` lines."""
    caption_size: int


def panels(aspect: Aspect, width: int, height: int) -> Panels | None:
    """The page around a framed photo, or None where the panels are too short for text."""
    if aspect not in PANEL_ASPECTS:
        return None
    area = centred_rect(aspect, width, height)
    logo = logo_rect(aspect, width, height)
    gap = round(height * PANEL_GAP)
    headline = Rect(area.x, logo.bottom + gap, area.w, round(height * PANEL_HEADLINE_HEIGHT))
    size = round(height * PANEL_CAPTION_SIZE)
    captions_h = round(size * 1.12 * CAPTION_LINES)
    captions = Rect(area.x, area.bottom - captions_h, area.w, captions_h)
    facts_h = round(height * PANEL_FACTS_HEIGHT)
    facts = Rect(area.x, captions.y - gap - facts_h, area.w, facts_h)
    top = _even(headline.bottom + gap)
    bottom = _even(facts.y - gap)
    photo = Rect(0, top, width, bottom - top)
    return Panels(headline=headline, photo=photo, facts=facts, captions=captions, caption_size=size)


def framed_box(aspect: Aspect, width: int, height: int, photo_w: int, photo_h: int) -> Rect:
    """Where a framed photo sits: whole, across the frame's width (or height), on the panels.

    In a vertical reel the photo spans the width in the band between the text panels, cropped
    to the band when it is taller (the camera then moves over the photo inside the band).
    """
    page = panels(aspect, width, height)
    if page is not None and photo_w >= photo_h:
        h = min(page.photo.h, _even(photo_h * width / photo_w))
        y = _even(page.photo.y + (page.photo.h - h) / 2)
        return Rect(x=0, y=y, w=width, h=h)
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
    chars = {"9:16": 28, "4:5": 24, "1:1": 24, "16:9": 36}[aspect]
    page = panels(aspect, width, height)
    return CaptionLayout(
        width=width,
        height=height,
        font_family=font_family,
        narration_size=narration_size(aspect, width, height),
        title_size=title_size(aspect, width, height),
        margin_h=area.x,
        narration_margin_v=height - captions.bottom,
        title_margin_v=title.y,
        panel_size=page.caption_size if page else 0,
        panel_margin_v=page.captions.y if page else 0,
        highlight=brand.accent_color,
        text=brand.text_color,
        max_chars=chars,
    )
