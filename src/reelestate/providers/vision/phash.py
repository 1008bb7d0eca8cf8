"""Perceptual hashes of photos.

A DCT hash of the low frequencies survives re-encoding and resizing, so it is the cheap
first test of whether two uploads are one photo (see `duplicates`).
"""

from __future__ import annotations

import cv2
import numpy as np

from reelestate.core.imaging import RGBArray

HASH_SIDE = 32
"""The photo is reduced to this square before the DCT (64-bit hash from its 8x8 corner)."""


def dct_phash(rgb: RGBArray) -> str:
    """64-bit DCT perceptual hash of an RGB photo, as 16 hex digits."""
    gray = cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY)
    small = cv2.resize(gray, (HASH_SIDE, HASH_SIDE), interpolation=cv2.INTER_AREA)
    freq = cv2.dct(small.astype(np.float32))
    low = freq[:8, :8].flatten()
    median = float(np.median(low[1:]))
    bits = low > median
    value = 0
    for bit in bits:
        value = (value << 1) | int(bit)
    return f"{value:016x}"


def hamming(first: str, second: str) -> int:
    """Number of differing bits between two hex hashes."""
    return (int(first, 16) ^ int(second, 16)).bit_count()
