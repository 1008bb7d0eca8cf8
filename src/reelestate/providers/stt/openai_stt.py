"""Speech to text through an OpenAI-compatible `POST /v1/audio/transcriptions` (multipart).

The same server the language model uses (`OPENAI_BASE_URL`, `OPENAI_API_KEY`) is asked; a local
Whisper server works as well as OpenAI's own. The client library's retries are off: our
`RetryPolicy` decides, and only 5xx, 408, 409, 429 and dropped connections are tried again.
"""

from __future__ import annotations

import logging
from functools import partial
from pathlib import Path

import openai
from openai import OpenAI, omit
from openai.types.audio import Transcription, TranscriptionVerbose
from pydantic import SecretStr

from reelestate.core.errors import (
    InvalidInputError,
    ProviderError,
    ProviderNotConfiguredError,
    ProviderRejectedError,
    ProviderTimeoutError,
)
from reelestate.core.metrics import provider_call
from reelestate.core.retry import RetryPolicy, retry_sync
from reelestate.core.settings import Settings, get_settings
from reelestate.providers.stt.base import AUDIO_SUFFIXES, AUDIO_TYPES, MB, Transcript

_log = logging.getLogger(__name__)
MAX_AUDIO_BYTES = 25 * MB
"""OpenAI's limit for one transcription request."""
DEFAULT_POLICY = RetryPolicy(attempts=3, base_delay_s=1.0, max_delay_s=10.0)
_RETRYABLE_STATUS = {408, 409, 429}
_MIME_OF_SUFFIX = {suffix: mime for mime, suffix in reversed(AUDIO_TYPES.items())}
NO_KEY = "not-needed"
"""The key sent to a local server that needs none (the client refuses an empty one)."""


def transcription_configured(settings: Settings) -> bool:
    """True when an OpenAI-compatible server is configured (a key, or a local base URL)."""
    key = settings.openai_api_key.get_secret_value() if settings.openai_api_key else ""
    return bool(key or settings.openai_base_url)


class OpenAITranscriber:
    """One audio file per request; the reply's text, language and duration when given."""

    def __init__(
        self,
        *,
        model: str,
        api_key: SecretStr | None,
        base_url: str | None = None,
        timeout_s: float = 60.0,
        policy: RetryPolicy = DEFAULT_POLICY,
    ) -> None:
        self.name = f"openai:{model}"
        self.model = model
        self.policy = policy
        key = api_key.get_secret_value() if api_key is not None else ""
        # A client per request, closed after it: an idle pool would be left to the collector.
        self._client = partial(
            OpenAI, api_key=key or NO_KEY, base_url=base_url, timeout=timeout_s, max_retries=0
        )

    @classmethod
    def from_settings(cls, settings: Settings | None = None) -> OpenAITranscriber:
        settings = settings or get_settings()
        if not transcription_configured(settings):
            raise ProviderNotConfiguredError(
                "No speech-to-text service is configured.",
                hint="Set OPENAI_API_KEY (or OPENAI_BASE_URL for a local server).",
            )
        return cls(
            model=settings.openai_transcribe_model,
            api_key=settings.openai_api_key,
            base_url=settings.openai_base_url,
            timeout_s=settings.transcribe_timeout_s,
        )

    def transcribe(self, audio: Path, *, language: str | None = None) -> Transcript:
        data, mime = _read_audio(audio)

        def log_retry(attempt: int, error: ProviderError) -> None:
            _log.warning("transcription attempt %d failed (%s), retrying", attempt, error.code)

        return retry_sync(
            lambda: self._once(audio.name, data, mime, language), self.policy, on_retry=log_retry
        )

    def _once(self, name: str, data: bytes, mime: str, language: str | None) -> Transcript:
        file = (name, data, mime)
        lang = language or omit
        try:
            with provider_call("openai-stt", "transcribe"), self._client() as client:
                if self.model.startswith("whisper"):  # only Whisper reports duration, language
                    verbose = client.audio.transcriptions.create(
                        model=self.model, file=file, language=lang, response_format="verbose_json"
                    )
                    return _transcript(verbose, language)
                reply = client.audio.transcriptions.create(
                    model=self.model, file=file, language=lang, response_format="json"
                )
                return _transcript(reply, language)
        except openai.APITimeoutError as exc:
            raise ProviderTimeoutError(
                "The speech-to-text service did not answer in time.", hint="Try again."
            ) from exc
        except openai.APIConnectionError as exc:
            raise ProviderError(
                "The speech-to-text service could not be reached.", hint="Try again later."
            ) from exc
        except openai.APIStatusError as exc:
            raise status_error(exc.status_code, exc.response.headers.get("retry-after")) from exc
        except openai.OpenAIError as exc:  # a reply that does not parse, say
            raise ProviderError(
                f"The speech-to-text service gave an unusable answer ({type(exc).__name__})."
            ) from exc


def status_error(status: int, retry_after: str | None = None) -> ProviderError:
    """The error for an HTTP failure status; the reply body is never shown (it may echo input)."""
    if status >= 500 or status in _RETRYABLE_STATUS:
        wait: float | None = None
        if retry_after:
            try:
                wait = float(retry_after)
            except ValueError:
                wait = None
        return ProviderError(
            f"The speech-to-text service failed (HTTP {status}).",
            hint="Try again later.",
            retry_after=wait,
        )
    if status in {401, 403}:
        return ProviderRejectedError(
            f"The speech-to-text service refused our credentials (HTTP {status}).",
            hint="Check OPENAI_API_KEY.",
        )
    if status == 404:
        return ProviderRejectedError(
            "The speech-to-text service has no transcription endpoint or model (HTTP 404).",
            hint="Check OPENAI_BASE_URL and OPENAI_TRANSCRIBE_MODEL, "
            "or set REELESTATE_TRANSCRIBE_VOICE=false.",
        )
    return ProviderRejectedError(
        f"The speech-to-text service could not use this audio (HTTP {status})."
    )


def _read_audio(audio: Path) -> tuple[bytes, str]:
    suffix = audio.suffix.lower()
    if suffix not in AUDIO_SUFFIXES:
        raise InvalidInputError(
            f"{audio.name} is not an audio format the speech-to-text service reads.",
            hint="Use OGG, MP3, M4A, WAV, FLAC or WebM.",
        )
    size = audio.stat().st_size
    if size == 0:
        raise InvalidInputError(f"{audio.name} is empty.")
    if size > MAX_AUDIO_BYTES:
        raise InvalidInputError(
            f"{audio.name} is {size / MB:.0f} MB; speech-to-text takes up to "
            f"{MAX_AUDIO_BYTES // MB} MB.",
            hint="Send a shorter recording.",
        )
    return audio.read_bytes(), _MIME_OF_SUFFIX.get(suffix, "application/octet-stream")


def _transcript(reply: Transcription | TranscriptionVerbose, asked: str | None) -> Transcript:
    if isinstance(reply, TranscriptionVerbose):
        return Transcript(
            text=reply.text.strip(), language=reply.language or asked, duration_s=reply.duration
        )
    duration = reply.usage.seconds if reply.usage and reply.usage.type == "duration" else None
    detected = reply.languages[0].code if reply.languages else None
    return Transcript(text=reply.text.strip(), language=detected or asked, duration_s=duration)
