"""The training views of a photo: itself, its mirror image, and a random crop with colour jitter.

The views are drawn once per photo and their trunk features cached, so each epoch sees the
same three views (the trunk pass is most of the training time on CPU, so views are few).
Their randomness comes from the photo's name and `AUGMENT_SEED`, not from the split seed,
so a second split reuses the cache.
"""

from __future__ import annotations

import zlib

import numpy as np

from reelestate.core.imaging import RGBArray

AUGMENT_SEED = 20240611
VERSION = 2
"""Part of the trunk-feature cache key: raise it when the views change."""

MIN_AREA = 0.6
"""Smallest crop, as a share of the frame: a room keeps its telling objects at 60 %."""
MAX_ASPECT_CHANGE = 1.25
JITTER = 0.15
"""Brightness, contrast and saturation each scaled by up to this much either way."""


def _crop(rgb: RGBArray, rng: np.random.Generator) -> RGBArray:
    height, width = rgb.shape[:2]
    area = rng.uniform(MIN_AREA, 1.0)
    aspect = np.exp(rng.uniform(-np.log(MAX_ASPECT_CHANGE), np.log(MAX_ASPECT_CHANGE)))
    crop_w = min(width, max(1, round(width * np.sqrt(area * aspect))))
    crop_h = min(height, max(1, round(height * np.sqrt(area / aspect))))
    left = int(rng.integers(0, width - crop_w + 1))
    top = int(rng.integers(0, height - crop_h + 1))
    return rgb[top : top + crop_h, left : left + crop_w]


def _jitter(rgb: RGBArray, rng: np.random.Generator) -> RGBArray:
    values = rgb.astype(np.float64)
    values *= rng.uniform(1 - JITTER, 1 + JITTER)
    mean = values.mean()
    values = (values - mean) * rng.uniform(1 - JITTER, 1 + JITTER) + mean
    grey = values.mean(axis=2, keepdims=True)
    values = (values - grey) * rng.uniform(1 - JITTER, 1 + JITTER) + grey
    jittered: RGBArray = np.clip(np.rint(values), 0, 255).astype(np.uint8)
    return jittered


def _mirror(rgb: RGBArray) -> RGBArray:
    return np.ascontiguousarray(rgb[:, ::-1])


def views(rgb: RGBArray, name: str) -> list[RGBArray]:
    """Three uint8 RGB views of one photo, the same on every run for the same `name`."""
    rng = np.random.default_rng([AUGMENT_SEED, zlib.crc32(name.encode())])
    view = _jitter(_crop(rgb, rng), rng)
    return [rgb, _mirror(rgb), _mirror(view) if rng.random() < 0.5 else view]
