"""Every title, caption, callout and logo sits inside the platform's safe area, in every aspect."""

from __future__ import annotations

import pytest

from reelestate.render.callouts import closing_call, cold_open, stat_callouts
from reelestate.render.layout import (
    CAPTION_LINES,
    Rect,
    caption_layout,
    captions_rect,
    framed_box,
    logo_rect,
    panels,
    safe_rect,
    stats_rect,
    title_rect,
)
from reelestate.render.overlays import Overlay, logo_overlay
from reelestate.render.panel_text import facts_strip, headline_callouts, opening_facts
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


def _overlap(a: Rect, b: Rect) -> bool:
    return a.x < b.right and b.x < a.right and a.y < b.bottom and b.y < a.bottom


VERTICAL = [("9:16", (1080, 1920)), ("9:16", (540, 960))]


@pytest.mark.parametrize(("aspect", "size"), VERTICAL)
def test_a_vertical_page_stacks_logo_headline_photo_facts_and_captions_in_the_safe_area(
    aspect: Aspect, size: tuple[int, int]
) -> None:
    w, h = size
    safe = safe_rect(aspect, w, h)
    page = panels(aspect, w, h)
    assert page is not None
    for rect in (page.headline, page.facts, page.captions):
        assert _inside(rect, safe)
    assert logo_rect(aspect, w, h).bottom <= page.headline.y
    assert page.headline.bottom <= page.photo.y
    assert page.photo.bottom <= page.facts.y
    assert page.facts.bottom <= page.captions.y
    # Captions are large: at least 5.5 % of the frame's height, two lines with room to spare.
    assert page.caption_size >= 0.055 * h
    assert page.captions.h >= CAPTION_LINES * page.caption_size
    layout = caption_layout(aspect, w, h, BrandKit())
    assert (layout.panel_size, layout.panel_margin_v) == (page.caption_size, page.captions.y)
    # A small listing photo spans the width inside the band between the panels.
    box = framed_box(aspect, w, h, 767, 575)
    assert box.w == w and page.photo.y <= box.y and box.bottom <= page.photo.bottom


@pytest.mark.parametrize("aspect", ["1:1", "4:5", "16:9"])
def test_shorter_frames_keep_their_text_over_the_photo(aspect: Aspect) -> None:
    w, h = ASPECT_SIZES[aspect]
    assert panels(aspect, w, h) is None


@pytest.mark.parametrize(("aspect", "size"), VERTICAL)
def test_panel_text_stays_in_the_safe_area_and_off_the_photo_even_when_long(
    aspect: Aspect, size: tuple[int, int]
) -> None:
    w, h = size
    safe = safe_rect(aspect, w, h)
    page = panels(aspect, w, h)
    assert page is not None
    box = framed_box(aspect, w, h, 767, 575)
    long_title = "Sunlit open-plan kitchen with a walk-in pantry and a breakfast bar"
    pieces = [
        *headline_callouts(page, "JUST LISTED · PASO ROBLES", FACTS.address, BRAND, delay=0.1),
        *headline_callouts(page, "12345 LONG MEADOW RANCH ROAD", long_title, BRAND, delay=0.1),
        *facts_strip(page, FACTS, BRAND, delay=0.3),
        *opening_facts(page, FACTS, BRAND),
    ]
    assert len(pieces) >= 13
    for piece in pieces:
        rect = _rect(piece.overlay)
        assert _inside(rect, safe), piece
        assert not _overlap(rect, box), piece
    logo = logo_overlay(aspect, w, h, BRAND)
    assert logo is not None and _inside(_rect(logo), safe)


@pytest.mark.parametrize(("aspect", "size"), SIZES)
def test_the_brand_name_reads_on_a_phone(aspect: Aspect, size: tuple[int, int]) -> None:
    w, h = size
    logo = logo_overlay(aspect, w, h, BrandKit(name="Harbor & Pine Realty"))
    assert logo is not None
    # The pill is at least 3.4 % of the frame's height in a vertical reel (was 2.4 %).
    assert logo.luma.shape[0] >= (0.034 if aspect == "9:16" else 0.05) * h
