"""Quality measures and the reasons they give, on photos made to fail one way each."""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np
import pytest

from reelestate.core.imaging import load_photo
from reelestate.providers.vision.quality import BLURRY_BELOW, measure_quality, to_analysis_size

KITCHEN = Path(__file__).parents[2] / "fixtures" / "photos" / "house3" / "kitchen.jpg"


@pytest.fixture(scope="module")
def photo() -> np.ndarray:
    return load_photo(KITCHEN).rgb


def test_a_real_listing_photo_has_no_reject_reason(photo: np.ndarray) -> None:
    metrics = measure_quality(photo)
    assert metrics.reject_reasons() == []
    assert metrics.sharpness > BLURRY_BELOW
    assert -0.5 < metrics.exposure < 0.5


def test_a_blurred_copy_is_blurry(photo: np.ndarray) -> None:
    blurred = cv2.GaussianBlur(photo, (0, 0), 3)
    metrics = measure_quality(blurred)
    assert metrics.sharpness < measure_quality(photo).sharpness / 10
    assert "blurry" in metrics.reject_reasons()


def test_sharpness_does_not_depend_on_resolution(photo: np.ndarray) -> None:
    doubled = cv2.resize(photo, None, fx=2, fy=2, interpolation=cv2.INTER_CUBIC)
    assert to_analysis_size(doubled).shape == to_analysis_size(photo).shape
    ratio = measure_quality(doubled).sharpness / measure_quality(photo).sharpness
    assert 0.5 < ratio < 1.5


def test_an_underexposed_photo_is_too_dark(photo: np.ndarray) -> None:
    dark = (photo.astype(np.float32) * 0.12).astype(np.uint8)
    metrics = measure_quality(dark)
    assert metrics.exposure < -0.7
    assert metrics.clipped_shadows > measure_quality(photo).clipped_shadows
    assert "too dark" in metrics.reject_reasons()


def test_an_overexposed_photo_is_too_bright(photo: np.ndarray) -> None:
    bright = np.clip(photo.astype(np.float32) * 2.5 + 60, 0, 255).astype(np.uint8)
    metrics = measure_quality(bright)
    assert metrics.clipped_highlights > 0.5
    assert "too bright" in metrics.reject_reasons()


def test_a_strong_colour_cast_is_measured_and_reported(photo: np.ndarray) -> None:
    tinted = photo.astype(np.float32)
    tinted[..., 0] = tinted[..., 0] * 0.15
    tinted[..., 2] = tinted[..., 2] * 0.15
    metrics = measure_quality(tinted.astype(np.uint8))
    assert metrics.colour_cast > 2 * measure_quality(photo).colour_cast
    assert "strong colour cast" in metrics.reject_reasons()
