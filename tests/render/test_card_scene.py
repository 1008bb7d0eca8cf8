"""A facts card as a scene of a listing video: drawn by the card's painter inside the engine."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from reelestate.core.errors import InvalidSpecError
from reelestate.render.card_source import card_painter
from reelestate.render.engine import render_video
from reelestate.render.spec import parse_spec
from reelestate.render.timeline import build_timeline
from tests.render.helpers import HOUSE, frame_at, small_spec


def card_spec(**extra: object) -> dict[str, object]:
    spec = small_spec().model_dump(mode="json")
    spec["scenes"].append(
        {
            "photo": str(HOUSE / "frontal.jpg"),
            "duration": 2.5,
            "card": {"highlights": ["Pool"]},
            "transition": {"kind": "cut", "duration": 0},
        }
    )
    spec["profile"] = "preview"
    spec["narration"] = None
    spec["brand"] = {**spec["brand"], "accent_color": "#E84A5F", "outro_card": False}
    spec.update(extra)
    return spec


def test_a_card_needs_facts_and_is_no_generated_clip() -> None:
    with pytest.raises(InvalidSpecError, match="facts card needs"):
        parse_spec(card_spec(facts=None))
    spec = parse_spec(card_spec())
    card_shot = build_timeline(spec).shots[-1]
    assert card_shot.card is not None and not card_shot.ai_generated


def test_the_card_scene_renders_its_facts_at_the_end(tmp_path: Path) -> None:
    spec = parse_spec(card_spec())
    result = render_video(spec, tmp_path / "out", cache_dir=tmp_path / "cache")
    assert abs(result.duration - 8.5) < 0.1
    card = spec.scenes[-1]
    assert card.card is not None
    frames = round(2.5 * spec.fps)
    painter = card_painter(spec, card.card, card.photo, seconds=2.5)
    drawn = painter.frame(frames - 1).astype(int)
    last = frame_at(result.video, result.duration - 0.1).astype(int)
    photo_scene = frame_at(result.video, 1.0).astype(int)
    # the video ends on the card's own last frame (the price in full), not on a photo
    assert np.abs(last - drawn).mean() < 6 < np.abs(photo_scene - drawn).mean()
    # a second render reuses the card's clip: its key does not change
    again = render_video(spec, tmp_path / "again", cache_dir=tmp_path / "cache")
    assert again.segments_reused == again.segments_rendered + again.segments_reused
