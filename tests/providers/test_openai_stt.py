"""The OpenAI-compatible transcriber against a fake `/v1/audio/transcriptions` on 127.0.0.1."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import SecretStr

from reelestate.core.errors import (
    InvalidInputError,
    ProviderError,
    ProviderNotConfiguredError,
    ProviderRejectedError,
    ProviderTimeoutError,
)
from reelestate.core.retry import RetryPolicy
from reelestate.core.settings import Settings
from reelestate.providers.stt.factory import open_transcriber
from reelestate.providers.stt.openai_stt import OpenAITranscriber, status_error
from tests.support.fake_cloud import FakeCloud
from tests.support.services import free_port

KEY = "sk-stt-test-KEY-0000"
FAST = RetryPolicy(attempts=3, base_delay_s=0, max_delay_s=0)


def transcriber(
    base: str, *, model: str = "gpt-4o-mini-transcribe", timeout_s: float = 5.0
) -> OpenAITranscriber:
    return OpenAITranscriber(
        model=model,
        api_key=SecretStr(KEY),
        base_url=f"{base}/v1",
        timeout_s=timeout_s,
        policy=FAST,
    )


@pytest.fixture
def voice_note(tmp_path: Path) -> Path:
    path = tmp_path / "voice.ogg"
    path.write_bytes(b"OggS" + bytes(200))
    return path


def test_sends_the_audio_as_multipart_and_reads_the_text(voice_note: Path) -> None:
    with FakeCloud(openai_key=KEY) as cloud:
        cloud.heard = "  swap scenes two and three \n"
        result = transcriber(cloud.base).transcribe(voice_note)
    assert result.text == "swap scenes two and three"
    assert result.duration_s == 2.5
    assert result.language is None
    (request,) = cloud.on("transcriptions")
    assert request.headers["authorization"] == f"Bearer {KEY}"
    assert request.fields["model"] == "gpt-4o-mini-transcribe"
    assert request.fields["response_format"] == "json"
    assert "language" not in request.fields
    upload = request.files["file"]
    assert (upload.filename, upload.content_type) == ("voice.ogg", "audio/ogg")
    assert upload.data == voice_note.read_bytes()


def test_whisper_models_ask_for_duration_and_language(voice_note: Path) -> None:
    with FakeCloud(openai_key=KEY) as cloud:
        result = transcriber(cloud.base, model="whisper-1").transcribe(voice_note, language="de")
    assert (result.text, result.language, result.duration_s) == ("make it shorter", "de", 2.5)
    (request,) = cloud.on("transcriptions")
    assert request.fields["response_format"] == "verbose_json"
    assert request.fields["language"] == "de"


def test_server_errors_are_retried_by_our_policy(voice_note: Path) -> None:
    with FakeCloud(openai_key=KEY) as cloud:
        cloud.fail("transcriptions", 500)
        cloud.fail("transcriptions", 503)
        assert transcriber(cloud.base).transcribe(voice_note).text == "make it shorter"
        assert len(cloud.on("transcriptions")) == 3


def test_a_lasting_500_gives_up_after_the_policy(voice_note: Path) -> None:
    with FakeCloud(openai_key=KEY) as cloud:
        cloud.fail("transcriptions", 500, times=5)
        with pytest.raises(ProviderError) as caught:
            transcriber(cloud.base).transcribe(voice_note)
        assert len(cloud.on("transcriptions")) == 3
    assert caught.value.retryable
    assert "HTTP 500" in caught.value.message


def test_a_wrong_key_is_rejected_at_once_without_showing_it(voice_note: Path) -> None:
    with FakeCloud(openai_key="sk-the-right-one") as cloud:
        with pytest.raises(ProviderRejectedError) as caught:
            transcriber(cloud.base).transcribe(voice_note)
        assert len(cloud.on("transcriptions")) == 1
    assert "HTTP 401" in str(caught.value) and "OPENAI_API_KEY" in str(caught.value)
    assert KEY not in str(caught.value)


def test_a_server_without_the_endpoint_says_how_to_turn_it_off(voice_note: Path) -> None:
    with FakeCloud(openai_key=KEY) as cloud, pytest.raises(ProviderRejectedError) as caught:
        OpenAITranscriber(
            model="m", api_key=SecretStr(KEY), base_url=f"{cloud.base}/other", policy=FAST
        ).transcribe(voice_note)
    assert "REELESTATE_TRANSCRIBE_VOICE=false" in str(caught.value)


def test_unreachable_and_slow_servers(voice_note: Path) -> None:
    down = transcriber(f"http://127.0.0.1:{free_port()}")
    with pytest.raises(ProviderError, match="could not be reached") as caught:
        down.transcribe(voice_note)
    assert type(caught.value) is ProviderError
    with FakeCloud(openai_key=KEY) as cloud:
        cloud.delay_s = 1.0
        slow = transcriber(cloud.base, timeout_s=0.2)
        with pytest.raises(ProviderTimeoutError):
            slow.transcribe(voice_note)


def test_unusable_files_are_refused_before_any_request(tmp_path: Path) -> None:
    empty = tmp_path / "a.ogg"
    empty.write_bytes(b"")
    text = tmp_path / "a.txt"
    text.write_text("hello")
    huge = tmp_path / "big.mp3"
    with huge.open("wb") as fh:
        fh.truncate(26 * 1024 * 1024)
    with FakeCloud(openai_key=KEY) as cloud:
        stt = transcriber(cloud.base)
        for path, words in ((empty, "empty"), (text, "not an audio format"), (huge, "26 MB")):
            with pytest.raises(InvalidInputError, match=words):
                stt.transcribe(path)
        assert cloud.requests == []


def test_status_errors_keep_the_servers_wait() -> None:
    limited = status_error(429, "7")
    assert limited.retryable and limited.retry_after == 7.0
    assert status_error(502, "soon").retry_after is None
    refused = status_error(422)
    assert isinstance(refused, ProviderRejectedError) and "HTTP 422" in refused.message


def test_settings_decide_whether_there_is_a_transcriber() -> None:
    none = Settings(OPENAI_API_KEY=None, OPENAI_BASE_URL=None)
    assert open_transcriber(none) is None
    with pytest.raises(ProviderNotConfiguredError):
        OpenAITranscriber.from_settings(none)
    local = Settings(OPENAI_BASE_URL="http://127.0.0.1:9/v1", OPENAI_TRANSCRIBE_MODEL="whisper-1")
    found = open_transcriber(local)
    assert found is not None and found.name == "openai:whisper-1"
    off = Settings(OPENAI_API_KEY=KEY, REELESTATE_TRANSCRIBE_VOICE=False)
    assert open_transcriber(off) is None
