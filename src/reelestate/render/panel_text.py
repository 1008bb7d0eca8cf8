"""The text on a framed photo's page in a vertical reel: identity above the photo, facts below.

Small listing photos are framed in a band across a vertical frame (`layout.panels`), which
leaves the panels above and below free. They carry the text instead of the photo: a kicker
("JUST LISTED · CITY", or the street on later scenes) and a large headline (the address, or the
scene's title) above; the price and the room counts on one strip, then the captions, below.
Pieces that the next shot shows too are the same overlays, so they hold still across the cut.
"""

from __future__ import annotations

from dataclasses import dataclass

from PIL import Image

from reelestate.render.callouts import (
    PROBE,
    STAGGER_SECONDS,
    Callout,
    centred_overlay,
    fitted_font,
    pill_image,
    rgba,
    stat_items,
    text_image,
    wrapped_lines,
)
from reelestate.render.fonts import pil_font
from reelestate.render.layout import Panels, Rect
from reelestate.render.overlays import Overlay, format_price
from reelestate.render.spec import BrandKit, ListingFacts

KICKER = "JUST LISTED"
KICKER_SIZE = 0.25
"""The kicker's type size as a fraction of the headline block's height."""
HEADLINE_SIZE = 0.6
"""The headline's largest type size as a fraction of the headline block's height."""
MIN_ONE_LINE = 0.7
"""A headline shrinks to this fraction of its largest size before it wraps onto two lines."""
CHIP_ALPHA = 46
"""Opacity of a room chip's fill (the text colour, faint) on the brand's panel."""


@dataclass(frozen=True)
class Address:
    street: str
    city: str | None


def split_address(address: str) -> Address:
    """'1826 Laurel Way, Paso Robles' as its street and the rest."""
    street, _, rest = address.partition(",")
    return Address(street=street.strip(), city=rest.strip() or None)


def kicker_for(facts: ListingFacts | None, *, opening: bool) -> str | None:
    """'JUST LISTED · PASO ROBLES' on the opening shots, the street on the others."""
    address = split_address(facts.address) if facts and facts.address else None
    if opening:
        return f"{KICKER} · {address.city.upper()}" if address and address.city else KICKER
    return address.street.upper() if address else None


def headline_for(facts: ListingFacts | None, caption: str | None, title: str | None) -> str | None:
    """The scene's title, else the street, else the storyboard's title."""
    if caption:
        return caption
    if facts and facts.address:
        return split_address(facts.address).street
    return title


def _headline_lines(text: str, rect: Rect, largest: int) -> tuple[list[str], int]:
    """One line as large as fits the width, or two when one would get too small."""
    size = largest
    while size > 12:
        font = pil_font(size, text=text)
        if PROBE.textlength(text, font=font) <= rect.w:
            return [text], size
        if size <= largest * MIN_ONE_LINE:
            lines = wrapped_lines(text, font, rect.w)
            if len(lines) <= 2 and all(PROBE.textlength(t, font=font) <= rect.w for t in lines):
                return lines, size
        size = int(size * 0.94)
    return [text], size


def headline_callouts(
    page: Panels, kicker: str | None, headline: str | None, brand: BrandKit, *, delay: float
) -> list[Callout]:
    """The kicker and the headline, centred as one block in the top panel."""
    rect = page.headline
    pieces: list[Image.Image] = []
    if kicker:
        font = fitted_font(kicker, round(rect.h * KICKER_SIZE), rect.w)
        pieces.append(text_image(kicker, font, rgba(brand.accent_color), outline=False))
    if headline:
        room = rect.h - sum(p.height for p in pieces)
        lines, size = _headline_lines(headline, rect, round(rect.h * HEADLINE_SIZE))
        while size > 12 and round(size * 1.3) * len(lines) > room:
            size = int(size * 0.94)
        for line in lines:
            font = fitted_font(line, size, rect.w)
            pieces.append(text_image(line, font, rgba(brand.text_color), outline=False))
    y = rect.y + max(0, (rect.h - sum(p.height for p in pieces)) // 2)
    result = []
    for i, piece in enumerate(pieces):
        result.append(Callout(centred_overlay(piece, rect, y), delay + i * STAGGER_SECONDS))
        y += piece.height
    return result


def compact_items(facts: ListingFacts) -> list[str]:
    """'3 BD', '2 BA', '1,850 SQ FT': short enough for the price and all three on one row."""
    items = []
    if facts.beds is not None:
        items.append(f"{facts.beds:g} BD")
    if facts.baths is not None:
        items.append(f"{facts.baths:g} BA")
    if facts.area_sqft is not None:
        items.append(f"{facts.area_sqft:,} SQ FT")
    return items


def _chips(items: list[str], height: int, brand: BrandKit) -> list[Image.Image]:
    size = round(height / 1.55)
    return [
        pill_image(t, pil_font(size, text=t), rgba(brand.text_color, CHIP_ALPHA), rgba("#FFFFFF"))
        for t in items
    ]


def _row(images: list[Image.Image], rect: Rect, delay: float) -> list[Callout]:
    gap = rect.h // 5
    total = sum(i.width for i in images) + gap * (len(images) - 1)
    x = rect.x + (rect.w - total) // 2
    result = []
    for i, img in enumerate(images):
        y = rect.y + (rect.h - img.height) // 2
        result.append(Callout(Overlay.from_image(img, x, y), delay + i * STAGGER_SECONDS))
        x += img.width + gap
    return result


def _fitting_row(
    pieces: list[str], rect: Rect, brand: BrandKit, *, price: str | None
) -> list[Image.Image]:
    """The price pill and the chips at the largest size whose row fits the strip's width."""
    height = rect.h
    while True:
        images = _chips(pieces, height, brand)
        if price is not None:
            font = pil_font(round(height / 1.55), text=price)
            accent = pill_image(
                price, font, rgba(brand.accent_color, 245), rgba(brand.primary_color)
            )
            images.insert(0, accent)
        total = sum(i.width for i in images) + rect.h // 5 * (len(images) - 1)
        if total <= rect.w or height <= 16:
            return images
        height = int(height * 0.93)


def facts_strip(
    page: Panels, facts: ListingFacts, brand: BrandKit, *, delay: float
) -> list[Callout]:
    """The price on an accent pill, then the rooms and the area, in one row under the photo."""
    price = format_price(facts.price, facts.currency) if facts.price is not None else None
    images = _fitting_row(compact_items(facts), page.facts, brand, price=price)
    return _row(images, page.facts, delay) if images else []


def opening_facts(page: Panels, facts: ListingFacts, brand: BrandKit) -> list[Callout]:
    """The cold open's bottom panel: the price large where the captions will be, and the rooms
    and the area on the strip above it."""
    result = []
    if facts.price is not None:
        price = format_price(facts.price, facts.currency)
        rect = page.captions
        font = fitted_font(price, round(rect.h * 0.36), rect.w - rect.h // 3)
        pill = pill_image(price, font, rgba(brand.accent_color, 245), rgba(brand.primary_color))
        y = rect.y + (rect.h - pill.height) // 2
        result.append(Callout(centred_overlay(pill, rect, y), 0.45))
    chips = _fitting_row(stat_items(facts), page.facts, brand, price=None)
    if chips:
        start = result[-1].delay + STAGGER_SECONDS * 1.5 if result else 0.45
        result.extend(_row(chips, page.facts, start))
    return result
