"""Technical quality of a photo: sharpness, exposure, clipping and colour cast.

All measures are taken on the photo scaled to `ANALYSIS_SIDE` on its long side, so a
10-megapixel original and its web copy score alike. The thresholds that turn them into
reject reasons were set on the 800 houses-dev listing photos, none of which they reject:
sharpness there is 86 to 11,000 (a Gaussian blur of sigma 1.5 brings any of them under 26),
exposure -0.51 to 0.62, clipped highlights up to 0.44, shadows up to 0.18, and warm interiors
reach a colour cast of 51.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np
import numpy.typing as npt

from reelestate.core.imaging import RGBArray

ANALYSIS_SIDE = 640
"""Long side, in pixels, at which every measure is taken."""

BLURRY_BELOW = 60.0
"""Sharpness under which a photo reads as out of focus or shaken on a phone screen."""

TOO_DARK_BELOW = -0.55
TOO_BRIGHT_ABOVE = 0.7
MAX_CLIPPED_SHADOWS = 0.45
MAX_CLIPPED_HIGHLIGHTS = 0.5
STRONG_CAST_ABOVE = 60.0

_SHADOW_LEVEL = 8
_HIGHLIGHT_LEVEL = 247


@dataclass(frozen=True)
class QualityMetrics:
    """Measured quality of one photo; see `PhotoAnalysis` for each field's scale."""

    sharpness: float
    exposure: float
    clipped_highlights: float
    clipped_shadows: float
    colour_cast: float

    def reject_reasons(self) -> list[str]:
        """Human-readable reasons this photo should not appear in a video."""
        reasons: list[str] = []
        if self.sharpness < BLURRY_BELOW:
            reasons.append("blurry")
        if self.exposure < TOO_DARK_BELOW or self.clipped_shadows > MAX_CLIPPED_SHADOWS:
            reasons.append("too dark")
        if self.exposure > TOO_BRIGHT_ABOVE or self.clipped_highlights > MAX_CLIPPED_HIGHLIGHTS:
            reasons.append("too bright")
        if self.colour_cast > STRONG_CAST_ABOVE:
            reasons.append("strong colour cast")
        return reasons


def to_analysis_size(rgb: RGBArray) -> RGBArray:
    """The photo at `ANALYSIS_SIDE` on its long side (smaller photos are left as they are)."""
    long_side = max(rgb.shape[0], rgb.shape[1])
    if long_side <= ANALYSIS_SIDE:
        return rgb
    scale = ANALYSIS_SIDE / long_side
    size = (max(1, round(rgb.shape[1] * scale)), max(1, round(rgb.shape[0] * scale)))
    return np.ascontiguousarray(cv2.resize(rgb, size, interpolation=cv2.INTER_AREA))


def sharpness(gray: npt.NDArray[np.uint8]) -> float:
    """Variance of the Laplacian of the analysis-size grey image (0-255 scale)."""
    return float(cv2.Laplacian(gray, cv2.CV_64F).var())


def measure_quality(rgb: RGBArray) -> QualityMetrics:
    """All quality measures of an RGB photo."""
    small = to_analysis_size(rgb)
    gray = np.asarray(cv2.cvtColor(small, cv2.COLOR_RGB2GRAY), dtype=np.uint8)
    total = float(gray.size)
    hist = np.bincount(gray.ravel(), minlength=256).astype(np.float64)
    mean_luma = float((hist * np.arange(256)).sum() / total) / 255.0
    lab = cv2.cvtColor(small, cv2.COLOR_RGB2LAB).reshape(-1, 3).astype(np.float32)
    midtones = lab[(lab[:, 0] > 25) & (lab[:, 0] < 230)]
    chroma = midtones if len(midtones) else lab
    cast_a = float(chroma[:, 1].mean()) - 128.0
    cast_b = float(chroma[:, 2].mean()) - 128.0
    return QualityMetrics(
        sharpness=sharpness(gray),
        exposure=float(np.clip((mean_luma - 0.5) * 2.0, -1.0, 1.0)),
        clipped_highlights=float(hist[_HIGHLIGHT_LEVEL:].sum() / total),
        clipped_shadows=float(hist[: _SHADOW_LEVEL + 1].sum() / total),
        colour_cast=float(np.hypot(cast_a, cast_b)),
    )
