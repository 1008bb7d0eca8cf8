"""RGB <-> Y'CbCr in BT.709 limited range, the colour space every output is tagged with.

OpenCV's YUV conversions use BT.601; using them and tagging BT.709 would shift every
colour slightly (greens and reds most), so the conversion is written out here.
"""

from __future__ import annotations

import cv2
import numpy as np
import numpy.typing as npt

U8 = npt.NDArray[np.uint8]
F32 = npt.NDArray[np.float32]

_KR, _KB = 0.2126, 0.0722
_KG = 1.0 - _KR - _KB
_RGB_TO_YCC = np.array(
    [
        [_KR, _KG, _KB],
        [-_KR / (2 * (1 - _KB)), -_KG / (2 * (1 - _KB)), 0.5],
        [0.5, -_KG / (2 * (1 - _KR)), -_KB / (2 * (1 - _KR))],
    ],
    dtype=np.float32,
)
_YCC_TO_RGB = np.linalg.inv(_RGB_TO_YCC).astype(np.float32)

BLACK_Y, NEUTRAL_C = 16, 128


def _limited_range_matrix() -> npt.NDArray[np.float32]:
    scale = np.array([[219.0], [224.0], [224.0]], dtype=np.float32) / 255.0
    offset = np.array([[16.0], [128.0], [128.0]], dtype=np.float32)
    return np.hstack([_RGB_TO_YCC * scale, offset]).astype(np.float32)


_RGB_TO_LIMITED = _limited_range_matrix()


def rgb_to_ycc_full(rgb: U8) -> tuple[U8, U8, U8]:
    """Full-resolution Y, Cb, Cr planes (limited range) of an RGB image."""
    ycc = cv2.transform(np.ascontiguousarray(rgb), _RGB_TO_LIMITED)
    return (
        np.ascontiguousarray(ycc[:, :, 0]),
        np.ascontiguousarray(ycc[:, :, 1]),
        np.ascontiguousarray(ycc[:, :, 2]),
    )


def subsample(plane: U8) -> U8:
    """2x2 box average, the 4:2:0 chroma of a full-resolution plane (even sizes)."""
    h, w = plane.shape
    return np.asarray(
        cv2.resize(plane, (w // 2, h // 2), interpolation=cv2.INTER_AREA), dtype=np.uint8
    )


def rgb_to_yuv420(rgb: U8) -> tuple[U8, U8, U8]:
    """Y plane and 4:2:0 U, V planes; the image must have even width and height."""
    y, cb, cr = rgb_to_ycc_full(rgb)
    return y, subsample(cb), subsample(cr)


def yuv420_to_rgb(y: U8, u: U8, v: U8) -> U8:
    """Back to RGB, for thumbnails and tests."""
    h, w = y.shape
    cb = cv2.resize(u, (w, h), interpolation=cv2.INTER_LINEAR).astype(np.float32)
    cr = cv2.resize(v, (w, h), interpolation=cv2.INTER_LINEAR).astype(np.float32)
    ycc = np.stack(
        [(y.astype(np.float32) - 16.0) / 219.0, (cb - 128.0) / 224.0, (cr - 128.0) / 224.0], axis=-1
    )
    rgb = ycc.reshape(-1, 3) @ _YCC_TO_RGB.T
    out: U8 = np.clip(np.rint(rgb * 255.0), 0, 255).astype(np.uint8).reshape(h, w, 3)
    return out


def hex_to_rgb(colour: str) -> tuple[int, int, int]:
    """`#RRGGBB` to an RGB triple."""
    value = colour.lstrip("#")
    return int(value[0:2], 16), int(value[2:4], 16), int(value[4:6], 16)
