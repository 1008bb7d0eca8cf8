"""Paid narrations kept on disk, so re-rendering a storyboard never pays for the same words twice.

The key is everything that changes the sound: provider, voice as it was asked for (a name is
not resolved first, so a hit costs no request at all), model, text, style and rate. The WAV
and a JSON sidecar of timings share the key's file name; a missing or unreadable pair is a miss.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import numpy as np
import numpy.typing as npt
from pydantic import ValidationError

from reelestate.providers.tts.audio_io import write_bytes, write_wav
from reelestate.providers.tts.base import Narration, VoiceStyle, WordTiming

_FORMAT = 1


def narration_stem(
    provider: str, voice: str, model: str, text: str, style: VoiceStyle | None, rate: float
) -> str:
    """The file name (without suffix) a narration of these inputs is stored under."""
    key = json.dumps(
        [
            _FORMAT,
            provider,
            voice,
            model,
            text,
            style.model_dump(exclude_none=True) if style else None,
            round(rate, 4),
        ],
        ensure_ascii=False,
        sort_keys=True,
    )
    return f"{provider}-" + hashlib.sha256(key.encode("utf-8")).hexdigest()[:24]


def load_narration(out_dir: Path, stem: str) -> Narration | None:
    """The stored narration with `cost_usd` 0 (nothing is paid for it again), or None."""
    wav, sidecar = out_dir / f"{stem}.wav", out_dir / f"{stem}.json"
    if not (wav.is_file() and sidecar.is_file()):
        return None
    try:
        data = json.loads(sidecar.read_text(encoding="utf-8"))
        if data.get("format") != _FORMAT:
            return None
        return Narration(
            audio=wav,
            words=[WordTiming.model_validate(w) for w in data["words"]],
            duration=data["duration"],
            provider=data["provider"],
            voice=data["voice"],
            words_per_minute=data.get("words_per_minute"),
        )
    except (OSError, ValueError, KeyError, TypeError, AttributeError, ValidationError):
        return None


def store_narration(
    out_dir: Path,
    stem: str,
    samples: npt.NDArray[np.int16],
    sample_rate: int,
    *,
    words: list[WordTiming],
    provider: str,
    voice: str,
    cost_usd: float,
) -> Narration:
    """Write the audio and its timings under `stem`; the narration that points at them."""
    out_dir.mkdir(parents=True, exist_ok=True)
    duration = len(samples) / sample_rate
    wpm = round(60.0 * len(words) / duration, 1) if words else None
    narration = Narration(
        audio=out_dir / f"{stem}.wav",
        words=words,
        duration=duration,
        provider=provider,
        voice=voice,
        words_per_minute=wpm,
        cost_usd=cost_usd,
    )
    write_wav(narration.audio, samples, sample_rate)
    sidecar = {
        "format": _FORMAT,
        "provider": provider,
        "voice": voice,
        "duration": duration,
        "words_per_minute": wpm,
        "cost_usd": cost_usd,
        "words": [w.model_dump() for w in words],
    }
    write_bytes(out_dir / f"{stem}.json", json.dumps(sidecar, ensure_ascii=False).encode("utf-8"))
    return narration
