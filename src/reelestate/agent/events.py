"""What a conversation turn produces, as events every channel (web, Telegram, terminal) shows.

Events are plain pydantic models with a `type` tag so a channel can `match` on them or send
them as JSON. Paths are absolute; a channel that serves files turns them into URLs.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter

from reelestate.agent.state import RenderKind
from reelestate.core.errors import ReelEstateError
from reelestate.render.progress import RenderProgress
from reelestate.render.result import RenderResult


class _Event(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class AssistantText(_Event):
    """Something the assistant says. Streamed replies come as `partial` pieces of one message
    (same `message_id`), then once whole with `partial=False`; a channel that does not stream
    shows only the whole one."""

    type: Literal["assistant_text"] = "assistant_text"
    text: str
    message_id: str = ""
    partial: bool = False


class SceneSummary(_Event):
    number: int
    photo_number: int
    room: str
    seconds: float
    caption: str | None = None
    motion: str
    room_words: str = ""
    """The room as people say it ("Kitchen"; "Photo" when it is not known)."""
    motion_words: str = ""
    """The camera move as an editor says it ("Slow pan right", "Push in on the kitchen")."""


class StoryboardReady(_Event):
    """A storyboard version to look at; `preview_video` is a quick low-resolution render."""

    type: Literal["storyboard_ready"] = "storyboard_ready"
    version: int
    reason: str
    total_seconds: float
    aspect: str
    style: str
    music: str
    voice: str
    scenes: list[SceneSummary]
    total_words: str = ""
    """The length with what makes it up ("Total 30.0 s (intro 2.5 s, 8 photos 24.5 s, ...)")."""
    notes: list[str] = []
    """What planning had to give up (facts unsaid, photos held long), for the person."""
    storyboard_file: Path
    preview_video: Path | None = None
    preview_url: str | None = None


class Question(_Event):
    """The assistant needs something; `suggested_replies` can become buttons."""

    type: Literal["question"] = "question"
    text: str
    missing: list[str] = []
    suggested_replies: list[str] = []


class ApprovalRequest(_Event):
    """Nothing billable runs until the user answers this (`approve` or a change)."""

    type: Literal["approval_request"] = "approval_request"
    version: int
    text: str
    total_seconds: float
    aspect: str
    suggested_replies: list[str] = ["Approve", "Change something"]
    price_credits: int | None = None
    """What the final render costs (None: renders here are not billed)."""
    balance_after: int | None = None
    """The organisation's credits after it (negative: short by that many)."""
    credits_short: bool = False
    """True when the balance cannot pay: approving renders nothing and charges nothing."""
    buy_credits_url: str | None = None
    """A Checkout page to buy enough credits (channels show a "Buy credits" button or link)."""


class JobProgress(RenderProgress):
    """A render's progress (the fields of `RenderProgress`), named by its job."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    type: Literal["job_progress"] = "job_progress"
    job_id: str
    kind: RenderKind

    @classmethod
    def of(cls, job_id: str, kind: RenderKind, progress: RenderProgress) -> JobProgress:
        return cls(job_id=job_id, kind=kind, **progress.model_dump())


class VideoReady(_Event):
    """A finished video; `result` holds absolute paths."""

    type: Literal["video_ready"] = "video_ready"
    job_id: str
    version: int
    result: RenderResult
    kind: Literal["listing", "infographic"] = "listing"
    """`infographic`: a facts card on its own; its `thumbnail` is the card's PNG still."""


class ChartPoint(_Event):
    day: date
    views: float
    engagement: float
    """Likes, comments, shares and saves (or the channel's total interactions)."""


class ChartSeries(_Event):
    """One line of the chart: a listing or a channel, day by day."""

    label: str
    points: list[ChartPoint]


class ChartReady(_Event):
    """A chart to look at: `image` is the PNG every channel can show, `series` the numbers it
    was drawn from, so a channel that can (the web chat) also draws it interactively. The
    numbers in words come as text beside it."""

    type: Literal["chart_ready"] = "chart_ready"
    title: str
    image: Path
    series: list[ChartSeries] = []


class ErrorEvent(_Event):
    """Something went wrong; `message` says what the user can do about it."""

    type: Literal["error"] = "error"
    code: str
    message: str
    hint: str | None = None

    @classmethod
    def from_error(cls, exc: ReelEstateError) -> ErrorEvent:
        return cls(code=exc.code, message=exc.message, hint=exc.hint)


RunnerEvent = Annotated[
    AssistantText
    | StoryboardReady
    | Question
    | ApprovalRequest
    | JobProgress
    | VideoReady
    | ChartReady
    | ErrorEvent,
    Field(discriminator="type"),
]
_ADAPTER: TypeAdapter[RunnerEvent] = TypeAdapter(RunnerEvent)
Emit = Callable[[RunnerEvent], None]
"""Where the part of a turn that is running writes its events."""


def parse_event(data: Any) -> RunnerEvent:
    """An event from the dict a graph node wrote to the stream."""
    return _ADAPTER.validate_python(data)


def event_data(event: RunnerEvent) -> dict[str, Any]:
    """An event as JSON-safe data (what nodes write to the stream and channels may send on)."""
    return event.model_dump(mode="json")
