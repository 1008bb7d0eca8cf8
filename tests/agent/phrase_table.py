"""Phrasings people use to change a storyboard, and what each must become.

The storyboard they are read against (`table_version`) has 7 scenes:
1 exterior (photo 1), 2 kitchen (photo 3, caption "Renovated kitchen"), 3 living room (photo 2),
4 bedroom (photo 4), 5 bedroom (photo 6), 6 bathroom (photo 5), 7 other (photo 7, caption
"Backyard pool"); 30 s in all. Expected values are the operations as dicts, or a command name.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from reelestate.tools.storyboard_model import StoryboardScene, StoryboardSettings, StoryboardVersion

_SCENES = [
    ("exterior", 0, None, 5.0),
    ("kitchen", 2, "Renovated kitchen", 5.0),
    ("living_room", 1, "Living room", 4.0),
    ("bedroom", 3, "Bedroom", 4.0),
    ("bedroom", 5, "Bedroom", 4.0),
    ("bathroom", 4, "Bathroom", 4.0),
    ("other", 6, "Backyard pool", 4.0),
]


def table_version() -> StoryboardVersion:
    scenes = tuple(
        StoryboardScene(
            photo_index=index,
            photo=Path(f"/photos/{index + 1}.jpg"),
            room=room,  # type: ignore[arg-type]
            duration=seconds,
            caption=caption,
        )
        for room, index, caption, seconds in _SCENES
    )
    return StoryboardVersion(
        number=3,
        author="planner",
        created_at=datetime(2025, 1, 1, tzinfo=UTC),
        reason="test",
        scenes=scenes,
        settings=StoryboardSettings(length_seconds=30),
    )


def swap(a: int, b: int) -> dict[str, Any]:
    return {"op": "swap", "scene": a, "with_scene": b}


def move(a: int, to: int) -> dict[str, Any]:
    return {"op": "move", "scene": a, "to": to}


def remove(a: int) -> dict[str, Any]:
    return {"op": "remove", "scene": a}


def length(seconds: float) -> dict[str, Any]:
    return {"op": "set_length", "seconds": seconds}


def retime(a: int, seconds: float) -> dict[str, Any]:
    return {"op": "retime", "scene": a, "seconds": seconds}


def music(mood: str) -> dict[str, Any]:
    return {"op": "set_music", "mood": mood}


def voice(name: str) -> dict[str, Any]:
    return {"op": "set_voice", "voice": name}


def aspect(value: str) -> dict[str, Any]:
    return {"op": "set_aspect", "aspect": value}


def style(value: str) -> dict[str, Any]:
    return {"op": "set_style", "style": value}


def caption(a: int, text: str | None) -> dict[str, Any]:
    return {"op": "set_caption", "scene": a, "caption": text}


def motion(a: int, kind: str) -> dict[str, Any]:
    return {"op": "set_motion", "scene": a, "motion": kind, "strength": None}


def add(photo: int, at: int | None = None) -> dict[str, Any]:
    return {"op": "add", "photo": photo, "at": at, "duration": 3.0}


Expected = list[dict[str, Any]] | str

PHRASES: list[tuple[str, Expected]] = [
    # swap
    ("swap the kitchen and the bedroom", [swap(2, 4)]),
    ("swap 2 and 5", [swap(2, 5)]),
    ("switch scene 1 with scene 3", [swap(1, 3)]),
    ("exchange the pool and the kitchen", [swap(7, 2)]),
    ("swap photo 3 and photo 4", [swap(2, 4)]),
    ("can you swap the living room and the bathroom", [swap(3, 6)]),
    ("flip the first and last scenes", [swap(1, 7)]),
    ("switch the kitchen with the living room", [swap(2, 3)]),
    ("swap the second bedroom and the bathroom", [swap(5, 6)]),
    ("trade scene 4 for scene 6", [swap(4, 6)]),
    # move
    ("put the pool first", [move(7, 1)]),
    ("move the kitchen first", [move(2, 1)]),
    ("open with the kitchen", [move(2, 1)]),
    ("start with the living room", [move(3, 1)]),
    ("end with the exterior", [move(1, 7)]),
    ("move photo 3 to the end", [move(2, 7)]),
    ("put the kitchen at the beginning", [move(2, 1)]),
    ("kitchen first", [move(2, 1)]),
    ("bathroom last", [move(6, 7)]),
    ("move scene 4 to position 2", [move(4, 2)]),
    ("put the bathroom in position 3", [move(6, 3)]),
    ("move the kitchen to 4", [move(2, 4)]),
    ("make the pool the opening shot", [move(7, 1)]),
    ("finish on the front of the house", [move(1, 7)]),
    ("move the bathroom before the kitchen", [move(6, 2)]),
    ("put the kitchen after the living room", [move(2, 3)]),
    ("put the living room at the end", [move(3, 7)]),
    ("close with the pool", [move(7, 7)]),
    # remove
    ("remove photo 3", [remove(2)]),
    ("delete the bathroom", [remove(6)]),
    ("drop scene 2", [remove(2)]),
    ("take out the second bedroom", [remove(5)]),
    ("get rid of the kitchen shot", [remove(2)]),
    ("cut scene 5", [remove(5)]),
    ("remove the pool", [remove(7)]),
    ("don't show the bathroom", [remove(6)]),
    ("lose the living room", [remove(3)]),
    ("skip the last scene", [remove(7)]),
    ("remove the first bedroom photo", [remove(4)]),
    # add
    ("add photo 8", [add(8)]),
    ("put photo 9 back", [add(9)]),
    ("include photo 8 at position 2", [add(8, 2)]),
    # whole length and pace
    ("shorter", [length(22)]),
    ("make it shorter", [length(22)]),
    ("too long", [length(22)]),
    ("longer", [length(38)]),
    ("make it a bit longer", [length(38)]),
    ("30 seconds", [length(30)]),
    ("make it 20 seconds", [length(20)]),
    ("15 s please", [length(15)]),
    ("make the video 45 seconds long", [length(45)]),
    ("one minute", [length(60)]),
    ("cut it down to 25 seconds", [length(25)]),
    ("slower", [length(38)]),
    ("slow it down", [length(38)]),
    ("faster", [length(22)]),
    ("speed it up", [length(22)]),
    ("make it snappier", [length(22)]),
    # one scene's time
    ("make the kitchen 6 seconds", [retime(2, 6)]),
    ("show the pool for 5 seconds", [retime(7, 5)]),
    ("scene 3 should be 2.5 seconds", [retime(3, 2.5)]),
    ("hold the exterior for 7 s", [retime(1, 7)]),
    ("make the kitchen longer", [retime(2, 6.5)]),
    ("the bathroom is too long", [retime(6, 2.5)]),
    ("make scene 4 shorter", [retime(4, 2.5)]),
    # music
    ("no music", "music_off"),
    ("remove the music", "music_off"),
    ("turn off the music", "music_off"),
    ("without music please", "music_off"),
    ("calmer music", [music("calm")]),
    ("softer music please", [music("calm")]),
    ("more upbeat music", [music("upbeat")]),
    ("use elegant music", [music("elegant")]),
    ("warmer music", [music("warm")]),
    ("make the music more energetic", [music("upbeat")]),
    ("subtle background music", [music("minimal")]),
    ("bring the music back", "music_on"),
    # voice
    ("female voice", [voice("en-us+f3")]),
    ("use a woman's voice", [voice("en-us+f3")]),
    ("male voice please", [voice("en-us+m3")]),
    ("british accent", [voice("en-gb")]),
    ("can the narrator be a woman", [voice("en-us+f3")]),
    ("american voice", [voice("en-us")]),
    # aspect
    ("square for Instagram", [aspect("1:1")]),
    ("make it square", [aspect("1:1")]),
    ("1:1 please", [aspect("1:1")]),
    ("vertical for TikTok", [aspect("9:16")]),
    ("for Instagram reels", [aspect("9:16")]),
    ("landscape for YouTube", [aspect("16:9")]),
    ("make it horizontal", [aspect("16:9")]),
    ("16:9", [aspect("16:9")]),
    ("4:5 for the Instagram feed", [aspect("4:5")]),
    # style
    ("make it cozy", [style("cozy")]),
    ("more luxurious", [style("luxury")]),
    ("modern style", [style("modern")]),
    ("make it more energetic", [style("energetic")]),
    ("go minimal", [style("minimal")]),
    # captions
    (
        "change the caption on the kitchen to Chef's dream kitchen",
        [caption(2, "Chef's dream kitchen")],
    ),
    ('caption for scene 3: "Sunny living room"', [caption(3, "Sunny living room")]),
    ("change the kitchen caption to Brand new kitchen", [caption(2, "Brand new kitchen")]),
    ("set the caption of the pool to Heated pool", [caption(7, "Heated pool")]),
    ("remove the caption on the bathroom", [caption(6, None)]),
    ("no caption on scene 4", [caption(4, None)]),
    ('label the bedroom "Primary suite"', [caption(4, "Primary suite")]),
    # motion
    ("zoom in on the kitchen", [motion(2, "zoom_in")]),
    ("pan left on scene 2", [motion(2, "pan_left")]),
    ("make scene 3 static", [motion(3, "static")]),
    ("no motion on the bedroom", [motion(4, "static")]),
    ("zoom out on the exterior", [motion(1, "zoom_out")]),
    ("pan right on the pool", [motion(7, "pan_right")]),
    # undo and versions
    ("undo", "undo"),
    ("undo that", "undo"),
    ("go back", "undo"),
    ("never mind", "undo"),
    ("go back to version 2", "revert:2"),
    ("revert to v1", "revert:1"),
    ("restore version 2 please", "revert:2"),
    ("use version 1", "revert:1"),
    ("show versions", "list_versions"),
    ("what versions are there?", "list_versions"),
    # approval and status
    ("/approve", "approve"),
    ("approve", "approve"),
    ("looks good", "approve"),
    ("yes, go ahead", "approve"),
    ("perfect, render it", "approve"),
    ("ship it!", "approve"),
    ("not yet", "reject"),
    ("no", "reject"),
    ("wait", "reject"),
    ("how is the render going?", "job_status"),
    ("status", "job_status"),
    ("help", "help"),
    # two at once
    ("swap 1 and 2, then make it 20 seconds", [swap(1, 2), length(20)]),
    ("no music and female voice", "music_off+voice"),
]
