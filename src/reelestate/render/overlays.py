"""Brand overlays drawn once as RGBA, then alpha-blended into each frame's planes.

Drawing happens with Pillow (with text shaping, so right-to-left addresses come out right);
per frame only a small rectangle of the Y, U and V planes is blended.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import cv2
import numpy as np
from PIL import Image, ImageDraw, ImageFont

from reelestate.core.errors import InvalidInputError
from reelestate.render.colour import F32, U8, hex_to_rgb, rgb_to_ycc_full, subsample
from reelestate.render.fonts import pil_font
from reelestate.render.frames import FrameBuffer
from reelestate.render.layout import SAFE_ZONES, Rect, logo_rect
from reelestate.render.spec import Aspect, BrandKit, ListingFacts

CURRENCY_SYMBOLS = {"USD": "$", "EUR": "€", "GBP": "£", "CAD": "CA$", "AUD": "A$"}


@dataclass(frozen=True)
class Overlay:
    """An RGBA image converted to 4:2:0 planes plus alpha, placed at an even (x, y).

    Only the image's visible part is kept (its bounding box, on even pixels), and the blend
    weights are computed once, so each frame's blend is one pass over that box per plane.
    """

    x: int
    y: int
    luma: U8
    cb: U8
    cr: U8
    alpha: U8
    alpha_c: U8
    key: str

    @classmethod
    def from_image(cls, image: Image.Image, x: int, y: int) -> Overlay:
        rgba = image.convert("RGBA")
        w, h = rgba.size
        w2, h2 = w - w % 2, h - h % 2
        arr = np.asarray(rgba, dtype=np.uint8)[:h2, :w2]
        key = hashlib.sha256(arr.tobytes()).hexdigest()[:16] + f"@{x},{y}"
        x, y = x - x % 2, y - y % 2
        top, bottom, left, right = _visible_box(arr[:, :, 3])
        arr = arr[top:bottom, left:right]
        luma, cb, cr = rgb_to_ycc_full(np.ascontiguousarray(arr[:, :, :3]))
        alpha = np.ascontiguousarray(arr[:, :, 3])
        return cls(
            x=x + left,
            y=y + top,
            luma=luma,
            cb=subsample(cb),
            cr=subsample(cr),
            alpha=alpha,
            alpha_c=subsample(alpha),
            key=key,
        )

    @cached_property
    def weights(self) -> tuple[F32, F32]:
        """The overlay's alpha as blend weights in 0..1: luma plane's, chroma planes'."""
        return (
            self.alpha.astype(np.float32) / np.float32(255.0),
            self.alpha_c.astype(np.float32) / np.float32(255.0),
        )

    @property
    def bounds(self) -> tuple[int, int, int, int]:
        """Left, top, right, bottom in the frame (before any entrance offset)."""
        return self.x, self.y, self.x + self.luma.shape[1], self.y + self.luma.shape[0]


def _visible_box(alpha: U8) -> tuple[int, int, int, int]:
    """Top, bottom, left, right of the pixels with any opacity, widened to even numbers."""
    rows = np.flatnonzero(alpha.any(axis=1))
    cols = np.flatnonzero(alpha.any(axis=0))
    if rows.size == 0:
        return 0, 2, 0, 2
    top, left = rows[0] - rows[0] % 2, cols[0] - cols[0] % 2
    bottom, right = rows[-1] + 1, cols[-1] + 1
    return int(top), int(bottom + bottom % 2), int(left), int(right + right % 2)


def _blend_plane(dst: U8, src: U8, weight: F32, x: int, y: int, opacity: float) -> None:
    h = min(src.shape[0], dst.shape[0] - y)
    w = min(src.shape[1], dst.shape[1] - x)
    if h <= 0 or w <= 0 or y < 0 or x < 0:
        return
    region = dst[y : y + h, x : x + w]
    ours = weight[:h, :w]
    if opacity < 1.0:
        ours = ours * np.float32(opacity)
    cv2.blendLinear(src[:h, :w], region, ours, np.float32(1.0) - ours, dst=region)


def blend_overlay(
    frame: FrameBuffer, overlay: Overlay, opacity: float = 1.0, *, dy: int = 0
) -> None:
    """Composite `overlay` onto `frame` in place, `dy` (even) pixels below its place."""
    if opacity <= 0.0:
        return
    y = overlay.y + dy - dy % 2
    luma_w, chroma_w = overlay.weights
    _blend_plane(frame.y, overlay.luma, luma_w, overlay.x, y, opacity)
    cx, cy = overlay.x // 2, y // 2
    _blend_plane(frame.u, overlay.cb, chroma_w, cx, cy, opacity)
    _blend_plane(frame.v, overlay.cr, chroma_w, cx, cy, opacity)


def format_price(price: int, currency: str) -> str:
    symbol = CURRENCY_SYMBOLS.get(currency)
    return f"{symbol}{price:,}" if symbol else f"{price:,} {currency}"


def _number(value: float) -> str:
    return f"{value:g}"


def facts_line(facts: ListingFacts) -> str:
    """'3 bd · 2 ba · 1,826 sq ft' from whatever facts are known."""
    parts = []
    if facts.beds is not None:
        parts.append(f"{_number(facts.beds)} bd")
    if facts.baths is not None:
        parts.append(f"{_number(facts.baths)} ba")
    if facts.area_sqft is not None:
        parts.append(f"{facts.area_sqft:,} sq ft")
    return " · ".join(parts)


def _rgba(colour: str, alpha: int = 255) -> tuple[int, int, int, int]:
    r, g, b = hex_to_rgb(colour)
    return r, g, b, alpha


def _fit_font(
    draw: ImageDraw.ImageDraw, text: str, max_width: int, size: int, *, bold: bool = True
) -> ImageFont.FreeTypeFont:
    font = pil_font(size, bold=bold, text=text)
    while size > 10 and draw.textlength(text, font=font) > max_width:
        size = int(size * 0.9)
        font = pil_font(size, bold=bold, text=text)
    return font


def load_logo(path: Path) -> Image.Image:
    try:
        with Image.open(path) as img:
            logo: Image.Image = img.convert("RGBA")
            return logo
    except FileNotFoundError as exc:
        raise InvalidInputError(
            f"Brand logo not found: {path.name}.", hint="Upload the logo again."
        ) from exc
    except OSError as exc:
        raise InvalidInputError(
            f"The brand logo {path.name} cannot be read.", hint="Use a PNG or JPEG logo."
        ) from exc


def logo_overlay(aspect: Aspect, width: int, height: int, brand: BrandKit) -> Overlay | None:
    """The brand's logo (or its name on a pill) in the top-left safe corner."""
    rect = logo_rect(aspect, width, height)
    if brand.logo is not None:
        logo = load_logo(brand.logo)
        logo.thumbnail((rect.w, rect.h), Image.Resampling.LANCZOS)
        faded = logo.copy()
        faded.putalpha(logo.getchannel("A").point(lambda a: a * 9 // 10))
        return Overlay.from_image(faded, rect.x, rect.y)
    if brand.name:
        return _pill(brand.name, rect, brand.primary_color, brand.text_color, anchor_right=False)
    return None


def _pill(text: str, rect: Rect, fill: str, colour: str, *, anchor_right: bool) -> Overlay:
    probe = ImageDraw.Draw(Image.new("RGBA", (1, 1)))
    font = _fit_font(probe, text, rect.w, round(rect.h * 0.62))
    pad = rect.h // 4
    text_w = round(probe.textlength(text, font=font))
    w, h = text_w + 2 * pad, round(font.size * 1.6)
    img = Image.new("RGBA", (w, h), (0, 0, 0, 0))
    draw = ImageDraw.Draw(img)
    # A faint rim in the text's colour keeps the pill's shape on a panel of its own colour.
    rim = max(1, h // 28)
    draw.rounded_rectangle(
        (0, 0, w - 1, h - 1),
        radius=h // 2,
        fill=_rgba(fill, 200),
        outline=_rgba(colour, 90),
        width=rim,
    )
    draw.text((w // 2, h // 2), text, font=font, fill=_rgba(colour), anchor="mm")
    x = rect.x + rect.w - w if anchor_right else rect.x
    return Overlay.from_image(img, x, rect.y)


def disclosure_overlay(aspect: Aspect, width: int, height: int) -> Overlay:
    """'AI-generated visuals', top right, on every shot a generative model made."""
    zone = SAFE_ZONES[aspect]
    logo = logo_rect(aspect, width, height)
    right_edge = round(width * (1 - zone.right))
    rect = Rect(x=right_edge - logo.w, y=logo.y, w=logo.w, h=round(logo.h * 0.7))
    return _pill("AI-generated visuals", rect, "#000000", "#FFFFFF", anchor_right=True)
