"""Word timings for speech we only have as audio, by aligning it to a voice whose timings we know.

OpenAI's speech endpoint returns audio and nothing else, but captions need each word's start.
The text is known, so it is also spoken by espeak-ng, which reports where every word starts;
the two recordings say the same words in the same order, only at different speeds, pauses
and pitch. Mapping one onto the other is dynamic time warping:

1. Features: per 10 ms hop (25 ms Hamming window, pre-emphasis 0.97), 40 log-mel energies
   between 80 Hz and 7.6 kHz (or the lower Nyquist of the two) turned into cepstra c1-c8, their
   frame-to-frame deltas, and the frame loudness; each recording's features are normalised to
   zero mean and unit variance. Few cepstra plus deltas and loudness follow the words and their
   rhythm rather than the speaker's formants (with 12 cepstra and no deltas a voice pitched 25 %
   lower put one word 290 ms off).
2. Leading and trailing silence (quieter than 40 dB under the loudest frame) is cut from both
   down to the same 50 ms margin (padding with digital silence where a recording has less),
   so the warp spends itself on speech and the two speech onsets meet at the path's corner.
3. DTW with steps (1,0), (0,1), (1,1) and Euclidean frame distance inside a band around the
   straight line between the two ends (a fifth of the longer recording, 1 to 10 s), computed
   one row at a time: the horizontal recurrence of a row is a running minimum over a cumulative
   sum, so each row is a handful of numpy operations; only step directions are stored (one
   byte per cell in the band), so a five-minute narration needs tens of megabytes.
4. A reference word's start frame maps to the first target frame the path pairs it with; its
   end frame to the last one.

Measured with espeak-ng (en-us, rate 1.0) as the reference, on two texts (12 and 34 words),
against 20 targets: other espeak-ng voices and paces (en-us+f2/f3/f4/m3 at 0.9-1.5x,
en-gb-x-rp+f1 at 1.2x, the klatt4 synthesiser, whispered speech) and the reference itself
resampled 0.8x, 1.15x and 1.25x longer (which also lowers its pitch and formants by as much).
The worst word start in each target was 8-27 ms off (median 13 ms), except one of 57 ms
(klatt4); the mean error per target was 3-11 ms. A four-minute narration (690 words) aligns in
about 5 s on one core, worst word 21 ms off. A neural voice (OpenAI's) differs from espeak-ng
more than these targets do, so expect larger errors on it than measured here; no recording of
one was available to measure.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

import numpy as np
import numpy.typing as npt

from reelestate.providers.tts.base import WordTiming
from reelestate.providers.tts.char_timing import ordered_words

HOP_SECONDS = 0.010
WINDOW_SECONDS = 0.025
N_MELS = 40
N_MFCC = 9
"""c0 to c8; c0 is dropped. Higher cepstra describe the speaker's formants more than the words."""
LOUDNESS_RANGE_DB = 60.0
MEL_LOW_HZ = 80.0
MEL_HIGH_HZ = 7600.0
SILENCE_DB = 40.0
EDGE_FRAMES = 5
"""Frames of silence kept before the first and after the last loud frame."""
BAND_FRACTION = 0.2
MIN_BAND_FRAMES = 100
MAX_BAND_FRAMES = 1000
_DIAG, _UP, _LEFT = 0, 1, 2

FloatArray = npt.NDArray[np.float64]


def _hz_to_mel(hz: FloatArray) -> FloatArray:
    return np.asarray(2595.0 * np.log10(1.0 + hz / 700.0), dtype=np.float64)


def _mel_to_hz(mel: FloatArray) -> FloatArray:
    return np.asarray(700.0 * (10.0 ** (mel / 2595.0) - 1.0), dtype=np.float64)


@lru_cache(maxsize=16)
def _mel_filters(sample_rate: int, n_fft: int, high_hz: float) -> FloatArray:
    """Triangular filters, one row per mel band, over the rfft bins."""
    edges = _mel_to_hz(
        np.linspace(_hz_to_mel(np.array(MEL_LOW_HZ)), _hz_to_mel(np.array(high_hz)), N_MELS + 2)
    )
    freqs = np.fft.rfftfreq(n_fft, 1.0 / sample_rate)
    low, mid, top = edges[:-2, None], edges[1:-1, None], edges[2:, None]
    rising = (freqs[None, :] - low) / (mid - low)
    falling = (top - freqs[None, :]) / (top - mid)
    return np.clip(np.minimum(rising, falling), 0.0, None)


@lru_cache(maxsize=1)
def _dct_matrix() -> FloatArray:
    k = np.arange(N_MELS)
    basis = np.cos(np.pi / N_MELS * (k[None, :] + 0.5) * np.arange(N_MFCC)[:, None])
    return np.asarray(basis, dtype=np.float64)


def hop_samples(sample_rate: int) -> int:
    """Samples per hop; the hop in seconds is this over the rate (9.977 ms at 22.05 kHz)."""
    return max(1, round(sample_rate * HOP_SECONDS))


def frame_features(
    samples: npt.NDArray[np.generic], sample_rate: int, high_hz: float = MEL_HIGH_HZ
) -> tuple[FloatArray, FloatArray]:
    """(features, loudness in dB) per hop of about 10 ms; features are c1-c8, their deltas and
    the loudness clipped 60 dB under its peak."""
    x = np.asarray(samples, dtype=np.float64)
    hop = hop_samples(sample_rate)
    window = max(2, round(sample_rate * WINDOW_SECONDS))
    if len(x) < window:
        x = np.pad(x, (0, window - len(x)))
    x = np.append(x[0], x[1:] - 0.97 * x[:-1])
    count = 1 + (len(x) - window) // hop
    frames = x[np.arange(window)[None, :] + hop * np.arange(count)[:, None]] * np.hamming(window)
    n_fft = 1 << (window - 1).bit_length()
    power = np.abs(np.fft.rfft(frames, n_fft)) ** 2
    log_mel = np.log(power @ _mel_filters(sample_rate, n_fft, high_hz).T + 1e-10)
    cepstra = (log_mel @ _dct_matrix().T)[:, 1:]
    loudness = 10.0 * np.log10(np.mean(frames * frames, axis=1) + 1e-12)
    floor = np.maximum(loudness, loudness.max() - LOUDNESS_RANGE_DB)
    features = np.hstack([cepstra, np.gradient(cepstra, axis=0), floor[:, None]])
    return features, loudness


def speech_span(loudness: FloatArray) -> tuple[int, int]:
    """[first, last) frame of the speech, with a little silence kept at both edges."""
    loud = np.flatnonzero(loudness > loudness.max() - SILENCE_DB)
    if len(loud) == 0:
        return 0, len(loudness)
    return max(0, int(loud[0]) - EDGE_FRAMES), min(len(loudness), int(loud[-1]) + 1 + EDGE_FRAMES)


def _padded(samples: npt.NDArray[np.generic], sample_rate: int) -> FloatArray:
    """The audio with `EDGE_FRAMES` hops of silence at both ends, so both recordings have the
    same silent margin around their speech even when one starts speaking at once."""
    pad = np.zeros(EDGE_FRAMES * hop_samples(sample_rate))
    return np.concatenate([pad, np.asarray(samples, dtype=np.float64), pad])


def _normalised(features: FloatArray) -> FloatArray:
    return np.asarray(
        (features - features.mean(axis=0)) / (features.std(axis=0) + 1e-8), dtype=np.float64
    )


def dtw_path(a: FloatArray, b: FloatArray) -> npt.NDArray[np.int64]:
    """The cheapest monotonic pairing of frames of `a` with frames of `b`, as (i, j) rows."""
    n, m = len(a), len(b)
    band = int(np.clip(BAND_FRACTION * max(n, m), MIN_BAND_FRAMES, MAX_BAND_FRAMES))
    band = max(band, -(-m // max(n, 1)) + 2, -(-n // max(m, 1)) + 2)
    slope = (m - 1) / max(n - 1, 1)
    lows = np.array([max(0, int(i * slope) - band) for i in range(n)])
    highs = np.array([min(m, int(i * slope) + band + 1) for i in range(n)])
    steps = np.full((n, int((highs - lows).max())), _LEFT, dtype=np.int8)
    prev = np.full(m, np.inf)
    cur = np.full(m, np.inf)
    for i in range(n):
        lo, hi = int(lows[i]), int(highs[i])
        cost = np.sqrt(((b[lo:hi] - a[i]) ** 2).sum(axis=1))
        total = np.cumsum(cost)
        if i == 0:
            cur[lo:hi] = total
        else:
            up = prev[lo:hi]
            diag = prev[lo - 1 : hi - 1] if lo > 0 else np.concatenate(([np.inf], prev[: hi - 1]))
            entry = cost + np.minimum(up, diag) - total
            best = np.minimum.accumulate(entry)
            cur[lo:hi] = total + best
            steps[i, : hi - lo] = np.where(entry > best, _LEFT, np.where(diag <= up, _DIAG, _UP))
        if i > 0:
            prev[int(lows[i - 1]) : int(highs[i - 1])] = np.inf
        prev, cur = cur, prev
    path = [(n - 1, m - 1)]
    i, j = n - 1, m - 1
    while i > 0 or j > 0:
        step = steps[i, j - lows[i]] if i > 0 else _LEFT
        if step == _DIAG:
            i, j = i - 1, j - 1
        elif step == _UP:
            i -= 1
        else:
            j -= 1
        path.append((i, j))
    return np.array(path[::-1], dtype=np.int64)


def align_to_reference(
    target: npt.NDArray[np.generic],
    target_rate: int,
    reference: npt.NDArray[np.generic],
    reference_rate: int,
    reference_words: Sequence[WordTiming],
) -> list[WordTiming]:
    """`reference_words` (timed on `reference`) moved onto `target`, which says the same words."""
    if not reference_words:
        return []
    high = min(MEL_HIGH_HZ, 0.45 * min(target_rate, reference_rate))
    ref_feat, ref_loud = frame_features(_padded(reference, reference_rate), reference_rate, high)
    tgt_feat, tgt_loud = frame_features(_padded(target, target_rate), target_rate, high)
    r0, r1 = speech_span(ref_loud)
    t0, t1 = speech_span(tgt_loud)
    path = dtw_path(_normalised(ref_feat[r0:r1]), _normalised(tgt_feat[t0:t1]))
    rows = path[:, 0]
    first = path[np.searchsorted(rows, np.arange(r1 - r0), side="left"), 1]
    last = path[np.searchsorted(rows, np.arange(r1 - r0), side="right") - 1, 1]
    ref_hop = hop_samples(reference_rate) / reference_rate
    tgt_hop = hop_samples(target_rate) / target_rate

    def frame_of(seconds: float) -> int:
        return int(np.clip(round(seconds / ref_hop) + EDGE_FRAMES - r0, 0, r1 - r0 - 1))

    def seconds_of(frame: int) -> float:
        return max(0.0, (t0 + frame - EDGE_FRAMES) * tgt_hop)

    found = [
        (w.word, seconds_of(int(first[frame_of(w.start)])), seconds_of(int(last[frame_of(w.end)])))
        for w in reference_words
    ]
    return ordered_words(found, len(target) / target_rate)
