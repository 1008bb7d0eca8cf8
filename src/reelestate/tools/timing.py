"""Scene durations that add up to the length asked, with the cuts on the music's beats.

The length a person asks for is the length of the file they get: intro card, photos and outro
card together. Card lengths come from `render.timeline` (never from here), the photos share
what is left, and every cut lands on a frame, so the resolved timeline's total equals the
length asked to the frame. Cuts between photos then move to the nearest beat of the music
bed; the last photo absorbs the difference, so the total does not move.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass

from reelestate.providers.music.moods import MOODS
from reelestate.render.spec import MAX_SCENE_SECONDS

SHOT_MAX_SECONDS = 6.0
"""The longest a photo holds before a video feels slow; exceeded only to honour the length."""
SHOT_FLOOR_SECONDS = 0.8
"""The shortest a photo may flash by, only when a video's fewest photos leave no more time."""
READABLE_SECONDS = 1.5
"""The shortest a photo holds so it reads as a picture rather than a flash."""
LEAD_SECONDS = 0.25
"""A scene's first word comes this long after its cut, once the picture has settled."""
GAP_SECONDS = 0.3
"""Air after a scene's last word before the next photo comes in."""
TAIL_SECONDS = 0.4
"""Quiet time kept after the last word before the video (or its outro card) ends."""
FASTEST_RATE = 1.2
"""The fastest a free voice is sped up to fit a length; beyond it words blur."""
COLD_OPEN_VOICE_SECONDS = 0.5
"""When the length is short, the voice begins this far into the cold open (which shows the
first scene's photo), so the first scene's words need not wait for the cut."""
_BISECT_STEPS = 60


@dataclass(frozen=True)
class BeatGrid:
    """Where the music's beats fall, in seconds from the start of the video.

    Either a steady pulse (`period` from `phase` on, as the generated beds play) or the beat
    times found in a person's own track.
    """

    period: float | None = None
    phase: float = 0.0
    times: tuple[float, ...] = ()

    def between(self, low: float, high: float) -> list[float]:
        """The beats in [low, high], earliest first."""
        if self.period:
            first = math.ceil((low - self.phase) / self.period - 1e-9)
            last = math.floor((high - self.phase) / self.period + 1e-9)
            return [self.phase + k * self.period for k in range(max(first, 0), last + 1)]
        return [t for t in self.times if low <= t <= high]


def mood_beats(mood: str) -> BeatGrid | None:
    """The generated bed of `mood` starts on a beat at 0 s and keeps its tempo."""
    style = MOODS.get(mood)
    return BeatGrid(period=60.0 / style.bpm) if style else None


def spoken_needs(
    spoken: Sequence[float],
    *,
    intro: float,
    outro: float,
    relaxed: bool = False,
) -> list[float]:
    """Seconds each scene must last for the words that start on it (`spoken[i]` seconds).

    Each scene's words start `LEAD_SECONDS` after its cut and end `GAP_SECONDS` before the next
    one; the last scene's words may run on over the outro card. `relaxed` (for short lengths):
    the first scene's words begin in the cold open, and a scene's words may run on over the
    silent scenes after it, so those scenes share what the words need.
    """
    count = len(spoken)
    needs = [0.0] * count
    spoken_at = [i for i, s in enumerate(spoken) if s > 0]
    for k, i in enumerate(spoken_at):
        end = spoken_at[k + 1] if k + 1 < len(spoken_at) else count
        if not relaxed:
            end = i + 1
        start_gap = LEAD_SECONDS
        if relaxed and i == 0 and intro > 0:
            start_gap = COLD_OPEN_VOICE_SECONDS - intro
        need = start_gap + spoken[i] + GAP_SECONDS
        if end == count and i == spoken_at[-1] and (relaxed or i == count - 1):
            need = start_gap + spoken[i] + TAIL_SECONDS - outro
        share = max(0.0, need) / (end - i)
        for j in range(i, end):
            needs[j] = share
    return needs


@dataclass(frozen=True)
class LengthFit:
    durations: tuple[float, ...]
    notes: tuple[str, ...] = ()
    """What the fit had to give up, in words for the person (empty when nothing)."""


def _spread(
    weights: Sequence[float], lows: Sequence[float], highs: Sequence[float], total: float
) -> list[float]:
    """Durations `clamp(k * weight, low, high)` adding up to `total` (k found by bisection)."""

    def sized(k: float) -> list[float]:
        return [min(h, max(lo, k * w)) for w, lo, h in zip(weights, lows, highs, strict=True)]

    low_k, high_k = 0.0, max(highs) / max(min(weights), 1e-6) + 1.0
    for _ in range(_BISECT_STEPS):
        mid = (low_k + high_k) / 2
        if sum(sized(mid)) < total:
            low_k = mid
        else:
            high_k = mid
    return sized(high_k)


def _on_frames(durations: Sequence[float], start: float, end: float, fps: int) -> list[float]:
    """Durations whose cuts (counted from `start`) land on frames; the last one ends at `end`."""
    cuts = [start]
    elapsed = start
    for d in durations[:-1]:
        elapsed += d
        cuts.append(round(elapsed * fps) / fps)
    cuts.append(end)
    return [round(b - a, 6) for a, b in itertools.pairwise(cuts)]


def fit_durations(
    weights: Sequence[float],
    *,
    start: float,
    end: float,
    fps: int,
    needs: Sequence[float] | None = None,
    min_seconds: float,
    max_seconds: float = SHOT_MAX_SECONDS,
) -> LengthFit:
    """Scene durations filling [start, end] of the video (the time between the cards).

    `weights` share the time out (equal weights: equal scenes; the current durations: a
    proportional stretch); `needs` are what each scene must have (its narration). A scene
    holds at most `max_seconds` unless the photos cannot fill the time otherwise.
    """
    count = len(weights)
    if count == 0:
        return LengthFit(())
    total = end - start
    wanted = list(needs or [0.0] * count)
    short = False
    lows = [max(min_seconds, n) for n in wanted]
    notes: list[str] = []
    if sum(lows) > total + 1e-6:
        floor = min(min_seconds, READABLE_SECONDS)
        if sum(max(floor, n) for n in wanted) > total + 1e-6:
            share = (total - sum(wanted)) / count
            floor = max(SHOT_FLOOR_SECONDS, min(min_seconds, READABLE_SECONDS, share))
        lows = [max(floor, n) for n in wanted]
        short = sum(lows) <= total + 1e-6 and floor < READABLE_SECONDS
    highs = [max(lo, max_seconds) for lo in lows]
    if sum(lows) > total + 1e-6:
        durations = lows
        notes.append(
            f"The narration needs {sum(lows):.1f} s of photos but the length leaves "
            f"{total:.1f} s, so the video runs {sum(lows) - total:.1f} s longer than asked."
        )
        return LengthFit(tuple(_on_frames(durations, start, start + sum(lows), fps)), tuple(notes))
    if sum(highs) < total - 1e-6:
        highs = [max(lo, MAX_SCENE_SECONDS) for lo in lows]
        notes.append(
            f"{count} photos are few for {total:.0f} s between the cards: each holds about "
            f"{total / count:.1f} s (a lively video changes photo every {max_seconds:g} s "
            "or sooner). Add photos for a livelier video."
        )
    durations = _spread([max(w, 1e-3) for w in weights], lows, highs, total)
    if short:
        notes.insert(
            0,
            f"{total:.1f} s between the cards is short for {count} photos: "
            f"some show for only {min(durations):.1f} s.",
        )
    return LengthFit(tuple(_on_frames(durations, start, end, fps)), tuple(notes))


def snap_to_beats(
    durations: Sequence[float],
    *,
    start: float,
    fps: int,
    beats: BeatGrid,
    needs: Sequence[float] | None = None,
    min_seconds: float,
) -> tuple[float, ...]:
    """The same scenes with every cut between two photos moved to the nearest beat.

    A cut moves only as far as the scenes around it allow (each keeps `min_seconds` and its
    need); the last scene absorbs the difference, so the end of the photos does not move.
    """
    count = len(durations)
    if count < 2:
        return tuple(durations)
    lows = [max(min_seconds, n) for n in (needs or [0.0] * count)]
    end = start + sum(durations)
    cuts = [start]
    elapsed = start
    for d in durations[:-1]:
        elapsed += d
        cuts.append(elapsed)
    cuts.append(end)
    snapped = [start]
    for j in range(1, count):
        earliest = snapped[-1] + lows[j - 1]
        latest = end - sum(lows[j:])
        options = [b for b in beats.between(earliest, latest) if round(b * fps) / fps >= earliest]
        target = min(options, key=lambda b: abs(b - cuts[j])) if options else cuts[j]
        snapped.append(round(target * fps) / fps)
    snapped.append(end)
    return tuple(round(b - a, 6) for a, b in itertools.pairwise(snapped))
