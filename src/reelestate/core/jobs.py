"""The job vocabulary every layer shares: what a job does, where it runs, how it stands, and the
stages a render passes through, from the queue to the engine and back.

One set of names, so a job's row, its events, the render process and the conversation all say
the same thing and nothing translates text back into a stage.
"""

from __future__ import annotations

import enum
from typing import Literal, cast, get_args


class JobKind(enum.StrEnum):
    RENDER_VIDEO = "render_video"
    RENDER_PREVIEW = "render_preview"
    RENDER_INFOGRAPHIC = "render_infographic"
    GENERATE_AVATAR = "generate_avatar"
    GENERATE_CLIP = "generate_clip"
    ANALYSE_PHOTOS = "analyse_photos"
    PUBLISH_POST = "publish_post"
    PULL_INSIGHTS = "pull_insights"


class JobQueue(enum.StrEnum):
    CPU = "cpu"
    GPU = "gpu"


class JobStatus(enum.StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    SUCCEEDED = "succeeded"
    FAILED = "failed"
    CANCELLED = "cancelled"

    @property
    def terminal(self) -> bool:
        return self in (JobStatus.SUCCEEDED, JobStatus.FAILED, JobStatus.CANCELLED)


EngineStage = Literal["prepare", "voice", "music", "audio", "frames", "mux", "probe", "done"]
"""What the render engine is doing."""

JobStage = Literal[
    "queued",
    "starting",
    "fetch",
    "ai_clips",
    "generating",
    "render",
    "upload",
    "retrying",
    "recovering",
    "done",
    "failed",
    "cancelled",
]
"""What a job is doing around the engine; `render` while the engine runs."""

Stage = Literal[EngineStage, JobStage]
"""Every stage a render's progress can report, from any hop."""

ENGINE_STAGES: frozenset[str] = frozenset(get_args(EngineStage))


def job_stage_of(stage: Stage) -> tuple[JobStage, EngineStage | None]:
    """A stage as a job records it: the engine's stages are all the job's `render`, with the
    engine's own beside it; any other stage is the job's."""
    if stage in ENGINE_STAGES:
        return "render", cast(EngineStage, stage)
    return cast(JobStage, stage), None
