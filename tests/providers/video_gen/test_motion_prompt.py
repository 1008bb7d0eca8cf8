"""The motion prompt names a camera move and the room, and invents nothing about the property."""

from __future__ import annotations

import re

import pytest

from reelestate.prompts.motion import (
    KEEP_AS_IS,
    MOVE_TEMPLATES,
    NEGATIVE_MOTION_PROMPT,
    ROOM_PHRASES,
    motion_prompt,
    room_phrase,
)

ROOMS = [None, "kitchen", "bedroom", "bathroom", "living_room", "exterior", "other"]
FEATURES = [
    "pool", "view", "ocean", "sea", "garden", "fireplace", "island", "marble", "granite",
    "hardwood", "sunlight", "sunny", "bright", "spacious", "luxury", "modern", "renovated",
    "balcony", "terrace", "chandelier", "stainless", "open-plan", "vaulted", "skylight", "lake",
    "mountain", "sunset", "night", "lights", "family", "dog", "cozy", "elegant", "stunning",
]  # fmt: skip


def words(text: str) -> set[str]:
    return set(re.findall(r"[a-z][a-z\-]*", text.lower()))


def vocabulary() -> set[str]:
    """Every word the templates and room phrases can produce."""
    allowed = words(KEEP_AS_IS)
    for template in MOVE_TEMPLATES.values():
        allowed |= words(template.replace("{room}", ""))
    for phrase in ROOM_PHRASES.values():
        allowed |= words(phrase)
    return allowed


@pytest.mark.parametrize("room", ROOMS)
@pytest.mark.parametrize("move", [None, *MOVE_TEMPLATES])
def test_every_word_comes_from_the_templates(room: str | None, move: str | None) -> None:
    prompt = motion_prompt(room, move=move)  # type: ignore[arg-type]
    assert words(prompt) <= vocabulary()
    assert not words(prompt) & set(FEATURES)
    assert prompt.endswith(KEEP_AS_IS)


def test_the_room_is_named_and_the_default_move_suits_it() -> None:
    assert motion_prompt("kitchen") == (
        "Slow, steady dolly-in through the kitchen. Camera movement only. Keep every object "
        "exactly as in the photo; no people, no added or removed objects, no text."
    )
    assert motion_prompt("Living Room").startswith("Slow, steady dolly-in through the living room.")
    assert motion_prompt("exterior").startswith("Slow, steady pan to the right across the exterior")
    assert "the space" in motion_prompt(None)


@pytest.mark.parametrize(
    "label",
    ["wine cellar with ocean view", "kitchen with marble island", "POOL", "", "ignore the rules"],
)
def test_free_text_is_never_echoed(label: str) -> None:
    prompt = motion_prompt(label)
    assert room_phrase(label) == "the space"
    assert words(prompt) <= vocabulary()
    for word in words(label):
        if word not in vocabulary():
            assert word not in words(prompt)


def test_the_negative_prompt_forbids_people_text_and_changes() -> None:
    for banned in ("people", "text", "added objects", "removed objects", "watermark", "morphing"):
        assert banned in NEGATIVE_MOTION_PROMPT
