"""Voice messages heard through a fake OpenAI `/v1/audio/transcriptions` and the fake Bot API."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from pydantic import SecretStr

from reelestate.bots.telegram import text as tx
from reelestate.core.retry import RetryPolicy
from reelestate.providers.stt.openai_stt import OpenAITranscriber
from tests.agent.helpers import FACTS, RecordingRenderer, listing_photos
from tests.bots import updates
from tests.bots.harness import ANN, BotUnderTest, bot_under_test
from tests.support.fake_cloud import FakeCloud

KEY = "sk-voice-test-KEY"
OGG = b"OggS\x00\x02" + bytes(400)


@pytest.fixture
def cloud() -> Iterator[FakeCloud]:
    with FakeCloud(openai_key=KEY) as fake:
        yield fake


def transcriber(cloud: FakeCloud) -> OpenAITranscriber:
    return OpenAITranscriber(
        model="gpt-4o-mini-transcribe",
        api_key=SecretStr(KEY),
        base_url=f"{cloud.base}/v1",
        timeout_s=10,
        policy=RetryPolicy(attempts=2, base_delay_s=0, max_delay_s=0),
    )


def send_voice(t: BotUnderTest, data: bytes = OGG, duration: int = 2) -> None:
    hosted = t.api.host_file(data, "file_7.oga")
    t.send(updates.voice(ANN, hosted, duration))


async def test_a_voice_message_becomes_a_revision_the_runner_applies(
    tmp_path: Path, cloud: FakeCloud
) -> None:
    async with bot_under_test(tmp_path, RecordingRenderer(), transcriber=transcriber(cloud)) as t:
        t.send_photos(ANN, listing_photos(), group="g")
        t.send(updates.text(ANN, FACTS))
        await t.wait_for_text(ANN, "Render the final video from storyboard version 1")
        before = await t.bot.channel.runner.state(f"tg-{ANN}")
        cloud.heard = "make it shorter"
        send_voice(t)
        await t.wait_for_text(ANN, tx.heard_text("make it shorter"))
        await t.wait_for_text(ANN, "Render the final video from storyboard version 2")
        after = await t.bot.channel.runner.state(f"tg-{ANN}")
        assert after["storyboard"] != before["storyboard"]
        said = [m.content for m in after["messages"] if m.type == "human"]
        assert said[-1] == "make it shorter", "the words reach the runner as a typed message"
    (request,) = cloud.on("transcriptions")
    upload = request.files["file"]
    assert upload.data == OGG
    assert upload.filename.endswith(".ogg"), "Telegram's .oga name is not sent on"
    assert request.fields["model"] == "gpt-4o-mini-transcribe"
    assert not list((t.settings.data_dir / "telegram" / "incoming").glob("*")), "nothing left"


async def test_a_failing_transcriber_gives_the_please_type_fallback(
    tmp_path: Path, cloud: FakeCloud
) -> None:
    renderer = RecordingRenderer()
    async with bot_under_test(tmp_path, renderer, transcriber=transcriber(cloud)) as t:
        cloud.fail("transcriptions", 500, times=2)
        send_voice(t)
        reply = await t.wait_for_text(ANN, "transcribe that voice message")
        assert reply == tx.voice_failed_text("The speech-to-text service failed (HTTP 500).")
        assert "Please type" in reply
        assert len(cloud.on("transcriptions")) == 2, "our retry policy, not the client's"
        assert not any("I heard" in x for x in t.texts(ANN))
        state = await t.bot.channel.runner.state(f"tg-{ANN}")
        assert not state.get("photos") and renderer.requests == []


async def test_recordings_too_long_or_too_big_are_not_fetched(
    tmp_path: Path, cloud: FakeCloud
) -> None:
    async with bot_under_test(tmp_path, RecordingRenderer(), transcriber=transcriber(cloud)) as t:
        send_voice(t, duration=600)
        await t.wait_for_text(ANN, tx.md("I transcribe up to 5 minutes"))
        big = {**t.api.host_file(OGG, "big.oga"), "file_size": 30 * 1024 * 1024}
        t.send(updates.voice(ANN, big))
        await t.wait_for_text(ANN, tx.md("the bot can fetch files up to 20 MB"))
        assert not t.api.calls_of("getFile")
        t.api.fail("getFile", 400, description="Bad Request: invalid file_id")
        send_voice(t)
        await t.wait_for_text(ANN, tx.md("Telegram did not hand the recording over"))
        assert cloud.requests == []


async def test_a_voice_note_with_no_words_is_answered_plainly(
    tmp_path: Path, cloud: FakeCloud
) -> None:
    async with bot_under_test(tmp_path, RecordingRenderer(), transcriber=transcriber(cloud)) as t:
        cloud.heard = "   "
        send_voice(t)
        await t.wait_for_text(ANN, tx.md("I couldn't make out any words"))
        assert len(cloud.on("transcriptions")) == 1


async def test_without_a_transcriber_the_bot_asks_for_text(tmp_path: Path) -> None:
    async with bot_under_test(tmp_path, RecordingRenderer()) as t:
        assert t.bot.channel.transcriber is None
        send_voice(t)
        await t.wait_for_text(ANN, tx.md(tx.VOICE_TEXT))
        assert not t.api.calls_of("getFile")
