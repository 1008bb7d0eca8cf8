"""The facts card as a storyboard scene: added at the end, moved, retimed, removed; it
speaks no narration of its own and becomes the engine's card scene."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from reelestate.core.errors import InvalidRevisionError
from reelestate.tools.listing import Listing
from reelestate.tools.script import write_script
from reelestate.tools.storyboard import (
    StoryboardHistory,
    narration_text,
    plan_storyboard,
    to_render_spec,
)
from reelestate.tools.storyboard_ops import (
    AddInfographicOp,
    MoveOp,
    RemoveOp,
    RetimeOp,
    SetCaptionOp,
    parse_op,
)
from reelestate.tools.storyboard_words import motion_words, scene_title
from tests.tools.story_factories import house

NOW = datetime(2025, 1, 2, 3, 4, 5, tzinfo=UTC)
LISTING = Listing(address="12 Oak Street", price=585_000, beds=3, baths=2.5, area_sqft=1850)
ROOMS = ["exterior", "kitchen", "living_room", "bedroom", "bathroom", "bedroom"]


@pytest.fixture(scope="module")
def planned() -> tuple[StoryboardHistory, object]:
    photos = house(ROOMS, Path("/photos"))  # type: ignore[arg-type]
    script = write_script(LISTING, photos, style="modern", length_seconds=30, seed=1)  # type: ignore[arg-type]
    return plan_storyboard(LISTING, photos, script, author="planner", now=NOW), script


def test_a_facts_card_is_added_at_the_end_over_the_hero_photo(
    planned: tuple[StoryboardHistory, object],
) -> None:
    history, script = planned
    op = parse_op({"op": "add_infographic", "highlights": ["Heated pool"]})
    assert isinstance(op, AddInfographicOp)
    after = history.apply(op, author="agent", now=NOW)
    scenes = after.current.scenes
    card = scenes[-1]
    assert card.is_card and card.highlights == ("Heated pool",)
    assert card.photo == scenes[0].photo and card.overlay == "none"
    assert after.current.reason == "add a facts card at the end"
    assert scene_title(card) == "Facts card" and "Price counting up" in motion_words(card)
    # the card does not speak the hero photo's lines a second time
    assert narration_text(after.current, script) == narration_text(history.current, script)  # type: ignore[arg-type]
    spec = to_render_spec(after.current, LISTING, script, profile="preview")  # type: ignore[arg-type]
    assert spec.scenes[-1].card is not None and spec.scenes[-1].card.highlights == ["Heated pool"]
    assert all(s.card is None for s in spec.scenes[:-1])


def test_the_card_is_moved_retimed_and_removed_like_any_scene(
    planned: tuple[StoryboardHistory, object],
) -> None:
    history, _ = planned
    history = history.apply(AddInfographicOp(), author="agent", now=NOW)
    last = len(history.current.scenes)
    moved = history.apply(MoveOp(scene=last, to=2), author="agent", now=NOW)
    assert moved.current.scenes[1].is_card
    retimed = moved.apply(RetimeOp(scene=2, seconds=6.0), author="agent", now=NOW)
    assert retimed.current.scenes[1].duration == 6.0
    removed = retimed.apply(RemoveOp(scene=2), author="agent", now=NOW)
    assert not any(s.is_card for s in removed.current.scenes)


def test_one_card_without_a_caption(planned: tuple[StoryboardHistory, object]) -> None:
    history, _ = planned
    history = history.apply(AddInfographicOp(), author="agent", now=NOW)
    with pytest.raises(InvalidRevisionError, match="second facts card"):
        history.apply(AddInfographicOp(at=1), author="agent", now=NOW)
    last = len(history.current.scenes)
    with pytest.raises(InvalidRevisionError, match="sets its own text"):
        history.apply(SetCaptionOp(scene=last, caption="Hi"), author="agent", now=NOW)
