"""The layout decision: full frame when the photo is sharp enough, framed on brand panels if not."""

from __future__ import annotations

import pytest

from reelestate.render.shot_layout import MAX_FILL_UPSCALE, choose_layout, fill_upscale
from reelestate.render.spec import Motion

ZOOM = Motion(kind="zoom_in", strength=0.12)


def test_a_large_landscape_photo_fills_a_vertical_frame_and_pans_across_its_width() -> None:
    right = choose_layout(4032, 3024, "9:16", ZOOM, focal=(0.7, 0.5))
    left = choose_layout(4032, 3024, "9:16", ZOOM, focal=(0.2, 0.5))
    assert (right.kind, right.motion.kind) == ("fill", "pan_right")
    assert (left.kind, left.motion.kind) == ("fill", "pan_left")
    assert right.motion.strength == ZOOM.strength and right.upscale < 1.0


def test_a_pan_along_the_long_side_keeps_its_direction() -> None:
    layout = choose_layout(4032, 3024, "9:16", Motion(kind="pan_left"), focal=(0.9, 0.5))
    assert layout.motion.kind == "pan_left"


def test_a_photo_close_to_the_frame_shape_keeps_its_zoom() -> None:
    layout = choose_layout(2400, 2400, "1:1", ZOOM)
    assert (layout.kind, layout.motion) == ("fill", ZOOM)


def test_a_tall_photo_in_a_wide_frame_pans_down_its_height() -> None:
    layout = choose_layout(2000, 3000, "16:9", ZOOM, focal=(0.5, 0.8))
    assert (layout.kind, layout.motion.kind) == ("fill", "pan_down")


@pytest.mark.parametrize("aspect", ["9:16", "1:1", "4:5", "16:9"])
def test_a_small_listing_photo_is_framed_in_every_aspect_with_its_own_motion(aspect: str) -> None:
    layout = choose_layout(767, 575, aspect, ZOOM)  # type: ignore[arg-type]
    assert layout.kind == "framed"
    assert layout.motion == ZOOM
    assert layout.upscale > MAX_FILL_UPSCALE


def test_the_threshold_includes_the_motion_s_tighter_framing() -> None:
    # 1920 / 1280 = 1.5 to cover a 9:16 frame; any zoom on top of that is too much.
    assert choose_layout(1707, 1280, "9:16", Motion(kind="static", strength=0)).kind == "fill"
    assert choose_layout(1707, 1280, "9:16", ZOOM).kind == "framed"
    assert fill_upscale(1707, 1280, "9:16", ZOOM) == pytest.approx(1.5 * 1.12)


def test_the_storyboard_can_force_either_layout() -> None:
    assert choose_layout(767, 575, "9:16", ZOOM, fit="smart_crop").kind == "fill"
    assert choose_layout(4032, 3024, "9:16", ZOOM, fit="blur_fill").kind == "framed"


def test_the_decision_ignores_the_preview_size() -> None:
    """The same photo gets the same layout in a preview and in the final."""
    a = choose_layout(1200, 900, "9:16", ZOOM)
    b = choose_layout(1200, 900, "9:16", ZOOM)
    assert a == b and a.kind == "framed"
