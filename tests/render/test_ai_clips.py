"""AI motion end to end against the fake fal: clips where fal delivers, photo motion where not.

The real fal-client talks to `tests/support/fake_fal.py`; the orchestration checks, caches,
conforms and falls back exactly as it does against fal.ai.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from reelestate.core.settings import get_settings
from reelestate.providers.video_gen.fal_hosts import point_fal_client_at
from reelestate.render.ai_clips import AiClipOutcome
from reelestate.render.engine import render_video
from reelestate.render.probe import inspect_video
from reelestate.render.spec import RenderSpec
from reelestate.tools.ai_motion import generate_ai_clips, outcome_notes
from tests.render.helpers import small_spec
from tests.support.fake_fal import FakeFal, run_fake_fal
from tests.support.fal_clips import FalClips, make_fal_clips

LUMA = "fal-ai/luma-dream-machine/image-to-video"
QUICK_FAL: dict[str, Any] = {"queue_positions": (0,), "running_polls": 0}


@pytest.fixture(scope="module")
def clips(tmp_path_factory: pytest.TempPathFactory) -> FalClips:
    return make_fal_clips(tmp_path_factory.mktemp("clips"))


@pytest.fixture(autouse=True)
def real_fal_hosts() -> Iterator[None]:
    yield
    point_fal_client_at(None)


def use_fal(monkeypatch: pytest.MonkeyPatch, fal: FakeFal | None, **env: str) -> None:
    if fal is not None:
        monkeypatch.setenv("FAL_KEY", fal.key)
        monkeypatch.setenv("REELESTATE_FAL_BASE_URL", fal.base_url)
    monkeypatch.setenv("REELESTATE_VIDEO_GEN_ATTEMPTS", "2")
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    get_settings.cache_clear()


def mixed_spec() -> RenderSpec:
    """Scene 1 asks Kling, scene 2 asks Luma, scene 3 keeps Ken Burns."""
    base = small_spec(profile="preview")
    scenes = [s.model_dump() for s in base.scenes]
    scenes[0]["ai_motion"] = {"model": "kling-1.6-standard", "prompt": "Slow push to the door."}
    scenes[1]["ai_motion"] = {"model": "luma-dream-machine", "prompt": "Slow dolly-in."}
    return small_spec(profile="preview", scenes=scenes)


def by_scene(outcomes: list[AiClipOutcome]) -> dict[int, AiClipOutcome]:
    return {o.scene: o for o in outcomes}


async def test_a_storyboard_mixing_fal_clips_and_ken_burns_renders_and_probes(
    clips: FalClips, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    with run_fake_fal(clip=clips.good, clips_by_endpoint={LUMA: clips.odd}, **QUICK_FAL) as fal:
        use_fal(monkeypatch, fal)
        spec, outcomes = await generate_ai_clips(mixed_spec(), get_settings())
        submitted = len(fal.of("submit"))
        again, cached = await generate_ai_clips(mixed_spec(), get_settings())
        assert len(fal.of("submit")) == submitted  # the second storyboard paid nothing
    made = by_scene(outcomes)
    assert submitted == 2
    assert made[0].made_by == made[1].made_by == "ai"
    assert made[0].cost_usd > 0 and made[1].cost_usd > 0
    assert all(o.cached and o.cost_usd == 0 for o in cached)
    assert spec.scenes[0].clip is not None and spec.scenes[0].ai_generated
    assert spec.scenes[2].clip is None and spec.scenes[2].ai_motion is None
    assert again.scenes[1].clip == spec.scenes[1].clip
    result = render_video(spec, tmp_path / "out", cache_dir=tmp_path / "cache")
    report = inspect_video(result.video)
    # The odd clip (640x480, 15 fps, 3 s) was conformed to the 9:16 preview's size and rate.
    assert (report.width, report.height) == spec.size
    assert report.frames == result.frames
    assert report.fps == spec.frame_rate


async def test_fal_down_still_makes_the_video_with_ken_burns_and_says_why(
    clips: FalClips, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    with run_fake_fal(clip=clips.good, **QUICK_FAL) as fal:
        use_fal(monkeypatch, fal)
        fal.fail_next("submit", 500, {"detail": "Internal server error"}, times=10)
        spec, outcomes = await generate_ai_clips(mixed_spec(), get_settings())
        assert len(fal.of("submit")) == 4  # two attempts for each of the two scenes
    assert [o.made_by for o in outcomes] == ["ken_burns", "ken_burns"]
    notes = outcome_notes(outcomes)
    assert len(notes) == 2 and all("kept photo motion" in n for n in notes)
    assert all(o.fallback_reason for o in outcomes)
    assert all(s.clip is None and s.ai_motion is None for s in spec.scenes)
    result = render_video(spec, tmp_path / "out", cache_dir=tmp_path / "cache")
    assert inspect_video(result.video).frames == result.frames


async def test_a_corrupt_clip_falls_back_for_that_scene_only(
    clips: FalClips, monkeypatch: pytest.MonkeyPatch
) -> None:
    with run_fake_fal(clip=clips.good, clips_by_endpoint={LUMA: clips.corrupt}, **QUICK_FAL) as f:
        use_fal(monkeypatch, f)
        _, outcomes = await generate_ai_clips(mixed_spec(), get_settings())
    made = by_scene(outcomes)
    assert made[0].made_by == "ai"
    assert made[1].made_by == "ken_burns"
    assert "cannot be read" in (made[1].fallback_reason or "")


async def test_without_a_key_every_ai_scene_says_it_is_not_configured(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("FAL_KEY", raising=False)
    use_fal(monkeypatch, None)
    spec, outcomes = await generate_ai_clips(mixed_spec(), get_settings())
    assert {o.fallback_reason for o in outcomes} == {
        "AI video is not configured (FAL_KEY is not set)"
    }
    assert all(s.ai_motion is None for s in spec.scenes)


async def test_an_unknown_model_key_falls_back_with_the_valid_keys() -> None:
    base = small_spec(profile="preview")
    scenes = [s.model_dump() for s in base.scenes]
    scenes[0]["ai_motion"] = {"model": "sora-99", "prompt": "Slow push."}
    _, outcomes = await generate_ai_clips(
        small_spec(profile="preview", scenes=scenes), get_settings()
    )
    assert outcomes[0].made_by == "ken_burns"
    assert "kling-1.6-standard" in (outcomes[0].fallback_reason or "")
