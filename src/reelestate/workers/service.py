"""The jobs API the agent, the web app, the bots and the CLI call.

```python
async with open_jobs_service() as jobs:            # PostgreSQL/Redis or SQLite/in-process
    job = await jobs.submit_render(ctx, storyboard_version_id, preview=True)
    async for event in jobs.follow(ctx, job.id):    # resumable: follow(..., after_seq=n)
        ...
```
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from reelestate.core.jobs import JobKind
from reelestate.core.settings import Settings, get_settings
from reelestate.storage.blobs import open_blob_store
from reelestate.storage.context import TenantContext
from reelestate.storage.db import open_database
from reelestate.storage.repositories.content import (
    StoryboardsRepository,
)
from reelestate.storage.repositories.jobs import NewJob
from reelestate.storage.schemas import (
    JobEventView,
    QueueStat,
    RenderJobView,
)
from reelestate.workers.arq_worker import ArqDispatcher
from reelestate.workers.dispatch import Dispatcher, dispatch_job
from reelestate.workers.events import EventBus, InProcessEventBus, RedisEventBus, follow_job
from reelestate.workers.execute import JobEnv
from reelestate.workers.kinds import POLICIES, queue_for


def input_hash(kind: JobKind, payload: dict[str, Any], spec: dict[str, Any] | None) -> str:
    canonical = json.dumps({"kind": kind.value, "payload": payload, "spec": spec}, sort_keys=True)
    return hashlib.sha256(canonical.encode()).hexdigest()


class JobsService:
    """Submit, watch and cancel jobs of the caller's organisation."""

    def __init__(self, env: JobEnv, dispatcher: Dispatcher | None) -> None:
        self.env = env
        self.dispatcher = dispatcher
        """None when no queue is reachable from this process: a worker polling the database
        (embedded mode) picks the jobs up."""

    async def submit(
        self,
        ctx: TenantContext,
        kind: JobKind,
        *,
        payload: dict[str, Any] | None = None,
        storyboard_version_id: uuid.UUID | None = None,
        project_id: uuid.UUID | None = None,
        idempotency_key: str | None = None,
    ) -> RenderJobView:
        """Queue a job (reserving its credits) and hand it to its queue."""
        payload = payload or {}
        spec: dict[str, Any] | None = None
        if storyboard_version_id is not None:
            version = await asyncio.to_thread(
                StoryboardsRepository(self.env.db).version, ctx, storyboard_version_id
            )
            spec = version.spec
        policy = POLICIES[kind]
        new = NewJob(
            kind=kind,
            queue=queue_for(kind, self.env.settings.render_queue),
            input_hash=input_hash(kind, payload, spec),
            payload=payload,
            credits=policy.credits,
            max_attempts=self.env.settings.job_max_attempts,
            idempotency_key=idempotency_key,
            project_id=project_id,
            storyboard_version_id=storyboard_version_id,
        )
        job, created = await asyncio.to_thread(self.env.jobs.create, ctx, new)
        if created and self.dispatcher is not None:
            await dispatch_job(self.env, self.dispatcher, ctx, job.id, job.queue)
        return job

    async def submit_render(
        self,
        ctx: TenantContext,
        storyboard_version_id: uuid.UUID,
        *,
        preview: bool = False,
        idempotency_key: str | None = None,
    ) -> RenderJobView:
        return await self.submit(
            ctx,
            JobKind.RENDER_PREVIEW if preview else JobKind.RENDER_VIDEO,
            storyboard_version_id=storyboard_version_id,
            idempotency_key=idempotency_key,
        )

    async def get(self, ctx: TenantContext, job_id: uuid.UUID) -> RenderJobView:
        return await asyncio.to_thread(self.env.jobs.get, ctx, job_id)

    async def cancel(self, ctx: TenantContext, job_id: uuid.UUID) -> RenderJobView:
        """Cancel now (queued) or ask the worker to stop (running); credits are released."""
        return await asyncio.to_thread(self.env.jobs.request_cancel, ctx, job_id)

    def follow(
        self, ctx: TenantContext, job_id: uuid.UUID, *, after_seq: int = 0
    ) -> AsyncIterator[JobEventView]:
        return follow_job(self.env.jobs, self.env.bus, ctx, job_id, after_seq=after_seq)

    async def output_urls(
        self, ctx: TenantContext, job: RenderJobView, *, expires_in: int = 900
    ) -> dict[str, str]:
        """Short-lived URLs of a finished job's files."""
        urls: dict[str, str] = {}
        for name, value in (job.outputs or {}).items():
            if isinstance(value, dict) and "key" in value:
                urls[name] = self.env.blobs.signed_url(ctx, str(value["key"]), expires_in)
        return urls

    async def stats(self) -> list[QueueStat]:
        return await asyncio.to_thread(self.env.system.queue_stats)


def open_env(settings: Settings | None = None, bus: EventBus | None = None) -> JobEnv:
    settings = settings or get_settings()
    if bus is None:
        bus = RedisEventBus(settings.redis_url) if settings.redis_url else InProcessEventBus()
    return JobEnv(settings, open_database(settings), open_blob_store(settings), bus)


@asynccontextmanager
async def open_jobs_service(
    settings: Settings | None = None,
    *,
    env: JobEnv | None = None,
    dispatcher: Dispatcher | None = None,
) -> AsyncIterator[JobsService]:
    """The service for this installation: arq when `REDIS_URL` is set, else `dispatcher` (an
    `InProcessWorkerPool` running in this process) or none (a separate worker polls)."""
    settings = settings or get_settings()
    own_env = env is None
    env = env or open_env(settings)
    arq: ArqDispatcher | None = None
    if dispatcher is None and settings.redis_url:
        arq = await ArqDispatcher.connect(settings.redis_url)
        dispatcher = arq
    try:
        yield JobsService(env, dispatcher)
    finally:
        if arq is not None:
            await arq.close()
        if own_env:
            env.close()
