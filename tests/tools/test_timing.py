"""Scene durations that fill the length to the frame, with the cuts on the beat."""

from __future__ import annotations

import random

import pytest

from reelestate.providers.music.moods import MOODS
from reelestate.render.spec import RenderSpec, Scene
from reelestate.render.timeline import build_timeline, card_seconds, total_seconds
from reelestate.tools.narration_fit import fit_scenes_to_length
from reelestate.tools.timing import (
    READABLE_SECONDS,
    BeatGrid,
    fit_durations,
    mood_beats,
    snap_to_beats,
    spoken_needs,
)


def _spec(durations: list[float], mood: str = "calm") -> RenderSpec:
    return RenderSpec(
        scenes=[Scene(photo=f"/p/{i}.jpg", duration=d) for i, d in enumerate(durations)],
        music={"mood": mood},
    )


@pytest.mark.parametrize("length", [10, 15, 20, 27.7, 30, 45, 60, 90])
def test_the_timeline_lasts_the_length_asked_to_the_frame(length: float) -> None:
    rng = random.Random(int(length * 10))
    most = 5 if length < 15 else 14
    spec = _spec([rng.uniform(2, 5) for _ in range(rng.randint(5, most))])
    fitted, _ = fit_scenes_to_length(spec, length)
    assert build_timeline(fitted).total_frames == round(length * 30)
    assert total_seconds(fitted) == pytest.approx(length, abs=1 / 60)
    RenderSpec.model_validate(fitted.model_dump())  # still a valid spec


@pytest.mark.parametrize("mood", sorted(MOODS))
def test_cuts_between_photos_land_on_the_generated_beds_beats(mood: str) -> None:
    spec = _spec([3.0] * 8, mood)
    fitted, _ = fit_scenes_to_length(spec, 30)
    period = 60 / MOODS[mood].bpm
    timeline = build_timeline(fitted)
    photos = [s for s in timeline.shots if s.kind == "photo"]
    for shot in photos[1:]:
        cut = shot.start_frame / 30
        assert abs(cut - round(cut / period) * period) <= 1 / 30
    assert timeline.total_frames == 900


def test_needs_are_kept_and_a_short_length_says_so() -> None:
    fit = fit_durations([1, 1, 1, 1, 1], start=2.5, end=12.0, fps=30, min_seconds=2.0)
    assert sum(fit.durations) == pytest.approx(9.5)
    assert fit.notes == ()  # 1.9 s a photo reads well
    fit = fit_durations([1, 1, 1, 1, 1], start=2.5, end=7.0, fps=30, min_seconds=2.0)
    assert sum(fit.durations) == pytest.approx(4.5)
    assert fit.notes and "short for 5 photos" in fit.notes[0]
    needs = [4.0, 0, 0, 3.0, 0]
    fit = fit_durations([1] * 5, start=2.5, end=24.5, fps=30, needs=needs, min_seconds=2.0)
    assert all(d >= n - 1e-6 for d, n in zip(fit.durations, needs, strict=True))
    assert max(fit.durations) <= 6.0 + 1e-6


def test_few_photos_for_a_long_video_hold_longer_and_say_so() -> None:
    fit = fit_durations([1] * 5, start=2.5, end=87.0, fps=30, min_seconds=2.0)
    assert sum(fit.durations) == pytest.approx(84.5)
    assert "Add photos" in fit.notes[0]


def test_snapping_keeps_the_end_and_each_scenes_need() -> None:
    grid = BeatGrid(period=0.5)
    durations = snap_to_beats(
        [3.1, 2.9, 3.3, 2.7], start=2.5, fps=30, beats=grid, needs=[0, 3.0, 0, 0], min_seconds=2
    )
    assert sum(durations) == pytest.approx(12.0)
    assert durations[1] >= 3.0
    assert mood_beats("nope") is None
    assert card_seconds()[0] > 0


def test_a_long_sentence_leaves_the_other_photos_readable_not_flashing() -> None:
    fit = fit_durations([1] * 5, start=2.5, end=12.0, fps=30, needs=[3.5, 0, 0, 0, 0],
                        min_seconds=2.0)  # fmt: skip
    assert min(fit.durations) >= READABLE_SECONDS - 1 / 30
    assert sum(fit.durations) == pytest.approx(9.5)
    assert fit.notes == ()


def test_short_lengths_let_words_begin_in_the_cold_open_and_run_over_silent_photos() -> None:
    strict = spoken_needs([3.0, 0, 6.0, 0, 0], intro=2.5, outro=3.0)
    assert strict == pytest.approx([3.55, 0, 6.55, 0, 0])
    relaxed = spoken_needs([3.0, 0, 6.0, 0, 0], intro=2.5, outro=3.0, relaxed=True)
    assert relaxed[:2] == pytest.approx([0.65, 0.65])  # from 0.5 s into the cold open
    assert relaxed[2:] == pytest.approx([(0.25 + 6.0 + 0.4 - 3.0) / 3] * 3)  # into the outro
