"""Fonts shipped with the package, so titles and captions look the same on every machine.

League Spartan Bold (SIL OFL) is the display face: a geometric bold that stays legible at
phone size over a photo. It covers Latin scripts only; text in any other script is drawn
with DejaVu Sans, and libass falls back per glyph on its own.
"""

from __future__ import annotations

from pathlib import Path

from PIL import ImageFont

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
