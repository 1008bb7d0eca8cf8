"""The render's narration goes through the narrator: the spec's provider, model and style."""

from __future__ import annotations

from pathlib import Path

import pytest

from reelestate.core.settings import get_settings
from reelestate.render.soundtrack import _narration
from tests.providers.fakes import fake_elevenlabs
from tests.providers.fakes.fake_elevenlabs import FakeElevenLabs
from tests.render.helpers import small_spec

TEXT = "Three bedrooms and two baths. A bright kitchen."
NARRATION = {
    "text": TEXT,
    "provider": "elevenlabs",
    "voice": "Rachel",
    "model": "eleven_turbo_v2_5",
    "style": {"stability": 0.3},
}


@pytest.fixture
def no_provider_env(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    for name in ("ELEVENLABS_API_KEY", "ELEVENLABS_BASE_URL", "OPENAI_API_KEY", "OPENAI_BASE_URL"):
        monkeypatch.delenv(name, raising=False)
    get_settings.cache_clear()
    return monkeypatch


def test_the_specs_provider_model_and_style_are_used(
    no_provider_env: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    with FakeElevenLabs().running() as service:
        no_provider_env.setenv("ELEVENLABS_API_KEY", fake_elevenlabs.KEY)
        no_provider_env.setenv("ELEVENLABS_BASE_URL", service.base_url)
        get_settings.cache_clear()
        audio, words, _, duration, narration = _narration(
            small_spec(narration=NARRATION), tmp_path, None
        )
    assert narration is not None and narration.provider == "elevenlabs"
    assert audio == narration.audio and duration == narration.duration
    assert [w.word for w in words] == TEXT.split()
    body = service.requests[-1].json()
    assert body["model_id"] == "eleven_turbo_v2_5"
    assert body["voice_settings"] == {"stability": 0.3}


def test_an_unconfigured_provider_falls_back_to_espeak_with_notes(
    no_provider_env: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    *_, narration = _narration(small_spec(narration=NARRATION), tmp_path, None)
    assert narration is not None and narration.provider == "espeak"
    assert narration.requested_provider == "elevenlabs"
    assert "ELEVENLABS_API_KEY is not set" in narration.notes[0]
