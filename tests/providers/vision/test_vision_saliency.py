"""The focal point lands inside the one salient object of synthetic scenes."""

from __future__ import annotations

import numpy as np
import pytest

from reelestate.providers.vision.saliency import focal_point, saliency_map


def _scene(width: int, height: int, box: tuple[int, int, int, int], seed: int) -> np.ndarray:
    """A softly textured wall with one high-contrast patterned object in `box` (x0, y0, x1, y1)."""
    rng = np.random.default_rng(seed)
    base = np.full((height, width, 3), 150, dtype=np.float32)
    base += rng.normal(0, 3, size=(height, width, 1))
    x0, y0, x1, y1 = box
    ys, xs = np.indices((y1 - y0, x1 - x0))
    stripes = ((xs // 6 + ys // 6) % 2) * 200 + 20
    base[y0:y1, x0:x1] = stripes[..., None] * np.array([1.0, 0.6, 0.3])
    return np.clip(base, 0, 255).astype(np.uint8)


@pytest.mark.parametrize(
    ("width", "height", "box"),
    [
        (640, 480, (60, 50, 180, 170)),
        (640, 480, (460, 300, 600, 440)),
        (480, 640, (200, 80, 300, 180)),
        (800, 450, (340, 180, 460, 280)),
        (640, 480, (500, 40, 620, 130)),
    ],
)
def test_focal_point_is_inside_the_salient_object(
    width: int, height: int, box: tuple[int, int, int, int]
) -> None:
    x, y = focal_point(_scene(width, height, box, seed=width + box[0]))
    x0, y0, x1, y1 = box
    assert x0 / width <= x <= x1 / width
    assert y0 / height <= y <= y1 / height


def test_a_featureless_photo_is_framed_at_its_centre() -> None:
    flat = np.full((300, 400, 3), 128, dtype=np.uint8)
    assert focal_point(flat) == (0.5, 0.5)
    assert float(saliency_map(flat).max()) <= 1.0


def test_of_two_objects_the_focal_point_picks_the_stronger_one() -> None:
    scene = _scene(640, 480, (40, 40, 200, 200), seed=1)
    faint = scene[300:380, 480:560].astype(np.float32)
    scene[300:380, 480:560] = np.clip(faint + np.indices((80, 80))[1][..., None] % 8, 0, 255)
    x, y = focal_point(scene)
    assert x < 0.5
    assert y < 0.5
