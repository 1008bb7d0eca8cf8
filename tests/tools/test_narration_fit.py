from __future__ import annotations

import wave
from pathlib import Path

import pytest

from reelestate.core.errors import InvalidSpecError
from reelestate.core.settings import get_settings
from reelestate.providers.tts.base import Narration, VoiceStyle, WordTiming
from reelestate.tools.narration_fit import fit_to_narration, required_scene_seconds, stretch_scenes
from tests.providers.fakes import fake_openai_speech
from tests.providers.fakes.fake_openai_speech import FakeOpenAiSpeech
from tests.render.helpers import small_spec


class FixedLengthVoice:
    """A voice that always speaks for `seconds`: enough to test the fitting arithmetic."""

    name = "fixed"

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds

    def synthesize(
        self,
        text: str,
        *,
        voice: str,
        out_dir: Path,
        rate: float = 1.0,
        model: str | None = None,
        style: VoiceStyle | None = None,
    ) -> Narration:
        out_dir.mkdir(parents=True, exist_ok=True)
        path = out_dir / "fixed.wav"
        with wave.open(str(path), "wb") as wav:
            wav.setnchannels(1)
            wav.setsampwidth(2)
            wav.setframerate(16000)
            wav.writeframes(b"\0\0" * int(16000 * self.seconds))
        words = [
            WordTiming(word=w, start=i * 0.5, end=i * 0.5 + 0.4) for i, w in enumerate(text.split())
        ]
        return Narration(
            audio=path, words=words, duration=self.seconds, provider="fixed", voice=voice
        )


def test_short_narration_leaves_scenes_alone(tmp_path: Path) -> None:
    spec = small_spec()
    fitted = fit_to_narration(spec, tts=FixedLengthVoice(3.0), cache_dir=tmp_path)
    assert [s.duration for s in fitted.scenes] == [s.duration for s in spec.scenes]
    assert fitted.voice is not None and fitted.narration is None
    assert fitted.voice.offset == spec.narration.offset  # type: ignore[union-attr]


def test_long_narration_stretches_scenes_evenly(tmp_path: Path) -> None:
    spec = small_spec()
    fitted = fit_to_narration(spec, tts=FixedLengthVoice(12.0), cache_dir=tmp_path)
    total = sum(s.duration for s in fitted.scenes)
    assert total == pytest.approx(required_scene_seconds(spec, 12.0, 0.3), abs=0.01)
    ratios = {
        round(a.duration / b.duration, 3) for a, b in zip(fitted.scenes, spec.scenes, strict=True)
    }
    assert len(ratios) == 1


def test_narration_too_long_for_any_scene_length_is_refused() -> None:
    with pytest.raises(InvalidSpecError, match="cannot fill it"):
        stretch_scenes(small_spec(), 200.0)


def test_spec_with_a_voice_track_is_returned_unchanged(tmp_path: Path) -> None:
    spec = small_spec(narration=None)
    assert fit_to_narration(spec, tts=FixedLengthVoice(50.0), cache_dir=tmp_path) is spec


def test_the_narration_is_spoken_by_the_specs_provider(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    for name in ("ELEVENLABS_API_KEY", "ELEVENLABS_BASE_URL", "OPENAI_API_KEY"):
        monkeypatch.delenv(name, raising=False)
    narration = {"text": "Three bedrooms and two baths.", "provider": "openai", "voice": "nova"}
    with FakeOpenAiSpeech().running("/v1") as service:
        monkeypatch.setenv("OPENAI_API_KEY", fake_openai_speech.KEY)
        monkeypatch.setenv("OPENAI_BASE_URL", service.base_url)
        get_settings.cache_clear()
        fitted = fit_to_narration(small_spec(narration=narration), cache_dir=tmp_path)
    assert fitted.voice is not None and fitted.voice.audio.name.startswith("openai-")
    assert [w.word for w in fitted.voice.words] == narration["text"].split()
    assert service.requests[-1].json()["voice"] == "nova"
