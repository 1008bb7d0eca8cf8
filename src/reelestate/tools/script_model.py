"""The narration script: lines tied to the facts they state and the photo they play over."""

from __future__ import annotations

from typing import Protocol

from pydantic import BaseModel, ConfigDict, Field

from reelestate.core.styles import Style
from reelestate.providers.vision.base import PhotoAnalysis
from reelestate.tools.listing import Listing
from reelestate.tools.numbers import spoken_word_count
from reelestate.tools.script_facts import FactSheet
from reelestate.tools.shot_plan import PlannedShot

DEFAULT_WORDS_PER_MINUTE = 165.0
SENTENCE_PAUSE_SECONDS = 0.2
"""The breath a voice takes between sentences, added to each line's estimate."""


def estimate_seconds(text: str, words_per_minute: float) -> float:
    """How long a voice speaking at `words_per_minute` takes to say `text`."""
    return round(spoken_word_count(text) * 60.0 / words_per_minute + SENTENCE_PAUSE_SECONDS, 2)


class ScriptLine(BaseModel):
    model_config = ConfigDict(frozen=True)

    text: str = Field(min_length=1, max_length=400)
    facts: frozenset[str] = frozenset()
    """Fact keys it states: price, beds, baths, area, address, city, highlight:<i>, room:<r>."""
    photo_index: int | None = None
    """The analysed photo this line is spoken over; None for a line with no photo of its own."""
    duration: float = Field(ge=0)
    """Estimated seconds to speak the line, from its word count and the speaking rate."""
    slot: str | None = None
    """The template slot it came from (opening, kitchen, ...), or None for free-written lines."""


class Script(BaseModel):
    model_config = ConfigDict(frozen=True)

    lines: tuple[ScriptLine, ...]
    style: Style
    seed: int
    length_seconds: float
    words_per_minute: float = DEFAULT_WORDS_PER_MINUTE
    writer: str = "rule-based"
    notes: tuple[str, ...] = ()
    """What happened on the way, e.g. why a language model's script was replaced."""

    @property
    def text(self) -> str:
        return " ".join(line.text for line in self.lines)

    @property
    def duration(self) -> float:
        return round(sum(line.duration for line in self.lines), 2)

    @property
    def facts(self) -> frozenset[str]:
        return frozenset().union(*(line.facts for line in self.lines))

    def lines_for(self, photo_index: int) -> tuple[ScriptLine, ...]:
        return tuple(line for line in self.lines if line.photo_index == photo_index)


class ScriptBrief(BaseModel):
    """Everything a writer gets: the facts it may state, the shots in order, and the budget."""

    model_config = ConfigDict(frozen=True)

    listing: Listing
    analyses: tuple[PhotoAnalysis, ...]
    sheet: FactSheet
    shots: tuple[PlannedShot, ...]
    style: Style
    length_seconds: float
    seed: int
    words_per_minute: float
    feedback: tuple[str, ...] = ()
    """Problems found in the previous attempt, for a writer that can take another try."""

    @property
    def word_budget(self) -> int:
        return int(self.length_seconds * self.words_per_minute / 60.0 * 0.85)


class ScriptWriter(Protocol):
    """Writes a script for a brief; the caller validates whatever comes back."""

    name: str

    def write(self, brief: ScriptBrief) -> Script: ...


class ScriptProblem(BaseModel):
    model_config = ConfigDict(frozen=True)

    line: int | None
    """Index of the offending line, or None for a problem with the whole script."""
    detail: str

    def __str__(self) -> str:
        where = f"line {self.line + 1}" if self.line is not None else "script"
        return f"{where}: {self.detail}"
