"""Where each part of a facts card sits, per aspect, inside the platform's safe area.

The card reads top to bottom: a kicker and the address at the top of the safe area, then,
anchored to its bottom edge, the price, the rooms and area, the highlights and the agent's
bar. Landscape cards keep the photo visible on the right and set the text in a left column.
Sizes are computed at a scale that shrinks until every part fits, so a long address or three
highlights never push anything outside the safe area.
"""

from __future__ import annotations

from dataclasses import dataclass

from reelestate.render.layout import SAFE_ZONES, Rect

COLUMN_SHARE = {"16:9": 0.5}
"""Share of the safe width the text column takes (the rest shows the photo)."""


@dataclass(frozen=True)
class CardMetrics:
    """Font sizes and gaps in pixels for one card at one scale."""

    unit: float

    def px(self, value: float) -> int:
        return max(1, round(value * self.unit))

    @property
    def kicker(self) -> int:
        return self.px(30)

    @property
    def address(self) -> int:
        return self.px(50)

    @property
    def price(self) -> int:
        return self.px(140)

    @property
    def fact_value(self) -> int:
        return self.px(54)

    @property
    def fact_label(self) -> int:
        return self.px(28)

    @property
    def fact_icon(self) -> int:
        return self.px(64)

    @property
    def highlight(self) -> int:
        return self.px(36)

    @property
    def agent_name(self) -> int:
        return self.px(38)

    @property
    def agent_phone(self) -> int:
        return self.px(32)

    @property
    def gap(self) -> int:
        return self.px(30)


def safe_rect(aspect: str, width: int, height: int) -> Rect:
    """The area every text and logo of the card stays inside."""
    zone = SAFE_ZONES[aspect]
    x0, y0 = round(width * zone.left), round(height * zone.top)
    x1, y1 = round(width * (1 - zone.right)), round(height * (1 - zone.bottom))
    return Rect(x0, y0, x1 - x0, y1 - y0)


def text_column(aspect: str, width: int, height: int) -> Rect:
    """The column the card's text is set in: the whole safe area, or its left part."""
    safe = safe_rect(aspect, width, height)
    share = COLUMN_SHARE.get(aspect, 1.0)
    return Rect(safe.x, safe.y, round(safe.w * share), safe.h)


def base_unit(width: int, height: int) -> float:
    """Pixels per design unit: designs are made for a 1080-pixel short side."""
    return min(width, height) / 1080.0
