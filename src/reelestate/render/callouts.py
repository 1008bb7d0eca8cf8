"""The animated text of a reel: stat callouts, the cold open's headline, the closing call.

Each piece is drawn once as an RGBA overlay placed inside the safe area; `Callout.delay`
staggers their entrances (the segment renderer fades and slides each one in), so the price
lands first and the rooms, baths and area follow one after another, as in an edited reel.
"""

from __future__ import annotations

from dataclasses import dataclass

from PIL import Image, ImageDraw, ImageFont

from reelestate.render.colour import hex_to_rgb
from reelestate.render.fonts import pil_font
from reelestate.render.layout import (
    Rect,
    centred_rect,
    stats_rect,
    title_size,
)
from reelestate.render.overlays import Overlay, format_price, load_logo
from reelestate.render.spec import Aspect, BrandKit, ListingFacts

STAGGER_SECONDS = 0.18
CALL_TO_ACTION = "Book a showing"

RGBA = tuple[int, int, int, int]


@dataclass(frozen=True)
class Callout:
    overlay: Overlay
    delay: float
    """Seconds after the shot appears at which this piece starts to come in."""


def rgba(colour: str, alpha: int = 255) -> RGBA:
    r, g, b = hex_to_rgb(colour)
    return r, g, b, alpha


PROBE = ImageDraw.Draw(Image.new("RGBA", (1, 1)))


def fitted_font(text: str, size: int, max_width: int) -> ImageFont.FreeTypeFont:
    font = pil_font(size, text=text)
    while size > 10 and PROBE.textlength(text, font=font) > max_width:
        size = int(size * 0.92)
        font = pil_font(size, text=text)
    return font


def pill_image(text: str, font: ImageFont.FreeTypeFont, fill: RGBA, colour: RGBA) -> Image.Image:
    size = round(font.size)
    pad_x, h = round(size * 0.55), round(size * 1.55)
    w = round(PROBE.textlength(text, font=font)) + 2 * pad_x
    img = Image.new("RGBA", (w, h), (0, 0, 0, 0))
    draw = ImageDraw.Draw(img)
    draw.rounded_rectangle((0, 0, w - 1, h - 1), radius=h // 4, fill=fill)
    draw.text((w // 2, h // 2 + size // 12), text, font=font, fill=colour, anchor="mm")
    return img


def text_image(
    text: str, font: ImageFont.FreeTypeFont, colour: RGBA, *, outline: bool
) -> Image.Image:
    """Text with a soft dark outline when it sits on a photo, so it reads on any background."""
    size = round(font.size)
    stroke = max(2, size // 12) if outline else 0
    w = round(PROBE.textlength(text, font=font)) + 2 * stroke + 4
    h = round(size * 1.3) + 2 * stroke
    img = Image.new("RGBA", (w, h), (0, 0, 0, 0))
    ImageDraw.Draw(img).text(
        (w // 2, h // 2),
        text,
        font=font,
        fill=colour,
        anchor="mm",
        stroke_width=stroke,
        stroke_fill=(0, 0, 0, 170),
    )
    return img


def centred_overlay(img: Image.Image, area: Rect, y: int) -> Overlay:
    return Overlay.from_image(img, area.x + (area.w - img.width) // 2, y)


def _plural(value: float, one: str, many: str) -> str:
    return f"{value:g} {one if value == 1 else many}"


def stat_items(facts: ListingFacts) -> list[str]:
    """'3 BEDS', '2 BATHS', '1,850 SQ FT' from whatever facts are known."""
    items = []
    if facts.beds is not None:
        items.append(_plural(facts.beds, "BED", "BEDS"))
    if facts.baths is not None:
        items.append(_plural(facts.baths, "BATH", "BATHS"))
    if facts.area_sqft is not None:
        items.append(f"{facts.area_sqft:,} SQ FT")
    return items


def stat_callouts(
    aspect: Aspect, width: int, height: int, facts: ListingFacts, brand: BrandKit
) -> list[Callout]:
    """The price on an accent pill, then one chip per room count and the area beneath it."""
    rect = stats_rect(aspect, width, height)
    result: list[Callout] = []
    chips_h = round(rect.h * 0.4)
    if facts.price is not None:
        price = format_price(facts.price, facts.currency)
        font = fitted_font(price, round(rect.h * 0.3), rect.w - round(rect.h * 0.4))
        pill = pill_image(price, font, rgba(brand.accent_color, 245), rgba(brand.primary_color))
        result.append(Callout(centred_overlay(pill, rect, rect.y), 0.25))
    items = stat_items(facts)
    if not items:
        return result
    gap = round(chips_h * 0.25)
    size = round(chips_h * 0.48)
    while True:
        fonts = [pil_font(size, text=t) for t in items]
        chips = [
            pill_image(t, f, rgba(brand.primary_color, 230), rgba(brand.text_color))
            for t, f in zip(items, fonts, strict=True)
        ]
        total = sum(c.width for c in chips) + gap * (len(chips) - 1)
        if total <= rect.w or size <= 10:
            break
        size = int(size * 0.92)
    x = rect.x + (rect.w - total) // 2
    y = rect.bottom - chips[0].height
    start = result[-1].delay + STAGGER_SECONDS * 1.5 if result else 0.25
    for i, chip in enumerate(chips):
        result.append(Callout(Overlay.from_image(chip, x, y), start + i * STAGGER_SECONDS))
        x += chip.width + gap
    return result


def wrapped_lines(text: str, font: ImageFont.FreeTypeFont, max_width: int) -> list[str]:
    lines: list[str] = []
    line = ""
    for word in text.split():
        candidate = f"{line} {word}".strip()
        if line and PROBE.textlength(candidate, font=font) > max_width:
            lines.append(line)
            line = word
        else:
            line = candidate
    return [*lines, line] if line else lines


def cold_open(
    aspect: Aspect,
    width: int,
    height: int,
    facts: ListingFacts | None,
    title: str | None,
    brand: BrandKit,
) -> list[Callout]:
    """The address (or title) in bold over the hero photo, and the price under it."""
    rect = stats_rect(aspect, width, height)
    headline = (facts.address if facts and facts.address else None) or title
    has_price = facts is not None and facts.price is not None
    result: list[Callout] = []
    price_h = round(rect.h * 0.42) if has_price else 0
    if headline:
        size = round(title_size(aspect, width, height) * 1.05)
        while True:
            font = pil_font(size, text=headline)
            lines = wrapped_lines(headline.upper(), font, rect.w - size // 4)
            block = round(size * 1.2) * len(lines)
            fits = len(lines) <= 2 and block <= rect.h - price_h
            if fits or size <= 12:
                break
            size = int(size * 0.92)
        y = rect.y + (rect.h - price_h - block)
        for i, text in enumerate(lines[:2]):
            font = fitted_font(text, size, rect.w - size // 4)
            img = text_image(text, font, rgba(brand.text_color), outline=True)
            result.append(Callout(centred_overlay(img, rect, y), 0.1 + i * STAGGER_SECONDS))
            y += round(size * 1.2)
    if facts is not None and facts.price is not None:
        price = format_price(facts.price, facts.currency)
        font = fitted_font(price, round(price_h * 0.55), rect.w - price_h)
        pill = pill_image(price, font, rgba(brand.accent_color, 245), rgba(brand.primary_color))
        delay = result[-1].delay + STAGGER_SECONDS * 1.5 if result else 0.2
        result.append(Callout(centred_overlay(pill, rect, rect.bottom - pill.height), delay))
    return result


def closing_call(aspect: Aspect, width: int, height: int, brand: BrandKit) -> list[Callout]:
    """The outro: logo, 'Book a showing', the agent's name and phone, the brokerage."""
    area = centred_rect(aspect, width, height)
    unit = title_size(aspect, width, height)
    rows: list[Image.Image] = []
    if brand.logo is not None:
        logo = load_logo(brand.logo)
        logo.thumbnail((round(area.w * 0.5), round(area.h * 0.14)), Image.Resampling.LANCZOS)
        rows.append(logo)
    lines = [
        (CALL_TO_ACTION, round(unit * 1.2), brand.text_color),
        (brand.agent_name, round(unit * 0.95), brand.accent_color),
        (brand.agent_phone, round(unit * 0.8), brand.text_color),
        (brand.name, round(unit * 0.6), brand.text_color),
    ]
    for text, size, colour in lines:
        if text:
            font = fitted_font(text, size, area.w - size // 4)
            rows.append(text_image(text, font, rgba(colour), outline=False))
    gap = round(unit * 0.35)
    total = sum(r.height for r in rows) + gap * (len(rows) - 1)
    y = area.y + max(0, (area.h - total) // 2)
    result: list[Callout] = []
    for i, row in enumerate(rows):
        result.append(Callout(centred_overlay(row, area, y), 0.05 + i * STAGGER_SECONDS))
        y += row.height + gap
    return result
