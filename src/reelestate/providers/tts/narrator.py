"""Which voice speaks a narration: the one asked for, else the next that works.

A render must not fail because a paid voice is down, unconfigured or out of quota: the
narrator tries the requested provider, then ElevenLabs, OpenAI and finally the embedded
espeak-ng, each with its own default voice, and says in `Narration.notes` why the voice the
user chose was not used. Asking for espeak-ng never falls "forward" to a paid provider.
A user's own mistake (an unknown voice name, a text too long) is raised, not fallen back on.

Provider clients are imported when first needed, so an espeak-only render never loads them.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from pathlib import Path

from reelestate.core.errors import InvalidInputError, ProviderError, ProviderNotConfiguredError
from reelestate.core.retry import RetryPolicy
from reelestate.core.settings import Settings, get_settings
from reelestate.providers.tts.base import Narration, TextToSpeech, TtsProvider, VoiceStyle
from reelestate.providers.tts.espeak import EspeakTTS

logger = logging.getLogger(__name__)

FALLBACK_ORDER: tuple[TtsProvider, ...] = ("elevenlabs", "openai", "espeak")
LABELS: dict[str, str] = {"elevenlabs": "ElevenLabs", "openai": "OpenAI", "espeak": "espeak-ng"}
_PROVIDERS: dict[str, TtsProvider] = {
    "elevenlabs": "elevenlabs",
    "openai": "openai",
    "espeak": "espeak",
}
ESPEAK_DEFAULT_VOICE = "en-us"
"""Also the render spec's default voice: with a paid provider it means "that provider's default"."""


def default_voice(provider: TtsProvider, settings: Settings) -> str:
    """The voice a provider speaks with when none of its own was asked for."""
    if provider == "elevenlabs":
        return settings.elevenlabs_voice
    if provider == "openai":
        return settings.openai_tts_voice
    return ESPEAK_DEFAULT_VOICE


def parse_voice_choice(text: str, settings: Settings | None = None) -> tuple[TtsProvider, str]:
    """`elevenlabs:VOICE`, `openai:VOICE` or `espeak:VOICE`; a bare voice is espeak-ng's.

    A provider alone (`elevenlabs`, `openai:`) picks that provider's default voice.
    """
    choice = text.strip()
    if not choice:
        raise InvalidInputError("No voice was given.", hint="Write for example openai:alloy.")
    prefix, colon, voice = choice.partition(":")
    if colon:
        provider = _PROVIDERS.get(prefix.strip().lower())
        if provider is None:
            raise InvalidInputError(
                f"{prefix.strip()!r} is not a narration voice provider.",
                hint="Write elevenlabs:VOICE, openai:VOICE or espeak:VOICE "
                "(a voice on its own is an espeak-ng voice).",
            )
    elif choice.lower() in _PROVIDERS:
        provider, voice = _PROVIDERS[choice.lower()], ""
    else:
        provider, voice = "espeak", choice
    voice = voice.strip()
    return provider, voice or default_voice(provider, settings or get_settings())


def provider_chain(requested: TtsProvider) -> list[TtsProvider]:
    """The providers tried, in order, for a narration that asked for `requested`."""
    if requested == "espeak":
        return ["espeak"]
    return [requested, *(p for p in FALLBACK_ORDER if p != requested)]


VoiceFactory = Callable[[TtsProvider], TextToSpeech]


def _real_voices(
    settings: Settings, policy: RetryPolicy | None, sleep: Callable[[float], None]
) -> VoiceFactory:
    def make(provider: TtsProvider) -> TextToSpeech:
        if provider == "elevenlabs":
            from reelestate.providers.tts.elevenlabs import ElevenLabsTTS  # noqa: PLC0415

            return ElevenLabsTTS(settings, policy=policy, sleep=sleep)
        if provider == "openai":
            from reelestate.providers.tts.openai_tts import OpenAiTTS  # noqa: PLC0415

            return OpenAiTTS(settings, policy=policy, sleep=sleep)
        return EspeakTTS(library=settings.espeak_library)

    return make


class Narrator:
    """`TextToSpeech` that falls back along `provider_chain` and records why."""

    def __init__(self, requested: TtsProvider, settings: Settings, voices: VoiceFactory) -> None:
        self.name: str = requested
        self._requested = requested
        self._settings = settings
        self._make = voices
        self._engines: dict[TtsProvider, TextToSpeech | ProviderNotConfiguredError] = {}

    def _engine(self, provider: TtsProvider) -> TextToSpeech:
        if provider not in self._engines:
            try:
                self._engines[provider] = self._make(provider)
            except ProviderNotConfiguredError as exc:
                self._engines[provider] = exc
        engine = self._engines[provider]
        if isinstance(engine, ProviderNotConfiguredError):
            raise engine
        return engine

    def _voice_for(self, provider: TtsProvider, voice: str) -> str:
        if provider == self._requested and (provider == "espeak" or voice != ESPEAK_DEFAULT_VOICE):
            return voice
        return default_voice(provider, self._settings)

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
        """The first narration a provider of the chain manages, with the notes of the others."""
        notes: list[str] = []
        for provider in provider_chain(self._requested):
            label, asked = LABELS[provider], provider == self._requested
            spoken_voice = self._voice_for(provider, voice)
            try:
                narration = self._engine(provider).synthesize(
                    text,
                    voice=spoken_voice,
                    out_dir=out_dir,
                    rate=rate,
                    model=model if asked else None,
                    style=style,
                )
            except ProviderNotConfiguredError as exc:
                notes.append(exc.message)
                continue
            except ProviderError as exc:
                if provider == "espeak":
                    raise
                notes.append(exc.message)
                logger.warning("narration fell back from %s: %s", label, exc.message)
                continue
            except InvalidInputError as exc:
                if asked or provider == "espeak":
                    raise
                notes.append(exc.message)
                continue
            if not asked:
                notes.append(
                    f"The narration was spoken by {label} (voice {spoken_voice}) "
                    f"instead of {LABELS[self._requested]}."
                )
            return narration.model_copy(
                update={"requested_provider": self._requested, "notes": tuple(notes)}
            )
        raise ProviderError("No narration voice is available.")  # pragma: no cover


def narrator_for(
    provider: TtsProvider,
    settings: Settings | None = None,
    *,
    policy: RetryPolicy | None = None,
    sleep: Callable[[float], None] = time.sleep,
) -> TextToSpeech:
    """The voice for a narration that asked for `provider`, with fallbacks (see module doc)."""
    settings = settings or get_settings()
    return Narrator(provider, settings, _real_voices(settings, policy, sleep))
