"""Where the eye goes in a photo, for framing Ken Burns moves.

Spectral residual saliency (Hou and Zhang, CVPR 2007): what stands out from the smooth
log spectrum of natural images is what stands out to a viewer. It needs only an FFT, so
it runs in a few milliseconds with plain OpenCV and no model.
"""

from __future__ import annotations

import cv2
import numpy as np
import numpy.typing as npt

from reelestate.core.imaging import RGBArray

SALIENCY_SIDE = 64
"""The map is computed on a square this size, as in the paper."""

CENTRE_PRIOR_SIGMA = 0.35
"""Width (as a fraction of the frame) of the Gaussian centre prior.

Photographers frame the subject near the middle, while texture at the border (foliage
through a window, a patterned rug) also scores high; the prior settles such ties inward.
"""

_TOP_FRACTION = 0.05
_BRIDGE = 11
"""Gaps (in map pixels) closed before blobs are told apart: the outline of one object often
scores in separate bands, which belong together."""
"""The focal point is the saliency-weighted centre of the strongest blob in the top 5%;
the centre prior picks the blob but does not pull the point."""


def saliency_map(rgb: RGBArray) -> npt.NDArray[np.float32]:
    """Saliency in 0..1 on a SALIENCY_SIDE square covering the whole photo."""
    gray = cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY)
    small = cv2.resize(gray, (SALIENCY_SIDE, SALIENCY_SIDE), interpolation=cv2.INTER_AREA)
    spectrum = np.fft.fft2(small.astype(np.float32) / 255.0)
    log_amplitude = np.log(np.abs(spectrum) + 1e-8).astype(np.float32)
    phase = np.angle(spectrum)
    residual = log_amplitude - cv2.blur(log_amplitude, (3, 3))
    recovered = np.abs(np.fft.ifft2(np.exp(residual + 1j * phase))) ** 2
    smooth = cv2.GaussianBlur(recovered.astype(np.float32), (0, 0), sigmaX=2.5)
    peak = float(smooth.max())
    if peak <= 0:
        return np.zeros_like(smooth)
    return (smooth / peak).astype(np.float32)


def _centre_prior() -> npt.NDArray[np.float32]:
    grid = (np.arange(SALIENCY_SIDE, dtype=np.float32) + 0.5) / SALIENCY_SIDE - 0.5
    squared = grid[None, :] ** 2 + grid[:, None] ** 2
    return np.exp(-squared / (2 * CENTRE_PRIOR_SIGMA**2)).astype(np.float32)


def focal_point(rgb: RGBArray) -> tuple[float, float]:
    """(x, y) in 0..1 of the most salient region; the centre for a featureless photo."""
    raw = saliency_map(rgb)
    if float(raw.max()) - float(raw.min()) < 1e-3:
        return 0.5, 0.5
    sal = raw * _centre_prior()
    cutoff = float(np.quantile(sal, 1.0 - _TOP_FRACTION))
    mask = (sal >= cutoff).astype(np.uint8)
    kernel = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (_BRIDGE, _BRIDGE))
    count, labels = cv2.connectedComponents(
        cv2.morphologyEx(mask, cv2.MORPH_CLOSE, kernel), connectivity=8
    )
    chosen = mask > 0
    if count > 2:
        mass = np.bincount(labels.ravel(), weights=np.where(chosen, sal, 0.0).ravel())
        mass[0] = 0.0
        chosen &= labels == int(np.argmax(mass))
    weights = np.where(chosen, raw, 0.0)
    ys, xs = np.indices(sal.shape)
    total = float(weights.sum())
    cx = float((weights * (xs + 0.5)).sum()) / total / SALIENCY_SIDE
    cy = float((weights * (ys + 0.5)).sum()) / total / SALIENCY_SIDE
    return min(max(cx, 0.0), 1.0), min(max(cy, 0.0), 1.0)
