"""Which scene a person means: "scene 3", "photo 4", "the second bedroom", "the pool"."""

from __future__ import annotations

import re
from collections.abc import Sequence

from reelestate.tools.storyboard_model import StoryboardScene

ROOM_WORDS: dict[str, tuple[str, ...]] = {
    "exterior": (
        "front of the house",
        "outside of the house",
        "house front",
        "street view",
        "front yard",
        "exterior",
        "outside",
        "facade",
        "façade",
        "frontal",
        "front",
        "curb",
    ),
    "kitchen": ("kitchen",),
    "bedroom": ("master bedroom", "primary bedroom", "guest room", "bedroom", "bed room", "master"),
    "bathroom": ("bathroom", "restroom", "washroom", "ensuite", "en-suite", "shower", "bath"),
    "living_room": ("living room", "family room", "sitting room", "lounge", "den"),
}
ORDINALS: dict[str, int] = {
    "first": 1,
    "1st": 1,
    "opening": 1,
    "second": 2,
    "2nd": 2,
    "third": 3,
    "3rd": 3,
    "fourth": 4,
    "4th": 4,
    "fifth": 5,
    "5th": 5,
    "sixth": 6,
    "6th": 6,
    "seventh": 7,
    "eighth": 8,
    "ninth": 9,
    "tenth": 10,
    "last": -1,
    "final": -1,
    "closing": -1,
}
_NOISE = re.compile(
    r"\b(?:the|my|that|this|a|an|one|ones|shots?|pictures?|pics?|images?|clips?|slides?|photos?|scenes?|"
    r"of|please|video|in|from|on)\b",
    re.IGNORECASE,
)


CARD_NAMES = (
    r"(?:facts?|stats?|price|listing|info|key\s+facts?)\s+(?:card|slide|panel|screen)"
    r"|infographics?|info\s*graphics?"
)
CARD_WORDS = re.compile(rf"(?:the\s+|a\s+|an\s+|my\s+)?(?:{CARD_NAMES})(?:\s+scene)?", re.I)
"""Words that name the storyboard's facts card scene ("the facts card", "the infographic")."""


class SceneNotFoundError(ValueError):
    """The words name a scene that the storyboard does not have; the message says so."""


def _clean(text: str) -> str:
    return " ".join(text.lower().replace("’", "'").strip(" .,!?\"'").split())


def _room_of(words: str) -> str | None:
    for room, names in ROOM_WORDS.items():
        for name in names:
            if re.search(rf"\b{re.escape(name)}s?\b", words):
                return room
    return None


def resolve_scene(text: str, scenes: Sequence[StoryboardScene]) -> int | None:
    """The 1-based scene number `text` names, None when it names no scene at all.

    Raises `SceneNotFoundError` when the words clearly name a scene the storyboard lacks
    ("photo 9" in a six-photo video, "the pool" with no pool).
    """
    words = _clean(text)
    if not words:
        return None
    if CARD_WORDS.fullmatch(words):
        for position, scene in enumerate(scenes, start=1):
            if scene.is_card:
                return position
        raise SceneNotFoundError("the video has no facts card; say 'add a facts card at the end'")
    if match := re.fullmatch(
        r"(?:the\s+)?(?:scene|shot|clip|slide|number|no\.?|#)\s*#?(\d+)", words
    ):
        return _position(int(match.group(1)), scenes)
    if match := re.fullmatch(r"(?:the\s+)?(?:photo|picture|pic|image)\s*#?(\d+)", words):
        number = int(match.group(1))
        for position, scene in enumerate(scenes, start=1):
            if scene.photo_index == number - 1:
                return position
        raise SceneNotFoundError(f"photo {number} is not in the video")
    if match := re.fullmatch(r"#?(\d+)", words):
        return _position(int(match.group(1)), scenes)
    ordinal = None
    for word, value in ORDINALS.items():
        if re.search(rf"\b{word}\b", words):
            ordinal = value
            words = re.sub(rf"\b{word}\b", " ", words)
            break
    room = _room_of(words)
    if room is not None:
        matches = [i for i, s in enumerate(scenes, start=1) if s.room == room and not s.is_card]
        if not matches:
            raise SceneNotFoundError(f"no scene shows the {room.replace('_', ' ')}")
        index = (ordinal or 1) - 1 if (ordinal or 1) > 0 else -1
        if index >= len(matches):
            raise SceneNotFoundError(
                f"there are only {len(matches)} {room.replace('_', ' ')} scenes"
            )
        return matches[index]
    rest = " ".join(_NOISE.sub(" ", words).split())
    if ordinal is not None and not rest:
        return _position(ordinal if ordinal > 0 else len(scenes), scenes)
    if rest and len(rest) >= 3:
        for position, scene in enumerate(scenes, start=1):
            if scene.caption and re.search(rf"\b{re.escape(rest)}", scene.caption.lower()):
                return position
        if len(rest.split()) <= 3 and re.fullmatch(r"[a-z' \-]+", rest):
            raise SceneNotFoundError(f"no scene is labelled '{rest}'")
    return None


def _position(number: int, scenes: Sequence[StoryboardScene]) -> int:
    if not 1 <= number <= len(scenes):
        raise SceneNotFoundError(f"there is no scene {number}; scenes run from 1 to {len(scenes)}")
    return number
