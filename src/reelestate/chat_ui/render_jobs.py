"""Chat renders as render jobs: the conversation's render request becomes a stored storyboard
version and a queued job of the user's organisation, so credits, the job list, the REST API and
the worker all see chat videos like any other.

The conversation does not know organisations; the chat sets `render_owner` (a context
variable) around each turn, and asyncio hands it down to the tasks the turn starts.
"""

from __future__ import annotations

import asyncio
import uuid
from contextvars import ContextVar
from dataclasses import dataclass
from pathlib import Path
from typing import Any, get_args

from reelestate.agent.render_backend import ProgressSink, RenderOutputs, RenderRequest
from reelestate.core.errors import (
    ConfigurationError,
    ReelEstateError,
    RenderCancelledError,
    RenderError,
)
from reelestate.render.jobs.assets import store_spec_files
from reelestate.render.jobs.service import JobsService
from reelestate.render.progress import RenderProgress, Stage
from reelestate.render.spec import BrandKit
from reelestate.storage.blobs import check_key
from reelestate.storage.context import TenantContext
from reelestate.storage.models import JobStatus
from reelestate.storage.repositories.content import MediaRepository, StoryboardsRepository
from reelestate.storage.schemas import JobEventView, RenderJobView


@dataclass(frozen=True)
class RenderOwner:
    """Whose renders these are: the organisation (and person) and the project they belong to."""

    ctx: TenantContext
    project_id: uuid.UUID
    brand: dict[str, Any] | None = None
    """A brand kit's data (render `BrandKit` fields, files as blob keys) for every render."""
    captions: bool | None = None


render_owner: ContextVar[RenderOwner | None] = ContextVar("render_owner", default=None)
_ENGINE_STAGES = frozenset(get_args(Stage))
FILE_FIELDS = ("logo", "font")
KIT_ONLY_FIELDS = ("music",)
"""Kit data that is not part of the render's `BrandKit` (the music goes into the storyboard)."""
OUTPUT_NAMES = {"video": "video.mp4", "subtitles": "video.srt", "thumbnail": "thumbnail.jpg"}


def progress_of(event: JobEventView) -> RenderProgress:
    """A job event as the engine-style progress the conversation reports."""
    stage: Stage = "prepare"
    if event.stage == "render" and event.message in _ENGINE_STAGES:
        stage = event.message  # type: ignore[assignment]
    elif event.stage == "render":
        stage = "frames"
    elif event.stage == "upload" or event.status == JobStatus.SUCCEEDED.value:
        stage = "probe"
    return RenderProgress(stage=stage, percent=event.percent, message=event.stage)


def failure_of(job: RenderJobView) -> ReelEstateError:
    if job.status == JobStatus.CANCELLED:
        return RenderCancelledError("The render was cancelled.")
    message = job.error_message or "The render failed."
    return RenderError(message, hint="Try again; if it fails again, change the storyboard.")


def brand_data(ctx: TenantContext, brand: dict[str, Any]) -> dict[str, Any]:
    """A stored brand kit as a spec's `brand`: only the organisation's own files survive."""
    skip = (*FILE_FIELDS, *KIT_ONLY_FIELDS)
    data = BrandKit.model_validate({k: v for k, v in brand.items() if k not in skip})
    out = data.model_dump(mode="json")
    for name in FILE_FIELDS:
        key = brand.get(name)
        if isinstance(key, str) and key:
            out[name] = check_key(ctx, key)
    return out


class QueuedRenderBackend:
    """A `RenderBackend` that submits each render as a job and relays its progress."""

    def __init__(self, jobs: JobsService) -> None:
        self._jobs = jobs

    def _store(self, owner: RenderOwner, request: RenderRequest) -> uuid.UUID:
        env = self._jobs.env
        boards = StoryboardsRepository(env.db)
        existing = boards.for_project(owner.ctx, owner.project_id)
        board = existing[0] if existing else boards.create(owner.ctx, owner.project_id)
        spec = request.spec
        if owner.brand is not None:
            spec = spec.model_copy(update={"brand": BrandKit()})
        data, scene_media = store_spec_files(
            spec, owner.ctx, env.blobs, MediaRepository(env.db), owner.project_id
        )
        if owner.brand is not None:
            data["brand"] = brand_data(owner.ctx, owner.brand)
        if owner.captions is not None:
            data["flags"] = {**(data.get("flags") or {}), "captions": owner.captions}
        version = boards.add_version(
            owner.ctx,
            board.id,
            data,
            author="chat",
            reason=f"{request.kind} render {request.job_id}",
            media_ids=scene_media,
        )
        return version.id

    async def render(self, request: RenderRequest, on_progress: ProgressSink) -> RenderOutputs:
        owner = render_owner.get()
        if owner is None:
            raise ConfigurationError("Renders from the chat need a signed-in organisation.")
        version_id = await asyncio.to_thread(self._store, owner, request)
        job = await self._jobs.submit_render(
            owner.ctx,
            version_id,
            preview=request.kind == "preview",
            idempotency_key=f"chat:{request.job_id}",
        )
        try:
            async for event in self._jobs.follow(owner.ctx, job.id):
                on_progress(progress_of(event))
        except asyncio.CancelledError:
            await self._jobs.cancel(owner.ctx, job.id)
            raise
        job = await self._jobs.get(owner.ctx, job.id)
        if job.status != JobStatus.SUCCEEDED or not job.outputs:
            raise failure_of(job)
        return await asyncio.to_thread(self._fetch, owner.ctx, job, request.out_dir)

    def _fetch(self, ctx: TenantContext, job: RenderJobView, out_dir: Path) -> RenderOutputs:
        outputs = job.outputs or {}
        paths: dict[str, Path] = {}
        for name, file_name in OUTPUT_NAMES.items():
            entry = outputs.get(name)
            if not isinstance(entry, dict) or "key" not in entry:
                raise RenderError("The render finished without all its files.")
            paths[name] = self._jobs.env.blobs.download(ctx, str(entry["key"]), out_dir / file_name)
        return RenderOutputs(
            video=paths["video"],
            subtitles=paths["subtitles"],
            thumbnail=paths["thumbnail"],
            duration=float(outputs.get("duration", 0.0)),
            width=int(outputs.get("width", 0)),
            height=int(outputs.get("height", 0)),
        )
