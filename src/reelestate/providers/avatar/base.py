"""What every presenter generator takes and returns, whichever service (or none) makes it.

A presenter clip is the agent's photo speaking the narration we already made. D-ID and
HeyGen animate the face to match the audio (`lip_synced`); the embedded portrait presenter
only moves the photo with the voice's loudness and says so. Every clip that comes back is
probed and conformed by the engine before it reaches a video.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Literal, Protocol

from pydantic import BaseModel, ConfigDict, Field

from reelestate.core.presenter_names import AvatarProviderName

AvatarLayout = Literal["pip", "intro"]
CancelCheck = Callable[[], bool]

USD_PER_SECOND: dict[str, float] = {"did": 0.1, "heygen": 0.05, "portrait": 0.0}
"""List prices per second of generated presenter, for the estimate shown before approval:
D-ID's API at about $5.90 per minute of video, HeyGen's API at about $3 per minute (both
move with the plan; the estimate errs high)."""


class AvatarRequest(BaseModel):
    """One presenter clip to make."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    photo: Path
    """The presenter's headshot (checked for one frontal face before any call)."""
    audio: Path
    """The narration to speak (WAV or MP3)."""
    audio_seconds: float = Field(gt=0, le=600)
    size: int = Field(default=512, ge=64, le=1080)
    """Width and height the clip is asked at; the engine crops and scales it anyway."""
    accent: str = "#F2B134"
    """The ring colour of the portrait presenter."""


class AvatarClip(BaseModel):
    """A downloaded (or drawn) presenter clip; not yet probed."""

    model_config = ConfigDict(frozen=True)

    path: Path
    provider: AvatarProviderName
    request_id: str | None = None
    cost_usd: float = Field(default=0.0, ge=0)
    lip_synced: bool
    """False for the portrait presenter: the chat and the report say so plainly."""
    generated: bool
    """True when a model made the face move; the video shows the AI-disclosure label."""


class AvatarGenerator(Protocol):
    """Photo and narration in, presenter clip out."""

    name: AvatarProviderName

    async def generate(
        self, request: AvatarRequest, out_dir: Path, *, should_cancel: CancelCheck | None = None
    ) -> AvatarClip:
        """Make the clip in `out_dir`.

        Raises `ProviderTimeoutError` past the deadline, `ProviderRejectedError` when the service
        refuses the key, the credits or the photo (retrying would not help), `ProviderError` for
        the rest, and `RenderCancelledError` once `should_cancel()` is true.
        """
        ...


def estimate_avatar_cost(provider: AvatarProviderName, seconds: float) -> float:
    """US dollars a presenter clip of `seconds` is expected to cost (0 for the portrait)."""
    return round(USD_PER_SECOND[provider] * max(seconds, 0.0), 4)


def is_video_file(path: Path) -> bool:
    """Whether `path` starts like an MP4/MOV (`ftyp`) or WebM/MKV file, not an HTML page."""
    with path.open("rb") as fh:
        head = fh.read(12)
    return head[4:8] == b"ftyp" or head[:4] == b"\x1a\x45\xdf\xa3"
