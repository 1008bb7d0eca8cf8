"""Fonts shipped with the package, so titles and captions look the same on every machine.

League Spartan Bold (SIL OFL) is the display face: a geometric bold that stays legible at
phone size over a photo. It covers Latin scripts only; text in any other script is drawn
with DejaVu Sans, and libass falls back per glyph on its own.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFont

FONTS_DIR = Path(__file__).parent / "assets" / "fonts"
REGULAR = FONTS_DIR / "DejaVuSans.ttf"
BOLD = FONTS_DIR / "DejaVuSans-Bold.ttf"
DISPLAY = FONTS_DIR / "LeagueSpartan-Bold.otf"
DEFAULT_FAMILY = "League Spartan"
FONT_SUFFIXES = (".ttf", ".otf")


def family_name(font_file: Path) -> str:
    """The family name libass matches a style's `Fontname` against."""
    family, _style = ImageFont.truetype(str(font_file), 12).getname()
    return family or DEFAULT_FAMILY


def display_covers(text: str) -> bool:
    """Whether the display face has every character: Latin, punctuation and currency signs."""
    return all(ord(c) < 0x0250 or 0x2000 <= ord(c) <= 0x20CF for c in text)


def pil_font(
    size: int, *, bold: bool = True, custom: Path | None = None, text: str = ""
) -> ImageFont.FreeTypeFont:
    """A Pillow font at `size` pixels: the brand font when given, else the display face for
    bold Latin text, else DejaVu Sans."""
    if custom is not None:
        path = custom
    elif bold:
        path = DISPLAY if display_covers(text) else BOLD
    else:
        path = REGULAR
    return ImageFont.truetype(str(path), size, layout_engine=ImageFont.Layout.RAQM)


NOT_A_CHARACTER = "\U0010fffd"
"""A private-use code point no font maps: what the font draws for it is its missing-glyph box."""


def _ink(font: ImageFont.FreeTypeFont, char: str) -> bytes:
    size = round(font.size * 2)
    img = Image.new("L", (size, size))
    ImageDraw.Draw(img).text((size // 4, 0), char, font=font, fill=255)
    return np.asarray(img).tobytes()


@lru_cache(maxsize=64)
def _tofu(path: str, size: int) -> bytes:
    return _ink(ImageFont.truetype(path, size), NOT_A_CHARACTER)


def missing_glyphs(font: ImageFont.FreeTypeFont, text: str) -> list[str]:
    """The characters of `text` that `font` would draw as its missing-glyph box ("tofu").

    Pillow does not say when a font lacks a character, it silently draws the box; comparing
    each character's ink with the box's is the one check that needs no extra font library.
    """
    seen = {c for c in text if not c.isspace()}
    if not seen:
        return []
    path = font.path if isinstance(font.path, str) else str(font.path)
    tofu = _tofu(path, int(font.size))
    return sorted(c for c in seen if _ink(font, c) == tofu)
