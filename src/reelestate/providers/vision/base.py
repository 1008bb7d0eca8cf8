"""What photo analysis says about one photo, whichever analyser produced it."""

from __future__ import annotations

from pathlib import Path
from typing import Literal, Protocol

from pydantic import BaseModel, ConfigDict, Field

RoomType = Literal["exterior", "kitchen", "bedroom", "bathroom", "living_room", "other", "unsure"]
Orientation = Literal["landscape", "portrait", "square"]


class Point(BaseModel):
    model_config = ConfigDict(frozen=True)

    x: float = Field(ge=0, le=1)
    y: float = Field(ge=0, le=1)


class PhotoAnalysis(BaseModel):
    """Quality, content and framing facts about one photo; `reject_reasons` empty means usable."""

    model_config = ConfigDict(frozen=True)

    path: Path
    width: int
    height: int
    orientation: Orientation
    room: RoomType
    room_confidence: float = Field(ge=0, le=1)
    sharpness: float = Field(ge=0, description="size-normalised variance of the Laplacian")
    exposure: float = Field(
        ge=-1, le=1, description="-1 far too dark, 0 balanced, 1 far too bright"
    )
    clipped_highlights: float = Field(ge=0, le=1)
    clipped_shadows: float = Field(ge=0, le=1)
    colour_cast: float = Field(ge=0, description="distance of the mean chroma from neutral")
    phash: str
    duplicate_of: int | None = None
    """Index (in the analysed batch) of the better photo this one duplicates."""
    focal_point: Point
    reject_reasons: list[str] = []
    analyser: str = "embedded"

    @property
    def usable(self) -> bool:
        return not self.reject_reasons


class PhotoAnalyser(Protocol):
    """Analyses a batch, so duplicates can be found across it."""

    name: str

    def analyse(self, paths: list[Path]) -> list[PhotoAnalysis]: ...
