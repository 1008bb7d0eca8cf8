"""Telegram API faults through the real client: flood control, unchanged edits, error casing."""

from __future__ import annotations

import uuid
from datetime import timedelta
from pathlib import Path

import pytest
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TimedOut

from reelestate.bots.telegram.calls import (
    Failure,
    TelegramCalls,
    UploadTooLargeError,
    classify,
    retry_after_seconds,
)
from reelestate.bots.telegram.delivery import VideoDelivery, fit_bitrate_kbps
from reelestate.storage.blobs import LocalBlobStore
from reelestate.storage.context import TenantContext
from tests.agent.helpers import RecordingRenderer
from tests.bots import updates
from tests.bots.harness import ANN, bot_under_test


@pytest.mark.parametrize(
    ("error", "failure"),
    [
        (RetryAfter(3), Failure.RETRY_AFTER),
        (
            BadRequest("Message is not modified: specified new message content"),
            Failure.NOT_MODIFIED,
        ),
        (BadRequest("MESSAGE IS NOT MODIFIED"), Failure.NOT_MODIFIED),
        (BadRequest("Chat not found"), Failure.FATAL),
        (BadRequest("Request entity too large"), Failure.TOO_LARGE),
        (NetworkError("Request Entity Too Large"), Failure.TOO_LARGE),
        (NetworkError("httpx.ConnectError: connection refused"), Failure.TRANSIENT),
        (TimedOut(), Failure.TRANSIENT),
        (Forbidden("bot was blocked by the user"), Failure.FATAL),
    ],
)
def test_each_failure_has_one_treatment(error: Exception, failure: Failure) -> None:
    assert classify(error) is failure


def test_retry_after_in_seconds_or_as_a_duration() -> None:
    assert retry_after_seconds(RetryAfter(4)) == 4.0
    assert retry_after_seconds(RetryAfter(timedelta(seconds=2))) == 2.0


async def test_policy_retries_network_blips_but_not_413() -> None:
    calls = TelegramCalls(attempts=3, backoff_s=0)
    tries: list[int] = []

    async def flaky() -> str:
        tries.append(1)
        if len(tries) < 3:
            raise NetworkError("connection reset")
        return "sent"

    assert await calls(flaky, "flaky") == "sent" and len(tries) == 3

    async def too_large() -> str:
        tries.append(1)
        raise NetworkError("Request Entity Too Large")

    tries.clear()
    with pytest.raises(UploadTooLargeError):
        await calls(too_large, "upload")
    assert len(tries) == 1

    async def always_down() -> str:
        raise TimedOut()

    with pytest.raises(TimedOut):
        await calls(always_down, "down")


async def test_429_waits_as_told_and_unchanged_edits_are_absorbed(tmp_path: Path) -> None:
    async with bot_under_test(tmp_path, RecordingRenderer()) as t:
        t.api.fail("sendMessage", 429, retry_after=1)
        t.send(updates.text(ANN, "/help"))
        await t.api.wait_for(lambda: len(t.api.calls_of("sendMessage", ANN)) == 2)
        first, second = t.api.calls_of("sendMessage", ANN)
        assert first.fields["text"] == second.fields["text"], "the same message, sent again"
        assert t.bot.channel.calls.flood_waits == 1

        presenter = t.bot.channel._presenter(ANN, t.bot.channel.accounts.account(ANN))  # type: ignore[arg-type]
        await presenter._progress_of("job-1", "final", "frames", 10)
        t.api.fail("editMessageText", 400)
        await presenter._progress_of("job-1", "final", "done", 100)
        await presenter._progress_of("job-1", "final", "done", 100)
        assert len(t.api.calls_of("editMessageText", ANN)) == 1, "unchanged text is not re-sent"


async def test_blocked_user_is_logged_not_retried(tmp_path: Path) -> None:
    async with bot_under_test(tmp_path, RecordingRenderer()) as t:
        t.api.fail("sendMessage", 403)
        t.send(updates.text(ANN, "/help"))
        await t.api.wait_for(lambda: bool(t.api.calls_of("sendMessage", ANN)))
        t.send(updates.text(ANN, "/help"))
        await t.api.wait_for(lambda: len(t.api.calls_of("sendMessage", ANN)) == 2)
        assert "Commands:" in t.api.calls_of("sendMessage", ANN)[1].fields["text"]
        assert t.bot.channel.calls.flood_waits == 0, "a 403 is not waited on or retried"


async def test_a_failed_update_is_told_plainly_by_the_one_error_handler(tmp_path: Path) -> None:
    async with bot_under_test(tmp_path, RecordingRenderer()) as t:
        t.api.fail("sendMessage", 400, description="Bad Request: can't parse entities")
        t.send(updates.text(ANN, "/help"))
        await t.wait_for_text(ANN, "Something went wrong on our side")
        assert len(t.api.calls_of("sendMessage", ANN)) == 2, "a 400 is not retried"


async def test_a_video_that_cannot_be_sent_or_linked_is_still_announced(tmp_path: Path) -> None:
    video = tmp_path / "video.mp4"
    video.write_bytes(b"\0" * 4096)
    told: list[str] = []
    uploads: list[Path] = []

    async def upload(path: Path) -> None:
        uploads.append(path)

    async def send_text(markdown: str) -> None:
        told.append(markdown)

    delivery = VideoDelivery(
        upload_limit=1024, blobs=None, public_base_url=None, work_dir=tmp_path / "out"
    )
    ctx = TenantContext(org_id=uuid.uuid4())
    how = await delivery.deliver(video, ctx, upload, send_text, "video")
    assert how == "unavailable" and uploads == []
    assert "Download it from your projects in the web app" in told[0]

    linked = VideoDelivery(
        upload_limit=1024,
        blobs=LocalBlobStore(tmp_path / "blobs", b"k" * 32),
        public_base_url=None,
        work_dir=tmp_path / "out",
    )
    assert await linked.deliver(video, ctx, upload, send_text, "video") == "unavailable"
    assert fit_bitrate_kbps(50 * 1024 * 1024, 30) is not None
    assert fit_bitrate_kbps(1024, 30) is None and fit_bitrate_kbps(10**9, 0) is None
