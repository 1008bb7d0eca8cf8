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
    FactsCard,
    FitMode,
    Motion,
    OverlayKind,
    RenderFlags,
    RenderSpec,
    Scene,
    Transition,
)

INTRO_SECONDS = 2.5
"""The cold open: the hero photo (the first scene's) with the address and the price."""
OUTRO_SECONDS = 3.0
"""The closing card: the call to action, the agent's name and phone, the brokerage."""
CARD_TRANSITION = Transition(kind="crossfade", duration=0.5)
CUT = Transition(kind="cut", duration=0.0)
CARD_MOTION = Motion(kind="zoom_in", strength=0.04, easing="linear")
INTRO_MOTION = Motion(kind="zoom_in", strength=0.06, easing="linear")
"""The cold open's own move, used only when the first scene is a generated clip."""


@dataclass(frozen=True)
class Shot:
    index: int
    kind: Literal["photo", "intro", "outro"]
    photo: Path | None
    clip: Path | None
    """A generated video shown instead of the photo's camera motion."""
    card: FactsCard | None
    """The facts card drawn over the photo instead of a camera move."""
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
    path_start: int
    path_end: int
    """The frames the camera path spans: the shot's own, or the cold open's and the first
    scene's together, so the camera keeps moving across the cut between them."""

    @property
    def frames(self) -> int:
        return self.end_frame - self.start_frame

    def progress(self, frame: int) -> float:
        """Where the camera is (0..1) at a global frame number."""
        span = max(1, self.path_end - 1 - self.path_start)
        return (frame - self.path_start) / span


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


def continuous_open(spec: RenderSpec) -> bool:
    """Whether the cold open and the first scene are one camera move over the hero photo, cut
    together; a generated first clip instead crossfades from the cold open's own move."""
    return spec.brand.intro_card and spec.scenes[0].clip is None


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
        into = CUT if continuous_open(spec) else CARD_TRANSITION
        plan.append(_Planned("intro", intro, into))
    plan.extend(_Planned("photo", s.duration, s.transition, s) for s in spec.scenes)
    if outro:
        plan.append(_Planned("outro", outro, CARD_TRANSITION))
    return plan


def _card_motion(kind: Literal["photo", "intro", "outro"]) -> Motion:
    return INTRO_MOTION if kind == "intro" else CARD_MOTION


def total_frames(spec: RenderSpec) -> int:
    """Frames the rendered video has: cards and scenes, transitions overlapping inside them."""
    return round(sum(item.duration for item in _plan(spec)) * spec.frame_rate)


def total_seconds(spec: RenderSpec) -> float:
    """The rendered video's length in seconds: the one source of truth for "how long"."""
    return total_frames(spec) / spec.frame_rate


def build_timeline(spec: RenderSpec) -> Timeline:
    """Cards and scenes as shots with frame ranges and transition overlaps."""
    plan = _plan(spec)
    fps = spec.frame_rate
    bounds: list[int] = []
    elapsed = 0.0
    for item in plan:
        bounds.append(round(elapsed * fps))
        elapsed += item.duration
    bounds.append(round(elapsed * fps))
    shots: list[Shot] = []
    previous_overlap = 0
    joined = continuous_open(spec)
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
        # The cold open shows the hero photo: the first scene's, and with a continuous open its
        # camera move too, begun earlier and spanning both shots.
        photo_scene = spec.scenes[0] if item.kind == "intro" else scene
        motion = scene.motion if scene else _card_motion(item.kind)
        path = (start - previous_overlap, end)
        if joined and i < 2:
            motion = spec.scenes[0].motion
            path = (bounds[0], bounds[2])
        shots.append(
            Shot(
                index=i,
                kind=item.kind,
                photo=photo_scene.photo if photo_scene else None,
                clip=scene.clip if scene else None,
                card=scene.card if scene else None,
                motion=motion,
                focal=(photo_scene.focal_point.x, photo_scene.focal_point.y)
                if photo_scene and photo_scene.focal_point
                else (0.5, 0.5),
                fit=photo_scene.fit if photo_scene else "smart_crop",
                caption=scene.caption if scene else None,
                overlay=scene.overlay if scene else "none",
                transition=item.transition,
                ai_generated=bool(scene and (scene.ai_generated or scene.clip is not None)),
                start_frame=start,
                end_frame=end,
                visible_start=start - previous_overlap,
                transition_frames=overlap,
                path_start=path[0],
                path_end=path[1],
            )
        )
        previous_overlap = overlap
    voice_start = card_seconds(spec.brand, spec.flags)[0]
    return Timeline(shots=shots, fps=fps, total_frames=bounds[-1], voice_start=voice_start)
