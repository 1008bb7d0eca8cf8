"""Backgrounds in the brand's colours: the closing card, and the panels around a framed photo.

Only colour is drawn here; the text on them comes as animated callouts (`callouts.py`), so it
can come in word by word and stays sharp while the camera moves.
"""

from __future__ import annotations

import cv2
import numpy as np

from reelestate.render.colour import U8, hex_to_rgb
from reelestate.render.layout import Rect
from reelestate.render.spec import BrandKit

CARD_MARGIN = 1.06
"""Cards are drawn slightly larger than the frame so a slow zoom never shows an edge."""


def gradient(width: int, height: int, colour: str, *, darken: float = 0.45) -> U8:
    """`colour` at the top fading to `darken` times it at the bottom, as RGB."""
    top = np.array(hex_to_rgb(colour), dtype=np.float32)
    t = np.linspace(0.0, 1.0, height, dtype=np.float32)[:, None]
    column = top[None, :] * (1 - t * (1 - darken))
    arr = np.broadcast_to(column[:, None, :], (height, width, 3))
    return np.ascontiguousarray(np.rint(arr).astype(np.uint8))


PHOTO_TINT = 0.2
"""How much of the hero photo shows through the closing card's brand colour."""


def outro_card(width: int, height: int, brand: BrandKit, photo: U8 | None = None) -> U8:
    """The closing card's background, slightly larger than the frame for its slow zoom: the
    brand gradient over a faint copy of the hero photo, whose texture keeps the zoom visible
    while the text holds still."""
    w, h = round(width * CARD_MARGIN), round(height * CARD_MARGIN)
    card = gradient(w, h, brand.primary_color).astype(np.float32)
    if photo is not None:
        ph, pw = photo.shape[:2]
        cover = max(w / pw, h / ph)
        big = cv2.resize(photo, (max(w, round(pw * cover)), max(h, round(ph * cover))))
        y0, x0 = (big.shape[0] - h) // 2, (big.shape[1] - w) // 2
        luma = big[y0 : y0 + h, x0 : x0 + w].astype(np.float32).mean(axis=2, keepdims=True)
        card = card * (1 - PHOTO_TINT) + card * (luma / 128.0) * PHOTO_TINT
    return np.ascontiguousarray(np.clip(np.rint(card), 0, 255).astype(np.uint8))


def framed_backdrop(width: int, height: int, box: Rect, brand: BrandKit) -> U8:
    """Brand panels around a framed photo: a gradient, a soft shadow and accent rules at the
    photo's edges, so the photo reads as placed on a designed page, not letterboxed."""
    page = gradient(width, height, brand.primary_color, darken=0.35).astype(np.float32)
    shadow = np.zeros((height, width), dtype=np.float32)
    spread = max(4, min(width, height) // 60)
    shadow[
        max(0, box.y - spread) : box.bottom + spread, max(0, box.x - spread) : box.right + spread
    ] = 1.0
    kernel = 2 * spread + 1
    shadow = np.asarray(cv2.GaussianBlur(shadow, (kernel, kernel), 0), dtype=np.float32)
    page *= (1.0 - 0.45 * shadow)[:, :, None]
    accent = np.array(hex_to_rgb(brand.accent_color), dtype=np.float32)
    rule = max(2, height // 240)
    if box.w >= width - 2:  # full width: rules above and below
        page[max(0, box.y - rule) : box.y, :] = accent
        page[box.bottom : box.bottom + rule, :] = accent
    elif box.h >= height - 2:  # full height: rules left and right
        page[:, max(0, box.x - rule) : box.x] = accent
        page[:, box.right : box.right + rule] = accent
    return np.ascontiguousarray(np.clip(np.rint(page), 0, 255).astype(np.uint8))
