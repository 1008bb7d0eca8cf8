"""Renders as jobs on the job queue: credits, retries, crash recovery and history for free.

The conversation submits the storyboard as a job for its organisation, relays the job's
progress events, and fetches the finished files from the blob store into the conversation's
folder. With `REDIS_URL` the jobs go to arq workers (`reelestate worker`); otherwise a worker
pool runs inside this process.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any, get_args

from reelestate.agent.render_backend import ProgressSink, RenderOutputs, RenderRequest
from reelestate.core.errors import InvalidInputError, RenderCancelledError, RenderError
from reelestate.core.settings import Settings, get_settings
from reelestate.render.jobs.inprocess import InProcessWorkerPool
from reelestate.render.jobs.service import JobsService, open_env, open_jobs_service
from reelestate.render.progress import RenderProgress, Stage
from reelestate.storage.context import TenantContext
from reelestate.storage.models import JobStatus
from reelestate.tools.storyboard import write_render_spec

_ENGINE_STAGES = set(get_args(Stage))


def _stage(name: str) -> Stage:
    """Job stages (fetch, upload) shown as the engine stage nearest to them."""
    if name in _ENGINE_STAGES:
        return name  # type: ignore[return-value]
    return "prepare" if name in ("queued", "fetch", "claimed") else "probe"


class QueuedRenderBackend:
    """A `RenderBackend` that submits each render as a job of one organisation."""

    def __init__(self, jobs: JobsService, ctx: TenantContext) -> None:
        self._jobs = jobs
        self._ctx = ctx

    async def render(self, request: RenderRequest, on_progress: ProgressSink) -> RenderOutputs:
        request.out_dir.mkdir(parents=True, exist_ok=True)
        board = write_render_spec(request.spec, request.out_dir / "storyboard.json")
        version = await self._jobs.import_storyboard(self._ctx, board)
        job = await self._jobs.submit_render(
            self._ctx,
            version.id,
            preview=request.kind == "preview",
            idempotency_key=request.job_id,
        )
        try:
            async for event in self._jobs.follow(self._ctx, job.id):
                on_progress(
                    RenderProgress(
                        stage=_stage(event.stage),
                        percent=event.percent,
                        message=event.message or "",
                    )
                )
        except asyncio.CancelledError:
            await self._jobs.cancel(self._ctx, job.id)
            raise
        done = await self._jobs.get(self._ctx, job.id)
        if done.status == JobStatus.CANCELLED:
            raise RenderCancelledError("The render was cancelled.")
        if done.status != JobStatus.SUCCEEDED or not done.outputs:
            message = done.error_message or "The render failed."
            if done.error_code in ("invalid_input", "invalid_spec", "invalid_photo"):
                raise InvalidInputError(message)
            raise RenderError(message, hint="Try again; the job can be retried.")
        return await asyncio.to_thread(self._fetch, done.outputs, request.out_dir)

    def _fetch(self, outputs: dict[str, Any], folder: Path) -> RenderOutputs:
        blobs = self._jobs.env.blobs
        paths: dict[str, Path] = {}
        for name in ("video", "subtitles", "thumbnail"):
            key = str(outputs[name]["key"])
            paths[name] = blobs.download(self._ctx, key, folder / key.rsplit("/", 1)[-1])
        return RenderOutputs(
            video=paths["video"],
            subtitles=paths["subtitles"],
            thumbnail=paths["thumbnail"],
            duration=float(outputs["duration"]),
            width=int(outputs["width"]),
            height=int(outputs["height"]),
        )


@asynccontextmanager
async def open_queued_backend(
    settings: Settings | None = None, ctx: TenantContext | None = None
) -> AsyncIterator[QueuedRenderBackend]:
    """A queue-backed renderer; without Redis, with a worker pool of its own in this process."""
    settings = settings or get_settings()
    env = open_env(settings)
    pool = None if settings.redis_url else InProcessWorkerPool(env)
    try:
        if pool is not None:
            await pool.start()
        async with open_jobs_service(settings, env=env, dispatcher=pool) as jobs:
            yield QueuedRenderBackend(jobs, ctx or TenantContext.local())
    finally:
        if pool is not None:
            await pool.stop()
        env.close()
