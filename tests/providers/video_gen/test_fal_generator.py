"""The fal generator with the real fal-client against the fake fal on 127.0.0.1."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from reelestate.core.errors import (
    PhotoError,
    ProviderError,
    ProviderNotConfiguredError,
    ProviderRejectedError,
    ProviderTimeoutError,
    RenderCancelledError,
)
from reelestate.core.settings import Settings
from reelestate.prompts.motion import NEGATIVE_MOTION_PROMPT, motion_prompt
from reelestate.providers.video_gen import video_generator
from reelestate.providers.video_gen.base import ClipProgress, ClipRequest, ProgressEmitter
from reelestate.providers.video_gen.download import clip_suffix, safe_stem
from reelestate.providers.video_gen.fal import FalVideoGenerator
from tests.providers.video_gen.conftest import fal_generator
from tests.support.fake_fal import FAKE_KEY, run_fake_fal
from tests.support.fal_clips import FalClips

KLING = "fal-ai/kling-video/v1.6/standard/image-to-video"


def read(path: Path) -> bytes:
    return path.read_bytes()


def kitchen(photo: Path, model: str = "kling-1.6-standard", duration_s: float = 4.0) -> ClipRequest:
    return ClipRequest(
        model=model, image=photo, prompt=motion_prompt("kitchen"), duration_s=duration_s,
        aspect="9:16",
    )  # fmt: skip


async def test_clip_is_uploaded_queued_followed_and_downloaded(
    fal_clips: FalClips, photo: Path, tmp_path: Path
) -> None:
    seen: list[ClipProgress] = []
    with run_fake_fal(clip=fal_clips.good) as fal:
        generator = fal_generator(fal, tmp_path)
        clip = await generator.generate(kitchen(photo), tmp_path / "out", on_progress=seen.append)

    assert read(clip.path) == read(fal_clips.good)
    assert clip.path.parent == tmp_path / "out"
    assert clip.model == "kling-1.6-standard"
    assert clip.request_id in fal.jobs
    assert clip.seconds_billed == 5
    assert clip.cost_usd == pytest.approx(0.045 * 5)
    # The photo went to fal storage, and the model got its URL and the mapped inputs.
    name, content_type, data = fal.uploads[0]
    assert data == read(photo)
    assert content_type == "image/jpeg"
    submit = fal.of("submit")[0]
    assert submit.path == f"/{KLING}"
    assert submit.headers["authorization"] == f"Key {FAKE_KEY}"
    assert submit.headers["user-agent"].startswith("fal-client/")
    assert "fal_webhook" not in submit.query
    assert submit.json() == {
        "image_url": f"{fal.base_url}/files/{name}",
        "prompt": motion_prompt("kitchen"),
        "negative_prompt": NEGATIVE_MOTION_PROMPT,
        "duration": "5",
        "aspect_ratio": "9:16",
        "cfg_scale": 0.5,
    }
    # Progress: uploading, the queue counting down, the model's log line, downloading.
    states = [p.state for p in seen]
    assert states[0] == "uploading"
    assert states[-1] == "downloading"
    assert [p.queue_position for p in seen if p.queue_position is not None] == [2, 1, 0]
    assert [p.message for p in seen if p.state == "running"] == ["Generating frames (4)"]
    assert fal.cancelled == []


async def test_photo_can_go_inline_as_a_data_url(
    fal_clips: FalClips, photo: Path, tmp_path: Path
) -> None:
    with run_fake_fal(clip=fal_clips.good) as fal:
        generator = fal_generator(fal, tmp_path, settings={"REELESTATE_FAL_UPLOAD": "data_url"})
        await generator.generate(kitchen(photo, model="fast-svd-lcm"), tmp_path)
    assert fal.uploads == []
    arguments = fal.of("submit")[0].json()
    assert arguments["image_url"].startswith("data:image/jpeg;base64,")
    assert "prompt" not in arguments
    assert arguments["motion_bucket_id"] == 60


async def test_a_429_is_waited_out(fal_clips: FalClips, photo: Path, tmp_path: Path) -> None:
    with run_fake_fal(clip=fal_clips.good) as fal:
        fal.fail_next("submit", 429, {"detail": "Too many requests"}, {"Retry-After": "0"})
        clip = await fal_generator(fal, tmp_path).generate(kitchen(photo), tmp_path)
    assert clip.path.exists()
    assert len(fal.of("submit")) == 2


async def test_a_500_is_retried_by_our_policy(
    fal_clips: FalClips, photo: Path, tmp_path: Path
) -> None:
    with run_fake_fal(clip=fal_clips.good) as fal:
        fal.fail_next("submit", 500, {"detail": "Internal error"})
        clip = await fal_generator(fal, tmp_path).generate(kitchen(photo), tmp_path)
    assert clip.path.exists()
    assert len(fal.of("submit")) == 2


async def test_500s_fail_after_the_policy_attempts(
    fal_clips: FalClips, photo: Path, tmp_path: Path
) -> None:
    with run_fake_fal(clip=fal_clips.good) as fal:
        fal.fail_next("submit", 500, {"detail": "Internal error"}, times=5)
        with pytest.raises(ProviderError) as caught:
            await fal_generator(fal, tmp_path).generate(kitchen(photo), tmp_path)
    assert not isinstance(caught.value, ProviderRejectedError)
    assert caught.value.retryable
    assert "Internal error" in caught.value.message
    assert len(fal.of("submit")) == 3


async def test_a_stuck_job_times_out_and_is_cancelled(
    fal_clips: FalClips, photo: Path, tmp_path: Path
) -> None:
    with run_fake_fal(clip=fal_clips.good, stuck=True) as fal:
        generator = fal_generator(fal, tmp_path, timeout_s=0.6)
        with pytest.raises(ProviderTimeoutError):
            await generator.generate(kitchen(photo), tmp_path)
    assert fal.cancelled == list(fal.jobs)
    assert len(fal.of("status")) > 1


async def test_should_cancel_cancels_the_fal_request(
    fal_clips: FalClips, photo: Path, tmp_path: Path
) -> None:
    with run_fake_fal(clip=fal_clips.good, stuck=True) as fal:
        generator = fal_generator(fal, tmp_path)
        with pytest.raises(RenderCancelledError):
            await generator.generate(
                kitchen(photo), tmp_path, should_cancel=lambda: len(fal.of("status")) >= 2
            )
    assert fal.cancelled == list(fal.jobs)
    assert len(fal.jobs) == 1


async def test_cancelling_the_task_cancels_the_fal_request(
    fal_clips: FalClips, photo: Path, tmp_path: Path
) -> None:
    with run_fake_fal(clip=fal_clips.good, stuck=True) as fal:
        task = asyncio.create_task(fal_generator(fal, tmp_path).generate(kitchen(photo), tmp_path))
        for _ in range(3000):
            if len(fal.of("status")) >= 2:
                break
            await asyncio.sleep(0.01)
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
    assert fal.cancelled == list(fal.jobs)


async def test_an_nsfw_flag_is_a_rejection_not_retried(
    fal_clips: FalClips, photo: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    nsfw = {"has_nsfw_concepts": [True]}
    with (
        run_fake_fal(clip=fal_clips.good, result_extra=nsfw) as fal,
        pytest.raises(ProviderRejectedError),
    ):
        await fal_generator(fal, tmp_path).generate(kitchen(photo), out)
    assert len(fal.of("submit")) == 1
    assert fal.of("download") == []
    assert not out.exists() or list(out.iterdir()) == []


async def test_a_content_policy_error_is_a_rejection(
    fal_clips: FalClips, photo: Path, tmp_path: Path
) -> None:
    flagged = (422, {"detail": [{"loc": ["body", "image_url"], "msg": "The content was flagged.",
                                 "type": "content_policy_violation"}]})  # fmt: skip
    with (
        run_fake_fal(clip=fal_clips.good, result_error=flagged) as fal,
        pytest.raises(ProviderRejectedError) as caught,
    ):
        await fal_generator(fal, tmp_path).generate(kitchen(photo), tmp_path)
    assert "content policy" in caught.value.message
    assert "image_url: The content was flagged." in caught.value.message
    assert len(fal.of("submit")) == 1


async def test_a_job_that_failed_on_fal_is_submitted_again(
    fal_clips: FalClips, photo: Path, tmp_path: Path
) -> None:
    failed = (503, {"detail": "Runner disconnected", "error_type": "runner_disconnected"})
    with (
        run_fake_fal(clip=fal_clips.good, result_error=failed) as fal,
        pytest.raises(ProviderError) as caught,
    ):
        await fal_generator(fal, tmp_path).generate(kitchen(photo), tmp_path)
    assert caught.value.retryable
    assert len(fal.of("submit")) == 3
    assert len(fal.of("result")) == 3


async def test_a_refused_key_is_a_configuration_error_that_never_shows_the_key(
    fal_clips: FalClips, photo: Path, tmp_path: Path
) -> None:
    with run_fake_fal(clip=fal_clips.good, key="another-key:another-secret") as fal:
        generator = FalVideoGenerator.from_settings(
            Settings(
                REELESTATE_DATA_DIR=tmp_path, FAL_KEY=FAKE_KEY, REELESTATE_FAL_BASE_URL=fal.base_url
            )
        )
        with pytest.raises(ProviderNotConfiguredError) as caught:
            await generator.generate(kitchen(photo), tmp_path)
    text = f"{caught.value} {caught.value.to_dict()} {caught.value!r}"
    assert "FAL_KEY" in text
    assert FAKE_KEY not in text
    assert "fake-key-secret" not in text


async def test_a_download_failure_is_retried_without_a_new_job(
    fal_clips: FalClips, photo: Path, tmp_path: Path
) -> None:
    with run_fake_fal(clip=fal_clips.good) as fal:
        fal.fail_next("download", 502, {"detail": "bad gateway"})
        clip = await fal_generator(fal, tmp_path).generate(kitchen(photo), tmp_path)
    assert read(clip.path) == read(fal_clips.good)
    assert len(fal.of("download")) == 2
    assert len(fal.of("submit")) == 1


async def test_an_oversized_clip_is_refused_and_nothing_is_left(
    fal_clips: FalClips, photo: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    with run_fake_fal(clip=fal_clips.good) as fal:
        generator = fal_generator(fal, tmp_path, max_clip_bytes=10_000)
        with pytest.raises(ProviderRejectedError, match="larger than"):
            await generator.generate(kitchen(photo), out)
    assert list(out.iterdir()) == []


async def test_each_model_gets_its_own_clip(
    fal_clips: FalClips, photo: Path, tmp_path: Path
) -> None:
    luma = "fal-ai/luma-dream-machine/image-to-video"
    with run_fake_fal(clip=fal_clips.good, clips_by_endpoint={luma: fal_clips.odd}) as fal:
        generator = fal_generator(fal, tmp_path)
        clip = await generator.generate(kitchen(photo, "luma-dream-machine", 8.0), tmp_path)
    assert read(clip.path) == read(fal_clips.odd)
    assert clip.cost_usd == pytest.approx(0.5)
    assert fal.of("submit")[0].json()["aspect_ratio"] == "9:16"
    assert "duration" not in fal.of("submit")[0].json()


async def test_a_missing_photo_is_a_photo_error(tmp_path: Path) -> None:
    with run_fake_fal() as fal, pytest.raises(PhotoError):
        await fal_generator(fal, tmp_path).generate(kitchen(tmp_path / "gone.jpg"), tmp_path)
    assert fal.of("submit") == []


def test_no_key_no_generator(tmp_path: Path) -> None:
    settings = Settings(REELESTATE_DATA_DIR=tmp_path)
    assert video_generator(settings) is None
    with pytest.raises(ProviderNotConfiguredError, match="fal"):
        FalVideoGenerator.from_settings(settings)


def test_the_settings_choose_fal_and_its_webhook(tmp_path: Path) -> None:
    settings = Settings(
        REELESTATE_DATA_DIR=tmp_path,
        FAL_KEY="k:s",
        REELESTATE_PUBLIC_URL="https://studio.example/",
        REELESTATE_FAL_TIMEOUT=120,
    )
    generator = video_generator(settings)
    assert isinstance(generator, FalVideoGenerator)
    assert generator.webhook_url == "https://studio.example/api/v1/webhooks/fal"
    assert generator.inbox is not None
    assert generator.timeout_s == 120
    quiet = FalVideoGenerator.from_settings(settings.model_copy(update={"fal_webhooks": False}))
    assert quiet.webhook_url is None


def test_a_request_id_cannot_steer_the_file_name() -> None:
    assert safe_stem("kling-1.6-pro-../../etc/passwd") == "kling-1.6-pro-.._.._etc_passwd"
    assert safe_stem("../x") == "_x"
    assert safe_stem("...") == "clip"
    assert clip_suffix("https://cdn/x/video.WEBM?sig=1") == ".webm"
    assert clip_suffix("https://cdn/x/output") == ".mp4"


def test_a_failing_progress_callback_does_not_stop_the_clip() -> None:
    seen: list[str] = []

    def broken(progress: ClipProgress) -> None:
        seen.append(progress.state)
        raise RuntimeError("display gone")

    emit = ProgressEmitter(broken)
    emit("queued", queue_position=3)
    emit("running", message="step 1")
    ProgressEmitter(None)("downloading")
    assert seen == ["queued", "running"]
