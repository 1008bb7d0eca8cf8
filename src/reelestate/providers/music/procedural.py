"""A royalty-free music bed synthesised at run time: soft pad chords, a plucked arpeggio, a bass.

Nothing is sampled or downloaded, so the bed is free to use anywhere and the product needs
no music library to make a finished video. Every note is rendered once per pitch and
overlap-added, which keeps a minute of stereo audio well under a second of CPU.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import wave
from pathlib import Path

import numpy as np
import numpy.typing as npt

from reelestate.core.errors import InvalidInputError
from reelestate.providers.music.moods import MOODS, Chord, MoodStyle

Audio = npt.NDArray[np.float64]
MAX_SECONDS = 900.0
PEAK_DBFS = -3.0
FADE_IN_SECONDS = 1.0
FADE_OUT_SECONDS = 2.0
_CACHE_FORMAT = 1


_LOOP_SECONDS = 2.0
"""Sustained tones are built as loops of this length and tiled, so their pitch sits on a
0.5 Hz grid (a few cents at most from equal temperament) and a long chord costs one loop."""


def _hz(note: float) -> float:
    return float(440.0 * 2.0 ** ((note - 69.0) / 12.0))


def _on_grid(freq: float) -> float:
    return round(freq * _LOOP_SECONDS) / _LOOP_SECONDS


def _loop(freqs: list[float], brightness: float, rate: int, rng: np.random.Generator) -> Audio:
    """One `_LOOP_SECONDS` period of soft tones (a sine with quickly falling overtones).

    Each frequency makes a whole number of cycles in the loop, so sample n of a tone is entry
    (cycles * n + offset) mod length of one sine table: exact, and no trigonometry per note.
    """
    length = int(_LOOP_SECONDS * rate)
    angle = 2 * np.pi * np.arange(length) / length
    sine, cosine = np.sin(angle), np.cos(angle)
    n = np.arange(length, dtype=np.int64)
    out = np.zeros(length)
    for freq in freqs:
        cycles = round(freq * _LOOP_SECONDS)
        index = (n * cycles + int(rng.integers(length))) % length
        sin, cos = sine[index], cosine[index]
        # sin x + b/2 sin 2x + b^2/3 sin 3x, where sin 2x = 2 sin x cos x
        # and sin 3x = sin x (3 - 4 sin^2 x).
        out += sin * (1 + brightness**2 + brightness * cos - (4 * brightness**2 / 3) * sin * sin)
    return out


def _tiled(loop: Audio, count: int) -> Audio:
    out: Audio = np.tile(loop, count // len(loop) + 1)[:count]
    return out


def _swell(count: int, rate: int, attack: float, hold: float) -> Audio:
    """Raised-cosine rise over `attack` s, flat until `hold` s, raised-cosine fall to the end."""
    out: Audio = np.ones(count)
    rise = min(count, max(1, int(attack * rate)))
    out[:rise] = 0.5 - 0.5 * np.cos(np.pi * np.arange(rise) / rise)
    start = min(count, int(hold * rate))
    fall = count - start
    if fall > 0:
        out[start:] *= 0.5 + 0.5 * np.cos(np.pi * np.arange(fall) / fall)
    return out


def _pad(
    chord: Chord, style: MoodStyle, seconds: float, rate: int, rng: np.random.Generator
) -> Audio:
    """A chord held for `seconds` with a slow attack and a release that overlaps the next chord.

    The left and right voices sit half a hertz either side of the note: a slow, gentle chorus.
    """
    release = min(2.0, seconds * 0.5)
    count = int((seconds + release) * rate)
    notes = [_on_grid(_hz(style.root + tone)) for tone in chord]
    envelope = _swell(count, rate, min(1.5, seconds * 0.4), seconds) * style.pad_level / len(chord)
    out = np.empty((2, count))
    for channel, shift in ((0, -0.5), (1, 0.5)):
        loop = _loop([f + shift for f in notes], style.pad_brightness, rate, rng)
        out[channel] = _tiled(loop, count) * envelope
    return out


def _pluck(note: int, decay: float, rate: int) -> Audio:
    """A soft plucked tone: upper partials die away faster than the fundamental."""
    t = np.arange(int(decay * 4.6 * rate)) / rate
    phase = 2 * np.pi * _hz(note) * t
    sin, cos, fall = np.sin(phase), np.cos(phase), np.exp(-t / decay)
    sin2, sin3 = 2 * sin * cos, sin * (3 - 4 * sin * sin)
    tone = fall * (sin + fall * (0.30 * sin2 + 0.10 * fall * sin3))
    out: Audio = tone * np.minimum(t / 0.004, 1.0)
    return out


def _add(buffer: Audio, start: int, sound: Audio, gain: float = 1.0) -> None:
    """Mix `sound` into `buffer` from sample `start` on (last axis is time), cut at the end."""
    end = min(buffer.shape[-1], start + sound.shape[-1])
    if end > start:
        buffer[..., start:end] += sound[..., : end - start] * gain


def _arpeggio_order(chord: Chord, rng: np.random.Generator) -> list[int]:
    tones = sorted(chord)
    shape = int(rng.integers(3))
    if shape == 0:
        return tones
    if shape == 1:
        return tones + tones[-2:0:-1]
    return [tones[0], tones[2 % len(tones)], tones[1], tones[-1]]


def _bass(style: MoodStyle, note: int, chord_seconds: float, rate: int) -> Audio:
    """The bass for one chord: a pulse on every beat, or one held note."""
    beat = 60.0 / style.bpm
    loop = _loop([_on_grid(_hz(note))], 0.15, rate, np.random.default_rng(note))
    if style.bass_pulse:
        length = int(beat * rate * 0.9)
        t = np.arange(length) / rate
        hit = _tiled(loop, length) * np.exp(-t / 0.3) * np.minimum(t / 0.004, 1.0)
        mono = np.zeros(int(chord_seconds * rate) + length)
        for b in range(style.beats_per_chord):
            at = int(b * beat * rate)
            mono[at : at + length] += hit
    else:
        length = int(chord_seconds * 1.1 * rate)
        mono = _tiled(loop, length) * _swell(length, rate, 0.12, chord_seconds * 0.85)
    return np.vstack([mono * style.bass_level] * 2)


def render_bed(style: MoodStyle, count: int, rate: int, seed: int) -> Audio:
    """`count` stereo samples (shape count x 2) of `style`, before the final level and fades."""
    rng = np.random.default_rng(seed)
    beat = 60.0 / style.bpm
    chord_seconds = beat * style.beats_per_chord
    pads = [_pad(c, style, chord_seconds, rate, rng) for c in style.progression]
    basses = [
        _bass(style, style.root + min(c) - 12, chord_seconds, rate) for c in style.progression
    ]
    orders = [_arpeggio_order(c, rng) for c in style.progression]
    plucks: dict[int, Audio] = {}
    out = np.zeros((2, count))
    for k in range(math.ceil(count / rate / chord_seconds)):
        which = k % len(style.progression)
        start = int(k * chord_seconds * rate)
        _add(out, start, pads[which])
        _add(out, start, basses[which])
        steps = round(style.beats_per_chord / style.arp_step) if style.arp_step > 0 else 0
        for i in range(steps):
            note = style.root + 12 + orders[which][i % len(orders[which])]
            if note not in plucks:
                plucks[note] = _pluck(note, style.pluck_decay, rate)
            at = max(0, start + int((i * style.arp_step * beat + rng.normal(0, 0.004)) * rate))
            level = style.arp_level * (1.0 if i % 2 == 0 else 0.8) * float(rng.uniform(0.85, 1.0))
            pan = 0.3 if i % 2 else -0.3
            _add(out[0], at, plucks[note], level * (1 - pan))
            _add(out[1], at, plucks[note], level * (1 + pan))
    return out.T


def _finish(audio: Audio, rate: int) -> Audio:
    """Fade in and out, then scale so the loudest sample sits at `PEAK_DBFS`."""
    seconds = len(audio) / rate
    fade_in = int(min(FADE_IN_SECONDS, seconds / 3) * rate)
    fade_out = int(min(FADE_OUT_SECONDS, seconds * 2 / 3) * rate)
    if fade_in:
        audio[:fade_in] *= np.linspace(0.0, 1.0, fade_in)[:, None] ** 2
    if fade_out:
        audio[-fade_out:] *= np.linspace(1.0, 0.0, fade_out)[:, None] ** 2
    peak = float(np.abs(audio).max())
    if peak > 0:
        audio *= 10 ** (PEAK_DBFS / 20) / peak
    return audio


def _write_wav(path: Path, audio: Audio, rate: int) -> None:
    pcm = np.clip(np.round(audio * 32767), -32768, 32767).astype("<i2")
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        with wave.open(str(tmp), "wb") as out:
            out.setnchannels(2)
            out.setsampwidth(2)
            out.setframerate(rate)
            out.writeframes(pcm.tobytes())
        tmp.replace(path)
    finally:
        tmp.unlink(missing_ok=True)


def bed_file_name(mood: str, duration: float, *, sample_rate: int, seed: int) -> str:
    key = json.dumps([_CACHE_FORMAT, mood, round(duration, 6), sample_rate, seed])
    return f"music-{mood}-{hashlib.sha256(key.encode()).hexdigest()[:20]}.wav"


def make_music_bed(
    mood: str, duration: float, out_path: Path, *, sample_rate: int = 48000, seed: int = 0
) -> Path:
    """Write a stereo 16-bit WAV bed of exactly `duration` seconds and return its path.

    `out_path` is either a `.wav` file or a folder, in which the bed is stored under a name
    made from (mood, duration, sample rate, seed). Either way the name is the cache key: an
    existing file is returned as it is, so a caller naming the file must put in its name
    whatever it varies.
    """
    style = MOODS.get(mood)
    if style is None:
        raise InvalidInputError(
            f"There is no music mood called {mood!r}.", hint=f"Choose one of: {', '.join(MOODS)}."
        )
    if not (math.isfinite(duration) and 0 < duration <= MAX_SECONDS):
        raise InvalidInputError(
            f"A music bed lasts more than 0 and at most {MAX_SECONDS:g} seconds, got {duration:g}."
        )
    if not 8000 <= sample_rate <= 192000:
        raise InvalidInputError(f"Unsupported sample rate {sample_rate} Hz for a music bed.")
    target = out_path
    if out_path.suffix.lower() != ".wav":
        target = out_path / bed_file_name(mood, duration, sample_rate=sample_rate, seed=seed)
    if target.is_file():
        return target
    count = max(1, round(duration * sample_rate))
    _write_wav(
        target, _finish(render_bed(style, count, sample_rate, seed), sample_rate), sample_rate
    )
    return target
