"""Fonts shipped with the package, so captions look the same on every machine."""

from __future__ import annotations

from pathlib import Path

from PIL import ImageFont

FONTS_DIR = Path(__file__).parent / "assets" / "fonts"
REGULAR = FONTS_DIR / "DejaVuSans.ttf"
BOLD = FONTS_DIR / "DejaVuSans-Bold.ttf"
DEFAULT_FAMILY = "DejaVu Sans"


def family_name(font_file: Path) -> str:
    """The family name libass matches a style's `Fontname` against."""
    family, _style = ImageFont.truetype(str(font_file), 12).getname()
    return family or DEFAULT_FAMILY


def pil_font(size: int, *, bold: bool = True, custom: Path | None = None) -> ImageFont.FreeTypeFont:
    """A Pillow font at `size` pixels, the brand font when one is given."""
    path = custom if custom is not None else (BOLD if bold else REGULAR)
    return ImageFont.truetype(str(path), size, layout_engine=ImageFont.Layout.RAQM)
