"""The storyboard service's steps: plan, re-plan, revise, revert, render spec, stored plan."""

from __future__ import annotations

import asyncio
import threading
import uuid
from datetime import UTC, datetime
from pathlib import Path

import pytest

from reelestate.core.errors import InvalidInputError
from reelestate.providers.music.uploaded import MusicTrackInfo
from reelestate.providers.tts.base import Narration
from reelestate.providers.vision.base import RoomType
from reelestate.render.spec import RenderSpec
from reelestate.services import storyboard_flow as flow
from reelestate.services.storyboards import StoredPlan
from reelestate.storage.schemas import StoryboardVersionView
from reelestate.tools.listing import Listing
from reelestate.tools.script import write_script
from reelestate.tools.script_model import Script
from reelestate.tools.storyboard_model import MusicTrackRef
from reelestate.tools.storyboard_ops import RemoveOp, SetCaptionOp
from tests.tools.story_factories import house

LISTING = Listing(address="12 Oak Street", price=585_000, beds=3, baths=2.5, area_sqft=1850)
ROOMS: list[RoomType] = [
    "exterior",
    "living_room",
    "kitchen",
    "bedroom",
    "bedroom",
    "bathroom",
    "exterior",
]
TRACK = MusicTrackRef(
    path=Path("/music/summer.mp3"),
    name="Summer",
    info=MusicTrackInfo(
        duration_seconds=90, loudness_lufs=-14, peak_dbfs=-1, codec="mp3", container="mp3",
        content_type="audio/mpeg", suffix=".mp3", sample_rate=44100, channels=2, size_bytes=1000,
    ),
)  # fmt: skip


def _script() -> Script:
    return write_script(LISTING, house(ROOMS), style="luxury", length_seconds=30, seed=1)


def _choices(track: MusicTrackRef | None = None) -> flow.PlanChoices:
    return flow.PlanChoices(style="luxury", length_seconds=30, music_track=track)


def test_version_one_takes_the_choices() -> None:
    history = flow.plan(LISTING, house(ROOMS), _script(), _choices(TRACK))
    settings = history.current.settings
    assert [v.number for v in history.versions] == [1]
    assert settings.style == "luxury" and settings.music_track == TRACK
    assert settings.music_mood == "elegant" and settings.length_seconds == 30


def test_a_re_plan_is_the_next_version_and_keeps_the_old_music() -> None:
    script = _script()
    first = flow.plan(LISTING, house(ROOMS), script, _choices(TRACK))
    again = flow.plan(LISTING, house(ROOMS), script, _choices(None), previous=first)
    assert [v.number for v in again.versions] == [1, 2]
    assert again.versions[0] == first.current
    assert again.current.reason == flow.REPLAN_REASON
    assert again.current.settings.music_track == TRACK


def test_revisions_and_reverts_keep_every_version() -> None:
    history = flow.plan(LISTING, house(ROOMS), _script(), _choices())
    revised = flow.revise(
        history,
        [SetCaptionOp(scene=2, caption="Light all day"), RemoveOp(scene=3)],
        author="ann",
        reason="tighter",
    )
    assert [v.number for v in revised.versions] == [1, 2, 3]
    assert revised.current.reason == "tighter" and revised.current.author == "ann"
    back = flow.revert(revised, 1, author="ann")
    assert [v.number for v in back.versions] == [1, 2, 3, 4]
    assert back.current.same_content(history.current)
    assert flow.revise(history, [], author="ann") is history


def test_the_render_spec_follows_the_music_choice() -> None:
    history = flow.plan(LISTING, house(ROOMS), _script(), _choices(TRACK))
    with_music = flow.render_spec(history.current, LISTING, _script(), profile="preview")
    assert with_music.profile == "preview"
    assert with_music.music is not None and with_music.music.path == TRACK.path
    assert with_music.narration is not None and with_music.voice is None
    silent = flow.render_spec(history.current, LISTING, _script(), music_on=False)
    assert silent.music is None


def test_narration_is_spoken_off_the_event_loop(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    seen: list[int] = []

    def fake_fit(spec: RenderSpec, *, cache_dir: Path) -> tuple[RenderSpec, Narration | None]:
        assert cache_dir == tmp_path
        seen.append(threading.get_ident())
        return spec.model_copy(update={"title": "fitted"}), None

    monkeypatch.setattr(flow, "speak_and_fit", fake_fit)
    script = _script()
    history = flow.plan(LISTING, house(ROOMS), script, _choices())

    async def main() -> tuple[int, RenderSpec]:
        spec = await flow.spoken(
            flow.render_spec(history.current, LISTING, script, music_on=False), cache_dir=tmp_path
        )
        return threading.get_ident(), spec

    loop_thread, spec = asyncio.run(main())
    assert seen and seen[0] != loop_thread
    assert spec.title == "fitted" and spec.music is None


def test_a_stored_plan_round_trips_and_a_plain_spec_has_none() -> None:
    script = _script()
    history = flow.plan(LISTING, house(ROOMS), script, _choices(TRACK))
    stored = StoredPlan(history=history, script=script, listing=LISTING)
    view = StoryboardVersionView(
        id=uuid.uuid4(), organization_id=uuid.uuid4(), storyboard_id=uuid.uuid4(), version=1,
        spec={}, author="ann", reason=None, created_at=datetime.now(UTC), plan=stored.data(),
    )  # fmt: skip
    assert set(stored.data()) == {"history", "script", "listing"}
    assert StoredPlan.of(view) == stored
    with pytest.raises(InvalidInputError, match="finished spec"):
        StoredPlan.of(view.model_copy(update={"plan": None}))
