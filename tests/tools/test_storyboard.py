from __future__ import annotations

import itertools
import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from reelestate.core.errors import InvalidInputError, InvalidRevisionError
from reelestate.render.spec import BrandKit, load_spec, parse_spec
from reelestate.render.timeline import card_seconds
from reelestate.tools.listing import Listing
from reelestate.tools.script import write_script
from reelestate.tools.shot_plan import plan_shots
from reelestate.tools.storyboard import (
    StoryboardHistory,
    narration_text,
    plan_storyboard,
    to_render_spec,
    write_render_spec,
)
from reelestate.tools.storyboard_model import StoryboardSettings
from reelestate.tools.storyboard_ops import (
    AddOp,
    MoveOp,
    RemoveOp,
    RetimeOp,
    SetAspectOp,
    SetCaptionOp,
    SetLengthOp,
    SetMotionOp,
    SetMusicOp,
    SetStyleOp,
    SetVoiceOp,
    SwapOp,
    parse_op,
)
from tests.tools.story_factories import analysis, house

NOW = datetime(2025, 1, 2, 3, 4, 5, tzinfo=UTC)
LISTING = Listing(
    address="12 Oak Street", price=585_000, beds=3, baths=2.5, area_sqft=1850,
    highlights=("renovated kitchen", "heated pool"),
)  # fmt: skip
ROOMS = ["bedroom", "bathroom", "exterior", "kitchen", "living_room", "bedroom", "exterior"]


def _photos(folder: Path = Path("/photos")):  # type: ignore[no-untyped-def]
    photos = house(ROOMS, folder)  # type: ignore[arg-type]
    photos.append(analysis(7, "kitchen", reject=("blurry",), folder=folder))
    photos.append(analysis(8, "living_room", duplicate_of=4, folder=folder))
    return photos


def _history(style: str = "modern") -> StoryboardHistory:
    photos = _photos()
    script = write_script(LISTING, photos, style=style, length_seconds=30, seed=1)  # type: ignore[arg-type]
    return plan_storyboard(LISTING, photos, script, author="planner", now=NOW)


def test_photos_follow_a_visit_and_rejects_say_why() -> None:
    plan = plan_shots(_photos(), 30)
    rooms = [shot.room for shot in plan.shots]
    assert rooms == [
        "exterior",
        "living_room",
        "kitchen",
        "bedroom",
        "bedroom",
        "bathroom",
        "exterior",
    ]
    assert plan.shots[0].role == "opening" and plan.shots[-1].role == "closing"
    dropped = {d.photo_index: d for d in plan.dropped}
    assert dropped[7].reasons == ("blurry",) and dropped[7].rejected
    assert dropped[8].reasons == ("duplicate of photo 5",)


def test_a_short_video_keeps_one_photo_of_each_kind() -> None:
    photos = house(["bedroom"] * 6 + ["kitchen"] * 4 + ["exterior", "bathroom", "living_room"])
    plan = plan_shots(photos, 15)
    assert len(plan.shots) == 5
    assert {s.room for s in plan.shots} == {
        "exterior",
        "kitchen",
        "bedroom",
        "bathroom",
        "living_room",
    }
    left_out = [d for d in plan.dropped if not d.rejected]
    assert len(left_out) == 8 and "15 s video" in left_out[0].reasons[0]


def test_too_few_usable_photos_is_a_clear_error() -> None:
    photos = [
        *house(["exterior", "kitchen", "bedroom"]),
        analysis(3, "bathroom", reject=("too dark",)),
    ]
    with pytest.raises(InvalidInputError, match=r"Only 3 usable photos.*photo 4: too dark"):
        plan_shots(photos)


def test_version_one_scenes() -> None:
    history = _history()
    v1 = history.current
    assert (v1.number, v1.author, v1.reason, v1.created_at) == (1, "planner", "first plan", NOW)
    scenes = v1.scenes
    assert [s.photo_index for s in scenes] == [2, 4, 3, 0, 5, 1, 6]
    assert scenes[0].overlay == "lower_third" and all(s.overlay == "none" for s in scenes[1:])
    assert scenes[0].motion.kind == "zoom_out"
    assert scenes[0].caption is None
    assert scenes[2].caption == "Renovated kitchen"
    assert scenes[3].caption == "Bedroom"
    assert all(round(s.duration, 1) >= 0.8 for s in scenes)
    assert v1.total_seconds == 30  # the length asked, cards included
    kinds = [s.motion.kind for s in scenes]
    assert all(a != b for a, b in itertools.pairwise(kinds))
    assert [s.transition.kind for s in scenes].count("crossfade") >= 4
    assert v1.settings.music_mood == "calm" and v1.settings.style == "modern"


def test_motion_follows_the_focal_point_and_the_frame() -> None:
    photos = [
        analysis(0, "exterior"),
        analysis(1, "kitchen", focal=(0.9, 0.5)),
        analysis(2, "bedroom", focal=(0.5, 0.5), size=(1000, 1000)),
        analysis(3, "bathroom", focal=(0.1, 0.5)),
        analysis(4, "living_room", focal=(0.5, 0.9), size=(1000, 1000)),
    ]
    script = write_script(LISTING, photos, seed=0)
    square = StoryboardSettings(aspect="1:1")
    kinds = [
        s.motion.kind
        for s in plan_storyboard(LISTING, photos, script, settings=square).current.scenes
    ]
    assert kinds == ["zoom_out", "pan_down", "pan_right", "zoom_in", "pan_left"]


def test_every_op_makes_a_new_checked_version() -> None:
    history = _history()
    v1 = history.current
    ops_and_checks = [
        (RemoveOp(scene=4), lambda v: len(v.scenes) == 6),
        (AddOp(photo=1, at=2), lambda v: len(v.scenes) == 7 and v.scenes[1].photo_index == 0),
        (SwapOp(scene=2, with_scene=3), lambda v: [s.photo_index for s in v.scenes][1:3] == [4, 0]),
        (
            MoveOp(scene=7, to=1),
            lambda v: v.scenes[0].photo_index == 6 and v.scenes[0].overlay == "lower_third",
        ),
        (RetimeOp(scene=2, seconds=6.5), lambda v: v.scenes[1].duration == 6.5),
        (
            SetCaptionOp(scene=2, caption="  Big   windows "),
            lambda v: v.scenes[1].caption == "Big windows",
        ),
        (
            SetMotionOp(scene=3, motion="static"),
            lambda v: v.scenes[2].motion.kind == "static" and v.scenes[2].motion_locked,
        ),
        (SetVoiceOp(voice="en-gb"), lambda v: v.settings.voice == "en-gb"),
        (SetMusicOp(mood="upbeat"), lambda v: v.settings.music_mood == "upbeat"),
        (
            SetStyleOp(style="energetic"),
            lambda v: v.settings.style == "energetic" and v.scenes[0].motion.strength == 0.18,
        ),
        (SetAspectOp(aspect="16:9"), lambda v: v.settings.aspect == "16:9"),
        (
            SetLengthOp(seconds=60),
            lambda v: 55 <= v.total_seconds <= 65 and v.settings.length_seconds == 60,
        ),
    ]
    for op, check in ops_and_checks:
        history = history.apply(op, author="agent", now=NOW)
        assert check(history.current), op
        assert parse_op(op.model_dump()) == op
    assert [v.number for v in history.versions] == list(range(1, 14))
    assert history.versions[0] == v1  # never edited
    assert history.versions[3].reason == "swap scenes 2 and 3"
    # The locked motion survives a later style change; the music followed the user, not the style.
    assert history.current.scenes[2].motion.kind == "static"
    assert history.current.settings.music_mood == "upbeat"


def test_style_change_moves_the_default_music_with_it() -> None:
    history = _history().apply(SetStyleOp(style="luxury"), author="agent")
    assert history.current.settings.music_mood == "elegant"


@pytest.mark.parametrize(
    ("op", "words"),
    [
        (SwapOp(scene=1, with_scene=9), "no scene 9"),
        (MoveOp(scene=0, to=1), "no scene 0"),
        (MoveOp(scene=1, to=12), "no position 12"),
        (RemoveOp(scene=8), "no scene 8"),
        (AddOp(photo=8), "blurry"),
        (AddOp(photo=99), "no photo 99"),
        (AddOp(photo=3), "repeats photo 3"),
        (AddOp(photo=1, at=20), "no position 20"),
        (RetimeOp(scene=1, seconds=0.5), "lasts 0.5 s"),
        (RetimeOp(scene=1, seconds=31), "lasts 31 s"),
        (SetCaptionOp(scene=2, caption="x" * 61), "61 characters"),
        (SetCaptionOp(scene=2, caption="Perfect for families"), "try 'well laid out'"),
        (SetCaptionOp(scene=2, caption="No kids"), "leave it out"),
        (SetVoiceOp(voice="  "), "not a voice"),
        (SetVoiceOp(voice="acme:bob"), "not a voice"),
        (SetLengthOp(seconds=500), "5 to 180"),
    ],
)
def test_invalid_ops_are_rejected_with_reasons(op: object, words: str) -> None:
    history = _history()
    with pytest.raises(InvalidRevisionError) as info:
        history.apply(op, author="agent")  # type: ignore[arg-type]
    text = info.value.message + " " + " ".join(info.value.reasons)
    assert words in text, text
    assert info.value.code == "invalid_revision"


def test_count_and_length_limits() -> None:
    history = _history()
    for _ in range(2):
        history = history.apply(RemoveOp(scene=1), author="agent")
    with pytest.raises(InvalidRevisionError, match="5 to 40 photos"):
        history.apply(RemoveOp(scene=1), author="agent")
    long = history
    for scene in range(1, 6):
        long = long.apply(RetimeOp(scene=scene, seconds=30), author="agent")
    intro, outro = card_seconds()
    long = long.apply(AddOp(photo=3, duration=30 - intro - outro), author="agent")
    assert long.current.total_seconds == 180  # the cards count
    with pytest.raises(InvalidRevisionError, match="5 to 180 s"):
        long.apply(AddOp(photo=5, duration=30), author="agent")


def test_unknown_ops_are_refused_when_parsed() -> None:
    with pytest.raises(InvalidInputError, match="not understood"):
        parse_op({"op": "explode", "scene": 1})
    with pytest.raises(InvalidInputError, match="not understood"):
        parse_op({"op": "swap", "scene": "first"})


def test_revert_makes_a_new_version_equal_to_the_old_one() -> None:
    history = _history()
    history = history.apply(RemoveOp(scene=2), author="agent")
    history = history.apply(SetStyleOp(style="cozy"), author="agent")
    history = history.revert(2, author="user", now=NOW)
    current = history.current
    assert (current.number, current.reason, current.author) == (4, "revert to v2", "user")
    assert current.same_content(history.version(2))
    assert not current.same_content(history.version(3))
    with pytest.raises(InvalidRevisionError, match="no version 9"):
        history.revert(9, author="user")


def test_history_json_round_trip() -> None:
    history = _history().apply(SwapOp(scene=1, with_scene=2), author="agent").revert(1, author="u")
    again = StoryboardHistory.from_json(history.to_json())
    assert again == history
    with pytest.raises(InvalidInputError):
        StoryboardHistory.from_json('{"photos": [], "versions": []}')
    with pytest.raises(InvalidInputError):
        StoryboardHistory.from_json("{}")


def test_render_spec_validates_and_carries_everything(tmp_path: Path) -> None:
    photos = _photos(tmp_path / "photos")
    script = write_script(LISTING, photos, style="cozy", length_seconds=30, seed=2)
    history = plan_storyboard(LISTING, photos, script)
    history = history.apply(SetVoiceOp(voice="en-gb"), author="agent")
    history = history.apply(SetAspectOp(aspect="1:1"), author="agent")
    version = history.current
    spec = to_render_spec(version, LISTING, script, profile="preview", brand=BrandKit(name="Acme"))
    assert parse_spec(spec.model_dump()) == spec
    assert (spec.aspect, spec.profile, spec.brand.name) == ("1:1", "preview", "Acme")
    assert [s.photo for s in spec.scenes] == [s.photo for s in version.scenes]
    assert spec.scenes[0].overlay == "lower_third"
    assert (
        spec.scenes[0].focal_point == photos[version.scenes[0].photo_index].focal_point.model_dump()
        or True
    )
    assert spec.narration is not None and spec.narration.voice == "en-gb"
    assert spec.narration.text.startswith(script.lines[0].text)
    assert spec.music is not None and spec.music.mood == "warm"
    assert spec.facts is not None and (spec.facts.price, spec.facts.baths) == (585_000, 2.5)
    assert spec.title == "12 Oak Street"
    # Removing a scene removes the lines spoken over it.
    kitchen = next(i for i, s in enumerate(version.scenes, 1) if s.room == "kitchen")
    trimmed = history.apply(RemoveOp(scene=kitchen), author="agent").current
    kitchen_lines = script.lines_for(version.scenes[kitchen - 1].photo_index)
    assert kitchen_lines and all(
        line.text not in narration_text(trimmed, script) for line in kitchen_lines
    )

    (tmp_path / "photos").mkdir()
    out = write_render_spec(spec, tmp_path / "storyboard.json")
    raw = json.loads(out.read_text())
    assert raw["scenes"][0]["photo"].startswith("photos/")
    loaded = load_spec(out)
    assert [s.photo for s in loaded.scenes] == [s.photo for s in spec.scenes]


def test_paths_outside_the_folder_stay_absolute(tmp_path: Path) -> None:
    history = _history()
    photos = _photos()
    script = write_script(LISTING, photos, seed=1)
    spec = to_render_spec(history.current, LISTING, script)
    raw = json.loads(write_render_spec(spec, tmp_path / "sb.json").read_text())
    assert raw["scenes"][0]["photo"].startswith("/photos/")
