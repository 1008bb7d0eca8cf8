"""What photo analysis says about one photo, whichever analyser produced it."""

from __future__ import annotations

from pathlib import Path
from typing import Literal, Protocol

from pydantic import BaseModel, ConfigDict, Field

from reelestate.core.errors import PhotoError

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
    index: int = Field(default=0, ge=0)
    """Position of this photo in the batch it was analysed with (`duplicate_of` refers to it)."""
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


class PhotoFailure(BaseModel):
    """A photo that could not be analysed at all (missing, empty, damaged, too large)."""

    model_config = ConfigDict(frozen=True)

    path: Path
    index: int = Field(ge=0)
    code: str
    message: str
    hint: str | None = None

    @property
    def reason(self) -> str:
        """The failure as one sentence a user can act on."""
        return f"{self.message} {self.hint}" if self.hint else self.message


class PhotoBatch(BaseModel):
    """A batch analysed leniently: one bad photo does not cost the others."""

    model_config = ConfigDict(frozen=True)

    results: list[PhotoAnalysis]
    failures: list[PhotoFailure] = []

    def raise_for_failures(self) -> None:
        """Raise `PhotoError` naming the first photo that could not be analysed."""
        if self.failures:
            first = self.failures[0]
            raise PhotoError(first.message, hint=first.hint)


class PhotoAnalyser(Protocol):
    """Analyses a batch, so duplicates can be found across it."""

    name: str

    def analyse(self, paths: list[Path]) -> list[PhotoAnalysis]:
        """One analysis per path, in order; raises `PhotoError` for the first unreadable photo."""
        ...

    def analyse_batch(self, paths: list[Path]) -> PhotoBatch:
        """Results for the readable photos and a failure for each other one."""
        ...
