"""ElevenLabs through its real SDK against a local fake of its API."""

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
from reelestate.providers.tts.elevenlabs import ElevenLabsTTS, voice_settings
from tests.providers.conftest import QUICK_RETRIES, SettingsFactory, Sleeps
from tests.providers.fakes.fake_elevenlabs import KEY, FakeElevenLabs
from tests.providers.fakes.http_fake import Fault

TEXT = (
    "Welcome home to 42 Maple Drive, priced at $585,000. "
    "Sunlit kitchen, three bedrooms and a quiet garden!"
)
RACHEL = "21m00Tcm4TlvDq8ikWAM"
SPEECH = "/with-timestamps"


def voice(
    settings: SettingsFactory, fake: FakeElevenLabs, sleeps: Sleeps, **kw: object
) -> ElevenLabsTTS:
    return ElevenLabsTTS(settings(elevenlabs=fake, **kw), policy=QUICK_RETRIES, sleep=sleeps)


def test_speaks_with_word_timings_from_the_character_alignment(
    elevenlabs: FakeElevenLabs, tts_settings: SettingsFactory, sleeps: Sleeps, tmp_path: Path
) -> None:
    tts: TextToSpeech = voice(tts_settings, elevenlabs, sleeps)
    narration = tts.synthesize(TEXT, voice=RACHEL, out_dir=tmp_path)

    assert [w.word for w in narration.words] == TEXT.split()
    truth = elevenlabs.truth[-1]
    for word, start in zip(narration.words, truth.word_starts, strict=True):
        assert abs(word.start - start) <= 0.080, word
    assert all(w.start < w.end for w in narration.words)
    with wave.open(str(narration.audio), "rb") as wav:
        assert wav.getframerate() == 24_000
        assert wav.getnframes() == len(truth.samples)
    assert narration.duration == pytest.approx(len(truth.samples) / 24_000)
    assert narration.provider == "elevenlabs" and narration.voice == RACHEL
    assert narration.cost_usd == pytest.approx(len(TEXT) / 1000 * 0.10)
    assert narration.audio.with_suffix(".json").is_file()

    (request,) = [r for r in elevenlabs.requests if SPEECH in r.path]
    assert request.path == f"/v1/text-to-speech/{RACHEL}/with-timestamps"
    assert request.query["output_format"] == "pcm_24000"
    assert request.headers["xi-api-key"] == KEY
    assert request.json() == {"text": TEXT, "model_id": "eleven_multilingual_v2"}
    assert elevenlabs.count("/v2/voices") == 0, "a voice id needs no lookup"


def test_style_model_and_rate_reach_the_request(
    elevenlabs: FakeElevenLabs, tts_settings: SettingsFactory, sleeps: Sleeps, tmp_path: Path
) -> None:
    style = VoiceStyle(stability=0.4, similarity_boost=0.8, style=0.1, use_speaker_boost=True)
    tts = voice(tts_settings, elevenlabs, sleeps)
    narration = tts.synthesize(
        "Open house on Sunday.",
        voice=RACHEL,
        out_dir=tmp_path,
        rate=1.1,
        model="eleven_turbo_v2_5",
        style=style,
    )
    body = elevenlabs.requests[-1].json()
    assert body["model_id"] == "eleven_turbo_v2_5"
    assert body["voice_settings"] == {
        "stability": 0.4,
        "similarity_boost": 0.8,
        "style": 0.1,
        "use_speaker_boost": True,
        "speed": 1.1,
    }
    assert [w.word for w in narration.words] == ["Open", "house", "on", "Sunday."]


def test_speed_is_clamped_to_what_elevenlabs_accepts() -> None:
    assert voice_settings(None, 1.0) is None
    fast = voice_settings(None, 2.0)
    assert fast is not None and fast.speed == 1.2
    slow = voice_settings(VoiceStyle(speed=0.8), 0.5)
    assert slow is not None and slow.speed == 0.7
    neutral = voice_settings(VoiceStyle(stability=0.5, speed=1.0), 1.0)
    assert neutral is not None and neutral.speed is None and neutral.stability == 0.5


def test_voice_names_are_resolved_through_the_voice_list_once(
    elevenlabs: FakeElevenLabs, tts_settings: SettingsFactory, sleeps: Sleeps, tmp_path: Path
) -> None:
    tts = voice(tts_settings, elevenlabs, sleeps)
    tts.synthesize("Bright rooms.", voice="rachel", out_dir=tmp_path)
    tts.synthesize("Quiet street.", voice="George", out_dir=tmp_path)
    tts.synthesize("Big garden.", voice="Sarah", out_dir=tmp_path)
    paths = [r.path for r in elevenlabs.requests if SPEECH in r.path]
    assert paths == [
        f"/v1/text-to-speech/{RACHEL}/with-timestamps",
        "/v1/text-to-speech/JBFqnCBsd6RMkjVDRZzb/with-timestamps",
        "/v1/text-to-speech/EXAVITQu4vr4xnSDxMaL/with-timestamps",
    ]
    assert elevenlabs.count("/v2/voices") == 2, "two pages of voices, fetched once"
    with pytest.raises(InvalidInputError, match="no voice named 'Bob'") as caught:
        tts.synthesize("Big garden.", voice="Bob", out_dir=tmp_path)
    assert "rachel" in (caught.value.hint or "")
    assert elevenlabs.count("/v2/voices") == 2


def test_a_second_identical_narration_comes_from_the_cache(
    elevenlabs: FakeElevenLabs, tts_settings: SettingsFactory, sleeps: Sleeps, tmp_path: Path
) -> None:
    first = voice(tts_settings, elevenlabs, sleeps).synthesize(
        TEXT, voice="Rachel", out_dir=tmp_path
    )
    before = len(elevenlabs.requests)
    again = voice(tts_settings, elevenlabs, sleeps).synthesize(
        TEXT, voice="Rachel", out_dir=tmp_path
    )
    assert len(elevenlabs.requests) == before, "a cache hit sends nothing, not even a lookup"
    assert again.audio == first.audio and again.words == first.words
    assert first.cost_usd > 0 and again.cost_usd == 0.0
    voice(tts_settings, elevenlabs, sleeps).synthesize(
        TEXT, voice="Rachel", out_dir=tmp_path, rate=1.1
    )
    assert elevenlabs.count(SPEECH) == 2, "another rate is another narration"


def test_a_429_is_retried_after_the_time_the_service_asks_for(
    elevenlabs: FakeElevenLabs, tts_settings: SettingsFactory, sleeps: Sleeps, tmp_path: Path
) -> None:
    elevenlabs.faults = [Fault(status=429, retry_after="1.5")]
    narration = voice(tts_settings, elevenlabs, sleeps).synthesize(
        "Open house.", voice=RACHEL, out_dir=tmp_path
    )
    assert elevenlabs.count(SPEECH) == 2
    assert sleeps == [1.5]
    assert [w.word for w in narration.words] == ["Open", "house."]


def test_server_errors_are_retried_by_our_policy_only(
    elevenlabs: FakeElevenLabs, tts_settings: SettingsFactory, sleeps: Sleeps, tmp_path: Path
) -> None:
    elevenlabs.faults = [Fault(status=500)] * 5
    tts = voice(tts_settings, elevenlabs, sleeps)
    with pytest.raises(ProviderError, match=r"HTTP 500") as caught:
        tts.synthesize("Open house.", voice=RACHEL, out_dir=tmp_path)
    assert caught.value.retryable
    assert elevenlabs.count(SPEECH) == 3, "three attempts, none added by the SDK"
    assert len(sleeps) == 2


def test_a_bad_key_is_rejected_without_a_retry(
    elevenlabs: FakeElevenLabs, tts_settings: SettingsFactory, sleeps: Sleeps, tmp_path: Path
) -> None:
    wrong = "el-wrong-key-9999"
    tts = voice(tts_settings, elevenlabs, sleeps, elevenlabs_key=wrong)
    with pytest.raises(ProviderRejectedError) as caught:
        tts.synthesize("Open house.", voice=RACHEL, out_dir=tmp_path)
    assert "HTTP 401" in caught.value.message
    assert caught.value.hint == "Check ELEVENLABS_API_KEY."
    assert wrong not in str(caught.value)
    assert elevenlabs.count(SPEECH) == 1 and sleeps == []


def test_a_service_slower_than_the_timeout_is_a_timeout(
    elevenlabs: FakeElevenLabs, tts_settings: SettingsFactory, sleeps: Sleeps, tmp_path: Path
) -> None:
    elevenlabs.faults = [Fault(delay_s=3.0), Fault(delay_s=3.0)]
    tts = ElevenLabsTTS(
        tts_settings(elevenlabs=elevenlabs, timeout=0.3),
        policy=RetryPolicy(attempts=2, base_delay_s=0.0, jitter=0.0),
        sleep=sleeps,
    )
    with pytest.raises(ProviderTimeoutError, match=r"within 0\.3 s"):
        tts.synthesize("Open house.", voice=RACHEL, out_dir=tmp_path)
    assert elevenlabs.count(SPEECH) == 2


def test_an_unknown_voice_id_is_refused(
    elevenlabs: FakeElevenLabs, tts_settings: SettingsFactory, sleeps: Sleeps, tmp_path: Path
) -> None:
    with pytest.raises(ProviderRejectedError, match=r"HTTP 404.*voice with that id"):
        voice(tts_settings, elevenlabs, sleeps).synthesize(
            "Hello.", voice="AAAAAAAAAAAAAAAAAAAA", out_dir=tmp_path
        )


def test_no_key_means_not_configured(tts_settings: SettingsFactory) -> None:
    with pytest.raises(ProviderNotConfiguredError, match="ELEVENLABS_API_KEY is not set"):
        ElevenLabsTTS(tts_settings())


def test_unreachable_service_is_a_retryable_error(
    tts_settings: SettingsFactory, sleeps: Sleeps, tmp_path: Path
) -> None:
    with FakeElevenLabs().running() as gone:
        settings = tts_settings(elevenlabs=gone)
    tts = ElevenLabsTTS(settings, policy=QUICK_RETRIES, sleep=sleeps)
    with pytest.raises(ProviderError, match="could not be reached") as caught:
        tts.synthesize("Hello.", voice=RACHEL, out_dir=tmp_path)
    assert caught.value.retryable and len(sleeps) == 2


def test_empty_or_oversized_text_is_refused(
    elevenlabs: FakeElevenLabs, tts_settings: SettingsFactory, sleeps: Sleeps, tmp_path: Path
) -> None:
    tts = voice(tts_settings, elevenlabs, sleeps)
    for text in ("   ", "word " * 1001):
        with pytest.raises(InvalidInputError):
            tts.synthesize(text, voice=RACHEL, out_dir=tmp_path)
    assert elevenlabs.requests == []


@pytest.mark.parametrize(
    ("payload", "error"),
    [
        ({"audio_base64": "@@not base64@@", "alignment": None}, "could not decode"),
        ({"audio_base64": "", "alignment": None}, "no audio or no timings"),
        ({"no_audio": True}, "could not read"),
        (
            {
                "audio_base64": "AAAAAA==",
                "alignment": {
                    "characters": ["x"],
                    "character_start_times_seconds": [0.0],
                    "character_end_times_seconds": [0.1],
                },
            },
            "match none of the words",
        ),
    ],
)
def test_a_reply_that_cannot_be_used_is_a_provider_error(
    elevenlabs: FakeElevenLabs,
    tts_settings: SettingsFactory,
    sleeps: Sleeps,
    tmp_path: Path,
    payload: object,
    error: str,
) -> None:
    elevenlabs.faults = [Fault(status=200, payload=payload)]
    tts = ElevenLabsTTS(
        tts_settings(elevenlabs=elevenlabs), policy=RetryPolicy(attempts=1), sleep=sleeps
    )
    with pytest.raises(ProviderError, match=error):
        tts.synthesize("Hello there.", voice=RACHEL, out_dir=tmp_path)
