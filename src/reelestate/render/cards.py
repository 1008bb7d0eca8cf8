"""Intro and outro cards in the brand's colours, drawn as images the camera moves over."""

from __future__ import annotations

import numpy as np
from PIL import Image, ImageDraw, ImageFont

from reelestate.render.colour import U8, hex_to_rgb
from reelestate.render.fonts import pil_font
from reelestate.render.overlays import facts_line, format_price, load_logo
from reelestate.render.spec import BrandKit, ListingFacts

CARD_MARGIN = 1.06
"""Cards are drawn slightly larger than the frame so a slow zoom never shows an edge."""


def _gradient(width: int, height: int, colour: str) -> Image.Image:
    r, g, b = hex_to_rgb(colour)
    top = np.array([r, g, b], dtype=np.float32)
    bottom = top * 0.45
    t = np.linspace(0.0, 1.0, height, dtype=np.float32)[:, None]
    column = top[None, :] * (1 - t) + bottom[None, :] * t
    arr = np.broadcast_to(column[:, None, :], (height, width, 3)).astype(np.uint8)
    return Image.fromarray(np.ascontiguousarray(arr))


def _wrap(
    draw: ImageDraw.ImageDraw, text: str, font: ImageFont.FreeTypeFont, max_width: int
) -> list[str]:
    words, lines, line = text.split(), [], ""
    for word in words:
        candidate = f"{line} {word}".strip()
        if line and draw.textlength(candidate, font=font) > max_width:
            lines.append(line)
            line = word
        else:
            line = candidate
    if line:
        lines.append(line)
    return lines


def _centred_block(
    draw: ImageDraw.ImageDraw,
    text: str,
    *,
    width: int,
    y: int,
    size: int,
    colour: tuple[int, int, int],
    max_lines: int = 3,
    bold: bool = True,
) -> int:
    """Draw wrapped, centred text from `y`; shrink it until it fits; return the next y."""
    max_width = round(width * 0.84)
    while True:
        font = pil_font(size, bold=bold)
        lines = _wrap(draw, text, font, max_width)
        too_wide = any(draw.textlength(ln, font=font) > max_width for ln in lines)
        if (len(lines) <= max_lines and not too_wide) or size <= 12:
            break
        size = int(size * 0.9)
    for line in lines:
        line_w = draw.textlength(line, font=font)
        draw.text(((width - line_w) / 2, y), line, font=font, fill=colour)
        y += round(size * 1.25)
    return y


def _paste_logo(card: Image.Image, brand: BrandKit, y: int, max_h: int) -> int:
    if brand.logo is None:
        return y
    logo = load_logo(brand.logo)
    logo.thumbnail((round(card.width * 0.5), max_h), Image.Resampling.LANCZOS)
    card.paste(logo, ((card.width - logo.width) // 2, y), logo)
    return y + logo.height + max_h // 3


def intro_card(
    width: int,
    height: int,
    brand: BrandKit,
    facts: ListingFacts | None,
    title: str | None,
    *,
    branded: bool,
) -> U8:
    """Opening card: logo, address (or title), price and key facts."""
    w, h = round(width * CARD_MARGIN), round(height * CARD_MARGIN)
    card = _gradient(w, h, brand.primary_color)
    draw = ImageDraw.Draw(card)
    text = hex_to_rgb(brand.text_color)
    accent = hex_to_rgb(brand.accent_color)
    unit = min(w, h)
    y = round(h * 0.30)
    if branded:
        y = _paste_logo(card, brand, round(h * 0.18), round(h * 0.08))
    headline = title or (facts.address if facts and facts.address else None) or "New listing"
    y = _centred_block(draw, headline, width=w, y=y, size=round(unit * 0.075), colour=text)
    y += round(unit * 0.04)
    if facts is not None and facts.price is not None:
        price = format_price(facts.price, facts.currency)
        y = _centred_block(
            draw, price, width=w, y=y, size=round(unit * 0.09), colour=accent, max_lines=1
        )
    if facts is not None and facts_line(facts):
        y = _centred_block(
            draw, facts_line(facts), width=w, y=y, size=round(unit * 0.05), colour=text
        )
    if branded and brand.name:
        _centred_block(
            draw,
            brand.name,
            width=w,
            y=round(h * 0.82),
            size=round(unit * 0.04),
            colour=text,
            bold=False,
        )
    return np.ascontiguousarray(np.asarray(card, dtype=np.uint8))


def outro_card(width: int, height: int, brand: BrandKit) -> U8:
    """Closing card: who to call, in the brand's colours."""
    w, h = round(width * CARD_MARGIN), round(height * CARD_MARGIN)
    card = _gradient(w, h, brand.primary_color)
    draw = ImageDraw.Draw(card)
    text = hex_to_rgb(brand.text_color)
    accent = hex_to_rgb(brand.accent_color)
    unit = min(w, h)
    y = _paste_logo(card, brand, round(h * 0.22), round(h * 0.09))
    y = max(y, round(h * 0.36))
    y = _centred_block(
        draw, "Schedule a private showing", width=w, y=y, size=round(unit * 0.06), colour=text
    )
    y += round(unit * 0.05)
    if brand.agent_name:
        y = _centred_block(
            draw, brand.agent_name, width=w, y=y, size=round(unit * 0.07), colour=accent
        )
    if brand.agent_phone:
        y = _centred_block(
            draw, brand.agent_phone, width=w, y=y, size=round(unit * 0.06), colour=text
        )
    if brand.name:
        _centred_block(
            draw,
            brand.name,
            width=w,
            y=y + round(unit * 0.04),
            size=round(unit * 0.045),
            colour=text,
            bold=False,
        )
    return np.ascontiguousarray(np.asarray(card, dtype=np.uint8))
