"""Forced alignment: known word timings carried onto another recording of the same words."""

from __future__ import annotations

import numpy as np
import pytest

from reelestate.core.settings import get_settings
from reelestate.providers.tts.espeak import speak
from reelestate.providers.tts.forced_alignment import align_to_reference, dtw_path, speech_span

TEXT = "Three bedrooms, two bathrooms and a garden facing north. Inspection on Saturday."


def test_dtw_path_runs_corner_to_corner_in_single_steps() -> None:
    rng = np.random.default_rng(7)
    a = rng.normal(size=(40, 3))
    b = np.repeat(a, 2, axis=0)  # b is a played at half speed
    path = dtw_path(a, b)
    assert tuple(path[0]) == (0, 0) and tuple(path[-1]) == (39, 79)
    steps = np.diff(path, axis=0)
    assert ((steps >= 0) & (steps <= 1)).all() and (steps.sum(axis=1) >= 1).all()
    assert all(j // 2 == i for i, j in path), "each frame of a meets its two copies"


def test_silence_only_audio_keeps_every_frame() -> None:
    assert speech_span(np.full(30, -120.0)) == (0, 30)


def test_no_words_give_no_timings() -> None:
    noise = np.zeros(2000, dtype=np.int16)
    assert align_to_reference(noise, 16_000, noise, 16_000, []) == []


@pytest.mark.parametrize("stretch", [0.8, 1.25])
def test_a_slowed_or_sped_up_recording_keeps_its_word_starts(stretch: float) -> None:
    reference = speak(
        TEXT, voice="en-us", words_per_minute=165, library=get_settings().espeak_library
    )
    source = reference.samples.astype(np.float64)
    count = int(len(source) * stretch)
    target = np.interp(np.arange(count) / stretch, np.arange(len(source)), source)
    target = np.concatenate([np.zeros(4000), target, np.zeros(3000)]).astype(np.int16)
    lead = 4000 / reference.sample_rate
    words = align_to_reference(
        target, reference.sample_rate, reference.samples, reference.sample_rate, reference.words
    )
    assert [w.word for w in words] == TEXT.split()
    for got, ref in zip(words, reference.words, strict=True):
        assert abs(got.start - (lead + ref.start * stretch)) <= 0.080, got
        assert got.end <= len(target) / reference.sample_rate
