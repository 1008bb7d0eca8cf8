"""`reelestate make --ai-video --voice` against local fakes of fal and ElevenLabs.

The real fal-client and ElevenLabs SDK talk to servers on 127.0.0.1; the video mixes fal clips
with Ken Burns scenes and carries the fake's voice, and `report.json` says which provider made
each part, what it cost, and why a fallback happened.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from reelestate.cli import app
from reelestate.core.settings import get_settings
from reelestate.providers.video_gen.fal_hosts import point_fal_client_at
from reelestate.render.probe import inspect_video
from tests.conftest import PHOTOS
from tests.providers.fakes.fake_elevenlabs import KEY as ELEVENLABS_KEY
from tests.providers.fakes.fake_elevenlabs import FakeElevenLabs
from tests.support.fake_fal import FakeFal, run_fake_fal
from tests.support.fal_clips import FalClips, make_fal_clips

FACTS = ["--address", "12 Oak St", "--price", "529000", "--beds", "3", "--baths", "2"]
FACTS += ["--area", "1826", "--preview", "--length", "15"]
runner = CliRunner()


@pytest.fixture(scope="module")
def clips(tmp_path_factory: pytest.TempPathFactory) -> FalClips:
    return make_fal_clips(tmp_path_factory.mktemp("clips"))


@pytest.fixture(autouse=True)
def real_fal_hosts() -> Iterator[None]:
    yield
    point_fal_client_at(None)


@pytest.fixture
def voice(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeElevenLabs]:
    with FakeElevenLabs().running() as fake:
        monkeypatch.setenv("ELEVENLABS_API_KEY", ELEVENLABS_KEY)
        monkeypatch.setenv("ELEVENLABS_BASE_URL", fake.base_url)
        yield fake


def make(fal: FakeFal, out: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    monkeypatch.setenv("FAL_KEY", fal.key)
    monkeypatch.setenv("REELESTATE_FAL_BASE_URL", fal.base_url)
    monkeypatch.setenv("REELESTATE_VIDEO_GEN_ATTEMPTS", "1")
    get_settings.cache_clear()
    args = ["make", str(PHOTOS / "listing1"), *FACTS, "--out", str(out)]
    args += ["--ai-video", "kling-1.6-standard", "--ai-scenes", "2", "--voice", "elevenlabs:Rachel"]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    report: dict[str, Any] = json.loads((out / "report.json").read_text())
    video = inspect_video(out / "video.mp4")
    assert video.frames > 0 and video.audio_duration > 0
    return report


def test_make_mixes_fal_clips_and_ken_burns_with_the_elevenlabs_voice(
    clips: FalClips, voice: FakeElevenLabs, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    with run_fake_fal(clip=clips.good, queue_positions=(0,), running_polls=0) as fal:
        report = make(fal, tmp_path / "out", monkeypatch)
        assert len(fal.of("submit")) == 2
    made_by = [scene["made_by"] for scene in report["scenes"]]
    assert made_by.count("ai:kling-1.6-standard") == 2
    assert made_by.count("ken_burns") == len(made_by) - 2
    ai = [s for s in report["scenes"] if s["made_by"].startswith("ai:")]
    assert all(s["cost_usd"] > 0 and s["fallback_reason"] is None for s in ai)
    assert {s["motion"] for s in ai} == {"generated"}
    assert report["voice"]["provider"] == "elevenlabs"
    assert report["voice"]["fallbacks"] == []
    assert report["voice"]["cost_usd"] > 0
    assert len(voice.truth) == 1  # the narration was spoken once, by the fake
    assert report["cost_usd"] == pytest.approx(
        sum(s["cost_usd"] for s in report["scenes"]) + report["voice"]["cost_usd"]
    )


def test_with_fal_down_the_same_make_completes_with_ken_burns_and_says_why(
    clips: FalClips, voice: FakeElevenLabs, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    with run_fake_fal(clip=clips.good) as fal:
        fal.fail_next("submit", 500, {"detail": "Service unavailable"}, times=10)
        fal.fail_next("token", 500, {"detail": "Service unavailable"}, times=10)
        report = make(fal, tmp_path / "out", monkeypatch)
    assert {scene["made_by"] for scene in report["scenes"]} == {"ken_burns"}
    asked = [s for s in report["scenes"] if s.get("ai_model_requested")]
    assert len(asked) == 2
    assert all("Service unavailable" in s["fallback_reason"] for s in asked)
    assert report["voice"]["provider"] == "elevenlabs"
