"""The facts card in plain words: added, moved, retimed and removed by the rule-based brain."""

from __future__ import annotations

import pytest

from reelestate.agent.rules.requests import understand
from reelestate.tools.storyboard_model import StoryboardVersion
from tests.agent.phrase_table import table_version


def with_card() -> StoryboardVersion:
    version = table_version()
    hero = version.scenes[0]
    card = hero.model_copy(update={"kind": "infographic", "duration": 5.0, "caption": None})
    return version.model_copy(update={"scenes": (*version.scenes, card)})


@pytest.mark.parametrize(
    ("text", "op"),
    [
        ("add a facts card at the end", {"op": "add_infographic", "at": None}),
        ("Add an infographic please", {"op": "add_infographic", "at": None}),
        ("open with a price card", {"op": "add_infographic", "at": 1}),
        ("add the facts card at position 3", {"op": "add_infographic", "at": 3}),
    ],
)
def test_a_card_is_added(text: str, op: dict[str, object]) -> None:
    understood = understand(text, table_version())
    assert [o.model_dump(include={"op", "at"}) for o in understood.ops] == [op]


@pytest.mark.parametrize(
    ("text", "op"),
    [
        ("remove the facts card", {"op": "remove", "scene": 8}),
        ("make the infographic 6 seconds", {"op": "retime", "scene": 8, "seconds": 6.0}),
        ("move the facts card to 2", {"op": "move", "scene": 8, "to": 2}),
        ("put the facts card first", {"op": "move", "scene": 8, "to": 1}),
        ("start with the infographic", {"op": "move", "scene": 8, "to": 1}),
        ("remove the exterior", {"op": "remove", "scene": 1}),
    ],
)
def test_the_card_is_named_like_a_scene(text: str, op: dict[str, object]) -> None:
    understood = understand(text, with_card())
    assert [o.model_dump() for o in understood.ops] == [op], understood.problems


def test_a_missing_or_second_card_is_said_not_guessed() -> None:
    assert understand("remove the facts card", table_version()).problems == [
        "the video has no facts card; say 'add a facts card at the end'"
    ]
    second = understand("add an infographic", with_card())
    assert not second.ops and second.problems == ["the video already has a facts card (scene 8)"]
