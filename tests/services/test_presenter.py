"""The presenter on a finished video: placed where captions are not, and every failure of
D-ID falling back to the portrait presenter (or to none) with the reason recorded."""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from reelestate.core.settings import Settings
from reelestate.providers.tts.base import Narration
from reelestate.render.ffmpeg import find_tools
from reelestate.render.layout import captions_rect, logo_rect, stats_rect
from reelestate.render.presenter import presenter_rect
from reelestate.render.result import RenderResult
from reelestate.render.spec import parse_spec
from reelestate.services.presenter import PresenterChoice, present_on_video
from tests.conftest import PHOTOS
from tests.providers.avatar.fake_avatar_server import DID_KEY, FakeAvatarServices
from tests.providers.avatar.material import headshot, voice
from tests.providers.fakes.http_fake import Fault
from tests.render.helpers import frame_at

W, H = 540, 960


@pytest.fixture(scope="module")
def server() -> Iterator[FakeAvatarServices]:
    with FakeAvatarServices().running() as service:
        yield service


@pytest.fixture(scope="module")
def shared(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One cache for the fallback cases: the portrait clip is drawn once."""
    return tmp_path_factory.mktemp("presenter-cache")


def _video(path: Path, audio: Path) -> Path:
    subprocess.run(
        [
            find_tools().ffmpeg,
            "-hide_banner",
            "-loglevel",
            "error",
            "-y",
            "-f",
            "lavfi",
            "-i",
            f"color=c=0x203040:s={W}x{H}:r=30:d=2",
            "-i",
            str(audio),
            "-c:v",
            "libx264",
            "-preset",
            "ultrafast",
            "-pix_fmt",
            "yuv420p",
            "-c:a",
            "aac",
            "-ar",
            "48000",
            "-t",
            "2",
            str(path),
        ],
        check=True,
    )
    return path


def _result(tmp: Path) -> RenderResult:
    audio = voice(tmp / "voice.wav", seconds=1.2)
    video = _video(tmp / "video.mp4", audio)
    narration = Narration(audio=audio, words=[], duration=1.2, provider="espeak", voice="en-us")
    return RenderResult(
        video=video, subtitles=video, thumbnail=video, duration=2.0, width=W, height=H, fps=30,
        narration=narration, voice_start=0.4,
    )  # fmt: skip


SPEC = parse_spec(
    {
        "aspect": "9:16",
        "profile": "preview",
        "scenes": [{"photo": str(PHOTOS / "house107" / "frontal.jpg"), "duration": 2.0}],
    }
)


def _settings(server: FakeAvatarServices, tmp: Path, key: str = DID_KEY) -> Settings:
    return Settings.model_validate(
        {
            "REELESTATE_DATA_DIR": str(tmp / "data"),
            "DID_API_KEY": key,
            "DID_BASE_URL": server.base_url,
            "REELESTATE_AVATAR_TIMEOUT": 2,
            "REELESTATE_AVATAR_POLL_S": 0.01,
        }
    )


def test_corner_is_clear_of_captions_stats_and_logo() -> None:
    for aspect, (w, h) in {
        "9:16": (1080, 1920),
        "1:1": (1080, 1080),
        "16:9": (1920, 1080),
        "4:5": (1080, 1350),
    }.items():
        box = presenter_rect(aspect, w, h)  # type: ignore[arg-type]
        for other in (
            captions_rect(aspect, w, h),
            stats_rect(aspect, w, h),
            logo_rect(aspect, w, h),
        ):  # type: ignore[arg-type]
            assert box.bottom <= other.y or other.bottom <= box.y or box.x + box.w <= other.x


def test_did_presenter_in_the_corner(server: FakeAvatarServices, tmp_path: Path) -> None:
    server.mode = "ok"
    result = _result(tmp_path)
    choice = PresenterChoice(photo=headshot(tmp_path / "face.jpg"), provider="did")
    outcome = present_on_video(result, SPEC, choice, _settings(server, tmp_path), tmp_path / "w")
    assert outcome.provider == "did" and outcome.lip_synced and outcome.ai_disclosure
    frame = frame_at(result.video, 1.0)
    box = presenter_rect("9:16", W, H)
    centre = frame[
        box.y + box.h // 2 - 4 : box.y + box.h // 2 + 4,
        box.x + box.w // 2 - 4 : box.x + box.w // 2 + 4,
    ]
    magenta = (centre[..., 0] > 180) & (centre[..., 1] < 90) & (centre[..., 2] > 180)
    assert magenta.mean() > 0.8  # the server's marker, from the clip it made
    caps = captions_rect("9:16", W, H)
    band = frame[caps.y : caps.bottom, caps.x : caps.x + caps.w]
    assert not ((band[..., 0] > 180) & (band[..., 1] < 90) & (band[..., 2] > 180)).any()
    before = frame_at(result.video, 0.1)  # before the voice starts: no presenter
    assert before[box.y + box.h // 2, box.x + box.w // 2, 1] > 40
    # the same presenter again comes from the cache and costs nothing
    again = present_on_video(
        _result(tmp_path), SPEC, choice, _settings(server, tmp_path), tmp_path / "w"
    )
    assert again.cached and again.cost_usd == 0


@pytest.mark.parametrize(
    ("mode", "fault", "key", "reason"),
    [
        ("error", None, DID_KEY, "no face detected"),
        ("html_result", None, DID_KEY, "not a video"),
        ("ok", None, "bad-key", "401"),
        (
            "ok",
            Fault(
                status=402,
                payload={"kind": "InsufficientCreditsError", "description": "no credits"},
            ),
            DID_KEY,
            "no credits",
        ),
    ],
)
def test_each_did_failure_falls_back_to_the_portrait(
    server: FakeAvatarServices,
    tmp_path: Path,
    shared: Path,
    mode: str,
    fault: Fault | None,
    key: str,
    reason: str,
) -> None:
    server.mode = mode  # type: ignore[assignment]
    server.faults[:] = [fault] if fault else []
    result = _result(tmp_path)
    choice = PresenterChoice(photo=headshot(tmp_path / "face.jpg"), provider="did")
    outcome = present_on_video(result, SPEC, choice, _settings(server, shared, key), tmp_path / "w")
    assert outcome.provider == "portrait" and not outcome.lip_synced and not outcome.ai_disclosure
    assert reason in outcome.fallbacks[0] and outcome.fallbacks[0].startswith("D-ID failed")
    assert any("not a lip-synced avatar" in note for note in outcome.notes())
