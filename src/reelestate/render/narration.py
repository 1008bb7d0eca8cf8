"""The narration of a spec spoken by its voice provider, cached under the render cache.

Narration is synthesised before a render (to fit the scenes to the voice) and again by the
engine when a spec still asks for it; both go through here, so both ask the voice the same
question and the second finds the first's file in the cache.
"""

from __future__ import annotations

import bisect
import hashlib
import json
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import numpy.typing as npt

from reelestate.providers.tts.audio_io import decode_wav, write_wav
from reelestate.providers.tts.base import Narration, TextToSpeech, WordTiming
from reelestate.providers.tts.narrator import narrator_for
from reelestate.render.spec import NarrationRequest


def synthesize_narration(
    request: NarrationRequest, cache_dir: Path, tts: TextToSpeech | None = None
) -> Narration:
    """`request` spoken by `tts` (by default the narrator of its provider, with fallbacks)."""
    engine = tts or narrator_for(request.provider)
    return engine.synthesize(
        request.text,
        voice=request.voice,
        out_dir=cache_dir / "narration",
        rate=request.rate,
        model=request.model,
        style=request.style,
    )


PRE_ROLL_SECONDS = 0.04
"""Audio kept before a part's first word, so its first sound is not clipped."""


def place_narration(
    narration: Narration, parts: Sequence[tuple[int, float]], cache_dir: Path
) -> tuple[Path, list[WordTiming]]:
    """The narration re-timed so each part starts at its own moment, with silence between.

    `parts`: (index of the part's first word, seconds from the start of the voice track at
    which that word should be heard), in order. The audio is cut just before each part's
    first word and laid out again; the word timings move with their part. The result is
    cached under `cache_dir` by the narration and the placement.
    """
    words = narration.words
    data = narration.audio.read_bytes()
    samples, rate = decode_wav(data, source=narration.audio.name)
    cuts = [max(0, round((words[first].start - PRE_ROLL_SECONDS) * rate)) for first, _ in parts]
    cuts[0] = 0
    ends = [*cuts[1:], len(samples)]
    key = json.dumps([hashlib.sha256(data).hexdigest(), [list(p) for p in parts]])
    out = cache_dir / "narration" / f"placed-{hashlib.sha256(key.encode()).hexdigest()[:20]}.wav"
    shifts: list[float] = []
    pieces: list[npt.NDArray[np.int16]] = []
    position = 0
    for (first, at), cut, end in zip(parts, cuts, ends, strict=True):
        begin = max(position, round(at * rate) - (round(words[first].start * rate) - cut))
        if begin > position:
            pieces.append(np.zeros(begin - position, dtype=np.int16))
        pieces.append(samples[cut:end])
        shifts.append((begin - cut) / rate)
        position = begin + (end - cut)
    if not out.is_file():
        out.parent.mkdir(parents=True, exist_ok=True)
        write_wav(out, np.concatenate(pieces), rate)
    firsts = [first for first, _ in parts]
    placed: list[WordTiming] = []
    for i, word in enumerate(words):
        part = max(0, bisect.bisect_right(firsts, i) - 1)
        shift = shifts[part]
        placed.append(
            word.model_copy(update={"start": word.start + shift, "end": word.end + shift})
        )
    return out, placed
