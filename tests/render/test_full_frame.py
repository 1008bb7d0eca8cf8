"""Rendered frames: a landscape photo fills a vertical frame, and nothing is a blurred copy.

The measure: a blurred copy of the photo (the old fill behind a small band) has the photo's
colours (a high spread of brightness) but almost no fine detail. Each horizontal strip of a
frame must therefore either carry fine detail (the photo itself) or be nearly flat (a brand
panel); a strip with spread but no detail is a blurred band.
"""

from __future__ import annotations

import itertools
from pathlib import Path

import cv2
import numpy as np
from PIL import Image

from reelestate.render.engine import render_video
from reelestate.render.spec import parse_spec
from tests.render.helpers import frame_at

STRIPS = 10


def _texture(path: Path, size: tuple[int, int], seed: int) -> Path:
    """A photo-like picture with fine detail everywhere: coloured blocks plus grain."""
    rng = np.random.default_rng(seed)
    w, h = size
    blocks = rng.integers(40, 220, size=(h // 40 + 1, w // 40 + 1, 3), dtype=np.uint8)
    img = np.kron(blocks, np.ones((40, 40, 1), dtype=np.uint8))[:h, :w].astype(np.int16)
    img += rng.integers(-30, 30, size=(h, w, 3), dtype=np.int16)
    Image.fromarray(np.clip(img, 0, 255).astype(np.uint8)).save(path, quality=95)
    return path


def _spec(photo: Path) -> dict[str, object]:
    return {
        "aspect": "9:16",
        "profile": "preview",
        "scenes": [
            {"photo": str(photo), "duration": 1.5, "motion": {"kind": "zoom_in"}},
            {"photo": str(photo), "duration": 1.5, "motion": {"kind": "pan_left"}},
        ],
        "music": None,
        "brand": {"intro_card": False, "outro_card": False},
    }


def _strips(frame: np.ndarray) -> list[tuple[float, float]]:  # type: ignore[type-arg]
    """(fine detail, brightness spread) of each horizontal strip of `frame`."""
    luma = cv2.cvtColor(frame, cv2.COLOR_RGB2GRAY).astype(np.float32)
    detail = np.abs(cv2.Laplacian(luma, cv2.CV_32F))
    h = luma.shape[0]
    bounds = np.linspace(0, h, STRIPS + 1).astype(int)
    return [
        (float(detail[a:b].mean()), float(luma[a:b].std())) for a, b in itertools.pairwise(bounds)
    ]


def _blurred_bands(frame: np.ndarray) -> list[int]:  # type: ignore[type-arg]
    return [i for i, (detail, spread) in enumerate(_strips(frame)) if spread > 12 and detail < 4]


def test_a_landscape_photo_fills_the_vertical_frame_top_to_bottom(tmp_path: Path) -> None:
    photo = _texture(tmp_path / "wide.jpg", (2400, 1800), seed=1)
    result = render_video(parse_spec(_spec(photo)), tmp_path / "out", cache_dir=tmp_path / "cache")
    # 1.0 s: early in the crossfade (a preview's 15 frames a second start it at 0.93 s), where
    # the two moves still differ little; further in, two framings of the texture average out
    # its fine detail.
    for t in (0.4, 1.0, 2.2, 2.8):
        frame = frame_at(result.video, t)
        strips = _strips(frame)
        assert all(detail > 8 for detail, _ in strips), (t, strips)
        assert _blurred_bands(frame) == []


def test_a_small_photo_is_framed_on_flat_panels_not_on_a_blurred_copy(tmp_path: Path) -> None:
    photo = _texture(tmp_path / "small.jpg", (767, 575), seed=2)
    result = render_video(parse_spec(_spec(photo)), tmp_path / "out", cache_dir=tmp_path / "cache")
    for t in (0.4, 2.2):
        frame = frame_at(result.video, t)
        assert _blurred_bands(frame) == []
        strips = _strips(frame)
        # The photo spans the middle; the top and bottom strips are brand panels.
        assert strips[STRIPS // 2][0] > 8
        assert strips[0][1] < 12 and strips[-1][1] < 12


def test_the_measure_flags_a_blurred_copy(tmp_path: Path) -> None:
    photo = np.asarray(Image.open(_texture(tmp_path / "p.jpg", (540, 960), seed=3)))
    blurred = cv2.GaussianBlur(photo, (0, 0), 12)
    assert len(_blurred_bands(blurred)) >= STRIPS // 2
    assert _blurred_bands(photo) == []
