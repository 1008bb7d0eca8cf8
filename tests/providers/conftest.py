"""Fixtures for the narration voices: fake services and settings that point at them."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from pydantic import SecretStr

from reelestate.core.retry import RetryPolicy
from reelestate.core.settings import Settings
from tests.providers.fakes import fake_elevenlabs, fake_openai_speech
from tests.providers.fakes.fake_elevenlabs import FakeElevenLabs
from tests.providers.fakes.fake_openai_speech import FakeOpenAiSpeech

_PROVIDER_ENV = (
    "ELEVENLABS_API_KEY",
    "ELEVENLABS_BASE_URL",
    "OPENAI_API_KEY",
    "OPENAI_BASE_URL",
    "REELESTATE_TTS_TIMEOUT",
    "REELESTATE_TTS_ATTEMPTS",
)

QUICK_RETRIES = RetryPolicy(attempts=3, base_delay_s=0.0, jitter=0.0)


class Sleeps(list[float]):
    """Records the waits the retry policy asks for, instead of waiting."""

    def __call__(self, seconds: float) -> None:
        self.append(seconds)


@pytest.fixture
def sleeps() -> Sleeps:
    return Sleeps()


@pytest.fixture
def elevenlabs() -> Iterator[FakeElevenLabs]:
    with FakeElevenLabs().running() as service:
        yield service


@pytest.fixture
def openai_speech() -> Iterator[FakeOpenAiSpeech]:
    with FakeOpenAiSpeech().running("/v1") as service:
        yield service


SettingsFactory = Callable[..., Settings]


@pytest.fixture
def tts_settings(monkeypatch: pytest.MonkeyPatch) -> SettingsFactory:
    """Settings with only what a test names: `elevenlabs=`/`openai=` fakes, `timeout=`, keys."""
    for name in _PROVIDER_ENV:
        monkeypatch.delenv(name, raising=False)

    def make(
        *,
        elevenlabs: FakeElevenLabs | None = None,
        openai: FakeOpenAiSpeech | None = None,
        timeout: float = 30.0,
        elevenlabs_key: str = fake_elevenlabs.KEY,
        openai_key: str | None = fake_openai_speech.KEY,
    ) -> Settings:
        values: dict[str, object] = {"REELESTATE_TTS_TIMEOUT": timeout}
        if elevenlabs is not None:
            values["ELEVENLABS_API_KEY"] = SecretStr(elevenlabs_key)
            values["ELEVENLABS_BASE_URL"] = elevenlabs.base_url
        if openai is not None:
            values["OPENAI_BASE_URL"] = openai.base_url
            if openai_key is not None:
                values["OPENAI_API_KEY"] = SecretStr(openai_key)
        return Settings.model_validate(values)

    return make
