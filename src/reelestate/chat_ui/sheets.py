"""Contact sheets: the storyboard as one strip image, and the photos left out with reasons.

One image per message keeps a 40-photo listing readable in the chat (and in its history).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from PIL import Image, ImageDraw
from pydantic import BaseModel, ConfigDict

from reelestate.core.errors import PhotoError
from reelestate.core.imaging import load_photo
from reelestate.render.fonts import pil_font

# Drawn at twice the size the chat shows it (about 600 px wide), so it stays sharp.
TILE_WIDTH = 380
TILE_HEIGHT = 250
GAP = 14
LABEL_HEIGHT = 76
BACKGROUND = (247, 248, 250)
TEXT = (31, 58, 95)
MUTED = (96, 104, 116)
PER_ROW = 3


class Tile(BaseModel):
    model_config = ConfigDict(frozen=True)

    photo: Path
    title: str
    note: str = ""


def _thumbnail(path: Path, width: int) -> Image.Image:
    try:
        decoded = load_photo(path, max_side=600, min_short_side=1)
        image = Image.fromarray(decoded.rgb)
    except PhotoError:
        image = Image.new("RGB", (width, TILE_HEIGHT), (200, 200, 200))
    scale = max(width / image.width, TILE_HEIGHT / image.height)
    image = image.resize((max(1, round(image.width * scale)), max(1, round(image.height * scale))))
    left = (image.width - width) // 2
    top = (image.height - TILE_HEIGHT) // 2
    return image.crop((left, top, left + width, top + TILE_HEIGHT))


def contact_sheet(tiles: Sequence[Tile], out: Path, *, tile_width: int = TILE_WIDTH) -> Path:
    """A grid of cropped thumbnails, each with a bold title and a muted note under it."""
    if not tiles:
        raise ValueError("a contact sheet needs at least one tile")
    columns = min(PER_ROW, len(tiles))
    rows = (len(tiles) + columns - 1) // columns
    cell_h = TILE_HEIGHT + LABEL_HEIGHT
    sheet = Image.new(
        "RGB",
        (GAP + columns * (tile_width + GAP), GAP + rows * (cell_h + GAP)),
        BACKGROUND,
    )
    draw = ImageDraw.Draw(sheet)
    title_font, note_font = pil_font(28, bold=True), pil_font(24, bold=False)
    for i, tile in enumerate(tiles):
        x = GAP + (i % columns) * (tile_width + GAP)
        y = GAP + (i // columns) * (cell_h + GAP)
        sheet.paste(_thumbnail(tile.photo, tile_width), (x, y))
        draw.text((x + 4, y + TILE_HEIGHT + 6), _fit(draw, tile.title, title_font, tile_width),
                  fill=TEXT, font=title_font)  # fmt: skip
        if tile.note:
            draw.text((x + 4, y + TILE_HEIGHT + 42), _fit(draw, tile.note, note_font, tile_width),
                      fill=MUTED, font=note_font)  # fmt: skip
    out.parent.mkdir(parents=True, exist_ok=True)
    sheet.save(out, "PNG", optimize=True)
    return out


def _fit(draw: ImageDraw.ImageDraw, text: str, font: object, width: int) -> str:
    """`text`, cut with an ellipsis so it fits `width` pixels."""
    if draw.textlength(text, font=font) <= width - 4:  # type: ignore[arg-type]
        return text
    while text and draw.textlength(text + "…", font=font) > width - 4:  # type: ignore[arg-type]
        text = text[:-1]
    return text + "…"
