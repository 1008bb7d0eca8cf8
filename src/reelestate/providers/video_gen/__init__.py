"""Image-to-video generation: a model registry in configuration, and fal.ai as the service.

`video_generator(settings)` is the entry point: a `VideoGenerator` when `FAL_KEY` is set, None
when generated motion is not available (the caller keeps Ken Burns motion).
"""

from __future__ import annotations

from reelestate.core.settings import Settings
from reelestate.providers.video_gen.base import (
    ClipProgress,
    ClipRequest,
    GeneratedClip,
    VideoGenerator,
    estimate_cost,
)
from reelestate.providers.video_gen.registry import VideoModelRegistry, VideoModelSpec, video_models

__all__ = [
    "ClipProgress",
    "ClipRequest",
    "GeneratedClip",
    "VideoGenerator",
    "VideoModelRegistry",
    "VideoModelSpec",
    "estimate_cost",
    "video_generator",
    "video_models",
]


def video_generator(settings: Settings) -> VideoGenerator | None:
    """fal when it has a key; None otherwise."""
    if settings.fal_key is None or not settings.fal_key.get_secret_value():
        return None
    from reelestate.providers.video_gen.fal import FalVideoGenerator  # noqa: PLC0415 - heavy client

    return FalVideoGenerator.from_settings(settings)
