"""Renders as jobs on the job queue: credits, retries, crash recovery and history for free.

A render request becomes a queued job of an organisation: the spec it asks for is stored (its
files in the blob store) as the next version of the conversation's stored storyboard, so
credits, the job list, the REST API and the workers see conversation videos like any other. The
backend relays the job's progress events and fetches the finished files from the blob store
into the conversation's folder. With `REDIS_URL` the jobs go to arq workers (`reelestate
worker`); otherwise a worker pool runs inside this process.

Whose renders they are: the command line gives the backend one organisation for good; the web
chat and Telegram, where the organisation changes with the person, give each turn's owner to
`Runner.send`, and the turn puts it in every render request it makes.
"""

from __future__ import annotations

import asyncio
import contextlib
import math
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from reelestate.agent.backends.base import ProgressSink, RenderRequest
from reelestate.agent.owner import RenderOwner
from reelestate.core.errors import (
    ConfigurationError,
    InvalidInputError,
    RateLimitedError,
    ReelEstateError,
    RenderCancelledError,
    RenderError,
)
from reelestate.core.jobs import EngineStage, JobStatus
from reelestate.core.ratelimit import Limiter
from reelestate.core.settings import Settings
from reelestate.render.progress import RenderProgress
from reelestate.render.result import RenderResult
from reelestate.services.billing import BillingService
from reelestate.services.credits import CreditQuote, quote
from reelestate.services.storyboards import store_rendered_spec
from reelestate.storage.context import TenantContext
from reelestate.storage.schemas import JobEventView, RenderJobView
from reelestate.workers.inprocess import InProcessWorkerPool
from reelestate.workers.render_video import OPTIONAL_OUTPUTS, OUTPUT_FILES, render_result
from reelestate.workers.service import JobsService, open_env, open_jobs_service

USER_ERROR_CODES = frozenset({"invalid_input", "invalid_spec", "invalid_photo"})


def progress_of(event: JobEventView) -> RenderProgress:
    """A job event as the progress the conversation reports, in the engine's stages: the
    engine's own while it renders; before it, getting ready; after it, checking the video."""
    stage: EngineStage = "prepare"
    if event.render_stage is not None:
        stage = event.render_stage
    elif event.stage == "render":
        stage = "frames"
    elif event.stage == "upload" or event.status == JobStatus.SUCCEEDED.value:
        stage = "probe"
    return RenderProgress(stage=stage, percent=event.percent, message=event.stage)


def failure_of(job: RenderJobView) -> ReelEstateError:
    """Why a job did not succeed, as the error the conversation reports."""
    if job.status == JobStatus.CANCELLED:
        return RenderCancelledError("The render was cancelled.")
    message = job.error_message or "The render failed."
    if job.error_code in USER_ERROR_CODES:
        return InvalidInputError(message)
    return RenderError(message, hint="Try again; if it fails again, change the storyboard.")


def wait_words(seconds: float) -> str:
    """A wait as people say it: '40 seconds', '1 minute', '12 minutes'."""
    if seconds < 60:
        whole = max(1, math.ceil(seconds))
        return f"{whole} second{'s' if whole != 1 else ''}"
    minutes = math.ceil(seconds / 60)
    return f"{minutes} minute{'s' if minutes != 1 else ''}"


class QueuedRenderBackend:
    """A `RenderBackend` that submits each render as a job and relays its progress.

    `ctx`: the organisation every render belongs to when the turn names no owner (the command
    line). `limiter`: the render rate limit, counted per organisation; share it with the REST
    API so both count in one window.
    """

    def __init__(
        self,
        jobs: JobsService,
        ctx: TenantContext | None = None,
        *,
        limiter: Limiter | None = None,
        billing: BillingService | None = None,
    ) -> None:
        self._jobs = jobs
        self._ctx = ctx
        self._limiter = limiter
        self._billing = billing

    async def quote(self, owner: RenderOwner | None, price: int) -> CreditQuote:
        """`price` against the owner's organisation's balance; when short, a Checkout link for
        owners and admins (billing on)."""
        ctx = self._owner(owner).ctx
        return await asyncio.to_thread(quote, self._jobs.env.db, ctx, price, self._billing)

    def _owner(self, owner: RenderOwner | None) -> RenderOwner:
        if owner is not None:
            return owner
        if self._ctx is None:
            raise ConfigurationError("Renders from the chat need a signed-in organisation.")
        return RenderOwner(ctx=self._ctx)

    def _count(self, ctx: TenantContext) -> None:
        """One render request against the organisation's limit, said plainly when it is over."""
        if self._limiter is None:
            return
        try:
            self._limiter.hit(str(ctx.org_id), what="render requests")
        except RateLimitedError as exc:
            raise RateLimitedError(
                f"Your team has started {self._limiter.limit} renders in the last hour, the "
                f"most allowed. Try again in {wait_words(exc.retry_after)}.",
                retry_after=exc.retry_after,
                hint="Your storyboard is kept.",
            ) from exc

    def _store(self, owner: RenderOwner, request: RenderRequest) -> uuid.UUID:
        env = self._jobs.env
        version = store_rendered_spec(
            env.db,
            env.blobs,
            owner.ctx,
            request.spec,
            project_id=owner.project_id,
            brand=owner.brand,
            captions=owner.captions,
            author="chat",
            reason=f"{request.kind} render {request.job_id}",
            of_version=request.storyboard_version_id,
        )
        return version.id

    async def render(self, request: RenderRequest, on_progress: ProgressSink) -> RenderResult:
        owner = self._owner(request.owner)
        self._count(owner.ctx)
        storyboard_version_id = await asyncio.to_thread(self._store, owner, request)
        job = await self._jobs.submit_render(
            owner.ctx,
            storyboard_version_id,
            preview=request.kind == "preview",
            idempotency_key=f"chat:{request.job_id}",
        )
        try:
            async for event in self._jobs.follow(owner.ctx, job.id):
                on_progress(progress_of(event))
        except asyncio.CancelledError:
            # Stop the job too (credits are released); a job that just finished has nothing
            # left to stop.
            with contextlib.suppress(ReelEstateError):
                await self._jobs.cancel(owner.ctx, job.id)
            raise
        job = await self._jobs.get(owner.ctx, job.id)
        if job.status != JobStatus.SUCCEEDED or not job.outputs:
            raise failure_of(job)
        request.out_dir.mkdir(parents=True, exist_ok=True)
        return await asyncio.to_thread(self._fetch, owner.ctx, job, request.out_dir)

    def _fetch(self, ctx: TenantContext, job: RenderJobView, out_dir: Path) -> RenderResult:
        outputs = job.outputs or {}
        paths: dict[str, Path] = {}
        for name, (file_name, _) in OUTPUT_FILES.items():
            entry = outputs.get(name)
            if not isinstance(entry, dict) or "key" not in entry:
                if name in OPTIONAL_OUTPUTS:
                    continue
                raise RenderError("The render finished without all its files.")
            paths[name] = self._jobs.env.blobs.download(ctx, str(entry["key"]), out_dir / file_name)
        return render_result(outputs, paths)


@asynccontextmanager
async def open_queued_backend(
    settings: Settings, ctx: TenantContext | None = None
) -> AsyncIterator[QueuedRenderBackend]:
    """A queue-backed renderer for one organisation (the local one unless `ctx` is given);
    without Redis, with a worker pool of its own in this process."""
    env = open_env(settings)
    pool = None if settings.redis_url else InProcessWorkerPool(env)
    try:
        if pool is not None:
            await pool.start()
        async with open_jobs_service(settings, env=env, dispatcher=pool) as jobs:
            billing = BillingService.from_settings(settings, env.db)
            yield QueuedRenderBackend(jobs, ctx or TenantContext.local(), billing=billing)
    finally:
        if pool is not None:
            await pool.stop()
        env.close()
