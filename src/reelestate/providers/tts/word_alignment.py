"""Word timings for the words the user typed, from espeak's word events and the samples.

espeak reports where each of its own tokens starts, which is not the same as the user's
words: "$585,000" is four events, "e-mail" one, an em dash none. Captions must show the
user's text, so events are folded back onto whitespace-separated input words, and word ends
are measured from the audio instead of guessed.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from reelestate.providers.tts.base import WordTiming
from reelestate.providers.tts.espeak_lib import WordEvent

LEAD_SECONDS = 0.010
"""A word's sound begins about this long before espeak's event for it."""
FRAME_SECONDS = 0.010
PAUSE_SECONDS = 0.20
"""A silence at least this long between two words ends the first word where the silence begins."""
TAIL_PAD_SECONDS = 0.02
SILENCE_DB = -40.0
"""A frame quieter than this, relative to the loudest frame, counts as silence."""
_MAX_WORD_CHARS = 200
_TOKEN = re.compile(r"\S+")


@dataclass(frozen=True)
class Token:
    """A whitespace-separated word of the input, with its code-point span."""

    start: int
    end: int
    text: str


@dataclass(frozen=True)
class AlignedSpeech:
    words: list[WordTiming]
    speech_end: float
    """Seconds at which the last word's sound ends; trailing silence after it can be cut."""


def tokenize(text: str) -> list[Token]:
    return [Token(m.start(), m.end(), m.group()) for m in _TOKEN.finditer(text)]


def _token_index(tokens: Sequence[Token], starts: Sequence[int], event: WordEvent) -> int | None:
    """The first input word that the event's character span touches."""
    i = bisect.bisect_right(starts, event.char_start) - 1
    if i >= 0 and tokens[i].end > event.char_start:
        return i
    j = i + 1
    if j < len(tokens) and tokens[j].start < event.char_start + event.length:
        return j
    return None


def first_sample_per_token(tokens: Sequence[Token], events: Sequence[WordEvent]) -> dict[int, int]:
    """Token index -> sample of its first event; events pointing backwards are ignored."""
    starts = [t.start for t in tokens]
    first: dict[int, int] = {}
    last = -1
    for event in events:
        index = _token_index(tokens, starts, event)
        if index is None or index < last:
            continue
        first.setdefault(index, event.sample)
        last = index
    return first


def spoken_words(tokens: Sequence[Token], first: dict[int, int]) -> list[tuple[str, int]]:
    """(caption text, first sample) per spoken word.

    A word espeak did not announce but which has letters or digits joins its neighbour, so
    no word of the user's disappears from the captions; a lone symbol (an em dash) is dropped.
    """
    words: list[tuple[str, int]] = []
    pending: list[str] = []
    for i, token in enumerate(tokens):
        if i in first:
            words.append((" ".join([*pending, token.text]), first[i]))
            pending = []
        elif any(ch.isalnum() for ch in token.text):
            if words:
                text, sample = words[-1]
                words[-1] = (f"{text} {token.text}", sample)
            else:
                pending.append(token.text)
    return words


def voiced_frames(samples: npt.NDArray[np.int16], sample_rate: int) -> npt.NDArray[np.bool_]:
    """Per 10 ms frame: does it hold speech (louder than the silence floor)?"""
    frame = max(1, round(sample_rate * FRAME_SECONDS))
    count = len(samples) // frame
    if count == 0:
        return np.zeros(0, dtype=bool)
    blocks = samples[: count * frame].astype(np.float64).reshape(count, frame)
    rms = np.sqrt(np.mean(blocks * blocks, axis=1))
    floor = max(float(rms.max()) * 10 ** (SILENCE_DB / 20), 30.0)
    voiced: npt.NDArray[np.bool_] = rms > floor
    return voiced


def _first_pause(voiced: npt.NDArray[np.bool_], lo: int, hi: int, min_frames: int) -> int | None:
    """Index of the first frame of a silent run of at least `min_frames` inside [lo, hi)."""
    run_start: int | None = None
    for f in range(max(lo, 0), min(hi, len(voiced))):
        if voiced[f]:
            run_start = None
            continue
        if run_start is None:
            run_start = f
        if f - run_start + 1 >= min_frames:
            return run_start
    return None


def align(
    text: str, events: Sequence[WordEvent], samples: npt.NDArray[np.int16], sample_rate: int
) -> AlignedSpeech:
    """Timings for `text`'s spoken words, monotonic and inside the audio."""
    duration = len(samples) / sample_rate
    tokens = tokenize(text)
    words = spoken_words(tokens, first_sample_per_token(tokens, events))
    voiced = voiced_frames(samples, sample_rate)
    pause_frames = round(PAUSE_SECONDS / FRAME_SECONDS)
    starts: list[float] = []
    for _, sample in words:
        start = min(duration, max(0.0, sample / sample_rate - LEAD_SECONDS))
        starts.append(max(start, starts[-1]) if starts else start)
    timings: list[WordTiming] = []
    speech_end = 0.0
    for k, (word, _) in enumerate(words):
        start = starts[k]
        lo = int((start + 0.05) / FRAME_SECONDS)
        if k + 1 < len(starts):
            end = starts[k + 1]
            pause = _first_pause(voiced, lo, int(end / FRAME_SECONDS), pause_frames)
            if pause is not None:
                end = min(end, pause * FRAME_SECONDS + TAIL_PAD_SECONDS)
        else:
            tail = np.flatnonzero(voiced[lo:])
            spoken_until = (lo + int(tail[-1]) + 1) * FRAME_SECONDS if len(tail) else start + 0.2
            end = min(duration, spoken_until + TAIL_PAD_SECONDS)
        end = max(start, end)
        speech_end = max(speech_end, end)
        timings.append(WordTiming(word=word[:_MAX_WORD_CHARS], start=start, end=end))
    return AlignedSpeech(words=timings, speech_end=speech_end)
