"""What a speech-to-text service does for us: an audio file in, its words out."""

from __future__ import annotations

from pathlib import Path
from typing import Protocol

from pydantic import BaseModel, ConfigDict, Field

MB = 1024 * 1024
AUDIO_TYPES = {
    "audio/ogg": ".ogg",
    "audio/opus": ".ogg",
    "audio/mpeg": ".mp3",
    "audio/mp3": ".mp3",
    "audio/mp4": ".m4a",
    "audio/x-m4a": ".m4a",
    "audio/m4a": ".m4a",
    "audio/aac": ".m4a",
    "audio/wav": ".wav",
    "audio/x-wav": ".wav",
    "audio/wave": ".wav",
    "audio/flac": ".flac",
    "audio/x-flac": ".flac",
    "audio/webm": ".webm",
}
"""Audio types the transcription servers accept, with the file suffix they identify it by
(they go by the name: an Opus voice note named `.oga` is refused, the same bytes as `.ogg` are
read)."""
AUDIO_SUFFIXES = frozenset(AUDIO_TYPES.values()) | {".mpga", ".mpeg", ".mp4"}


class Transcript(BaseModel):
    """The words heard in one audio file."""

    model_config = ConfigDict(frozen=True)

    text: str
    language: str | None = None
    """The spoken language as the service reports it (or as it was asked for), when known."""
    duration_s: float | None = Field(default=None, ge=0)
    """Length of the audio in seconds, when the service reports it."""


class Transcriber(Protocol):
    """Turns speech into text; failures raise `ProviderError`s with a message safe to show."""

    name: str

    def transcribe(self, audio: Path, *, language: str | None = None) -> Transcript:
        """The words in `audio`; `language` (ISO 639-1, e.g. "en") skips detection when known."""
        ...
