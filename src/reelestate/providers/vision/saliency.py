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

_TOP_FRACTION = 0.05
"""The focal point is the saliency-weighted centre of the strongest blob in the top 5%."""


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


def focal_point(rgb: RGBArray) -> tuple[float, float]:
    """(x, y) in 0..1 of the most salient region; the centre for a featureless photo."""
    sal = saliency_map(rgb)
    if float(sal.max()) - float(sal.min()) < 1e-3:
        return 0.5, 0.5
    cutoff = float(np.quantile(sal, 1.0 - _TOP_FRACTION))
    mask = (sal >= cutoff).astype(np.uint8)
    count, labels = cv2.connectedComponents(mask, connectivity=8)
    weights = np.where(mask > 0, sal, 0.0)
    if count > 2:
        mass = np.bincount(labels.ravel(), weights=weights.ravel(), minlength=count)
        mass[0] = 0.0
        weights = np.where(labels == int(np.argmax(mass)), weights, 0.0)
    ys, xs = np.indices(sal.shape)
    total = float(weights.sum())
    cx = float((weights * (xs + 0.5)).sum()) / total / SALIENCY_SIDE
    cy = float((weights * (ys + 0.5)).sum()) / total / SALIENCY_SIDE
    return min(max(cx, 0.0), 1.0), min(max(cy, 0.0), 1.0)
