"""Folding espeak's word events back onto the user's words, on hand-made events."""

from __future__ import annotations

import numpy as np

from reelestate.providers.tts.espeak_lib import WordEvent
from reelestate.providers.tts.word_alignment import (
    align,
    first_sample_per_token,
    spoken_words,
    tokenize,
)

RATE = 1000


def tone(seconds: float) -> np.ndarray:
    t = np.arange(int(seconds * RATE)) / RATE
    return (8000 * np.sin(2 * np.pi * 50 * t)).astype(np.int16)


def silence(seconds: float) -> np.ndarray:
    return np.zeros(int(seconds * RATE), dtype=np.int16)


def test_events_inside_one_word_merge_and_backward_events_are_ignored() -> None:
    text = "at $585,000, with"
    tokens = tokenize(text)
    events = [
        WordEvent(0, 2, 0),
        WordEvent(3, 1, 100),  # "$"
        WordEvent(4, 4, 200),  # "585,"
        WordEvent(5, 4, 300),
        WordEvent(1, 1, 350),  # points back into "at": ignored
        WordEvent(13, 4, 400),
    ]
    assert first_sample_per_token(tokens, events) == {0: 0, 1: 100, 2: 400}


def test_an_event_starting_on_a_space_belongs_to_the_next_word() -> None:
    tokens = tokenize("one  two")
    assert first_sample_per_token(tokens, [WordEvent(3, 3, 50)]) == {1: 50}
    assert first_sample_per_token(tokens, [WordEvent(20, 3, 50)]) == {}


def test_unannounced_words_join_a_neighbour_and_symbols_are_dropped() -> None:
    tokens = tokenize("pre one — two extra")
    words = spoken_words(tokens, {1: 10, 3: 20})
    assert words == [("pre one", 10), ("two extra", 20)]


def test_ends_stop_at_a_pause_and_the_last_word_at_its_sound() -> None:
    samples = np.concatenate([tone(0.3), tone(0.3), silence(0.5), tone(0.4), silence(0.6)])
    text = "first second. third"
    events = [WordEvent(0, 5, 0), WordEvent(6, 6, 300), WordEvent(14, 5, 1100)]
    aligned = align(text, events, samples, RATE)
    first, second, third = aligned.words
    assert (first.start, first.end) == (0.0, second.start)
    assert second.start == 0.29
    assert 0.6 <= second.end <= 0.65
    assert third.start == 1.09
    assert 1.5 <= third.end <= 1.55
    assert aligned.speech_end == third.end


def test_no_events_means_no_words() -> None:
    aligned = align("— —", [], silence(0.2), RATE)
    assert aligned.words == [] and aligned.speech_end == 0.0
