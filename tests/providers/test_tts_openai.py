"""OpenAI speech through the real `openai` client against a local fake of `/v1/audio/speech`."""

from __future__ import annotations

import wave
from pathlib import Path

import pytest

from reelestate.core.errors import (
    InvalidInputError,
    ProviderError,
    ProviderNotConfiguredError,
    ProviderRejectedError,
    ProviderTimeoutError,
)
from reelestate.core.retry import RetryPolicy
from reelestate.providers.tts.base import TextToSpeech, VoiceStyle
from reelestate.providers.tts.openai_tts import OpenAiTTS
from tests.providers.conftest import QUICK_RETRIES, SettingsFactory, Sleeps
from tests.providers.fakes.fake_openai_speech import KEY, SAMPLE_RATE, FakeOpenAiSpeech
from tests.providers.fakes.http_fake import Fault

TEXT = (
    "Welcome home to 42 Maple Drive, priced at $585,000. Sunlit kitchen, three bedrooms "
    "and a quiet garden. The open plan living room flows onto a deck, perfect for summer "
    "evenings. Book your visit today!"
)
TOLERANCE_S = 0.080


def voice(
    settings: SettingsFactory, fake: FakeOpenAiSpeech, sleeps: Sleeps, **kw: object
) -> OpenAiTTS:
    return OpenAiTTS(settings(openai=fake, **kw), policy=QUICK_RETRIES, sleep=sleeps)


def test_every_word_start_is_found_within_80_ms_by_forced_alignment(
    openai_speech: FakeOpenAiSpeech, tts_settings: SettingsFactory, sleeps: Sleeps, tmp_path: Path
) -> None:
    tts: TextToSpeech = voice(tts_settings, openai_speech, sleeps)
    narration = tts.synthesize(TEXT, voice="alloy", out_dir=tmp_path)

    assert [w.word for w in narration.words] == TEXT.split()
    truth = openai_speech.truth[-1]
    errors = [w.start - t for w, t in zip(narration.words, truth.word_starts, strict=True)]
    assert max(abs(e) for e in errors) <= TOLERANCE_S, errors
    starts = [w.start for w in narration.words]
    assert starts == sorted(starts)
    assert all(0 <= w.start <= w.end <= narration.duration for w in narration.words)
    with wave.open(str(narration.audio), "rb") as wav:
        assert wav.getframerate() == SAMPLE_RATE
        assert wav.getnframes() == len(truth.samples), "a streamed header's sizes are not trusted"
    assert narration.provider == "openai" and narration.voice == "alloy"
    assert narration.cost_usd == pytest.approx(len(TEXT) / 1e6 * 15.0)

    (request,) = openai_speech.requests
    assert request.headers["authorization"] == f"Bearer {KEY}"
    assert request.json() == {
        "model": "gpt-4o-mini-tts",
        "voice": "alloy",
        "input": TEXT,
        "response_format": "wav",
    }


def test_rate_style_speed_and_model_reach_the_request(
    openai_speech: FakeOpenAiSpeech, tts_settings: SettingsFactory, sleeps: Sleeps, tmp_path: Path
) -> None:
    tts = voice(tts_settings, openai_speech, sleeps)
    text = "Sunlit kitchen and a quiet garden."
    narration = tts.synthesize(
        text, voice="nova", out_dir=tmp_path, rate=1.2, model="tts-1", style=VoiceStyle(speed=0.9)
    )
    body = openai_speech.requests[-1].json()
    assert body["model"] == "tts-1" and body["voice"] == "nova"
    assert body["speed"] == pytest.approx(1.08)
    truth = openai_speech.truth[-1]
    for word, start in zip(narration.words, truth.word_starts, strict=True):
        assert abs(word.start - start) <= TOLERANCE_S, word


def test_a_second_identical_narration_comes_from_the_cache(
    openai_speech: FakeOpenAiSpeech, tts_settings: SettingsFactory, sleeps: Sleeps, tmp_path: Path
) -> None:
    first = voice(tts_settings, openai_speech, sleeps).synthesize(
        "Open house on Sunday.", voice="alloy", out_dir=tmp_path
    )
    again = voice(tts_settings, openai_speech, sleeps).synthesize(
        "Open house on Sunday.", voice="alloy", out_dir=tmp_path
    )
    assert len(openai_speech.requests) == 1
    assert again.audio == first.audio and again.words == first.words
    assert again.cost_usd == 0.0 < first.cost_usd


def test_a_429_is_retried_after_the_time_the_service_asks_for(
    openai_speech: FakeOpenAiSpeech, tts_settings: SettingsFactory, sleeps: Sleeps, tmp_path: Path
) -> None:
    openai_speech.faults = [Fault(status=429, retry_after="2")]
    narration = voice(tts_settings, openai_speech, sleeps).synthesize(
        "Open house.", voice="alloy", out_dir=tmp_path
    )
    assert len(openai_speech.requests) == 2 and sleeps == [2.0]
    assert [w.word for w in narration.words] == ["Open", "house."]


def test_a_bad_key_is_rejected_without_a_retry(
    openai_speech: FakeOpenAiSpeech, tts_settings: SettingsFactory, sleeps: Sleeps, tmp_path: Path
) -> None:
    wrong = "sk-wrong-key-9999"
    tts = voice(tts_settings, openai_speech, sleeps, openai_key=wrong)
    with pytest.raises(ProviderRejectedError) as caught:
        tts.synthesize("Open house.", voice="alloy", out_dir=tmp_path)
    assert "HTTP 401" in caught.value.message and caught.value.hint == "Check OPENAI_API_KEY."
    assert wrong not in str(caught.value)
    assert len(openai_speech.requests) == 1 and sleeps == []


def test_server_errors_and_timeouts_are_retried_then_raised(
    openai_speech: FakeOpenAiSpeech, tts_settings: SettingsFactory, sleeps: Sleeps, tmp_path: Path
) -> None:
    openai_speech.faults = [Fault(status=503)] * 3
    with pytest.raises(ProviderError, match=r"HTTP 503"):
        voice(tts_settings, openai_speech, sleeps).synthesize(
            "Open house.", voice="alloy", out_dir=tmp_path
        )
    assert len(openai_speech.requests) == 3

    openai_speech.faults = [Fault(delay_s=3.0)] * 2
    slow = OpenAiTTS(
        tts_settings(openai=openai_speech, timeout=0.3),
        policy=RetryPolicy(attempts=2, base_delay_s=0.0, jitter=0.0),
        sleep=sleeps,
    )
    with pytest.raises(ProviderTimeoutError):
        slow.synthesize("Open house.", voice="alloy", out_dir=tmp_path)
    assert len(openai_speech.requests) == 5


def test_a_local_server_needs_only_a_base_url(
    tts_settings: SettingsFactory, sleeps: Sleeps, tmp_path: Path
) -> None:
    with FakeOpenAiSpeech(key="not-needed").running("/v1") as local:
        tts = voice(tts_settings, local, sleeps, openai_key=None)
        narration = tts.synthesize("Quiet street.", voice="alloy", out_dir=tmp_path)
    assert [w.word for w in narration.words] == ["Quiet", "street."]


def test_not_configured_without_key_or_url(tts_settings: SettingsFactory) -> None:
    with pytest.raises(ProviderNotConfiguredError, match="OPENAI_API_KEY is not set"):
        OpenAiTTS(tts_settings())


def test_text_over_the_input_limit_is_refused(
    openai_speech: FakeOpenAiSpeech, tts_settings: SettingsFactory, sleeps: Sleeps, tmp_path: Path
) -> None:
    with pytest.raises(InvalidInputError, match="4096"):
        voice(tts_settings, openai_speech, sleeps).synthesize(
            "word " * 900, voice="alloy", out_dir=tmp_path
        )
    assert openai_speech.requests == []


def test_a_reply_that_is_not_a_wav_is_a_provider_error(
    openai_speech: FakeOpenAiSpeech, tts_settings: SettingsFactory, sleeps: Sleeps, tmp_path: Path
) -> None:
    openai_speech.faults = [Fault(status=200, payload={"audio": "none"})]
    tts = OpenAiTTS(
        tts_settings(openai=openai_speech), policy=RetryPolicy(attempts=1), sleep=sleeps
    )
    with pytest.raises(ProviderError, match="not a WAV file"):
        tts.synthesize("Hello there.", voice="alloy", out_dir=tmp_path)


def test_an_unreachable_server_is_a_retryable_error(
    tts_settings: SettingsFactory, sleeps: Sleeps, tmp_path: Path
) -> None:
    with FakeOpenAiSpeech().running("/v1") as gone:
        settings = tts_settings(openai=gone)
    with pytest.raises(ProviderError, match="could not be reached") as caught:
        OpenAiTTS(settings, policy=QUICK_RETRIES, sleep=sleeps).synthesize(
            "Hello.", voice="alloy", out_dir=tmp_path
        )
    assert caught.value.retryable and len(sleeps) == 2
