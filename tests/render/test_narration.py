"""One question to the voice for both the fitting before a render and the engine's soundtrack."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from reelestate.providers.tts.base import Narration, VoiceStyle
from reelestate.render.narration import synthesize_narration
from reelestate.render.soundtrack import _narration
from reelestate.render.spec import NarrationRequest
from reelestate.tools.narration_fit import speak_and_fit
from tests.render.helpers import small_spec
from tests.tools.test_narration_fit import FixedLengthVoice

REQUEST = {
    "text": "Three bedrooms.",
    "provider": "openai",
    "voice": "nova",
    "model": "gpt-4o-mini-tts",
    "style": {"stability": 0.3},
    "rate": 1.2,
}


class RecordingVoice(FixedLengthVoice):
    def __init__(self) -> None:
        super().__init__(1.0)
        self.calls: list[dict[str, Any]] = []

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
        call = {"text": text, "voice": voice, "out_dir": out_dir, "rate": rate, "model": model}
        self.calls.append({**call, "style": style})
        return super().synthesize(
            text, voice=voice, out_dir=out_dir, rate=rate, model=model, style=style
        )


def test_the_request_is_spoken_into_the_narration_cache(tmp_path: Path) -> None:
    voice = RecordingVoice()
    request = NarrationRequest.model_validate(REQUEST)
    narration = synthesize_narration(request, tmp_path, voice)
    assert narration.audio.parent == tmp_path / "narration"
    call = voice.calls[0]
    assert call["out_dir"] == tmp_path / "narration"
    assert (call["text"], call["voice"], call["rate"], call["model"]) == (
        "Three bedrooms.",
        "nova",
        1.2,
        "gpt-4o-mini-tts",
    )
    assert call["style"] == request.style


def test_fitting_and_the_soundtrack_ask_the_same(tmp_path: Path) -> None:
    fitting, engine = RecordingVoice(), RecordingVoice()
    spec = small_spec(narration=REQUEST)
    speak_and_fit(spec, cache_dir=tmp_path, tts=fitting)
    _narration(spec, tmp_path, engine)
    assert fitting.calls == engine.calls
