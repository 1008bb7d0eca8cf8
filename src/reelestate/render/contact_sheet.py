"""The whole video at a glance: one frame from the middle of each shot, in a numbered grid.

Frames come from the finished file itself (one decoding pass that keeps only the wanted
frames), so the sheet shows exactly what a viewer sees: layout, captions, callouts and all.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw

from reelestate.render.colour import U8
from reelestate.render.ffmpeg import CancelToken, run_ffmpeg
from reelestate.render.fonts import pil_font
from reelestate.render.timeline import Timeline

CONTACT_SHEET_NAME = "contact-sheet.jpg"
TILE_WIDTH = {"tall": 270, "wide": 400}
"""Tile width in pixels for frames taller than wide, and for the others."""
GAP = 12
SHEET_BACKGROUND = (24, 24, 28)


@dataclass(frozen=True)
class SheetTile:
    frame: int
    label: str


@dataclass(frozen=True)
class SheetGrid:
    columns: int
    rows: int
    tile_w: int
    tile_h: int

    @property
    def size(self) -> tuple[int, int]:
        return (
            self.columns * self.tile_w + (self.columns + 1) * GAP,
            self.rows * self.tile_h + (self.rows + 1) * GAP,
        )

    def origin(self, index: int) -> tuple[int, int]:
        row, col = divmod(index, self.columns)
        return GAP + col * (self.tile_w + GAP), GAP + row * (self.tile_h + GAP)


def sheet_tiles(timeline: Timeline) -> list[SheetTile]:
    """The middle frame of each shot's own part (outside transitions), labelled by scene."""
    tiles = []
    number = 0
    for shot in timeline.shots:
        alone_end = max(shot.start_frame + 1, shot.end_frame - shot.transition_frames)
        if shot.kind == "photo":
            number += 1
            label = str(number)
        else:
            label = shot.kind
        tiles.append(SheetTile(frame=(shot.start_frame + alone_end - 1) // 2, label=label))
    return tiles


def tile_size(width: int, height: int) -> tuple[int, int]:
    """A tile's width and height for a `width` x `height` video (even numbers)."""
    tile_w = TILE_WIDTH["tall" if height > width else "wide"]
    return tile_w, max(2, round(tile_w * height / width / 2) * 2)


def sheet_grid(count: int, width: int, height: int) -> SheetGrid:
    """Columns and rows for `count` tiles of a `width` x `height` video, about 4:3 overall."""
    tile_w, tile_h = tile_size(width, height)
    columns = max(1, min(count, round(math.sqrt(count * 4 * tile_h / (3 * tile_w)))))
    return SheetGrid(columns, math.ceil(count / columns), tile_w, tile_h)


def _extract(
    video: Path, frames: list[int], grid: SheetGrid, work: Path, cancel: CancelToken | None
) -> list[U8]:
    raw = work / "contact-sheet.rgb"
    select = "+".join(f"eq(n\\,{n})" for n in sorted(set(frames)))
    run_ffmpeg(
        [
            "-v",
            "error",
            "-y",
            "-i",
            str(video),
            "-an",
            "-vf",
            f"select={select},scale={grid.tile_w}:{grid.tile_h}:flags=area"
            ":in_color_matrix=bt709,format=rgb24",
            "-fps_mode",
            "passthrough",
            "-f",
            "rawvideo",
            str(raw),
        ],
        cancel=cancel,
    )
    data = np.fromfile(raw, dtype=np.uint8)
    raw.unlink(missing_ok=True)
    per = grid.tile_w * grid.tile_h * 3
    decoded = [
        data[i * per : (i + 1) * per].reshape(grid.tile_h, grid.tile_w, 3)
        for i in range(len(data) // per)
    ]
    by_frame = dict(zip(sorted(set(frames)), decoded, strict=False))
    blank = np.zeros((grid.tile_h, grid.tile_w, 3), dtype=np.uint8)
    return [by_frame.get(n, blank) for n in frames]


def _kept(stills: list[Path], grid: SheetGrid) -> list[U8] | None:
    per = grid.tile_w * grid.tile_h * 3
    images = []
    for path in stills:
        try:
            data = path.read_bytes()
        except OSError:
            return None
        if len(data) != per:
            return None
        images.append(np.frombuffer(data, dtype=np.uint8).reshape(grid.tile_h, grid.tile_w, 3))
    return images


def _badge(draw: ImageDraw.ImageDraw, x: int, y: int, label: str, size: int) -> None:
    font = pil_font(size, text=label)
    w = round(draw.textlength(label, font=font)) + size
    h = round(size * 1.5)
    draw.rounded_rectangle((x, y, x + max(w, h), y + h), radius=h // 2, fill=(0, 0, 0, 190))
    draw.text((x + max(w, h) / 2, y + h / 2), label, font=font, fill=(255, 255, 255), anchor="mm")


def write_contact_sheet(
    video: Path,
    timeline: Timeline,
    out: Path,
    *,
    size: tuple[int, int],
    work: Path,
    cancel: CancelToken | None = None,
    stills: list[Path] | None = None,
) -> SheetGrid:
    """Write `out` (JPEG): one mid-shot frame of `video` (`size`) per shot, numbered, in a grid.

    `stills` (one per shot, raw RGB of the tile's size) are the tiles the encoder kept while the
    frames went by; without all of them the frames are decoded from `video` instead."""
    tiles = sheet_tiles(timeline)
    width, height = size
    grid = sheet_grid(len(tiles), width, height)
    images = _kept(stills, grid) if stills and len(stills) == len(tiles) else None
    if images is None:
        images = _extract(video, [t.frame for t in tiles], grid, work, cancel)
    sheet = Image.new("RGB", grid.size, SHEET_BACKGROUND)
    draw = ImageDraw.Draw(sheet, "RGBA")
    for i, (tile, pixels) in enumerate(zip(tiles, images, strict=True)):
        x, y = grid.origin(i)
        sheet.paste(Image.fromarray(pixels), (x, y))
        _badge(draw, x + 8, y + 8, tile.label, max(12, grid.tile_w // 11))
    sheet.save(out, format="JPEG", quality=85)
    return grid
