"""Every title, caption, callout and logo sits inside the platform's safe area, in every aspect."""

from __future__ import annotations

import pytest

from reelestate.render.callouts import closing_call, cold_open, stat_callouts
from reelestate.render.layout import (
    Rect,
    caption_layout,
    captions_rect,
    framed_box,
    logo_rect,
    safe_rect,
    stats_rect,
    title_rect,
)
from reelestate.render.overlays import Overlay
from reelestate.render.spec import ASPECT_SIZES, Aspect, BrandKit, ListingFacts

ASPECTS: list[Aspect] = ["9:16", "1:1", "4:5", "16:9"]
SIZES = [(a, ASPECT_SIZES[a]) for a in ASPECTS] + [
    ("9:16", (540, 960)),
    ("1:1", (540, 540)),
    ("16:9", (540, 304)),
]
FACTS = ListingFacts(
    address="12345 Long Meadow Ranch Road West, Paso Robles, California 93446",
    price=12_529_000,
    beds=13,
    baths=10.5,
    area_sqft=12_850,
)
BRAND = BrandKit(
    name="Harbor & Pine Realty of the Central Coast",
    agent_name="Dana Whitfield-Montgomery",
    agent_phone="(805) 555-0142",
)


def _inside(inner: Rect, outer: Rect) -> bool:
    return (
        inner.x >= outer.x
        and inner.y >= outer.y
        and inner.right <= outer.right
        and inner.bottom <= outer.bottom
    )


def _rect(overlay: Overlay) -> Rect:
    h, w = overlay.luma.shape
    return Rect(overlay.x, overlay.y, w, h)


def test_vertical_safe_area_leaves_the_top_14_and_bottom_20_percent_free() -> None:
    safe = safe_rect("9:16", 1080, 1920)
    assert safe.y >= round(0.14 * 1920)
    assert safe.bottom <= round(0.80 * 1920)


@pytest.mark.parametrize(("aspect", "size"), SIZES)
def test_text_regions_lie_inside_the_safe_area(aspect: Aspect, size: tuple[int, int]) -> None:
    w, h = size
    safe = safe_rect(aspect, w, h)
    regions = [captions_rect, title_rect, stats_rect, logo_rect]
    for region in regions:
        assert _inside(region(aspect, w, h), safe), region.__name__
    # Callouts, captions and the title do not overlap each other.
    assert stats_rect(aspect, w, h).bottom <= captions_rect(aspect, w, h).y
    assert title_rect(aspect, w, h).bottom <= stats_rect(aspect, w, h).y


@pytest.mark.parametrize(("aspect", "size"), SIZES)
def test_caption_styles_keep_libass_text_inside_the_safe_area(
    aspect: Aspect, size: tuple[int, int]
) -> None:
    w, h = size
    safe = safe_rect(aspect, w, h)
    layout = caption_layout(aspect, w, h, BrandKit())
    assert h - layout.narration_margin_v <= safe.bottom
    assert layout.title_margin_v >= safe.y
    assert safe.x <= layout.margin_h and w - layout.margin_h <= safe.right


@pytest.mark.parametrize(("aspect", "size"), SIZES)
def test_callouts_fit_inside_the_safe_area_even_with_long_text(
    aspect: Aspect, size: tuple[int, int]
) -> None:
    w, h = size
    safe = safe_rect(aspect, w, h)
    pieces = [
        *stat_callouts(aspect, w, h, FACTS, BRAND),
        *cold_open(aspect, w, h, FACTS, None, BRAND),
        *closing_call(aspect, w, h, BRAND),
    ]
    assert len(pieces) >= 9
    for piece in pieces:
        assert _inside(_rect(piece.overlay), safe), piece
    delays = [p.delay for p in stat_callouts(aspect, w, h, FACTS, BRAND)]
    assert delays == sorted(delays) and len(set(delays)) == len(delays)


@pytest.mark.parametrize("aspect", ASPECTS)
def test_a_framed_photo_spans_the_frame_s_width_or_height(aspect: Aspect) -> None:
    w, h = ASPECT_SIZES[aspect]
    box = framed_box(aspect, w, h, 767, 575)
    assert _inside(box, Rect(0, 0, w, h))
    assert box.w >= w - 2 or box.h >= h - 2
    assert box.x % 2 == box.y % 2 == box.w % 2 == box.h % 2 == 0
