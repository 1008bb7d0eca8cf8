"""The room classifier's input, spelled out so that no library default can move it.

An OpenCV, numpy or onnxruntime upgrade once changed the share of photos marked `unsure`
between two machines: a resize kernel or a rounding had changed underneath the model. Every
step from file to tensor is therefore fixed here, training and the product call these same
functions, and none of them uses OpenCV:

- decode: Pillow (with the libjpeg-turbo its wheel bundles) through `load_photo`: EXIF-upright,
  8-bit RGB, JPEGs DCT-scaled by `draft` and then LANCZOS-resized to `ANALYSIS_SIDE` on the
  long side;
- colour order: RGB, as Pillow decodes it; a BGR array (`cv2.imread`) goes through `from_bgr`;
- resize: area average to a square (each output pixel is the mean of the input rectangle it
  covers, partial pixels weighted by their share), computed in float64 numpy and not rounded;
- normalisation: `(x - mean) / std` per channel in float32, channels first.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import numpy.typing as npt

from reelestate.core.errors import InvalidInputError
from reelestate.core.imaging import RGBArray, load_photo
from reelestate.providers.vision.quality import ANALYSIS_SIDE

FloatImage = npt.NDArray[np.float64]


def load_room_photo(path: Path) -> RGBArray:
    """A photo file decoded the way the classifier was trained and measured."""
    return load_photo(path, max_side=ANALYSIS_SIDE, min_short_side=1).rgb


def from_bgr(bgr: npt.NDArray[np.uint8]) -> RGBArray:
    """An OpenCV-order (BGR) array as the RGB the classifier expects."""
    return np.ascontiguousarray(bgr[:, :, ::-1])


def _area_resize_axis(values: FloatImage, size: int, axis: int) -> FloatImage:
    """Area average along one axis, from the running sum at fractional pixel edges."""
    moved = np.moveaxis(values, axis, 0)
    count = moved.shape[0]
    running = np.concatenate([np.zeros_like(moved[:1]), np.cumsum(moved, axis=0)])
    edges = np.arange(size + 1, dtype=np.float64) * (count / size)
    whole = np.minimum(np.floor(edges).astype(np.int64), count - 1)
    part = (edges - whole).reshape(-1, *([1] * (moved.ndim - 1)))
    integral = running[whole] + part * moved[whole]
    averaged = (integral[1:] - integral[:-1]) * (size / count)
    return np.moveaxis(averaged, 0, axis)


def area_resize(rgb: RGBArray, side: int) -> FloatImage:
    """The whole frame squeezed to `side` x `side` by area averaging, as float64 0..255."""
    values = rgb.astype(np.float64)
    return _area_resize_axis(_area_resize_axis(values, side, 0), side, 1)


def model_input(
    rgb: RGBArray, *, side: int, mean: list[float], std: list[float]
) -> npt.NDArray[np.float32]:
    """One RGB uint8 photo as the model's CHW float32 tensor."""
    if rgb.dtype != np.uint8 or rgb.ndim != 3 or rgb.shape[2] != 3:
        raise InvalidInputError(
            f"The room classifier takes an 8-bit RGB image, not {rgb.dtype} {rgb.shape}.",
            hint="Decode the photo with load_room_photo (or load_photo) first.",
        )
    square = area_resize(rgb, side)
    scaled = (square - np.asarray(mean, dtype=np.float64)) / np.asarray(std, dtype=np.float64)
    return np.ascontiguousarray(scaled.astype(np.float32).transpose(2, 0, 1))
