"""A storyboard's scenes fitted to its length: the cards counted, the cuts on the beat.

The storyboard counts the default brand kit's cards (from `render.timeline`); a render with
other cards is fitted again to the same total (`narration_fit.fit_scenes_to_length`).
"""

from __future__ import annotations

from collections.abc import Sequence

from reelestate.tools.storyboard_model import (
    MIN_SCENE_SECONDS,
    STORYBOARD_FPS,
    StoryboardScene,
    StoryboardSettings,
    storyboard_cards,
)
from reelestate.tools.timing import BeatGrid, fit_durations, mood_beats, snap_to_beats


def settings_beats(settings: StoryboardSettings) -> BeatGrid | None:
    """The beats of the music the storyboard plays: the person's track's, or the bed's."""
    if settings.music_track is not None:
        info = settings.music_track.info
        return BeatGrid(times=tuple(info.beats)) if info.beats else None
    return mood_beats(settings.music_mood)


def fit_scene_lengths(
    scenes: Sequence[StoryboardScene],
    settings: StoryboardSettings,
    length_seconds: float,
    *,
    needs: Sequence[float] | None = None,
    equal: bool = False,
) -> tuple[list[StoryboardScene], tuple[str, ...]]:
    """`scenes` lasting `length_seconds` with the cards, to the frame, cuts on the beat.

    `equal`: share the time out evenly (a first plan); otherwise keep the scenes' proportions
    (a new length for an edited storyboard). `needs`: seconds each scene's narration takes.
    """
    if not scenes:
        return [], ()
    intro, outro = storyboard_cards()
    weights = [1.0] * len(scenes) if equal else [s.duration for s in scenes]
    fit = fit_durations(
        weights,
        start=intro,
        end=length_seconds - outro,
        fps=STORYBOARD_FPS,
        needs=needs,
        min_seconds=MIN_SCENE_SECONDS,
    )
    durations = fit.durations
    grid = settings_beats(settings)
    if grid is not None:
        durations = snap_to_beats(
            durations,
            start=intro,
            fps=STORYBOARD_FPS,
            beats=grid,
            needs=needs,
            min_seconds=MIN_SCENE_SECONDS,
        )
    fitted = [s.model_copy(update={"duration": d}) for s, d in zip(scenes, durations, strict=True)]
    return fitted, fit.notes
