from __future__ import annotations

import itertools

import pytest

from reelestate.providers.tts.base import WordTiming
from reelestate.render.captions import (
    WORD_JOINER,
    Cue,
    ass_events,
    build_cues,
    escape_ass_text,
    srt_document,
)


def _words(text: str, step: float = 0.4) -> list[WordTiming]:
    return [
        WordTiming(word=w, start=i * step, end=i * step + step * 0.9)
        for i, w in enumerate(text.split())
    ]


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("{\\fs200}Huge", "\\{\\" + WORD_JOINER + "fs200\\}Huge"),
        ("a }{ b", "a \\}\\{ b"),
        ("line\\Nbreak", "line\\" + WORD_JOINER + "Nbreak"),
        ("two\nlines", "two lines"),
        ("مرحبا 🏡", "مرحبا 🏡"),
    ],
)
def test_user_text_is_escaped_for_libass(raw: str, expected: str) -> None:
    escaped = escape_ass_text(raw)
    assert escaped == expected
    # No unescaped brace survives: every brace is preceded by a backslash.
    for i, ch in enumerate(escaped):
        if ch in "{}":
            assert escaped[i - 1] == "\\"


def test_cues_break_on_length_sentences_and_pauses() -> None:
    words = _words("Welcome home. This bright kitchen has a gas range and lots of counter space")
    words.append(WordTiming(word="Later", start=words[-1].end + 1.0, end=words[-1].end + 1.3))
    cues = build_cues(words, offset=2.0, max_chars=24)
    assert cues[0].text == "Welcome home."
    assert all(len(c.text) <= 24 for c in cues)
    assert cues[-1].text == "Later"
    assert cues[0].start == pytest.approx(2.0)
    for a, b in itertools.pairwise(cues):
        assert a.end <= b.start


def test_srt_times_equal_word_timings() -> None:
    words = _words("Three bedrooms and two baths")
    cues = build_cues(words, offset=1.5, max_chars=40)
    srt = srt_document(cues)
    assert srt.startswith("1\n00:00:01,500 --> 00:00:03,")
    end_ms = round((words[-1].end + 1.5) * 1000)
    assert f"00:00:0{end_ms // 1000},{end_ms % 1000:03d}" in srt
    assert "Three bedrooms and two baths" in srt


def test_karaoke_tags_follow_word_starts_and_clip_to_window() -> None:
    cue = Cue(
        words=(
            WordTiming(word="Sunny", start=10.0, end=10.4),
            WordTiming(word="patio", start=10.5, end=11.0),
        ),
        start=10.0,
        end=11.0,
    )
    full = ass_events([cue])
    assert "0:00:10.00,0:00:11.00" in full
    assert "{\\k50}Sunny {\\k50}patio" in full
    clipped = ass_events([cue], window=(10.3, 12.0))
    # Starts at the window, first word already sung (\k0), second after 0.2 s.
    assert "Dialogue: 0,0:00:00.00,0:00:00.70" in clipped
    assert "{\\k0}Sunny {\\k20}{\\k50}patio" not in clipped
    assert "{\\k20}Sunny {\\k50}patio" in clipped
    assert ass_events([cue], window=(11.0, 12.0)) == ""


def test_titles_are_escaped_not_karaoke() -> None:
    title = Cue(
        words=(WordTiming(word="{\\b1}Pool", start=1, end=2),), start=1, end=2, style="Title"
    )
    line = ass_events([title])
    assert ",Title,," in line
    assert "\\{\\" + WORD_JOINER + "b1\\}Pool" in line
    assert srt_document([title]) == ""
