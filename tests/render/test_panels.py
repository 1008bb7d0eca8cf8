"""A framed photo's page in a vertical reel, and the cold open running into the first scene."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from reelestate.providers.tts.base import WordTiming
from reelestate.render.captions import CaptionLayout, Cue, ass_events, ass_header
from reelestate.render.frames import FrameBuffer
from reelestate.render.layout import caption_layout, panels
from reelestate.render.panel_text import headline_for, kicker_for, split_address
from reelestate.render.segments import SourceLoader, draw_frame
from reelestate.render.shot_text import paged_shots, shot_overlays, title_cues
from reelestate.render.spec import BrandKit, ListingFacts, RenderSpec, parse_spec
from reelestate.render.timeline import Shot, build_timeline
from tests.conftest import PHOTOS

HOUSE = PHOTOS / "house107"
SMALL = (800, 533)
"""The fixture photos' size: framed in every aspect."""
FACTS = ListingFacts(
    address="1826 Laurel Way, Paso Robles", price=529000, beds=3, baths=2, area_sqft=1826
)


def _spec(aspect: str = "9:16", **extra: object) -> RenderSpec:
    scenes = [
        {"photo": str(HOUSE / "frontal.jpg"), "duration": 3.0, "motion": {"kind": "zoom_out"}},
        {"photo": str(HOUSE / "kitchen.jpg"), "duration": 2.0, "caption": "Kitchen"},
        {"photo": str(HOUSE / "bedroom.jpg"), "duration": 2.0, "caption": "Bedroom"},
    ]
    data: dict[str, object] = {
        "aspect": aspect,
        "profile": "preview",
        "scenes": scenes,
        "facts": FACTS.model_dump(),
        "brand": {"name": "Harbor & Pine Realty"},
        **extra,
    }
    return parse_spec(data)


def _sizes(spec: RenderSpec) -> dict[Path, tuple[int, int]]:
    return {s.photo: SMALL for s in spec.scenes}


def _frame(loader: SourceLoader, shot: Shot, frame: int, spec: RenderSpec) -> np.ndarray:  # type: ignore[type-arg]
    out = FrameBuffer(*spec.size)
    draw_frame(loader.get(shot), shot, frame, out)
    return out.y.astype(np.float32)


def test_the_cold_open_is_cut_into_the_first_scene_mid_move() -> None:
    spec = _spec()
    timeline = build_timeline(spec)
    intro, first, second = timeline.shots[:3]
    assert intro.kind == "intro" and intro.transition.kind == "cut"
    assert intro.transition_frames == 0 and first.visible_start == first.start_frame
    assert intro.motion == first.motion == spec.scenes[0].motion
    loader = SourceLoader(spec, spec.size)
    last_open = _frame(loader, intro, intro.end_frame - 1, spec)
    first_scene = _frame(loader, first, first.start_frame, spec)
    step_before = np.abs(_frame(loader, intro, intro.end_frame - 2, spec) - last_open).mean()
    across_cut = np.abs(first_scene - last_open).mean()
    # The camera keeps moving: the cut is no bigger a change than one frame of the move.
    assert across_cut <= step_before * 1.5 + 0.5
    # ...and it does move: the first scene ends elsewhere than the cold open began.
    start = _frame(loader, intro, intro.start_frame, spec)
    assert np.abs(_frame(loader, first, first.end_frame - 1, spec) - start).mean() > 2
    # The next scene's path is its own.
    assert (second.path_start, second.path_end) == (second.visible_start, second.end_frame)


def test_a_generated_first_clip_gets_the_cold_open_s_own_move_and_a_crossfade(
    tmp_path: Path,
) -> None:
    clip = tmp_path / "clip.mp4"
    clip.write_bytes(b"")
    spec = _spec()
    scenes = [spec.scenes[0].model_copy(update={"clip": clip}), *spec.scenes[1:]]
    timeline = build_timeline(spec.model_copy(update={"scenes": scenes}))
    intro = timeline.shots[0]
    assert intro.transition.kind == "crossfade" and intro.motion.kind == "zoom_in"
    assert (intro.path_start, intro.path_end) == (intro.visible_start, intro.end_frame)


def test_the_timeline_s_total_is_the_cards_plus_the_scenes() -> None:
    spec = _spec()
    timeline = build_timeline(spec)
    assert timeline.total_frames == round((2.5 + 7.0 + 3.0) * spec.frame_rate)


def test_the_address_makes_the_kicker_and_the_headline() -> None:
    assert split_address("1826 Laurel Way, Paso Robles, CA").city == "Paso Robles, CA"
    assert kicker_for(FACTS, opening=True) == "JUST LISTED · PASO ROBLES"
    assert kicker_for(FACTS, opening=False) == "1826 LAUREL WAY"
    assert kicker_for(ListingFacts(address="12 Oak St"), opening=True) == "JUST LISTED"
    assert kicker_for(None, opening=False) is None
    assert headline_for(FACTS, "Kitchen", None) == "Kitchen"
    assert headline_for(FACTS, None, "A title") == "1826 Laurel Way"
    assert headline_for(None, None, "A title") == "A title"


def test_framed_shots_carry_their_text_on_the_panels_and_hold_shared_pieces() -> None:
    spec = _spec()
    timeline = build_timeline(spec)
    paged = paged_shots(spec, timeline, _sizes(spec))
    assert paged == {s.index for s in timeline.shots if s.kind != "outro"}
    # Titles are on the top panel, not libass captions over the photo.
    assert title_cues(timeline, paged) == []
    overlays = shot_overlays(spec, timeline, paged)
    page = panels("9:16", *spec.size)
    assert page is not None
    for shot in timeline.shots[:-1]:
        tops = [o.overlay.y for o in overlays[shot.index]]
        assert any(page.headline.y <= y < page.headline.bottom for y in tops), shot.kind
    intro, first, second = (overlays[s.index] for s in timeline.shots[:3])
    # The kicker and the street stay up across the cut from the cold open into scene 1.
    shared = {o.overlay.key for o in intro} & {o.overlay.key for o in first}
    assert len(shared) >= 3  # the logo, the kicker, the street
    assert all(not o.fade for o in intro if o.overlay.key in shared)
    assert all(o.delay is None for o in first if o.overlay.key in shared)
    # The facts strip comes in on scene 1 and holds through scene 2.
    strip = [o for o in first if page.facts.y <= o.overlay.y < page.facts.bottom]
    assert len(strip) == 4 and all(o.delay is not None for o in strip)
    held = {o.overlay.key: o for o in second}
    assert all(held[o.overlay.key].delay is None for o in strip)


def test_full_frame_shots_keep_their_text_over_the_photo() -> None:
    spec = _spec(aspect="1:1")
    timeline = build_timeline(spec)
    assert paged_shots(spec, timeline, _sizes(spec)) == set()
    large = {s.photo: (4032, 3024) for s in spec.scenes}
    vertical = _spec()
    assert paged_shots(vertical, build_timeline(vertical), large) == set()
    assert [c.words[0].word for c in title_cues(timeline, set())] == ["Kitchen", "Bedroom"]


def _layout() -> CaptionLayout:
    return caption_layout("9:16", 1080, 1920, BrandKit())


def test_panel_captions_are_large_and_anchored_under_the_facts_strip() -> None:
    layout = _layout()
    header = ass_header(layout)
    panel = next(line for line in header.splitlines() if line.startswith("Style: Panel,"))
    fields = panel.split(",")
    assert int(fields[2]) == layout.panel_size >= 0.055 * 1920
    assert fields[18] == "8" and int(fields[21]) == layout.panel_margin_v
    cue = Cue(words=(WordTiming(word="Bright", start=1.0, end=1.4),), start=1.0, end=1.4)
    assert ",Panel,," in ass_events([cue], window=(0.0, 2.0), panel=True)
    assert ",Narration,," in ass_events([cue], window=(0.0, 2.0))
    shifted = ass_events([cue], window=(1.2, 2.0), origin=0.5)
    assert shifted.startswith("Dialogue: 0,0:00:00.70,0:00:00.90,Narration")
