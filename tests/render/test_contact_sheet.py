"""The contact sheet: one numbered mid-shot frame per shot, from the rendered file."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from PIL import Image

from reelestate.render.contact_sheet import sheet_grid, sheet_tiles
from reelestate.render.engine import render_video
from reelestate.render.spec import parse_spec
from reelestate.render.timeline import build_timeline

COLOURS = [(220, 40, 40), (40, 200, 60), (40, 80, 220)]


def _photo(path: Path, colour: tuple[int, int, int]) -> Path:
    Image.new("RGB", (800, 600), colour).save(path)
    return path


def test_grid_holds_every_tile_in_about_four_by_three() -> None:
    for count in range(1, 45):
        grid = sheet_grid(count, 1080, 1920)
        assert grid.columns * grid.rows >= count > grid.columns * (grid.rows - 1)
        w, h = grid.size
        assert 0.5 < w / h < 2.5
    wide = sheet_grid(7, 1920, 1080)
    assert wide.tile_w > wide.tile_h


def test_contact_sheet_has_one_tile_per_shot_showing_that_shot(tmp_path: Path) -> None:
    photos = [_photo(tmp_path / f"{i}.jpg", c) for i, c in enumerate(COLOURS)]
    spec = parse_spec(
        {
            "aspect": "9:16",
            "profile": "preview",
            "scenes": [
                {"photo": str(p), "duration": 1.5, "motion": {"kind": "static"}, "caption": None}
                for p in photos
            ],
            "music": None,
            "facts": {"price": 529000},
            "brand": {"agent_name": "Dana"},
        }
    )
    result = render_video(spec, tmp_path / "out", cache_dir=tmp_path / "cache")
    assert result.contact_sheet == tmp_path / "out" / "contact-sheet.jpg"
    timeline = build_timeline(spec)
    tiles = sheet_tiles(timeline)
    assert [t.label for t in tiles] == ["intro", "1", "2", "3", "outro"]
    grid = sheet_grid(len(tiles), *spec.size)
    sheet = np.asarray(Image.open(result.contact_sheet).convert("RGB")).astype(int)
    assert (sheet.shape[1], sheet.shape[0]) == grid.size
    for i, colour in enumerate(COLOURS):
        x, y = grid.origin(i + 1)
        centre = sheet[y + grid.tile_h // 2, x + grid.tile_w // 2]
        assert np.abs(centre - np.array(colour)).max() < 40, (i, centre)
    # The intro shows the hero photo (the first scene's), not a plain card.
    x, y = grid.origin(0)
    assert np.abs(sheet[y + grid.tile_h // 3, x + grid.tile_w // 2] - COLOURS[0]).max() < 40
