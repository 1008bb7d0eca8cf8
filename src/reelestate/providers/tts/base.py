"""What every narration voice returns, whichever provider made it."""

from __future__ import annotations

from pathlib import Path
from typing import Literal, Protocol

from pydantic import BaseModel, ConfigDict, Field, model_validator

TtsProvider = Literal["espeak", "elevenlabs", "openai"]


class VoiceStyle(BaseModel):
    """Provider voice settings (ElevenLabs' names); a provider ignores what it has no use for."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    stability: float | None = Field(default=None, ge=0, le=1)
    similarity_boost: float | None = Field(default=None, ge=0, le=1)
    style: float | None = Field(default=None, ge=0, le=1)
    use_speaker_boost: bool | None = None
    speed: float | None = Field(default=None, ge=0.7, le=1.2)


class WordTiming(BaseModel):
    """One spoken word and when it is heard, in seconds from the start of the audio."""

    model_config = ConfigDict(frozen=True)

    word: str = Field(min_length=1, max_length=200)
    start: float = Field(ge=0)
    end: float = Field(ge=0)

    @model_validator(mode="after")
    def _ordered(self) -> WordTiming:
        if self.end < self.start:
            raise ValueError(
                f"word {self.word!r} ends ({self.end}) before it starts ({self.start})"
            )
        return self


class Narration(BaseModel):
    """A narration audio file with per-word timings; the captions are cut from these."""

    model_config = ConfigDict(frozen=True)

    audio: Path
    words: list[WordTiming]
    duration: float = Field(gt=0)
    provider: str
    voice: str
    words_per_minute: float | None = None
    cost_usd: float = Field(default=0.0, ge=0)
    """What this call paid the provider; 0 for the embedded voice and for a cache hit."""
    requested_provider: str | None = None
    """The provider that was asked for, when a narrator chose one; differs from `provider`
    after a fallback."""
    notes: tuple[str, ...] = ()
    """Why a fallback happened, worded for the user; never a key or a raw service reply."""


class TextToSpeech(Protocol):
    """A narration voice: text in, audio file and word timings out."""

    name: str

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
        """Speak `text` into a WAV under `out_dir`; `rate` 1.0 is the voice's natural pace.

        `model` picks the provider's model (`None`: its default); `style` is applied as far
        as the provider supports it and ignored otherwise.
        """
        ...
