"""What a facts card is made from, checked before any frame is drawn.

A facts card ("3 bd · 3 ba · 2,361 sq ft · $988,000") is posted as often as a tour, so it is a
render of its own: the listing's facts, the brand kit and one hero photo in, a short animated
card out. Everything a user can get wrong (no price and no rooms, a fourth highlight, a
length outside 6 to 10 seconds) is refused here with a message that says what to change.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from reelestate.core.errors import InvalidInputError
from reelestate.render.spec import ASPECT_SIZES, PREVIEW_WIDTH, Aspect, BrandKit, MusicMood, Profile

MIN_SECONDS = 6.0
MAX_SECONDS = 10.0
MAX_HIGHLIGHTS = 3
MAX_HIGHLIGHT_CHARS = 48


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class InfographicFacts(_Model):
    """The facts a card states; at least a price or a room count, or there is nothing to show."""

    address: str | None = Field(default=None, max_length=120)
    price: int | None = Field(default=None, gt=0, le=10_000_000_000)
    beds: float | None = Field(default=None, ge=0, le=100)
    baths: float | None = Field(default=None, ge=0, le=100)
    area_sqft: int | None = Field(default=None, gt=0, le=10_000_000)
    currency: str = Field(default="USD", pattern=r"^[A-Z]{3}$")
    highlights: list[str] = []
    kicker: str = Field(default="Just listed", min_length=1, max_length=24)
    """The small label above the address ("Just listed", "Open house", "Price drop")."""

    @field_validator("beds", "baths")
    @classmethod
    def _halves(cls, value: float | None) -> float | None:
        if value is not None and (value * 2) % 1:
            raise ValueError(f"rooms are counted in halves at most, got {value:g}")
        return value

    @field_validator("highlights")
    @classmethod
    def _highlights(cls, value: list[str]) -> list[str]:
        cleaned = [" ".join(h.split()) for h in value if h.strip()]
        if len(cleaned) > MAX_HIGHLIGHTS:
            raise ValueError(
                f"a card shows at most {MAX_HIGHLIGHTS} highlights, got {len(cleaned)}"
            )
        for h in cleaned:
            if len(h) > MAX_HIGHLIGHT_CHARS:
                raise ValueError(
                    f"a highlight is at most {MAX_HIGHLIGHT_CHARS} characters: {h[:30]!r}..."
                )
        return cleaned

    @model_validator(mode="after")
    def _something(self) -> InfographicFacts:
        if (
            self.price is None
            and self.beds is None
            and self.baths is None
            and self.area_sqft is None
        ):
            raise ValueError("a facts card needs the price or at least one of beds, baths and area")
        return self


class InfographicSpec(_Model):
    """One card video: facts, brand, hero photo, aspect, length and sound."""

    facts: InfographicFacts
    brand: BrandKit = BrandKit()
    photo: Path | None = None
    """The hero photo behind the scrim; None draws the brand gradient alone."""
    aspect: Aspect = "9:16"
    profile: Profile = "final"
    fps: Literal[24, 25, 30] = 30
    duration: float = Field(default=8.0, ge=MIN_SECONDS, le=MAX_SECONDS)
    voice_text: str | None = Field(default=None, min_length=1, max_length=300)
    """A line spoken over the card; synthesised by the caller's voice."""
    music: MusicMood | None = "warm"
    """The embedded bed under the card; None for a silent track."""
    ai_disclosure: bool = False
    """Set when the hero photo was generated or staged by a model."""

    @property
    def size(self) -> tuple[int, int]:
        width, height = ASPECT_SIZES[self.aspect]
        if self.profile == "preview":
            scale = PREVIEW_WIDTH / width
            width, height = PREVIEW_WIDTH, round(height * scale / 2) * 2
        return width, height


def parse_infographic(data: object) -> InfographicSpec:
    """`data` as an `InfographicSpec`, or one `InvalidInputError` naming each bad field."""
    try:
        return InfographicSpec.model_validate(data)
    except ValidationError as exc:
        parts = []
        for err in exc.errors()[:5]:
            where = ".".join(str(p) for p in err["loc"])
            msg = str(err["msg"]).removeprefix("Value error, ")
            parts.append(f"{where}: {msg}" if where else msg)
        raise InvalidInputError(
            f"The facts card cannot be made: {'; '.join(parts)}.",
            hint="Fix the listed facts and try again.",
        ) from exc
