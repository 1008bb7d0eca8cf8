"""What the graph's nodes need from outside the conversation: analyser, renderer, folders."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import BaseModel, ConfigDict

from reelestate.agent.backends.base import RenderBackend, RunningRenders
from reelestate.agent.conversation_board import ConversationBoard
from reelestate.agent.events import RunnerEvent
from reelestate.agent.owner import RenderOwner
from reelestate.agent.state import AgentState
from reelestate.core.errors import InvalidInputError
from reelestate.providers.video_gen.registry import VideoModelRegistry
from reelestate.providers.vision.base import PhotoAnalyser
from reelestate.render.spec import BrandKit, Profile
from reelestate.services.publishing import PublishingService
from reelestate.services.storyboard_store import StoryboardStore

_THREAD_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.\-]{0,63}$")
MAX_TOOL_ROUNDS = 8
"""Tool rounds one message may take before the assistant stops and answers."""
OWNER_KEY = "render_owner"
"""Where a turn's `RenderOwner` travels in the graph's run config (never saved with the state)."""


def check_thread_id(thread_id: str) -> str:
    if not _THREAD_ID.match(thread_id) or ".." in thread_id:
        raise InvalidInputError(
            f"{thread_id!r} is not a conversation id.",
            hint="Use letters, digits, '-', '_' or '.', at most 64 characters.",
        )
    return thread_id


class ChatLimits(BaseModel):
    """The installation's limits and defaults a conversation follows (read from the settings)."""

    model_config = ConfigDict(frozen=True, from_attributes=True)

    cache_dir: Path
    """Reusable render work (narration, clips, music beds), shared with the renderer."""
    ai_video_model: str
    """The model used when someone asks for AI motion without naming one."""
    min_photos: int
    """Fewer usable photos than this and the assistant asks for more."""
    max_photos: int
    """Photos past this many are refused, each with the reason."""
    max_music_mb: int
    lip_sync_providers: tuple[str, ...] = ()
    """The talking-presenter services with a key (`did`, `heygen`); none: the portrait one."""


@dataclass(frozen=True)
class AgentDeps:
    analyser: PhotoAnalyser
    renderer: RenderBackend
    storyboards: StoryboardStore
    """Where each conversation's storyboard versions are kept."""
    data_dir: Path
    video_models: VideoModelRegistry
    """The AI motion models a storyboard may ask for, with their prices."""
    limits: ChatLimits
    final_profile: Profile = "final"
    """Tests and drafts may render the final as a preview; production renders the real thing."""
    auto_preview: bool = True
    default_length: float = 30.0
    brand: BrandKit | None = None
    renders: RunningRenders = field(default_factory=RunningRenders)
    """The render each conversation has in progress (so a channel can stop it)."""
    publishing: PublishingService | None = None
    """Posting, the calendar, analytics and the media library (None: not offered here)."""

    def thread_dir(self, thread_id: str) -> Path:
        return self.data_dir / "conversations" / check_thread_id(thread_id)

    def board(self, owner: RenderOwner | None) -> ConversationBoard:
        """The conversation's storyboard as the turn of `owner` reads and saves it."""
        return ConversationBoard(self.storyboards, owner)


@dataclass
class ToolContext:
    """One tool call's view: the state as earlier calls of this round left it."""

    state: AgentState
    deps: AgentDeps
    thread_id: str
    emit: Callable[[RunnerEvent], None]
    owner: RenderOwner | None = None
    """Whose renders this turn starts (None: the render backend's default)."""

    @property
    def folder(self) -> Path:
        return self.deps.thread_dir(self.thread_id)

    @property
    def board(self) -> ConversationBoard:
        return self.deps.board(self.owner)

    @property
    def author(self) -> str:
        return self.state.get("owner") or "user"
