from __future__ import annotations

import numpy as np

from reelestate.render.colour import hex_to_rgb, rgb_to_ycc_full, rgb_to_yuv420, yuv420_to_rgb


def test_bt709_limited_range_reference_values() -> None:
    px = np.array([[[255, 255, 255], [0, 0, 0], [255, 0, 0], [0, 255, 0]]], dtype=np.uint8)
    y, cb, cr = rgb_to_ycc_full(px)
    assert y.tolist() == [[235, 16, 63, 173]]
    assert cb[0, :2].tolist() == [128, 128]
    assert cr[0, 2] == 240  # pure red saturates Cr at its limited-range top


def test_round_trip_is_close() -> None:
    yy, xx = np.mgrid[0:32, 0:32]
    smooth = np.stack([xx * 8, yy * 8, (xx + yy) * 4], axis=-1).astype(np.uint8)
    back = yuv420_to_rgb(*rgb_to_yuv420(smooth))
    assert np.abs(back.astype(int) - smooth.astype(int))[2:-2, 2:-2].max() <= 6
    assert hex_to_rgb("#1F3A5F") == (31, 58, 95)
