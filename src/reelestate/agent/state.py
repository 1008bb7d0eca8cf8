"""The conversation's state as the checkpointer stores it, and typed views of it.

The stored state holds JSON-ready values only (dicts, lists, strings), so any checkpointer
(SQLite, PostgreSQL) can keep it and a process reads what an earlier one wrote; the
functions below turn the parts back into the product's pydantic models.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any, Literal, NotRequired, TypedDict

from langchain_core.messages import AnyMessage
from langgraph.graph.message import add_messages
from pydantic import BaseModel, ConfigDict, model_validator

from reelestate.core.jobs import JobStatus
from reelestate.core.presenter_names import AvatarProviderName
from reelestate.providers.vision.base import PhotoAnalysis
from reelestate.render.result import RenderResult
from reelestate.services.storyboard_store import StoryboardRef
from reelestate.tools.listing import Listing
from reelestate.tools.script_model import Script
from reelestate.tools.storyboard import StoryboardHistory
from reelestate.tools.storyboard_model import MusicTrackRef

RenderKind = Literal["preview", "final"]
_FLAT_RESULT = ("video", "subtitles", "thumbnail", "duration")


class Inbox(TypedDict):
    """One incoming user message: what a channel hands the graph."""

    user: str
    text: str
    photos: list[str]
    music: NotRequired[str | None]
    """An audio file sent to be the music bed."""
    team: NotRequired[str]
    """The group whose members may all continue the conversation (see `Runner.send`)."""


class JobRecord(BaseModel):
    """A render this conversation started, as the user can ask about it."""

    model_config = ConfigDict(extra="forbid")

    id: str
    kind: RenderKind
    version: int
    status: JobStatus = JobStatus.QUEUED
    stage: str = ""
    percent: float = 0.0
    result: RenderResult | None = None
    error: str | None = None

    @model_validator(mode="before")
    @classmethod
    def _flat_result(cls, data: Any) -> Any:
        """Conversations saved before the result was one field kept the files flat beside the
        job (`video`, `subtitles`, `thumbnail`, `duration`); they still load."""
        if not isinstance(data, dict) or not any(name in data for name in _FLAT_RESULT):
            return data
        flat = {name: data.get(name) for name in _FLAT_RESULT}
        data = {k: v for k, v in data.items() if k not in _FLAT_RESULT}
        files = (flat["video"], flat["subtitles"], flat["thumbnail"])
        if data.get("result") is None and all(f is not None for f in files):
            data["result"] = {
                **flat,
                "duration": flat["duration"] or 0.0,
                "width": 0,
                "height": 0,
                "fps": 0,
            }
        return data


class TurnState(TypedDict, total=False):
    """Scratch facts about the message being handled; reset when a new one arrives."""

    steps: int
    announced_version: int
    fallback: bool
    approval_asked: bool
    render_cancelled: bool
    """The person stopped a render: the turn ends without trying again."""
    asked: bool
    """The assistant asked about an unclear fact: the turn waits for the answer."""
    answered: bool
    """The message was about posting or the library: no reminder of what the video needs."""


class AgentState(TypedDict, total=False):
    messages: Annotated[list[AnyMessage], add_messages]
    inbox: Inbox | None
    owner: str
    team: str
    """Set when the conversation is shared with the owner's colleagues (`Runner.send`)."""
    listing: dict[str, Any]
    photos: list[str]
    analyses: list[dict[str, Any]]
    style: str
    length_seconds: float
    script: dict[str, Any] | None
    script_stale: bool
    """The facts changed since the script was written."""
    storyboard: dict[str, Any] | None
    """Where the storyboard is stored (a `StoryboardRef`); conversations saved before the
    storyboard had a home of its own hold its whole history here (see `legacy_history`)."""
    music_on: bool
    presenter: dict[str, Any] | None
    """The talking presenter of the final video (a `PresenterChoiceRef`); None: no presenter."""
    music_track: dict[str, Any] | None
    """The user's own track (a `MusicTrackRef`), kept for storyboards planned after it came."""
    previews: dict[str, str]
    """Storyboard version number (as text) -> preview video path."""
    jobs: list[dict[str, Any]]
    awaiting_approval: bool
    approved_version: int | None
    delivered_version: int | None
    turn: TurnState


def listing_of(state: AgentState) -> Listing:
    return Listing.model_validate(state.get("listing") or {})


def listing_data(listing: Listing) -> dict[str, Any]:
    return listing.model_dump(mode="json", exclude_defaults=True)


def analyses_of(state: AgentState) -> list[PhotoAnalysis]:
    return [PhotoAnalysis.model_validate(a) for a in state.get("analyses") or []]


def script_of(state: AgentState) -> Script | None:
    raw = state.get("script")
    return None if raw is None else Script.model_validate(raw)


def storyboard_ref(state: AgentState) -> StoryboardRef | None:
    """Where the conversation's storyboard is stored (None: none yet, or not stored yet)."""
    raw = state.get("storyboard")
    if raw is None or "versions" in raw:
        return None
    return StoryboardRef.model_validate(raw)


def legacy_history(state: AgentState) -> StoryboardHistory | None:
    """The whole history a conversation saved before storyboards were stored on their own."""
    raw = state.get("storyboard")
    if raw is None or "versions" not in raw:
        return None
    return StoryboardHistory.model_validate(raw)


def music_track_of(state: AgentState) -> MusicTrackRef | None:
    raw = state.get("music_track")
    return None if raw is None else MusicTrackRef.model_validate(raw)


class PresenterChoiceRef(BaseModel):
    """The presenter the conversation asked for: the photo (a blob key of the organisation or a
    file on this machine), the provider and where it stands."""

    model_config = ConfigDict(frozen=True)

    photo: str
    provider: AvatarProviderName = "portrait"
    layout: Literal["pip", "intro"] = "pip"


def presenter_of(state: AgentState) -> PresenterChoiceRef | None:
    raw = state.get("presenter")
    return None if raw is None else PresenterChoiceRef.model_validate(raw)


def jobs_of(state: AgentState) -> list[JobRecord]:
    return [JobRecord.model_validate(j) for j in state.get("jobs") or []]


def with_job(state: AgentState, job: JobRecord) -> list[dict[str, Any]]:
    """The job list with `job` added or replaced (by id)."""
    jobs = [j for j in state.get("jobs") or [] if j.get("id") != job.id]
    return [*jobs, job.model_dump(mode="json")]


def preview_of(state: AgentState, version: int) -> Path | None:
    path = (state.get("previews") or {}).get(str(version))
    return Path(path) if path else None


def current_version(state: AgentState) -> int | None:
    """The number of the storyboard's current version (None: no storyboard yet)."""
    ref = storyboard_ref(state)
    if ref is not None:
        return ref.number
    legacy = legacy_history(state)
    return None if legacy is None else legacy.current.number
