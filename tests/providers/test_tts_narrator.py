"""The narrator: the asked-for voice, else the next that works, and why, in the notes."""

from __future__ import annotations

from pathlib import Path

import pytest

from reelestate.core.errors import InvalidInputError
from reelestate.core.retry import RetryPolicy
from reelestate.core.settings import Settings
from reelestate.providers.tts.narrator import narrator_for, parse_voice_choice, provider_chain
from tests.providers.conftest import QUICK_RETRIES, SettingsFactory, Sleeps
from tests.providers.fakes.fake_elevenlabs import FakeElevenLabs
from tests.providers.fakes.fake_openai_speech import FakeOpenAiSpeech
from tests.providers.fakes.http_fake import Fault

TEXT = "Sunlit kitchen, three bedrooms and a quiet garden."
SPEECH = "/with-timestamps"


def test_chain_order() -> None:
    assert provider_chain("elevenlabs") == ["elevenlabs", "openai", "espeak"]
    assert provider_chain("openai") == ["openai", "elevenlabs", "espeak"]
    assert provider_chain("espeak") == ["espeak"]


def test_the_requested_voice_speaks_when_it_works(
    elevenlabs: FakeElevenLabs,
    openai_speech: FakeOpenAiSpeech,
    tts_settings: SettingsFactory,
    sleeps: Sleeps,
    tmp_path: Path,
) -> None:
    settings = tts_settings(elevenlabs=elevenlabs, openai=openai_speech)
    tts = narrator_for("elevenlabs", settings, policy=QUICK_RETRIES, sleep=sleeps)
    narration = tts.synthesize(TEXT, voice="Rachel", out_dir=tmp_path, model="eleven_flash_v2_5")
    assert narration.provider == "elevenlabs" and narration.requested_provider == "elevenlabs"
    assert narration.notes == ()
    assert elevenlabs.requests[-1].json()["model_id"] == "eleven_flash_v2_5"
    assert openai_speech.requests == []


def test_a_500_falls_back_to_openai_with_a_note(
    elevenlabs: FakeElevenLabs,
    openai_speech: FakeOpenAiSpeech,
    tts_settings: SettingsFactory,
    sleeps: Sleeps,
    tmp_path: Path,
) -> None:
    elevenlabs.faults = [Fault(status=500)] * 3
    settings = tts_settings(elevenlabs=elevenlabs, openai=openai_speech)
    tts = narrator_for("elevenlabs", settings, policy=QUICK_RETRIES, sleep=sleeps)
    narration = tts.synthesize(TEXT, voice="Rachel", out_dir=tmp_path, model="eleven_flash_v2_5")
    assert narration.provider == "openai" and narration.voice == "alloy"
    assert narration.requested_provider == "elevenlabs"
    assert narration.notes == (
        "ElevenLabs failed on its side (HTTP 500).",
        "The narration was spoken by OpenAI (voice alloy) instead of ElevenLabs.",
    )
    assert elevenlabs.count(SPEECH) == 3
    assert openai_speech.requests[0].json()["model"] == "gpt-4o-mini-tts", "its own model"
    assert [w.word for w in narration.words] == TEXT.split()


def test_a_timeout_falls_back_to_the_next_voice(
    elevenlabs: FakeElevenLabs,
    openai_speech: FakeOpenAiSpeech,
    tts_settings: SettingsFactory,
    sleeps: Sleeps,
    tmp_path: Path,
) -> None:
    openai_speech.faults = [Fault(delay_s=3.0)] * 2
    settings = tts_settings(elevenlabs=elevenlabs, openai=openai_speech, timeout=0.3)
    policy = RetryPolicy(attempts=2, base_delay_s=0.0, jitter=0.0)
    narration = narrator_for("openai", settings, policy=policy, sleep=sleeps).synthesize(
        TEXT, voice="nova", out_dir=tmp_path
    )
    assert narration.provider == "elevenlabs" and narration.requested_provider == "openai"
    assert narration.voice == settings.elevenlabs_voice
    assert "OpenAI did not answer within 0.3 s." in narration.notes
    assert len(openai_speech.requests) == 2


def test_a_rejected_key_falls_back_after_one_request(
    elevenlabs: FakeElevenLabs,
    openai_speech: FakeOpenAiSpeech,
    tts_settings: SettingsFactory,
    sleeps: Sleeps,
    tmp_path: Path,
) -> None:
    settings = tts_settings(
        elevenlabs=elevenlabs, openai=openai_speech, elevenlabs_key="el-revoked-key"
    )
    tts = narrator_for("elevenlabs", settings, policy=QUICK_RETRIES, sleep=sleeps)
    narration = tts.synthesize(TEXT, voice="Rachel", out_dir=tmp_path)
    assert narration.provider == "openai"
    assert narration.notes[0] == "ElevenLabs refused our credentials (HTTP 401)."
    assert not any("el-revoked-key" in note for note in narration.notes)
    assert len(elevenlabs.requests) == 1 and sleeps == []


def test_unconfigured_providers_are_skipped_down_to_espeak(
    tts_settings: SettingsFactory, tmp_path: Path
) -> None:
    narration = narrator_for("elevenlabs", tts_settings()).synthesize(
        TEXT, voice="Rachel", out_dir=tmp_path
    )
    assert narration.provider == "espeak" and narration.voice == "en-us"
    assert narration.requested_provider == "elevenlabs"
    assert narration.notes == (
        "ElevenLabs is not configured (ELEVENLABS_API_KEY is not set).",
        "OpenAI is not configured (OPENAI_API_KEY is not set).",
        "The narration was spoken by espeak-ng (voice en-us) instead of ElevenLabs.",
    )
    assert [w.word for w in narration.words] == TEXT.split()


def test_espeak_never_falls_forward_to_a_paid_voice(
    elevenlabs: FakeElevenLabs, tts_settings: SettingsFactory, tmp_path: Path
) -> None:
    tts = narrator_for("espeak", tts_settings(elevenlabs=elevenlabs))
    narration = tts.synthesize(TEXT, voice="en-gb-x-rp", out_dir=tmp_path)
    assert narration.provider == "espeak" and narration.voice == "en-gb-x-rp"
    assert narration.notes == () and elevenlabs.requests == []
    with pytest.raises(InvalidInputError, match="not installed"):
        tts.synthesize(TEXT, voice="xx-nowhere", out_dir=tmp_path)


def test_the_specs_default_voice_means_the_providers_default(
    elevenlabs: FakeElevenLabs, tts_settings: SettingsFactory, sleeps: Sleeps, tmp_path: Path
) -> None:
    settings = tts_settings(elevenlabs=elevenlabs)
    tts = narrator_for("elevenlabs", settings, policy=QUICK_RETRIES, sleep=sleeps)
    narration = tts.synthesize(TEXT, voice="en-us", out_dir=tmp_path)
    assert narration.provider == "elevenlabs" and narration.voice == settings.elevenlabs_voice
    assert elevenlabs.requests[-1].path.startswith(
        f"/v1/text-to-speech/{settings.elevenlabs_voice}"
    )


def test_an_unknown_voice_of_the_requested_provider_is_the_users_to_fix(
    elevenlabs: FakeElevenLabs,
    openai_speech: FakeOpenAiSpeech,
    tts_settings: SettingsFactory,
    sleeps: Sleeps,
    tmp_path: Path,
) -> None:
    settings = tts_settings(elevenlabs=elevenlabs, openai=openai_speech)
    with pytest.raises(InvalidInputError, match="no voice named 'Nobody'"):
        narrator_for("elevenlabs", settings, policy=QUICK_RETRIES, sleep=sleeps).synthesize(
            TEXT, voice="Nobody", out_dir=tmp_path
        )
    assert openai_speech.requests == []


def test_a_misconfigured_fallback_voice_is_skipped_with_a_note(
    elevenlabs: FakeElevenLabs,
    openai_speech: FakeOpenAiSpeech,
    tts_settings: SettingsFactory,
    sleeps: Sleeps,
    tmp_path: Path,
) -> None:
    openai_speech.faults = [Fault(status=500)] * 3
    settings = tts_settings(elevenlabs=elevenlabs, openai=openai_speech).model_copy(
        update={"elevenlabs_voice": "Nobody"}
    )
    narration = narrator_for("openai", settings, policy=QUICK_RETRIES, sleep=sleeps).synthesize(
        TEXT, voice="alloy", out_dir=tmp_path
    )
    assert narration.provider == "espeak"
    assert narration.notes[1].startswith("ElevenLabs has no voice named 'Nobody'")


def test_a_rerender_pays_once(
    elevenlabs: FakeElevenLabs, tts_settings: SettingsFactory, sleeps: Sleeps, tmp_path: Path
) -> None:
    settings = tts_settings(elevenlabs=elevenlabs)
    first = narrator_for("elevenlabs", settings, policy=QUICK_RETRIES, sleep=sleeps).synthesize(
        TEXT, voice="Sarah", out_dir=tmp_path
    )
    count = len(elevenlabs.requests)
    again = narrator_for("elevenlabs", settings, policy=QUICK_RETRIES, sleep=sleeps).synthesize(
        TEXT, voice="Sarah", out_dir=tmp_path
    )
    assert len(elevenlabs.requests) == count
    assert again.audio == first.audio and again.cost_usd == 0.0
    assert again.requested_provider == "elevenlabs" and again.notes == ()


@pytest.mark.parametrize(
    ("choice", "expected"),
    [
        ("elevenlabs:Rachel", ("elevenlabs", "Rachel")),
        ("ElevenLabs: George - Warm", ("elevenlabs", "George - Warm")),
        ("openai:nova", ("openai", "nova")),
        ("espeak:en-gb-x-rp", ("espeak", "en-gb-x-rp")),
        ("en-us", ("espeak", "en-us")),
        ("en-us+f3", ("espeak", "en-us+f3")),
        ("openai", ("openai", "alloy")),
        ("elevenlabs:", ("elevenlabs", "JBFqnCBsd6RMkjVDRZzb")),
    ],
)
def test_parse_voice_choice(choice: str, expected: tuple[str, str]) -> None:
    settings = Settings.model_validate({})
    assert parse_voice_choice(choice, settings) == expected


@pytest.mark.parametrize("choice", ["polly:Joanna", "   ", ":alloy"])
def test_parse_voice_choice_refuses_unknown_providers(choice: str) -> None:
    with pytest.raises(InvalidInputError) as caught:
        parse_voice_choice(choice)
    assert caught.value.hint


def test_text_espeak_cannot_speak_is_an_error_after_a_fallback(
    tts_settings: SettingsFactory, tmp_path: Path
) -> None:
    with pytest.raises(InvalidInputError, match="no words that can be spoken"):
        narrator_for("openai", tts_settings()).synthesize("— — —", voice="alloy", out_dir=tmp_path)
