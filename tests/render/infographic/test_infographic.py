"""Facts cards: bad facts refused first, the price counted up and held inside the safe area,
the brand's colours on the card, a PNG the size of each aspect, and one real encode."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from reelestate.core.errors import InvalidInputError
from reelestate.render.infographic import parse_infographic, render_infographic
from reelestate.render.infographic.layout import safe_rect
from reelestate.render.infographic.painter import CardPainter, count_value
from reelestate.render.probe import inspect_video
from tests.conftest import PHOTOS

PHOTO = PHOTOS / "house107" / "frontal.jpg"
ACCENT = "#E8C547"


def card(aspect: str = "9:16", **facts: object) -> dict[str, object]:
    return {
        "facts": {
            "address": "12 Oak St",
            "price": 988000,
            "beds": 3,
            "baths": 3,
            "area_sqft": 2361,
            "highlights": ["Pool", "Views"],
            **facts,
        },
        "brand": {"agent_name": "Dana", "agent_phone": "555-0142", "accent_color": ACCENT},
        "photo": str(PHOTO),
        "aspect": aspect,
        "profile": "preview",
        "duration": 6,
        "fps": 24,
    }


@pytest.mark.parametrize(
    ("change", "words"),
    [
        ({"price": None, "beds": None, "baths": None, "area_sqft": None}, "needs the price"),
        ({"highlights": ["a", "b", "c", "d"]}, "at most 3 highlights"),
        ({"price": -5}, "price"),
        ({"baths": 2.3}, "halves"),
    ],
)
def test_bad_facts_are_refused_before_any_work(change: dict[str, object], words: str) -> None:
    with pytest.raises(InvalidInputError, match=words):
        parse_infographic(card(**change))


def test_a_card_lasts_six_to_ten_seconds() -> None:
    with pytest.raises(InvalidInputError, match="duration"):
        parse_infographic({**card(), "duration": 12})


def test_the_price_counts_up_and_ends_exact() -> None:
    assert count_value(988000, 0.0) == 0
    assert 0 < count_value(988000, 1.0) < 988000
    assert count_value(988000, 5.0) == 988000


@pytest.fixture(scope="module")
def painter() -> CardPainter:
    return CardPainter(parse_infographic(card()))


def test_price_is_on_the_last_frame_inside_the_safe_area(painter: CardPainter) -> None:
    first, last = painter.frame(0), painter.frame(painter.frame_count - 1)
    assert painter.price_font is not None
    x, y = painter.price_at
    w = round(painter.price_font.getlength("$988,000"))
    h = sum(painter.price_font.getmetrics())
    safe = safe_rect("9:16", painter.width, painter.height)
    assert safe.x <= x and x + w <= safe.right and safe.y <= y and y + h <= safe.bottom
    # no price before it appears; bright text where it stands at the end
    region_first = first[y : y + h, x : x + w].astype(np.int16)
    region_last = last[y : y + h, x : x + w].astype(np.int16)
    assert np.abs(region_last - region_first).mean() > 20
    assert (region_last.min(axis=2) > 220).mean() > 0.15  # white digits


def test_brand_accent_is_on_the_card(painter: CardPainter) -> None:
    last = painter.frame(painter.frame_count - 1)
    pill = painter.tiles[0]
    sample = last[pill.y + pill.image.shape[0] // 2, pill.x + 4].astype(int)
    assert np.abs(sample - np.array([0xE8, 0xC5, 0x47])).max() < 12


@pytest.mark.parametrize(
    ("aspect", "size"),
    [("9:16", (540, 960)), ("1:1", (540, 540)), ("4:5", (540, 676)), ("16:9", (540, 304))],
)
def test_still_has_the_aspect_size(aspect: str, size: tuple[int, int]) -> None:
    spec = parse_infographic({**card(aspect), "duration": 6})
    assert CardPainter(spec).still().size == size


def test_render_writes_a_probed_video_and_its_still(tmp_path: Path) -> None:
    spec = parse_infographic({**card("1:1"), "music": "calm"})
    result = render_infographic(spec, tmp_path / "out", work_dir=tmp_path)
    report = inspect_video(result.video)
    assert (report.width, report.height) == (540, 540)
    assert report.colour == ("bt709", "bt709", "bt709")
    assert abs(report.video_duration - 6.0) < 0.05 and report.faststart
    assert result.still.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == [
        "infographic.mp4",
        "infographic.png",
    ]


def test_the_phone_icon_is_a_solid_handset_not_a_box() -> None:
    """A hollow outline at text size reads as the missing-glyph box; the handset is solid."""
    import cv2  # noqa: PLC0415

    from reelestate.render.infographic.icons import icon  # noqa: PLC0415

    alpha = np.asarray(icon("phone", 64, (255, 255, 255)))[..., 3]
    ink = (alpha > 128).astype(np.uint8)
    core = cv2.erode(ink, np.ones((7, 7), np.uint8))
    assert core.sum() > 0.1 * ink.sum()  # strokes thicker than an outline


def test_every_character_on_the_card_is_in_its_font() -> None:
    from PIL import ImageFont  # noqa: PLC0415

    from reelestate.render.fonts import DISPLAY, REGULAR, missing_glyphs  # noqa: PLC0415

    texts = ["€1,795,000", "£988,000", "·  Harbor & Pine Realty", "JUST LISTED", "4.5 baths"]
    for path in (DISPLAY, REGULAR):
        font = ImageFont.truetype(str(path), 32)
        assert missing_glyphs(font, " ".join(texts)) == []
    assert missing_glyphs(ImageFont.truetype(str(DISPLAY), 32), "☎ 5") == ["☎"]
    # a brand font without the middle dot: that line is set in the shipped face instead
    spec = parse_infographic(
        {
            **card(),
            "brand": {
                "name": "Pine",
                "agent_name": "Dana",
                "agent_phone": "555",
                "font": str(DISPLAY),
            },
        }
    )
    painter = CardPainter(spec)
    assert painter.fonts.body(20, "·  ☎").path == str(REGULAR)
    assert painter.fonts.body(20, "Pine").path == str(DISPLAY)


def test_the_settled_facts_drawn_once_look_like_each_tile_drawn(painter: CardPainter) -> None:
    """Once nothing moves, the facts are one premultiplied layer: the same pixels, one pass."""
    last = painter.frame_count - 1
    flat = painter.frame(last).astype(int)
    settled_at = painter._settled_at
    try:
        painter._settled_at = float("inf")  # every tile blended on its own, as while they move
        tiled = painter.frame(last).astype(int)
    finally:
        painter._settled_at = settled_at
    assert np.abs(flat - tiled).max() <= 2
