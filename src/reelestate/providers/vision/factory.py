"""Which photo analyser this installation uses."""

from __future__ import annotations

from reelestate.core.settings import Settings
from reelestate.providers.vision.base import PhotoAnalyser
from reelestate.providers.vision.embedded import EmbeddedPhotoAnalyser


def get_photo_analyser(settings: Settings) -> PhotoAnalyser:
    """The LLM vision analyser when an OpenAI key is set, the embedded one otherwise."""
    embedded = EmbeddedPhotoAnalyser()
    if settings.openai_api_key is None or not settings.openai_api_key.get_secret_value():
        return embedded
    from reelestate.providers.vision.llm import LLMPhotoAnalyser  # noqa: PLC0415 - heavy client

    return LLMPhotoAnalyser.from_settings(settings, fallback=embedded)
