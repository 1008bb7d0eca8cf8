"""Word timings cut from a per-character alignment."""

from __future__ import annotations

import pytest

from reelestate.providers.tts.char_timing import CharAlignment, words_from_characters


def evenly(characters: str, seconds_per_char: float = 0.1) -> CharAlignment:
    n = len(characters)
    return CharAlignment(
        list(characters),
        [k * seconds_per_char for k in range(n)],
        [(k + 1) * seconds_per_char for k in range(n)],
    )


def test_punctuation_at_the_edges_does_not_stretch_a_word() -> None:
    text = '"Hello," she said.'
    words = words_from_characters(text, evenly(text), 10.0)
    assert [w.word for w in words] == ['"Hello,"', "she", "said."]
    assert words[0].start == pytest.approx(0.1) and words[0].end == pytest.approx(0.6)
    assert words[2].start == pytest.approx(1.3) and words[2].end == pytest.approx(1.7)


def test_a_currency_sign_belongs_to_the_amount() -> None:
    text = "Only $585,000."
    words = words_from_characters(text, evenly(text), 10.0)
    assert words[1].word == "$585,000." and words[1].start == pytest.approx(0.5)


def test_a_dash_nobody_hears_is_dropped_and_a_spoken_ampersand_kept() -> None:
    text = "Bed & bath — done"
    alignment = evenly(text)
    dash = text.index("—")
    ends = list(alignment.ends)
    ends[dash] = alignment.starts[dash]  # the dash takes no time
    words = words_from_characters(
        text, CharAlignment(alignment.characters, alignment.starts, ends), 10.0
    )
    assert [w.word for w in words] == ["Bed", "&", "bath", "done"]


def test_characters_changed_by_the_service_are_matched_back() -> None:
    text = "It's “bright” and airy."
    returned = 'It\'s "bright" and airy.'
    words = words_from_characters(text, evenly(returned), 10.0)
    assert [w.word for w in words] == text.split()
    assert words[1].start == pytest.approx(0.6)


def test_a_word_with_no_returned_characters_joins_its_neighbour() -> None:
    text = "Visit www today now"
    returned = "Visit today now"
    words = words_from_characters(text, evenly(returned), 10.0)
    assert [w.word for w in words] == ["Visit www", "today", "now"]
    first = words_from_characters("www today", evenly("today"), 10.0)
    assert [w.word for w in first] == ["www today"]


def test_timings_are_clamped_and_ordered() -> None:
    text = "one two three"
    alignment = CharAlignment(
        list(text),
        [0.5] * 4 + [0.2] * 4 + [2.0] * 5,
        [0.9] * 4 + [0.4] * 4 + [9.0] * 5,
    )
    words = words_from_characters(text, alignment, 3.0)
    starts = [w.start for w in words]
    assert starts == sorted(starts)
    assert words[-1].end == 3.0
    assert all(w.start <= w.end for w in words)
