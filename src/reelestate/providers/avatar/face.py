"""Is this photo usable as a presenter? One frontal face, big enough, checked with OpenCV.

D-ID and HeyGen refuse (and still bill for) photos without a clear face, and the portrait
presenter crops around the face, so the photo is checked when it is added to the brand kit:
OpenCV's frontal-face Haar cascade (shipped inside opencv-python) must find exactly one face
that covers a fair part of the photo. Otherwise the photo is refused with the reason.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import cv2
import numpy as np

from reelestate.core.errors import PhotoError
from reelestate.core.imaging import load_photo

DETECT_SIDE = 640
"""Photos are searched at this long side: faster, and the cascade's scale steps still fit."""
MIN_FACE_SHARE = 0.08
"""The face's width as a share of the photo's shorter side, at least."""


@dataclass(frozen=True)
class FaceBox:
    """Where the face is, as fractions of the photo's width and height."""

    x: float
    y: float
    w: float
    h: float

    @property
    def centre(self) -> tuple[float, float]:
        return self.x + self.w / 2, self.y + self.h / 2


@lru_cache(maxsize=1)
def _cascade() -> cv2.CascadeClassifier:
    folder = Path(cv2.data.haarcascades)  # type: ignore[attr-defined]
    path = folder / "haarcascade_frontalface_default.xml"
    cascade = cv2.CascadeClassifier(str(path))
    if cascade.empty():  # pragma: no cover - a broken OpenCV install
        raise RuntimeError(f"OpenCV's face cascade is missing at {path}")
    return cascade


def find_faces(rgb: np.ndarray) -> list[FaceBox]:
    """Every frontal face the cascade finds, largest first."""
    h, w = rgb.shape[:2]
    scale = min(1.0, DETECT_SIDE / max(h, w))
    small = cv2.resize(rgb, (round(w * scale), round(h * scale))) if scale < 1 else rgb
    grey = cv2.equalizeHist(cv2.cvtColor(small, cv2.COLOR_RGB2GRAY))
    side = min(grey.shape[:2])
    found = _cascade().detectMultiScale(
        grey, scaleFactor=1.1, minNeighbors=6, minSize=(max(24, side // 12),) * 2
    )
    sh, sw = grey.shape[:2]
    boxes = [FaceBox(x / sw, y / sh, fw / sw, fh / sh) for (x, y, fw, fh) in found]
    return sorted(boxes, key=lambda b: b.w * b.h, reverse=True)


def check_presenter_photo(path: Path) -> FaceBox:
    """The one face of `path`, or a `PhotoError` that says why the photo cannot present."""
    photo = load_photo(path, max_side=1280, min_short_side=128)
    faces = find_faces(photo.rgb)
    name = path.name
    if not faces:
        raise PhotoError(
            f"{name} has no face we can find, so it cannot be the presenter.",
            hint="Use a head-and-shoulders photo, facing the camera, in good light.",
        )
    if len(faces) > 1:
        raise PhotoError(
            f"{name} shows {len(faces)} faces; the presenter photo needs exactly one.",
            hint="Crop the photo to the agent alone.",
        )
    face = faces[0]
    h, w = photo.rgb.shape[:2]
    if face.w * w < MIN_FACE_SHARE * min(w, h):
        raise PhotoError(
            f"The face in {name} is too small to present.",
            hint="Use a closer head-and-shoulders photo.",
        )
    return face
