"""OpenAI (or an OpenAI-compatible local server) narration, word-timed by forced alignment.

`audio.speech.create` returns audio only. The same text is spoken by espeak-ng, whose word
timings are known, and those are carried over onto OpenAI's audio (`forced_alignment`).
The client's own retries are off (`max_retries=0`); our `RetryPolicy` decides.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import TypeVar

import openai
from openai import OpenAI, omit

from reelestate.core.errors import InvalidInputError, ProviderError, ProviderNotConfiguredError
from reelestate.core.metrics import provider_call
from reelestate.core.retry import RetryPolicy, retry_sync
from reelestate.core.settings import Settings, get_settings
from reelestate.providers.tts.audio_io import decode_wav
from reelestate.providers.tts.base import Narration, VoiceStyle
from reelestate.providers.tts.espeak import WORDS_PER_MINUTE_AT_RATE_1, speak
from reelestate.providers.tts.forced_alignment import align_to_reference
from reelestate.providers.tts.narration_cache import (
    load_narration,
    narration_stem,
    store_narration,
)
from reelestate.providers.tts.service_errors import (
    connection_error,
    parse_retry_after,
    short_detail,
    status_error,
    timeout_error,
)

SERVICE = "OpenAI"
MAX_INPUT_CHARS = 4096
MIN_SPEED, MAX_SPEED = 0.25, 4.0
REFERENCE_VOICE = "en-us"
"""The espeak-ng voice whose timings are carried over; its words must be the same text."""
T = TypeVar("T")


def _mapped(error: openai.OpenAIError, timeout_s: float) -> ProviderError:
    if isinstance(error, openai.APITimeoutError):
        return timeout_error(SERVICE, timeout_s)
    if isinstance(error, openai.APIConnectionError):
        return connection_error(SERVICE)
    if isinstance(error, openai.APIStatusError):
        return status_error(
            SERVICE,
            error.status_code,
            key_setting="OPENAI_API_KEY",
            retry_after=parse_retry_after(error.response.headers),
            detail=short_detail(error.body),
        )
    return ProviderError(f"{SERVICE} sent a reply we could not read.")


class OpenAiTTS:
    """`TextToSpeech` on OpenAI's speech endpoint; `voice` is one of its voice names."""

    name = "openai"

    def __init__(
        self,
        settings: Settings | None = None,
        *,
        policy: RetryPolicy | None = None,
        sleep: Callable[[float], None] = time.sleep,
        reference_voice: str = REFERENCE_VOICE,
    ) -> None:
        settings = settings or get_settings()
        key = settings.openai_api_key
        has_key = key is not None and bool(key.get_secret_value())
        if not has_key and not settings.openai_base_url:
            raise ProviderNotConfiguredError(
                f"{SERVICE} is not configured (OPENAI_API_KEY is not set)."
            )
        self._timeout = settings.tts_timeout_s
        # A client per request, closed after it: an idle pool would be left to the collector.
        self._client = partial(
            OpenAI,
            # A local OpenAI-compatible server may need no key; the client insists on one.
            api_key=key.get_secret_value() if key is not None and has_key else "not-needed",
            base_url=settings.openai_base_url or None,
            timeout=self._timeout,
            max_retries=0,
        )
        self._policy = policy or RetryPolicy(attempts=settings.tts_attempts)
        self._sleep = sleep
        self._default_model = settings.openai_tts_model
        self._usd_per_1m = settings.openai_tts_usd_per_1m_chars
        self._espeak_library = settings.espeak_library
        self._reference_voice = reference_voice

    def _speech(self, text: str, voice: str, model: str, speed: float) -> bytes:
        def attempt() -> bytes:
            try:
                with provider_call("openai-tts", "speech"), self._client() as client:
                    reply = client.audio.speech.create(
                        model=model,
                        voice=voice,
                        input=text,
                        response_format="wav",
                        speed=speed if abs(speed - 1.0) > 1e-6 else omit,
                    )
                    return reply.content
            except openai.OpenAIError as exc:
                raise _mapped(exc, self._timeout) from None

        return retry_sync(attempt, self._policy, sleep=self._sleep)

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
        """Speak `text` into `out_dir/openai-<hash>.wav`; `style.speed` scales `rate`, the
        rest of the style has no OpenAI counterpart and is ignored."""
        if not text.strip() or len(text) > MAX_INPUT_CHARS:
            raise InvalidInputError(
                f"The narration must have 1 to {MAX_INPUT_CHARS} characters, it has {len(text)}."
            )
        model_id = model or self._default_model
        stem = narration_stem(self.name, voice, model_id, text, style, rate)
        cached = load_narration(out_dir, stem)
        if cached is not None:
            return cached
        speed = rate * (style.speed if style and style.speed is not None else 1.0)
        speed = round(min(MAX_SPEED, max(MIN_SPEED, speed)), 3)
        samples, sample_rate = decode_wav(
            self._speech(text, voice, model_id, speed), source=SERVICE
        )
        if len(samples) < sample_rate // 20:
            raise ProviderError(f"{SERVICE} sent no audio for the narration.")
        reference = speak(
            text,
            voice=self._reference_voice,
            words_per_minute=round(WORDS_PER_MINUTE_AT_RATE_1 * speed),
            library=self._espeak_library,
        )
        words = align_to_reference(
            samples, sample_rate, reference.samples, reference.sample_rate, reference.words
        )
        return store_narration(
            out_dir,
            stem,
            samples,
            sample_rate,
            words=words,
            provider=self.name,
            voice=voice,
            cost_usd=round(len(text) / 1_000_000 * self._usd_per_1m, 6),
        )
