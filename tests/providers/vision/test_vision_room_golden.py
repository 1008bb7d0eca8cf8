"""The room classifier's outputs on shipped photos, pinned: a library change that moves them fails.

The pins live in rooms_golden.json beside this file; `make rooms-golden` rewrites them on
purpose (after retraining, or after a library change that was checked).
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from training.rooms.golden import model_digest

from reelestate.core.errors import InvalidInputError
from reelestate.providers.vision.room_input import area_resize, from_bgr, load_room_photo
from reelestate.providers.vision.rooms import RoomClassifier, default_model_dir

HERE = Path(__file__).parent
FIXTURES = HERE.parents[1] / "fixtures" / "rooms"
GOLDEN = json.loads((HERE / "rooms_golden.json").read_text(encoding="utf-8"))


def test_the_pins_belong_to_the_shipped_model() -> None:
    assert GOLDEN["model_sha256"] == model_digest(default_model_dir()), (
        "rooms_golden.json was pinned for another model: run `make rooms-golden` after retraining"
    )


def test_a_few_shipped_photos_are_pinned() -> None:
    names = [photo["file"] for photo in GOLDEN["photos"]]
    assert 6 <= len(set(names)) == len(names) <= 10
    assert all((FIXTURES / name).is_file() for name in names)


def test_each_photo_keeps_its_room_and_confidence() -> None:
    pinned = GOLDEN["photos"]
    found = RoomClassifier().predict([load_room_photo(FIXTURES / p["file"]) for p in pinned])
    moved = [
        f"{p['file']}: expected {p['room']} {p['confidence']:.4f}, "
        f"got {got.room} {got.confidence:.4f}"
        for p, got in zip(pinned, found, strict=True)
        if got.room != p["room"] or abs(got.confidence - p["confidence"]) > GOLDEN["tolerance"]
    ]
    assert not moved, "room classifier outputs moved:\n" + "\n".join(moved)


def test_area_resize_averages_whole_blocks_exactly() -> None:
    rgb = np.arange(4 * 6 * 3, dtype=np.uint8).reshape(4, 6, 3)
    small = area_resize(rgb, 2)
    expected = rgb.astype(np.float64).reshape(2, 2, 2, 3, 3).mean(axis=(1, 3))
    np.testing.assert_allclose(small, expected, rtol=0, atol=1e-9)


def test_area_resize_weighs_partly_covered_pixels_by_their_share() -> None:
    row = np.array([[[0, 0, 0], [90, 90, 90], [180, 180, 180]]], dtype=np.uint8)
    # two output pixels over three inputs: 0 + half of 90, and half of 90 + 180, each over 1.5
    np.testing.assert_allclose(area_resize(row, 2)[0, :, 0], [30.0, 150.0], atol=1e-9)


def test_bgr_input_is_turned_to_rgb_explicitly() -> None:
    bgr = np.zeros((2, 2, 3), dtype=np.uint8)
    bgr[..., 0] = 255
    assert from_bgr(bgr)[0, 0].tolist() == [0, 0, 255]


def test_the_classifier_refuses_what_is_not_8_bit_rgb() -> None:
    with pytest.raises(InvalidInputError, match="8-bit RGB"):
        RoomClassifier().predict([np.zeros((32, 32, 3), dtype=np.float32)])  # type: ignore[list-item]
