"""Real speech for the fake services, made with espeak-ng, and the timings that are true of it."""

from __future__ import annotations

import io
import struct
import wave
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from reelestate.core.settings import get_settings
from reelestate.providers.tts.espeak import WORDS_PER_MINUTE_AT_RATE_1, speak
from reelestate.providers.tts.word_alignment import tokenize


@dataclass(frozen=True)
class Speech:
    """Audio at `sample_rate` and the start of each whitespace token, in seconds."""

    samples: npt.NDArray[np.int16]
    sample_rate: int
    word_starts: list[float]
    word_ends: list[float]


def spoken(text: str, *, voice: str, rate: float, sample_rate: int) -> Speech:
    """`text` spoken by espeak-ng with `voice` at `rate`, resampled to `sample_rate`."""
    speech = speak(
        text,
        voice=voice,
        words_per_minute=round(WORDS_PER_MINUTE_AT_RATE_1 * rate),
        library=get_settings().espeak_library,
    )
    assert [w.word for w in speech.words] == text.split(), "use plain words in fake texts"
    source = speech.samples.astype(np.float64)
    count = int(len(source) * sample_rate / speech.sample_rate)
    positions = np.arange(count) * speech.sample_rate / sample_rate
    samples = np.interp(positions, np.arange(len(source)), source).astype(np.int16)
    return Speech(
        samples,
        sample_rate,
        [w.start for w in speech.words],
        [w.end for w in speech.words],
    )


def character_alignment(text: str, speech: Speech) -> dict[str, list[float] | list[str]]:
    """ElevenLabs' `alignment` for `text`: each word's time shared evenly by its characters,
    the gap between two words given to the spaces between them."""
    times: list[tuple[float, float]] = []
    previous_end, position = 0.0, 0
    for token, start, end in zip(tokenize(text), speech.word_starts, speech.word_ends, strict=True):
        times += [(previous_end, start)] * (token.start - position)
        step = (end - start) / len(token.text)
        times += [(start + k * step, start + (k + 1) * step) for k in range(len(token.text))]
        previous_end, position = end, token.end
    times += [(previous_end, previous_end)] * (len(text) - position)
    return {
        "characters": list(text),
        "character_start_times_seconds": [round(s, 4) for s, _ in times],
        "character_end_times_seconds": [round(e, 4) for _, e in times],
    }


def streamed_wav(samples: npt.NDArray[np.int16], sample_rate: int) -> bytes:
    """A WAV as a streaming server writes it: both size fields 0xFFFFFFFF."""
    out = io.BytesIO()
    with wave.open(out, "wb") as wav:
        wav.setnchannels(1)
        wav.setsampwidth(2)
        wav.setframerate(sample_rate)
        wav.writeframes(samples.astype("<i2").tobytes())
    data = bytearray(out.getvalue())
    struct.pack_into("<I", data, 4, 0xFFFFFFFF)
    struct.pack_into("<I", data, 40, 0xFFFFFFFF)
    return bytes(data)
