from __future__ import annotations

from pathlib import Path

import pytest

from reelestate.render.spec import parse_spec
from reelestate.render.timeline import INTRO_SECONDS, OUTRO_SECONDS, build_timeline


def _spec(**extra: object) -> dict[str, object]:
    scenes = [
        {"photo": "a.jpg", "duration": 3.0, "transition": {"kind": "crossfade", "duration": 0.5}},
        {"photo": "b.jpg", "duration": 2.7, "transition": {"kind": "cut", "duration": 0}},
        {"photo": "c.jpg", "duration": 3.3},
    ]
    return {"scenes": scenes, **extra}


def test_frame_ranges_tile_the_video_exactly() -> None:
    spec = parse_spec(_spec(), base_dir=Path("/photos"))
    tl = build_timeline(spec)
    assert [s.kind for s in tl.shots] == ["intro", "photo", "photo", "photo", "outro"]
    assert tl.total_frames == round((INTRO_SECONDS + 9.0 + OUTRO_SECONDS) * 30)
    for a, b in zip(tl.shots, tl.shots[1:], strict=False):
        assert a.end_frame == b.start_frame
        assert b.visible_start == b.start_frame - a.transition_frames
    assert tl.shots[0].start_frame == 0 and tl.shots[-1].end_frame == tl.total_frames
    assert tl.shots[2].transition_frames == 0  # the cut
    assert tl.shots[-1].transition_frames == 0
    assert tl.voice_start == INTRO_SECONDS
    assert tl.shots[1].photo == Path("/photos/a.jpg")


def test_progress_runs_from_first_visible_to_last_frame() -> None:
    tl = build_timeline(parse_spec(_spec()))
    shot = tl.shots[2]
    assert shot.progress(shot.visible_start) == 0.0
    assert shot.progress(shot.end_frame - 1) == 1.0


def test_the_cold_open_and_the_first_scene_share_one_camera_path() -> None:
    tl = build_timeline(parse_spec(_spec()))
    intro, first = tl.shots[0], tl.shots[1]
    assert intro.progress(intro.start_frame) == 0.0
    assert first.progress(first.end_frame - 1) == 1.0
    step = first.progress(first.start_frame) - intro.progress(intro.end_frame - 1)
    assert step == pytest.approx(intro.progress(1) - intro.progress(0))


def test_unbranded_cut_has_no_outro_and_cards_can_be_off() -> None:
    tl = build_timeline(parse_spec(_spec(flags={"unbranded": True})))
    assert tl.shots[-1].kind == "photo"
    tl2 = build_timeline(parse_spec(_spec(brand={"intro_card": False, "outro_card": False})))
    assert [s.kind for s in tl2.shots] == ["photo"] * 3
    assert tl2.voice_start == 0.0
    assert tl2.total_frames == 270


def test_cold_open_and_outro_are_short_and_the_cold_open_shows_the_hero_photo() -> None:
    assert 0 < INTRO_SECONDS <= 2.5
    assert 0 < OUTRO_SECONDS <= 3.0
    spec = parse_spec(_spec(), base_dir=Path("/photos"))
    tl = build_timeline(spec)
    intro, outro = tl.shots[0], tl.shots[-1]
    assert intro.frames == round(INTRO_SECONDS * 30)
    assert outro.end_frame - outro.start_frame == round(OUTRO_SECONDS * 30)
    assert intro.photo == Path("/photos/a.jpg") and intro.caption is None
    assert outro.photo is None
