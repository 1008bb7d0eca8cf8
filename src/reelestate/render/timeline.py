"""The resolved timeline: every shot (cards included) with exact frame ranges.

Times become frame numbers once, here, by rounding cumulative start times; every later
step (segments, captions, probe) works from the same integers, so the rendered duration
matches the storyboard to the frame.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from reelestate.render.spec import (
    BrandKit,
    FitMode,
    Motion,
    OverlayKind,
    RenderFlags,
    RenderSpec,
    Scene,
    Transition,
)

INTRO_SECONDS = 2.5
OUTRO_SECONDS = 3.0
CARD_TRANSITION = Transition(kind="crossfade", duration=0.5)
CARD_MOTION = Motion(kind="zoom_in", strength=0.04, easing="linear")


@dataclass(frozen=True)
class Shot:
    index: int
    kind: Literal["photo", "intro", "outro"]
    photo: Path | None
    clip: Path | None
    """A generated video shown instead of the photo's camera motion."""
    motion: Motion
    focal: tuple[float, float]
    fit: FitMode
    caption: str | None
    overlay: OverlayKind
    transition: Transition
    ai_generated: bool
    start_frame: int
    end_frame: int
    visible_start: int
    """First frame in which the shot is seen: earlier than `start_frame` when it fades in."""
    transition_frames: int
    """Frames at the end of this shot blended into the next one (0 for a cut or the last shot)."""

    @property
    def frames(self) -> int:
        return self.end_frame - self.start_frame

    def progress(self, frame: int) -> float:
        """Where the camera is (0..1) at a global frame number."""
        span = max(1, self.end_frame - 1 - self.visible_start)
        return (frame - self.visible_start) / span


@dataclass(frozen=True)
class Timeline:
    shots: list[Shot]
    fps: int
    total_frames: int
    voice_start: float
    """Seconds into the video at which narration starts."""

    @property
    def duration(self) -> float:
        return self.total_frames / self.fps

    def seconds(self, frame: int) -> float:
        return frame / self.fps


@dataclass(frozen=True)
class _Planned:
    kind: Literal["photo", "intro", "outro"]
    duration: float
    transition: Transition
    scene: Scene | None = None


def card_seconds(
    brand: BrandKit | None = None, flags: RenderFlags | None = None
) -> tuple[float, float]:
    """(intro, outro) seconds the cards add for this brand; a card that is off adds 0.

    Planners read card lengths here, never from their own constants, so a change to the
    cards changes every length calculation with it.
    """
    brand = brand or BrandKit()
    flags = flags or RenderFlags()
    intro = INTRO_SECONDS if brand.intro_card else 0.0
    outro = OUTRO_SECONDS if brand.outro_card and not flags.unbranded else 0.0
    return intro, outro


def _plan(spec: RenderSpec) -> list[_Planned]:
    intro, outro = card_seconds(spec.brand, spec.flags)
    plan: list[_Planned] = []
    if intro:
        plan.append(_Planned("intro", intro, CARD_TRANSITION))
    plan.extend(_Planned("photo", s.duration, s.transition, s) for s in spec.scenes)
    if outro:
        plan.append(_Planned("outro", outro, CARD_TRANSITION))
    return plan


def total_frames(spec: RenderSpec) -> int:
    """Frames the rendered video has: cards and scenes, transitions overlapping inside them."""
    return round(sum(item.duration for item in _plan(spec)) * spec.fps)


def total_seconds(spec: RenderSpec) -> float:
    """The rendered video's length in seconds: the one source of truth for "how long"."""
    return total_frames(spec) / spec.fps


def build_timeline(spec: RenderSpec) -> Timeline:
    """Cards and scenes as shots with frame ranges and transition overlaps."""
    plan = _plan(spec)
    fps = spec.fps
    bounds: list[int] = []
    elapsed = 0.0
    for item in plan:
        bounds.append(round(elapsed * fps))
        elapsed += item.duration
    bounds.append(round(elapsed * fps))
    shots: list[Shot] = []
    previous_overlap = 0
    for i, item in enumerate(plan):
        start, end = bounds[i], bounds[i + 1]
        is_last = i == len(plan) - 1
        overlap = 0
        if not is_last and item.transition.kind != "cut":
            overlap = min(
                round(item.transition.duration * fps),
                (end - start) // 2,
                (bounds[i + 2] - end) // 2,
            )
        scene = item.scene
        shots.append(
            Shot(
                index=i,
                kind=item.kind,
                photo=scene.photo if scene else None,
                clip=scene.clip if scene else None,
                motion=scene.motion if scene else CARD_MOTION,
                focal=(scene.focal_point.x, scene.focal_point.y)
                if scene and scene.focal_point
                else (0.5, 0.5),
                fit=scene.fit if scene else "smart_crop",
                caption=scene.caption if scene else None,
                overlay=scene.overlay if scene else "none",
                transition=item.transition,
                ai_generated=bool(scene and (scene.ai_generated or scene.clip is not None)),
                start_frame=start,
                end_frame=end,
                visible_start=start - previous_overlap,
                transition_frames=overlap,
            )
        )
        previous_overlap = overlap
    voice_start = card_seconds(spec.brand, spec.flags)[0]
    return Timeline(shots=shots, fps=fps, total_frames=bounds[-1], voice_start=voice_start)
