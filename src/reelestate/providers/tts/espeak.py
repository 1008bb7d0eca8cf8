"""The embedded narration voice: espeak-ng, offline and free, with word timings for captions.

Results are cached by (voice, rate, text): the file name is a hash of them and a JSON file
of timings sits beside the WAV, so re-rendering a storyboard never speaks the same text twice.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt
from pydantic import ValidationError

from reelestate.core.errors import InvalidInputError
from reelestate.core.settings import get_settings
from reelestate.providers.tts.audio_io import write_bytes, write_wav
from reelestate.providers.tts.base import Narration, VoiceStyle, WordTiming
from reelestate.providers.tts.espeak_lib import EspeakVoice, load_library
from reelestate.providers.tts.word_alignment import align

WORDS_PER_MINUTE_AT_RATE_1 = 165
MIN_RATE = 0.5
MAX_RATE = 2.0
MAX_TEXT_CHARS = 5000
TRAILING_SILENCE_SECONDS = 0.15
"""Silence kept after the last word, so the voice does not end on a cut."""
_CACHE_FORMAT = 1
_CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def _speakable(text: str) -> str:
    """`text` with control characters turned into spaces (same length, so positions still hold)."""
    if not text.strip():
        raise InvalidInputError(
            "The narration text is empty.", hint="Write at least one word to be spoken."
        )
    if len(text) > MAX_TEXT_CHARS:
        raise InvalidInputError(
            f"The narration is {len(text)} characters long; the most we speak is {MAX_TEXT_CHARS}.",
            hint="Shorten the script.",
        )
    return _CONTROL_CHARS.sub(" ", text)


def cache_stem(voice: str, rate: float, text: str) -> str:
    """The file name (without suffix) a narration of these inputs is stored under."""
    key = json.dumps([_CACHE_FORMAT, voice, round(rate, 4), text], ensure_ascii=False)
    return "espeak-" + hashlib.sha256(key.encode("utf-8")).hexdigest()[:24]


def _read_cached(wav: Path, sidecar: Path) -> Narration | None:
    """The stored narration, or None when it is missing or unreadable (it is then remade)."""
    if not (wav.is_file() and sidecar.is_file()):
        return None
    try:
        data = json.loads(sidecar.read_text(encoding="utf-8"))
        if data.get("format") != _CACHE_FORMAT:
            return None
        return Narration(
            audio=wav,
            words=[WordTiming.model_validate(w) for w in data["words"]],
            duration=data["duration"],
            provider="espeak",
            voice=data["voice"],
            words_per_minute=data["words_per_minute"],
        )
    except (OSError, ValueError, KeyError, TypeError, AttributeError, ValidationError):
        return None


@dataclass(frozen=True)
class SpokenText:
    """espeak-ng's audio for a text, cut after the last word, with the text's word timings."""

    samples: npt.NDArray[np.int16]
    sample_rate: int
    words: list[WordTiming]


def speak(text: str, *, voice: str, words_per_minute: int, library: str) -> SpokenText:
    """Synthesise without touching the disk (also the reference voice for forced alignment)."""
    spoken = _speakable(text)
    speech = load_library(library).synthesize(
        spoken, voice=voice, words_per_minute=words_per_minute
    )
    aligned = align(spoken, speech.events, speech.samples, speech.sample_rate)
    if not aligned.words:
        raise InvalidInputError(
            "The narration has no words that can be spoken.",
            hint="Use letters or numbers; symbols and emoji alone are not read out.",
        )
    rate_hz = speech.sample_rate
    keep = min(
        len(speech.samples), round((aligned.speech_end + TRAILING_SILENCE_SECONDS) * rate_hz)
    )
    return SpokenText(speech.samples[:keep], rate_hz, aligned.words)


class EspeakTTS:
    """`TextToSpeech` on the espeak-ng library; `rate` 1.0 is about 165 words per minute."""

    name = "espeak"

    def __init__(self, *, library: str | None = None) -> None:
        self._library = library or get_settings().espeak_library

    def synthesize(
        self,
        text: str,
        *,
        voice: str = "en-us",
        out_dir: Path,
        rate: float = 1.0,
        model: str | None = None,
        style: VoiceStyle | None = None,
    ) -> Narration:
        """Speak `text` into `out_dir/espeak-<hash>.wav` (16-bit mono) with its word timings.

        espeak-ng has one model and no voice settings, so `model` and `style` are ignored.
        """
        spoken = _speakable(text)
        if not MIN_RATE <= rate <= MAX_RATE:
            raise InvalidInputError(
                f"The speaking rate must be between {MIN_RATE:g} and {MAX_RATE:g}, got {rate:g}."
            )
        stem = cache_stem(voice, rate, spoken)
        wav, sidecar = out_dir / f"{stem}.wav", out_dir / f"{stem}.json"
        cached = _read_cached(wav, sidecar)
        if cached is not None:
            return cached
        wpm = round(WORDS_PER_MINUTE_AT_RATE_1 * rate)
        speech = speak(spoken, voice=voice, words_per_minute=wpm, library=self._library)
        narration = Narration(
            audio=wav,
            words=speech.words,
            duration=len(speech.samples) / speech.sample_rate,
            provider=self.name,
            voice=voice,
            words_per_minute=float(wpm),
        )
        out_dir.mkdir(parents=True, exist_ok=True)
        write_wav(wav, speech.samples, speech.sample_rate)
        sidecar_data = {
            "format": _CACHE_FORMAT,
            "voice": voice,
            "duration": narration.duration,
            "words_per_minute": narration.words_per_minute,
            "words": [w.model_dump() for w in narration.words],
        }
        write_bytes(sidecar, json.dumps(sidecar_data, ensure_ascii=False).encode("utf-8"))
        return narration


def list_voices(*, library: str | None = None) -> list[EspeakVoice]:
    """Every installed espeak-ng voice; `EspeakVoice.name` is what `synthesize` accepts."""
    return load_library(library or get_settings().espeak_library).voices()
