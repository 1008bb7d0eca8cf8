"""D-ID and HeyGen clients against a local server speaking their wire formats."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path

import pytest

from reelestate.core.errors import (
    PhotoError,
    ProviderError,
    ProviderRejectedError,
    ProviderTimeoutError,
)
from reelestate.core.retry import RetryPolicy
from reelestate.providers.avatar import AvatarRequest, check_presenter_photo
from reelestate.providers.avatar.did import DidAvatarGenerator
from reelestate.providers.avatar.heygen import HeyGenAvatarGenerator
from reelestate.providers.avatar.portrait import PortraitPresenter
from reelestate.render.clip_source import read_clip_info
from tests.providers.avatar.fake_avatar_server import DID_KEY, HEYGEN_KEY, FakeAvatarServices
from tests.providers.avatar.material import headshot, voice
from tests.providers.fakes.http_fake import Fault

FAST = RetryPolicy(attempts=3, base_delay_s=0.0, max_delay_s=0.0, jitter=0.0)


@pytest.fixture(scope="module")
def server() -> Iterator[FakeAvatarServices]:
    with FakeAvatarServices().running() as service:
        yield service


@pytest.fixture(autouse=True)
def fresh(server: FakeAvatarServices) -> None:
    server.mode = "ok"
    server.faults.clear()
    server.requests.clear()


@pytest.fixture(scope="module")
def request_files(tmp_path_factory: pytest.TempPathFactory) -> AvatarRequest:
    folder = tmp_path_factory.mktemp("avatar")
    return AvatarRequest(
        photo=headshot(folder / "face.jpg"), audio=voice(folder / "voice.wav"), audio_seconds=1.2
    )


def did(
    server: FakeAvatarServices, key: str = DID_KEY, timeout_s: float = 5.0
) -> DidAvatarGenerator:
    return DidAvatarGenerator(
        key, base_url=server.base_url, timeout_s=timeout_s, poll_interval_s=0.01, retry=FAST
    )


def heygen(server: FakeAvatarServices, timeout_s: float = 5.0) -> HeyGenAvatarGenerator:
    return HeyGenAvatarGenerator(
        HEYGEN_KEY,
        base_url=server.base_url,
        upload_url=server.base_url,
        timeout_s=timeout_s,
        poll_interval_s=0.01,
        retry=FAST,
    )


def test_did_uploads_creates_polls_and_downloads(
    server: FakeAvatarServices, request_files: AvatarRequest, tmp_path: Path
) -> None:
    clip = asyncio.run(did(server).generate(request_files, tmp_path))
    info = read_clip_info(clip.path)
    assert info.duration > 0.5 and clip.lip_synced and clip.generated
    assert [r.path for r in server.requests][:3] == ["/images", "/audios", "/talks"]
    assert server.count("/talks/") == 3  # created, started, done
    talk = next(r for r in server.requests if r.path == "/talks").json()
    assert talk["script"]["type"] == "audio" and talk["config"]["stitch"] is True
    assert all(
        r.headers["authorization"] == f"Basic {DID_KEY}"
        for r in server.requests
        if not r.path.startswith("/results")
    )
    assert (
        "authorization"
        not in next(r for r in server.requests if r.path.startswith("/results")).headers
    )
    assert clip.cost_usd > 0


def test_heygen_talking_photo_flow(
    server: FakeAvatarServices, request_files: AvatarRequest, tmp_path: Path
) -> None:
    clip = asyncio.run(heygen(server).generate(request_files, tmp_path))
    assert read_clip_info(clip.path).duration > 0.5
    paths = [r.path for r in server.requests]
    assert paths[:3] == ["/v1/talking_photo", "/v1/asset", "/v2/video/generate"]
    assert server.count("video_status.get") == 3


def test_did_bad_key_is_a_rejection(
    server: FakeAvatarServices, request_files: AvatarRequest, tmp_path: Path
) -> None:
    with pytest.raises(ProviderRejectedError, match="401"):
        asyncio.run(did(server, key="wrong").generate(request_files, tmp_path))


def test_did_429_is_retried(
    server: FakeAvatarServices, request_files: AvatarRequest, tmp_path: Path
) -> None:
    server.faults.append(Fault(status=429, retry_after="0"))
    clip = asyncio.run(did(server).generate(request_files, tmp_path))
    assert clip.path.exists() and server.count("/images") == 2


@pytest.mark.parametrize(
    ("mode", "error", "words"),
    [
        ("error", ProviderRejectedError, "no face detected"),
        ("rejected", ProviderRejectedError, "rejected"),
        ("html_result", ProviderRejectedError, "not a video"),
        ("never_done", ProviderTimeoutError, "in time"),
    ],
)
def test_did_failures(
    server: FakeAvatarServices,
    request_files: AvatarRequest,
    tmp_path: Path,
    mode: str,
    error: type[Exception],
    words: str,
) -> None:
    server.mode = mode  # type: ignore[assignment]
    with pytest.raises(error, match=words):
        asyncio.run(did(server, timeout_s=0.5).generate(request_files, tmp_path))
    assert not list(tmp_path.glob("*.mp4"))


def test_did_create_that_hangs_times_out(
    server: FakeAvatarServices, request_files: AvatarRequest, tmp_path: Path
) -> None:
    server.mode = "hang_create"
    generator = did(server, timeout_s=0.3)
    generator.retry = RetryPolicy(attempts=1)
    with pytest.raises(Exception, match="in time"):
        asyncio.run(generator.generate(request_files, tmp_path))


def test_heygen_failed_status(
    server: FakeAvatarServices, request_files: AvatarRequest, tmp_path: Path
) -> None:
    server.mode = "error"
    with pytest.raises(ProviderRejectedError, match="photo rejected"):
        asyncio.run(heygen(server).generate(request_files, tmp_path))


def test_portrait_presenter_needs_no_service(request_files: AvatarRequest, tmp_path: Path) -> None:
    small = request_files.model_copy(update={"size": 96})
    clip = asyncio.run(PortraitPresenter().generate(small, tmp_path))
    info = read_clip_info(clip.path)
    assert (info.width, info.height) == (96, 96) and not clip.lip_synced and not clip.generated


def test_presenter_photo_needs_exactly_one_face(tmp_path: Path) -> None:
    assert check_presenter_photo(headshot(tmp_path / "one.jpg")).w > 0.3
    with pytest.raises(PhotoError, match="2 faces"):
        check_presenter_photo(headshot(tmp_path / "two.jpg", faces=2))
    with pytest.raises(PhotoError, match="no face"):
        check_presenter_photo(headshot(tmp_path / "none.jpg", faces=0))


def test_heygen_429_is_retried(
    server: FakeAvatarServices, request_files: AvatarRequest, tmp_path: Path
) -> None:
    server.faults.append(
        Fault(status=429, retry_after="0", payload={"code": 429, "message": "Too many requests"})
    )
    clip = asyncio.run(heygen(server).generate(request_files, tmp_path))
    assert clip.path.exists() and server.count("/v1/talking_photo") == 2


def test_heygen_generate_that_hangs_times_out(
    server: FakeAvatarServices, request_files: AvatarRequest, tmp_path: Path
) -> None:
    server.mode = "hang_create"
    generator = heygen(server, timeout_s=0.3)
    generator.retry = RetryPolicy(attempts=1)
    with pytest.raises(ProviderError, match="did not answer in time while creating"):
        asyncio.run(generator.generate(request_files, tmp_path))
    assert not list(tmp_path.glob("*.mp4"))
