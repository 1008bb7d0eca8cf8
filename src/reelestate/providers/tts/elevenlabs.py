"""ElevenLabs narration with word timings from the service's own character alignment.

`convert_with_timestamps` returns the audio and, per character of the text, when it is heard;
words are cut from that (`char_timing`). Audio is asked for as raw 16-bit PCM at 24 kHz (a
format every plan may use) and written as WAV, so its length is exact and FFmpeg reads it.

The SDK would retry 429s and 5xx twice on its own; that is switched off per request
(`max_retries=0`) so our `RetryPolicy` alone decides, and a slow service costs at most
`attempts x REELESTATE_TTS_TIMEOUT` before the narrator falls back to the next voice.
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import re
import threading
import time
from collections.abc import Callable, Iterator
from functools import partial
from pathlib import Path
from typing import Any, TypeVar

import httpx
import numpy as np
import numpy.typing as npt
from elevenlabs import AudioWithTimestampsResponse, GetVoicesV2Response, VoiceSettings
from elevenlabs.client import ElevenLabs
from elevenlabs.core.api_error import ApiError
from elevenlabs.core.parse_error import ParsingError
from elevenlabs.core.request_options import RequestOptions
from elevenlabs.voices.client import VoicesClient

from reelestate.core.errors import InvalidInputError, ProviderError, ProviderNotConfiguredError
from reelestate.core.metrics import provider_call
from reelestate.core.retry import RetryPolicy, retry_sync
from reelestate.core.settings import Settings, get_settings
from reelestate.providers.tts.audio_io import pcm16_samples
from reelestate.providers.tts.base import Narration, VoiceStyle, WordTiming
from reelestate.providers.tts.char_timing import CharAlignment, words_from_characters
from reelestate.providers.tts.espeak import MAX_TEXT_CHARS
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

SERVICE = "ElevenLabs"
OUTPUT_FORMAT = "pcm_24000"
SAMPLE_RATE = 24_000
MIN_SPEED, MAX_SPEED = 0.7, 1.2
"""The speeds ElevenLabs accepts; a narration rate outside them is clamped."""
VOICE_PAGE_SIZE = 100
MAX_VOICE_PAGES = 10
_VOICE_ID = re.compile(r"^[A-Za-z0-9]{20}$")
T = TypeVar("T")


def _mapped(error: ApiError | ParsingError | httpx.HTTPError, timeout_s: float) -> ProviderError:
    """The SDK's or httpx's exception as one of our provider errors."""
    if isinstance(error, ApiError):
        return status_error(
            SERVICE,
            int(error.status_code or 0),
            key_setting="ELEVENLABS_API_KEY",
            retry_after=parse_retry_after(error.headers),
            detail=short_detail(error.body),
        )
    if isinstance(error, httpx.TimeoutException):
        return timeout_error(SERVICE, timeout_s)
    if isinstance(error, httpx.TransportError):
        return connection_error(SERVICE)
    return ProviderError(f"{SERVICE} sent a reply we could not read.")


def _decoded(
    reply: AudioWithTimestampsResponse, text: str
) -> tuple[npt.NDArray[np.int16], list[WordTiming]]:
    """The reply's audio samples and the words of `text` timed by its character alignment."""
    try:
        samples = pcm16_samples(base64.b64decode(reply.audio_base_64, validate=True))
        chars = reply.alignment
        if len(samples) == 0 or chars is None:
            raise ProviderError(f"{SERVICE} sent no audio or no timings for the narration.")
        alignment = CharAlignment(
            chars.characters, chars.character_start_times_seconds, chars.character_end_times_seconds
        )
        return samples, words_from_characters(text, alignment, len(samples) / SAMPLE_RATE)
    except binascii.Error as exc:
        raise ProviderError(f"{SERVICE} sent audio we could not decode.") from exc
    except (TypeError, ValueError, AttributeError) as exc:
        # The SDK builds replies without validating them, so a field may be missing or None.
        raise ProviderError(f"{SERVICE} sent a reply we could not read.") from exc


def voice_settings(style: VoiceStyle | None, rate: float) -> VoiceSettings | None:
    """The style as ElevenLabs' settings; the narration rate scales the style's speed."""
    speed = (style.speed if style and style.speed is not None else 1.0) * rate
    fields: dict[str, Any] = style.model_dump(exclude_none=True) if style else {}
    if abs(speed - 1.0) > 1e-6:
        fields["speed"] = round(min(MAX_SPEED, max(MIN_SPEED, speed)), 3)
    else:
        fields.pop("speed", None)
    return VoiceSettings(**fields) if fields else None


class ElevenLabsTTS:
    """`TextToSpeech` on ElevenLabs; `voice` is a voice id or a voice name from the account."""

    name = "elevenlabs"

    def __init__(
        self,
        settings: Settings | None = None,
        *,
        policy: RetryPolicy | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        settings = settings or get_settings()
        key = settings.elevenlabs_api_key
        if key is None or not key.get_secret_value():
            raise ProviderNotConfiguredError(
                f"{SERVICE} is not configured (ELEVENLABS_API_KEY is not set)."
            )
        self._timeout = settings.tts_timeout_s
        self._key = key
        self._base_url = settings.elevenlabs_base_url or None
        self._options: RequestOptions = {"max_retries": 0}
        self._policy = policy or RetryPolicy(attempts=settings.tts_attempts)
        self._sleep = sleep
        self._default_model = settings.elevenlabs_model
        self._usd_per_1k = settings.elevenlabs_usd_per_1k_chars
        self._voices: dict[str, str] | None = None
        self._voices_lock = threading.Lock()

    @contextlib.contextmanager
    def _session(self) -> Iterator[ElevenLabs]:
        """An SDK client on our own HTTP connection pool, closed when the call is done (the
        SDK's own pool would be left open to the garbage collector)."""
        with httpx.Client(timeout=self._timeout) as http:
            yield ElevenLabs(
                api_key=self._key.get_secret_value(),
                base_url=self._base_url,
                timeout=self._timeout,
                httpx_client=http,
            )

    def _call(self, call: Callable[[], T]) -> T:
        def attempt() -> T:
            try:
                with provider_call("elevenlabs", "speech"):
                    return call()
            except (ApiError, ParsingError, httpx.HTTPError) as exc:
                raise _mapped(exc, self._timeout) from None

        return retry_sync(attempt, self._policy, sleep=self._sleep)

    def _voice_page(self, client: ElevenLabs, token: str | None) -> GetVoicesV2Response:
        voices: VoicesClient = client.voices  # the SDK leaves this property unannotated
        return voices.search(
            page_size=VOICE_PAGE_SIZE, next_page_token=token, request_options=self._options
        )

    def _voice_table(self) -> dict[str, str]:
        """Lower-cased voice name (and its part before " - ") -> voice id, fetched once."""
        with self._voices_lock:
            if self._voices is not None:
                return self._voices
            table: dict[str, str] = {}
            token: str | None = None
            with self._session() as client:
                pages = [self._call(partial(self._voice_page, client, None))]
                for _ in range(MAX_VOICE_PAGES - 1):
                    token = pages[-1].next_page_token
                    if not pages[-1].has_more or not token:
                        break
                    pages.append(self._call(partial(self._voice_page, client, token)))
            for page in pages:
                for voice in page.voices:
                    table[voice.voice_id.lower()] = voice.voice_id
                    if voice.name:
                        table.setdefault(voice.name.strip().lower(), voice.voice_id)
                        short = voice.name.split(" - ", 1)[0].strip().lower()
                        table.setdefault(short, voice.voice_id)
            self._voices = table
            return table

    def resolve_voice(self, voice: str) -> str:
        """The voice id for an id or a name; an id is used as given, without a lookup."""
        if _VOICE_ID.match(voice):
            return voice
        table = self._voice_table()
        found = table.get(voice.strip().lower())
        if found is None:
            names = sorted({k for k, v in table.items() if k != v.lower()})[:8]
            raise InvalidInputError(
                f"{SERVICE} has no voice named {voice!r} in this account.",
                hint=f"Try one of: {', '.join(names)}." if names else "Add a voice in ElevenLabs.",
            )
        return found

    def _convert(
        self,
        client: ElevenLabs,
        voice_id: str,
        text: str,
        model_id: str,
        settings: VoiceSettings | None,
    ) -> AudioWithTimestampsResponse:
        speech = client.text_to_speech
        if settings is None:
            return speech.convert_with_timestamps(
                voice_id,
                text=text,
                model_id=model_id,
                output_format=OUTPUT_FORMAT,
                request_options=self._options,
            )
        return speech.convert_with_timestamps(
            voice_id,
            text=text,
            model_id=model_id,
            output_format=OUTPUT_FORMAT,
            voice_settings=settings,
            request_options=self._options,
        )

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
        """Speak `text` into `out_dir/elevenlabs-<hash>.wav`; a cached result costs nothing."""
        if not text.strip() or len(text) > MAX_TEXT_CHARS:
            raise InvalidInputError(
                f"The narration must have 1 to {MAX_TEXT_CHARS} characters, it has {len(text)}."
            )
        model_id = model or self._default_model
        stem = narration_stem(self.name, voice, model_id, text, style, rate)
        cached = load_narration(out_dir, stem)
        if cached is not None:
            return cached
        voice_id = self.resolve_voice(voice)
        settings = voice_settings(style, rate)
        with self._session() as client:
            reply = self._call(lambda: self._convert(client, voice_id, text, model_id, settings))
        samples, words = _decoded(reply, text)
        if not words:
            raise ProviderError(f"{SERVICE} sent timings that match none of the words.")
        return store_narration(
            out_dir,
            stem,
            samples,
            SAMPLE_RATE,
            words=words,
            provider=self.name,
            voice=voice,
            cost_usd=round(len(text) / 1000 * self._usd_per_1k, 6),
        )
