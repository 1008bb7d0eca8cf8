"""A facts card's frames: the hero photo behind a brand scrim, and the facts coming in.

Every part is drawn once as an RGBA tile (sharp text from Pillow, vector icons) and placed
by `layout.py`; a frame is the slowly zooming photo, the scrim, and each tile at its opacity
and slide for that moment. Only the price changes as it counts up, so only it is redrawn.
The last frame holds everything in place, and is the card's still image.

What does not move is prepared once: the scrim as two 8-bit images (OpenCV's saturating
multiply and add apply it), and, once every tile has come in, all tiles flattened into one
premultiplied layer, so a settled frame costs the photo's warp and three uint8 passes. The
count-up price is drawn once per value shown. (Measured on a 6 s card: 2.3-2.8 times faster
per frame than blending each tile in float every frame, same pixels within 2 levels.)
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import cv2
import numpy as np
from PIL import Image, ImageDraw, ImageFont

from reelestate.core.imaging import load_photo
from reelestate.render.colour import U8, hex_to_rgb
from reelestate.render.fonts import missing_glyphs, pil_font
from reelestate.render.infographic.icons import IconName, icon
from reelestate.render.infographic.layout import CardMetrics, base_unit, text_column
from reelestate.render.infographic.spec import MIN_SECONDS, InfographicSpec
from reelestate.render.layout import Rect
from reelestate.render.overlays import format_price, load_logo

FADE_S = 0.45
COUNT_START_S, COUNT_S = 0.5, 1.8
ZOOM = 0.06
"""How much closer the photo is at the end than at the start."""
MIN_SCALE = 0.45


@dataclass(frozen=True)
class Tile:
    image: U8
    """RGBA."""
    x: int
    y: int
    appear: float
    """Seconds at which it starts fading in."""


def _ease(p: float) -> float:
    p = min(1.0, max(0.0, p))
    return 1 - (1 - p) ** 3


def count_value(price: int, t: float) -> int:
    """The price shown at `t` seconds: counting up, then held exactly."""
    p = _ease((t - COUNT_START_S) / COUNT_S)
    if p >= 1.0:
        return price
    step = 10 ** max(0, len(str(price)) - 3)
    return int(int(price * p) // step * step)


def _number(value: float) -> str:
    return f"{value:g}"


class _Fonts:
    """The brand font where it has every character of a text, else the shipped faces.

    A brand font often lacks a currency sign or the middle dot; the card then sets that one
    text in the shipped face rather than printing a missing-glyph box.
    """

    def __init__(self, spec: InfographicSpec) -> None:
        self.custom = spec.brand.font

    def _pick(self, size: int, text: str, *, bold: bool) -> ImageFont.FreeTypeFont:
        if self.custom is not None:
            font = pil_font(size, bold=bold, custom=self.custom, text=text)
            if not missing_glyphs(font, text):
                return font
        return pil_font(size, bold=bold, text=text)

    def display(self, size: int, text: str) -> ImageFont.FreeTypeFont:
        return self._pick(size, text, bold=True)

    def body(self, size: int, text: str) -> ImageFont.FreeTypeFont:
        return self._pick(size, text, bold=False)


def _text_tile(text: str, font: ImageFont.FreeTypeFont, colour: tuple[int, int, int]) -> U8:
    left, _top, right, _bottom = font.getbbox(text)
    ascent, descent = font.getmetrics()
    width = max(1, round(right - min(0, left)))
    img = Image.new("RGBA", (width, round(ascent + descent)), (0, 0, 0, 0))
    ImageDraw.Draw(img).text((-min(0, left), 0), text, font=font, fill=(*colour, 255))
    return np.asarray(img)


def _fit(text: str, size: int, width: int, make: _FontMaker) -> ImageFont.FreeTypeFont:
    font = make(size, text)
    while size > 8 and font.getlength(text) > width:
        size = int(size * 0.92)
        font = make(size, text)
    return font


class _FontMaker:
    def __init__(self, fonts: _Fonts, *, display: bool) -> None:
        self.fonts, self.display = fonts, display

    def __call__(self, size: int, text: str) -> ImageFont.FreeTypeFont:
        return self.fonts.display(size, text) if self.display else self.fonts.body(size, text)


def _wrap(text: str, font: ImageFont.FreeTypeFont, width: int, lines: int) -> list[str]:
    words, out, line = text.split(), [], ""
    for word in words:
        trial = f"{line} {word}".strip()
        if font.getlength(trial) <= width or not line:
            line = trial
        else:
            out.append(line)
            line = word
    if line:
        out.append(line)
    if len(out) > lines:
        out = [*out[: lines - 1], " ".join(out[lines - 1 :])]
    return out


def _stack(tiles: list[U8], gap: int) -> U8:
    width = max(t.shape[1] for t in tiles)
    height = sum(t.shape[0] for t in tiles) + gap * (len(tiles) - 1)
    out = np.zeros((height, width, 4), np.uint8)
    y = 0
    for t in tiles:
        out[y : y + t.shape[0], : t.shape[1]] = t
        y += t.shape[0] + gap
    return out


def _hstack(tiles: list[U8], gap: int, *, centre: bool = True) -> U8:
    height = max(t.shape[0] for t in tiles)
    width = sum(t.shape[1] for t in tiles) + gap * (len(tiles) - 1)
    out = np.zeros((height, width, 4), np.uint8)
    x = 0
    for t in tiles:
        y = (height - t.shape[0]) // 2 if centre else 0
        out[y : y + t.shape[0], x : x + t.shape[1]] = t
        x += t.shape[1] + gap
    return out


def _pill(text: U8, pad_x: int, pad_y: int, colour: tuple[int, int, int]) -> U8:
    h, w = text.shape[0] + 2 * pad_y, text.shape[1] + 2 * pad_x
    img = Image.new("RGBA", (w, h), (0, 0, 0, 0))
    ImageDraw.Draw(img).rounded_rectangle((0, 0, w - 1, h - 1), radius=h // 2, fill=(*colour, 255))
    base = np.asarray(img).copy()
    _blend(base, text, pad_x, pad_y, 1.0)
    return base


def _blend(dst: U8, src: U8, x: int, y: int, opacity: float) -> None:
    """Composite RGBA `src` onto `dst` (RGB or RGBA) at (x, y), clipped to `dst`."""
    h = min(src.shape[0], dst.shape[0] - y)
    w = min(src.shape[1], dst.shape[1] - x)
    sx, sy = max(0, -x), max(0, -y)
    if h <= sy or w <= sx:
        return
    region = dst[y + sy : y + h, x + sx : x + w, :3]
    patch = src[sy:h, sx:w]
    a = patch[..., 3:4].astype(np.float32) * (opacity / 255.0)
    region[...] = (region * (1 - a) + patch[..., :3] * a + 0.5).astype(np.uint8)
    if dst.shape[2] == 4:
        alpha = dst[y + sy : y + h, x + sx : x + w, 3:4]
        alpha[...] = np.maximum(alpha, (a * 255).astype(np.uint8))


@dataclass(frozen=True)
class _Layer:
    """Tiles flattened into one premultiplied image over their bounding box, for the frames
    in which none of them moves any more."""

    x: int
    y: int
    premultiplied: U8
    keep: U8
    """255 - alpha, per channel: how much of the frame shows through."""

    @classmethod
    def of(cls, tiles: list[Tile], width: int, height: int) -> _Layer | None:
        if not tiles:
            return None
        x0 = max(0, min(t.x for t in tiles))
        y0 = max(0, min(t.y for t in tiles))
        x1 = min(width, max(t.x + t.image.shape[1] for t in tiles))
        y1 = min(height, max(t.y + t.image.shape[0] for t in tiles))
        if x1 <= x0 or y1 <= y0:
            return None
        colour = np.zeros((y1 - y0, x1 - x0, 3), np.float32)
        alpha = np.zeros((y1 - y0, x1 - x0, 1), np.float32)
        for t in tiles:  # "over", in order, on a transparent canvas: premultiplied sums
            tile = _clipped(t, x0, y0, x1, y1)
            if tile is None:
                continue
            (ty, tx), img = tile
            a = img[..., 3:4].astype(np.float32) / 255.0
            region = (slice(ty, ty + img.shape[0]), slice(tx, tx + img.shape[1]))
            colour[region] = colour[region] * (1 - a) + img[..., :3] * a
            alpha[region] = alpha[region] * (1 - a) + a
        premultiplied = np.clip(np.rint(colour), 0, 255).astype(np.uint8)
        keep = np.clip(np.rint((1 - alpha) * 255), 0, 255).astype(np.uint8)
        return cls(x0, y0, premultiplied, np.ascontiguousarray(np.repeat(keep, 3, axis=2)))

    def over(self, frame: U8) -> None:
        h, w = self.premultiplied.shape[:2]
        region = frame[self.y : self.y + h, self.x : self.x + w]
        mixed = cv2.multiply(region, self.keep, scale=1 / 255)
        region[...] = cv2.add(mixed, self.premultiplied)


def _clipped(tile: Tile, x0: int, y0: int, x1: int, y1: int) -> tuple[tuple[int, int], U8] | None:
    """The part of `tile` inside the box, and where it sits relative to the box."""
    ax, ay = max(tile.x, x0), max(tile.y, y0)
    bx = min(tile.x + tile.image.shape[1], x1)
    by = min(tile.y + tile.image.shape[0], y1)
    if bx <= ax or by <= ay:
        return None
    img = tile.image[ay - tile.y : by - tile.y, ax - tile.x : bx - tile.x]
    return (ay - y0, ax - x0), img


def _mix(a: tuple[int, int, int], b: tuple[int, int, int], t: float) -> tuple[int, int, int]:
    return (
        round(a[0] + (b[0] - a[0]) * t),
        round(a[1] + (b[1] - a[1]) * t),
        round(a[2] + (b[2] - a[2]) * t),
    )


class CardPainter:
    """Draws frame `i` of a card; build once per render."""

    def __init__(
        self,
        spec: InfographicSpec,
        *,
        size: tuple[int, int] | None = None,
        seconds: float | None = None,
        fps: int | None = None,
    ) -> None:
        """`size` and `seconds` override the spec's when the card is a scene of a video: the
        video's frame size, and a scene length that may be shorter than a card's own (the
        animation then runs faster so everything is in place before the cut)."""
        self.spec = spec
        self.width, self.height = size or spec.size
        self.duration = spec.duration if seconds is None else seconds
        self.pace = min(1.0, self.duration / MIN_SECONDS)
        self.fps = fps or spec.fps
        self.primary = hex_to_rgb(spec.brand.primary_color)
        self.accent = hex_to_rgb(spec.brand.accent_color)
        self.text = hex_to_rgb(spec.brand.text_color)
        self.fonts = _Fonts(spec)
        self._photo = self._load_photo(spec.photo)
        self.column = text_column(spec.aspect, self.width, self.height)
        self.tiles, self.price_at, self.price_font = self._layout()
        pre, keep = self._scrim()
        # Everything that does not move is made once, in 8 bits, here; a frame is then the
        # photo's warp, two saturating uint8 passes for the scrim and one for the settled
        # facts (the count-up price, cached per value, is the only text drawn again).
        self._scrim_pre = np.ascontiguousarray(np.clip(np.rint(pre), 0, 255).astype(np.uint8))
        self._scrim_keep = np.ascontiguousarray(
            np.broadcast_to(np.clip(np.rint(keep * 255), 0, 255).astype(np.uint8), pre.shape)
        )
        self._settled_at = max((t.appear for t in self.tiles), default=0.0) + FADE_S
        self._settled = _Layer.of(self.tiles, self.width, self.height)
        self._prices: dict[int, U8] = {}

    # -- background ---------------------------------------------------------------------
    def _load_photo(self, path: Path | None) -> U8 | None:
        if path is None:
            return None
        photo = load_photo(path, max_side=round(max(self.width, self.height) * (1 + ZOOM) * 1.1))
        ph, pw = photo.rgb.shape[:2]
        cover = max(self.width / pw, self.height / ph) * (1 + ZOOM)
        size = (max(self.width, math.ceil(pw * cover)), max(self.height, math.ceil(ph * cover)))
        return np.ascontiguousarray(cv2.resize(photo.rgb, size, interpolation=cv2.INTER_AREA))

    def _scrim(self) -> tuple[np.ndarray, np.ndarray]:
        """The brand colour over the photo: light where the photo should show, dense under text."""
        w, h = self.width, self.height
        if self.spec.aspect == "16:9":
            x = np.linspace(0, 1, w, dtype=np.float32)[None, :]
            alpha = np.clip(0.92 - np.clip((x - 0.42) / 0.4, 0, 1) * 0.75, 0, 1)
            alpha = np.broadcast_to(alpha, (h, w))
        else:
            # dense under the top text, clear over the photo between, dense under the facts
            y = np.arange(h, dtype=np.float32)[:, None]
            top_end = max(t.y + t.image.shape[0] for t in self.tiles if t.y < self.price_at[1])
            dense_from = self.price_at[1] - 0.03 * h
            ramp = 0.1 * h
            fade_top = np.clip((y - top_end) / ramp, 0, 1)
            rise = np.clip((y - (dense_from - ramp)) / ramp, 0, 1)
            alpha = 0.62 - 0.42 * fade_top + 0.72 * rise
            alpha = np.broadcast_to(np.clip(alpha, 0, 0.92), (h, w))
        if self._photo is None:
            alpha = np.ones((h, w), np.float32)
        dark = np.array(_mix(self.primary, (0, 0, 0), 0.35), np.float32)
        base = np.array(self.primary, np.float32)
        y = np.linspace(0, 1, h, dtype=np.float32)[:, None, None]
        colour = base * (1 - y) + dark * y
        pre = (colour * alpha[..., None]).astype(np.float32)
        keep = (1 - alpha)[..., None].astype(np.float32)
        return pre, keep

    def _background(self, t: float) -> U8:
        w, h = self.width, self.height
        if self._photo is None:
            return self._scrim_pre.copy()
        ph, pw = self._photo.shape[:2]
        zoom = 1 + ZOOM * t / self.duration
        # the photo is stored ZOOM larger than the frame: start wide, end close
        cw = pw / zoom
        ch = ph / zoom
        x0, y0 = (pw - cw) / 2, (ph - ch) / 2
        matrix = np.array([[cw / w, 0, x0], [0, ch / h, y0]], np.float32)
        frame = cv2.warpAffine(
            self._photo,
            matrix,
            (w, h),
            flags=cv2.INTER_LINEAR | cv2.WARP_INVERSE_MAP,
            borderMode=cv2.BORDER_REFLECT,
        )
        cv2.multiply(frame, self._scrim_keep, dst=frame, scale=1 / 255)
        cv2.add(frame, self._scrim_pre, dst=frame)
        out: U8 = np.asarray(frame, dtype=np.uint8)
        return out

    # -- tiles -----------------------------------------------------------------------------
    def _layout(self) -> tuple[list[Tile], tuple[int, int], ImageFont.FreeTypeFont | None]:
        scale = 1.0
        while True:
            tiles, price_at, price_font, height = self._build(
                CardMetrics(base_unit(self.width, self.height) * scale)
            )
            if height <= self.column.h or scale <= MIN_SCALE:
                return tiles, price_at, price_font
            scale *= 0.93

    def _build(  # noqa: PLR0915 - one card, placed top to bottom in one reading
        self, m: CardMetrics
    ) -> tuple[list[Tile], tuple[int, int], ImageFont.FreeTypeFont | None, int]:
        facts, _brand, col = self.spec.facts, self.spec.brand, self.column
        display, body = _FontMaker(self.fonts, display=True), _FontMaker(self.fonts, display=False)
        top: list[tuple[U8, float]] = []
        kicker = _text_tile(
            facts.kicker.upper(), display(m.kicker, facts.kicker.upper()), self.primary
        )
        top.append((_pill(kicker, m.px(22), m.px(12), self.accent), 0.0))
        if facts.address:
            font = display(m.address, facts.address)
            lines = _wrap(facts.address, font, col.w, 2)
            font = _fit(max(lines, key=len), m.address, col.w, display)
            top.append((_stack([_text_tile(ln, font, self.text) for ln in lines], m.px(6)), 0.25))

        bottom: list[tuple[U8, float]] = []
        price_font = None
        price_h = 0
        if facts.price is not None:
            final = format_price(facts.price, facts.currency)
            price_font = _fit(final, m.price, col.w, display)
            ascent, descent = price_font.getmetrics()
            price_h = ascent + descent
            bar = np.zeros((m.px(8), m.px(140), 4), np.uint8)
            bar[...] = (*self.accent, 255)
            bottom.append((np.zeros((price_h, 1, 4), np.uint8), COUNT_START_S))  # price slot
            bottom.append((bar, COUNT_START_S + 0.2))
        row = self._facts_row(m, display, body)
        if row is not None:
            bottom.append((row, 1.6))
        for i, text in enumerate(facts.highlights):
            tick = np.asarray(icon("tick", m.highlight, self.accent))
            font = _fit(text, m.highlight, col.w - m.highlight - m.px(16), body)
            bottom.append(
                (_hstack([tick, _text_tile(text, font, self.text)], m.px(16)), 2.6 + 0.35 * i)
            )
        bar_tile = self._agent_bar(m, display, body)
        if bar_tile is not None:
            bottom.append((bar_tile, 3.6))

        gap = m.gap
        top_h = sum(t.shape[0] for t, _ in top) + m.px(18) * (len(top) - 1)
        bottom_h = sum(t.shape[0] for t, _ in bottom) + gap * (len(bottom) - 1)
        if facts.price is not None:
            bottom_h -= gap - m.px(10)  # the accent bar sits close under the price
        tiles: list[Tile] = []
        logo = self._logo(m)
        y = col.y
        for image, appear in top:
            tiles.append(Tile(image, col.x, y, appear))
            y += image.shape[0] + m.px(18)
        if logo is not None:
            lx = (
                col.x + col.w - logo.shape[1]
                if self.spec.aspect != "16:9"
                else self._safe_right(logo)
            )
            tiles.append(Tile(logo, lx, col.y, 0.1))
        y = col.y + col.h - bottom_h
        price_at = (col.x, y)
        for i, (image, appear) in enumerate(bottom):
            if i == 0 and facts.price is not None:
                price_at = (col.x, y)
                y += price_h + m.px(10)
                continue
            tiles.append(Tile(image, col.x, y, appear))
            y += image.shape[0] + gap
        return tiles, price_at, price_font, top_h + gap * 2 + bottom_h

    def _safe_right(self, logo: U8) -> int:
        from reelestate.render.infographic.layout import safe_rect  # noqa: PLC0415

        safe = safe_rect(self.spec.aspect, self.width, self.height)
        return int(safe.x + safe.w - logo.shape[1])

    def _facts_row(self, m: CardMetrics, display: _FontMaker, body: _FontMaker) -> U8 | None:
        facts = self.spec.facts
        items: list[tuple[IconName, str, str]] = []
        if facts.beds is not None:
            items.append(("bed", _number(facts.beds), "bed" if facts.beds == 1 else "beds"))
        if facts.baths is not None:
            items.append(("bath", _number(facts.baths), "bath" if facts.baths == 1 else "baths"))
        if facts.area_sqft is not None:
            items.append(("area", f"{facts.area_sqft:,}", "sq ft"))
        if not items:
            return None
        cell_w = (self.column.w - m.px(24) * (len(items) - 1)) // len(items)
        cells = []
        for name, value, label in items:
            glyph = np.asarray(icon(name, m.fact_icon, self.accent))
            value_tile = _text_tile(
                value,
                _fit(value, m.fact_value, cell_w - m.fact_icon - m.px(14), display),
                self.text,
            )
            label_tile = _text_tile(
                label, body(m.fact_label, label), _mix(self.text, self.primary, 0.25)
            )
            words = _stack([value_tile, label_tile], 0)
            cells.append(_hstack([glyph, words], m.px(14)))
        row_h = max(c.shape[0] for c in cells)
        out = np.zeros((row_h, self.column.w, 4), np.uint8)
        for i, cell in enumerate(cells):
            x = i * (cell_w + m.px(24))
            _paste_rgba(out, cell, x, (row_h - cell.shape[0]) // 2)
        return out

    def _agent_bar(self, m: CardMetrics, display: _FontMaker, body: _FontMaker) -> U8 | None:
        brand = self.spec.brand
        if not brand.agent_name and not brand.agent_phone and not brand.name:
            return None
        lines = []
        name = brand.agent_name or brand.name
        if name:
            lines.append(
                _text_tile(
                    name, _fit(name, m.agent_name, self.column.w - m.px(200), display), self.text
                )
            )
        sub = brand.name if brand.agent_name and brand.name else None
        phone_row = None
        if brand.agent_phone:
            phone = _text_tile(brand.agent_phone, body(m.agent_phone, brand.agent_phone), self.text)
            phone_row = _hstack(
                [np.asarray(icon("phone", m.agent_phone, self.accent)), phone], m.px(8)
            )
            if sub:
                line = f"·  {sub}"
                brokerage = _text_tile(
                    line, body(m.agent_phone, line), _mix(self.text, self.primary, 0.3)
                )
                phone_row = _hstack([phone_row, brokerage], m.px(14))
        elif sub:
            phone_row = _text_tile(sub, body(m.agent_phone, sub), self.text)
        if phone_row is not None:
            lines.append(phone_row)
        text = _stack(lines, m.px(6))
        pad = m.px(24)
        w = min(self.column.w, text.shape[1] + 2 * pad + m.px(10))
        h = text.shape[0] + 2 * pad
        img = Image.new("RGBA", (w, h), (0, 0, 0, 0))
        draw = ImageDraw.Draw(img)
        fill = _mix(self.primary, (0, 0, 0), 0.25)
        draw.rounded_rectangle((0, 0, w - 1, h - 1), radius=m.px(18), fill=(*fill, 235))
        draw.rounded_rectangle((0, 0, m.px(10), h - 1), radius=m.px(5), fill=(*self.accent, 255))
        out = np.asarray(img).copy()
        _blend(out, text, pad + m.px(10), pad, 1.0)
        return out

    def _logo(self, m: CardMetrics) -> U8 | None:
        if self.spec.brand.logo is None:
            return None
        logo = load_logo(self.spec.brand.logo)
        height = m.px(90)
        width = max(1, round(logo.width * height / logo.height))
        if width > m.px(260):
            width, height = m.px(260), max(1, round(logo.height * m.px(260) / logo.width))
        return np.asarray(logo.resize((width, height), Image.Resampling.LANCZOS))

    # -- frames ----------------------------------------------------------------------------
    def frame(self, index: int) -> U8:
        """Frame `index` (0-based) as RGB."""
        t = index / self.fps
        frame = self._background(t)
        t /= self.pace  # the facts' own clock: faster in a scene shorter than a card
        slide = base_unit(self.width, self.height) * 28
        if t >= self._settled_at and self._settled is not None:
            self._settled.over(frame)
        else:
            for tile in self.tiles:
                p = _ease((t - tile.appear) / FADE_S)
                if p > 0:
                    _blend(frame, tile.image, tile.x, tile.y + round((1 - p) * slide), p)
        if self.price_font is not None and self.spec.facts.price is not None:
            p = _ease((t - COUNT_START_S) / FADE_S)
            if p > 0:
                shown = count_value(self.spec.facts.price, t)
                _blend(frame, self._price_tile(shown), *self.price_at, p)
        if self.spec.ai_disclosure:
            _blend(frame, self._disclosure(), *self._disclosure_at(), 1.0)
        return frame

    def _price_tile(self, value: int) -> U8:
        tile = self._prices.get(value)
        if tile is None:
            tile = _price_tile(value, self.spec.facts.currency, self.price_font, self.text)
            self._prices[value] = tile
        return tile

    @lru_cache(maxsize=1)  # noqa: B019 - one painter per render
    def _disclosure(self) -> U8:
        m = CardMetrics(base_unit(self.width, self.height))
        text = _text_tile("AI-generated image", self.fonts.body(m.px(24), "AI"), (255, 255, 255))
        return _pill(text, m.px(12), m.px(6), (0, 0, 0))

    def _disclosure_at(self) -> tuple[int, int]:
        """Just above the safe area's top right corner, clear of the card's own text."""
        label = self._disclosure()
        col = self.column
        return col.x + col.w - label.shape[1], max(0, col.y - label.shape[0] - 8)

    def still(self) -> Image.Image:
        """The last frame as an RGB image: the card's PNG."""
        return Image.fromarray(self.frame(self.frame_count - 1))

    @property
    def frame_count(self) -> int:
        return max(1, round(self.duration * self.fps))

    def text_box(self) -> Rect:
        """Where the card's text is set (for checks and contact sheets)."""
        return self.column


def _price_tile(
    value: int, currency: str, font: ImageFont.FreeTypeFont | None, colour: tuple[int, int, int]
) -> U8:
    assert font is not None
    return _text_tile(format_price(value, currency), font, colour)


def _paste_rgba(dst: U8, src: U8, x: int, y: int) -> None:
    h, w = min(src.shape[0], dst.shape[0] - y), min(src.shape[1], dst.shape[1] - x)
    region = dst[y : y + h, x : x + w]
    a = src[:h, :w, 3:4].astype(np.float32) / 255.0
    region[..., :3] = (region[..., :3] * (1 - a) + src[:h, :w, :3] * a).astype(np.uint8)
    region[..., 3:4] = np.maximum(region[..., 3:4], src[:h, :w, 3:4])
