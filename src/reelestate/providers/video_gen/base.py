"""What every image-to-video generator takes and returns, whichever service runs the model.

The caller (choosing scenes, caching clips, falling back to Ken Burns) sees only these models
and the `VideoGenerator` protocol; a generated file is not trusted as it is, and is probed and
conformed before it reaches a render.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import Literal, Protocol

from pydantic import BaseModel, ConfigDict, Field

from reelestate.providers.video_gen.registry import (
    ASPECT_PATTERN,
    MODEL_KEY_PATTERN,
    VideoModelSpec,
)

log = logging.getLogger(__name__)
ClipState = Literal["uploading", "queued", "running", "downloading"]


class ClipRequest(BaseModel):
    """One photo to animate."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    model: str = Field(pattern=MODEL_KEY_PATTERN)
    """A key of the video model registry."""
    image: Path
    prompt: str = Field(min_length=1, max_length=800)
    """Camera movement only (`reelestate.prompts.motion.motion_prompt`)."""
    duration_s: float = Field(gt=0, le=30)
    """Seconds the scene needs; snapped to a duration the model allows."""
    aspect: str = Field(pattern=ASPECT_PATTERN)
    """The video's aspect (`9:16`); mapped to the nearest one the model allows."""
    negative_prompt: str | None = Field(default=None, max_length=800)
    """For models with a negative prompt; the product's default when None."""


class ClipProgress(BaseModel):
    """Where a generation is, for a progress line."""

    model_config = ConfigDict(frozen=True)

    state: ClipState
    queue_position: int | None = None
    """Requests ahead of ours on fal's queue (0: next)."""
    message: str | None = None
    """The model's latest log line while running."""


class GeneratedClip(BaseModel):
    """A downloaded clip; not yet probed."""

    model_config = ConfigDict(frozen=True)

    path: Path
    model: str
    request_id: str
    cost_usd: float = Field(ge=0)
    seconds_billed: float = Field(ge=0)


ProgressCallback = Callable[[ClipProgress], None]
CancelCheck = Callable[[], bool]


class ProgressEmitter:
    """Calls a progress callback; a failing callback is logged, never fatal to the clip."""

    def __init__(self, callback: ProgressCallback | None) -> None:
        self.callback = callback

    def __call__(
        self,
        state: ClipState,
        *,
        queue_position: int | None = None,
        message: str | None = None,
    ) -> None:
        if self.callback is None:
            return
        try:
            self.callback(ClipProgress(state=state, queue_position=queue_position, message=message))
        except Exception:
            log.exception("progress callback failed")


class VideoGenerator(Protocol):
    """Photo and camera-move prompt in, video file out."""

    name: str

    async def generate(
        self,
        request: ClipRequest,
        out_dir: Path,
        *,
        on_progress: ProgressCallback | None = None,
        should_cancel: CancelCheck | None = None,
    ) -> GeneratedClip:
        """Make the clip in `out_dir`.

        Raises `ProviderTimeoutError` past the time limit, `ProviderRejectedError` when the
        service refuses the photo or prompt, `ProviderError` for failures a retry may fix, and
        `RenderCancelledError` once `should_cancel()` is true; the remote job is cancelled in
        each case, so nothing keeps running (and billing) after we gave up on it.
        """
        ...


def estimate_cost(spec: VideoModelSpec, duration_s: float) -> float:
    """US dollars one clip of about `duration_s` costs, at the duration the model will make."""
    if spec.price.per == "clip":
        return round(spec.price.usd, 4)
    return round(spec.price.usd * spec.clip_seconds(duration_s), 4)
