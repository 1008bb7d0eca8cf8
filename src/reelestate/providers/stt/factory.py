"""Which speech-to-text service this installation uses, if any.

There is no embedded transcriber: without an OpenAI-compatible server the channels ask for
typed text instead.
"""

from __future__ import annotations

from reelestate.core.settings import Settings
from reelestate.providers.stt.base import Transcriber
from reelestate.providers.stt.openai_stt import OpenAITranscriber, transcription_configured


def open_transcriber(settings: Settings) -> Transcriber | None:
    """The OpenAI-compatible transcriber when a server is configured and transcription is on."""
    if not settings.transcribe_voice or not transcription_configured(settings):
        return None
    return OpenAITranscriber.from_settings(settings)
