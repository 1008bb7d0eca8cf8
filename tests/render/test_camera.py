from __future__ import annotations

import math

import pytest

from reelestate.render.camera import CameraPath, Window, ease, inverse_map, plan_path


def _inside(w: Window, src_w: float, src_h: float, aspect: float) -> bool:
    left, top, right, bottom = w.bounds(aspect)
    return left >= -1e-6 and top >= -1e-6 and right <= src_w + 1e-6 and bottom <= src_h + 1e-6


@pytest.mark.parametrize(
    "kind", ["zoom_in", "zoom_out", "pan_left", "pan_right", "pan_up", "pan_down", "static"]
)
@pytest.mark.parametrize("focal", [(0.5, 0.5), (0.05, 0.9), (0.95, 0.1)])
@pytest.mark.parametrize(
    ("src", "aspect"), [((1024, 683), 9 / 16), ((683, 1024), 16 / 9), ((1000, 1000), 1.0)]
)
def test_every_window_stays_inside_the_source(kind, focal, src, aspect) -> None:  # type: ignore[no-untyped-def]
    path = plan_path(
        kind,
        src_w=src[0],
        src_h=src[1],
        aspect=aspect,
        focal=focal,
        strength=0.15,
        easing="ease_in_out",
    )
    for i in range(21):
        assert _inside(path.at(i / 20), src[0], src[1], aspect)


def test_zoom_in_ends_closer_around_the_focal_point() -> None:
    path = plan_path(
        "zoom_in",
        src_w=1600,
        src_h=900,
        aspect=16 / 9,
        focal=(0.7, 0.4),
        strength=0.2,
        easing="linear",
    )
    assert path.end.width == pytest.approx(path.start.width / 1.2)
    assert path.end.cx > path.start.cx
    assert path.end.cy < path.start.cy


def test_pans_move_the_expected_way() -> None:
    common = {
        "src_w": 2000.0,
        "src_h": 800.0,
        "aspect": 9 / 16,
        "focal": (0.5, 0.5),
        "strength": 0.1,
        "easing": "linear",
    }
    assert plan_path("pan_right", **common).end.cx > plan_path("pan_right", **common).start.cx  # type: ignore[arg-type]
    assert plan_path("pan_left", **common).end.cx < plan_path("pan_left", **common).start.cx  # type: ignore[arg-type]
    tall = {**common, "src_w": 800.0, "src_h": 2000.0, "aspect": 16 / 9}
    assert plan_path("pan_down", **tall).end.cy > plan_path("pan_down", **tall).start.cy  # type: ignore[arg-type]


def test_zoom_speed_is_geometric_and_eased() -> None:
    path = CameraPath(
        start=Window(100, 100, 200), end=Window(100, 100, 100), easing="linear", aspect=1.0
    )
    assert path.at(0.5).width == pytest.approx(200 * math.sqrt(0.5))
    assert ease(0.0, "ease_in_out") == 0.0
    assert ease(1.0, "ease_in_out") == pytest.approx(1.0)
    assert ease(0.25, "ease_in_out") < 0.25


def test_inverse_map_puts_window_edges_on_output_edges() -> None:
    window = Window(cx=500.0, cy=400.0, width=540.0)
    a, tx, ty = inverse_map(window, 1080, 1920)
    # Output pixel-centre -0.5 (the left edge) maps to the window's left edge in source centres.
    assert a * -0.5 + tx == pytest.approx(500 - 270 - 0.5)
    assert a * (1920 - 0.5) + ty == pytest.approx(400 + 540 * 1920 / 1080 / 2 - 0.5)
    ac, txc, _ = inverse_map(window, 1080, 1920, 0.5)
    assert ac == a
    assert ac * -0.5 + txc == pytest.approx((500 - 270) / 2 - 0.5)
