"""Storyboard data: the photos on offer, scenes, settings and immutable versions."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from reelestate.core.styles import Style
from reelestate.providers.music.uploaded import MusicTrackInfo
from reelestate.providers.tts.base import VoiceStyle
from reelestate.providers.vision.base import PhotoAnalysis, RoomType
from reelestate.render.spec import (
    AiMotion,
    Aspect,
    FocalPoint,
    Motion,
    MusicMood,
    OverlayKind,
    RenderSpec,
    Transition,
)
from reelestate.render.timeline import card_seconds
from reelestate.tools.script_facts import confident_room
from reelestate.tools.timing import SHOT_FLOOR_SECONDS

MIN_SCENES = 5
MAX_SCENES = 40
MIN_TOTAL_SECONDS = 5.0
MAX_TOTAL_SECONDS = 180.0
MIN_SCENE_SECONDS = 2.0
"""The shortest scene a plan or a retime gives; only a very short length goes below it."""
SHORTEST_SCENE_SECONDS = SHOT_FLOOR_SECONDS
MAX_SCENE_SECONDS = 30.0
MAX_CAPTION_CHARS = 60
STORYBOARD_FPS: int = RenderSpec.model_fields["fps"].default
"""Frames per second a storyboard's cuts are placed on (the render spec's default)."""


def storyboard_cards() -> tuple[float, float]:
    """(intro, outro) seconds a storyboard counts: the cards of the default brand kit."""
    return card_seconds()


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class StoryboardPhoto(_Frozen):
    """One analysed photo the storyboard may show (numbers in messages are `index + 1`)."""

    index: int = Field(ge=0)
    path: Path
    width: int = Field(gt=0)
    height: int = Field(gt=0)
    room: RoomType
    """The confident label, or `unsure`/`other` when it cannot be stated."""
    focal_point: FocalPoint = FocalPoint()
    reject_reasons: tuple[str, ...] = ()

    @classmethod
    def from_analysis(cls, index: int, analysis: PhotoAnalysis) -> StoryboardPhoto:
        reasons = list(analysis.reject_reasons)
        if analysis.duplicate_of is not None and not any("duplicate" in r for r in reasons):
            reasons.append(f"duplicate of photo {analysis.duplicate_of + 1}")
        room = confident_room(analysis) or ("other" if analysis.room == "other" else "unsure")
        return cls(
            index=index,
            path=analysis.path,
            width=analysis.width,
            height=analysis.height,
            room=room,
            focal_point=FocalPoint(x=analysis.focal_point.x, y=analysis.focal_point.y),
            reject_reasons=tuple(reasons),
        )


SceneKind = Literal["photo", "infographic"]


class StoryboardScene(_Frozen):
    photo_index: int = Field(ge=0)
    photo: Path
    """The photo shown; for a facts card, the photo behind it."""
    room: RoomType
    duration: float
    motion: Motion = Motion()
    motion_locked: bool = False
    """True once the user picked the motion; style and aspect changes then leave it alone."""
    focal_point: FocalPoint = FocalPoint()
    caption: str | None = None
    overlay: OverlayKind = "none"
    transition: Transition = Transition()
    ai_motion: AiMotion | None = None
    """Generated motion asked for this scene; `motion` stays as its fallback."""
    kind: SceneKind = "photo"
    """`infographic`: the listing's facts card (price, rooms, area, agent) over the photo."""
    highlights: tuple[str, ...] = Field(default=(), max_length=3)
    """The facts card's highlights (up to three); empty for a photo scene."""

    @property
    def is_card(self) -> bool:
        return self.kind == "infographic"


class MusicTrackRef(_Frozen):
    """A track the user gave (checked when it arrived), played instead of the mood's bed."""

    path: Path
    """The file: a local path, or a blob key of the organisation in a stored storyboard."""
    name: str = Field(min_length=1, max_length=120)
    """What the user called it, for messages."""
    info: MusicTrackInfo


class StoryboardSettings(_Frozen):
    style: Style = "modern"
    aspect: Aspect = "9:16"
    voice: str = Field(default="en-us", min_length=1, max_length=80)
    """`provider:voice` (`elevenlabs:Rachel`, `openai:alloy`) or an espeak-ng voice."""
    voice_model: str | None = Field(default=None, max_length=80)
    """The voice provider's model id, from the brand kit; dropped when the provider changes."""
    voice_style: VoiceStyle | None = None
    """Voice settings from the brand kit (stability, similarity, style, speed)."""
    music_mood: MusicMood = "calm"
    music_track: MusicTrackRef | None = None
    """The user's own track; `None` plays the generated bed of `music_mood`."""
    length_seconds: float = Field(default=30, ge=MIN_TOTAL_SECONDS, le=MAX_TOTAL_SECONDS)
    captions: bool = True
    """Burn word-by-word narration captions into the video."""


class StoryboardVersion(_Frozen):
    """One state of the storyboard; a change makes a new version, never edits this one."""

    number: int = Field(ge=1)
    author: str = Field(min_length=1, max_length=80)
    created_at: datetime
    reason: str = Field(max_length=300)
    scenes: tuple[StoryboardScene, ...]
    settings: StoryboardSettings
    notes: tuple[str, ...] = ()
    """What planning this version had to give up, in words for the person (length, facts)."""

    @property
    def scene_seconds(self) -> float:
        """The photos' share of the video, without the cards."""
        return round(sum(scene.duration for scene in self.scenes), 3)

    @property
    def total_seconds(self) -> float:
        """The video's length, cards included, to the frame: what the person asked for."""
        intro, outro = storyboard_cards()
        frames = round((intro + sum(s.duration for s in self.scenes) + outro) * STORYBOARD_FPS)
        return round(frames / STORYBOARD_FPS, 3)

    def same_content(self, other: StoryboardVersion) -> bool:
        """True when both versions would render the same video."""
        return self.scenes == other.scenes and self.settings == other.settings
