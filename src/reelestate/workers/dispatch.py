"""Handing jobs to queues, running a delivered job, and re-dispatching jobs that were lost.

The database decides what runs; a queue only carries "(organisation, job) is due". A hand-over
that fails (Redis down) leaves the job queued in the database, and recovery hands it over again.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import threading
import uuid
from datetime import timedelta
from typing import Protocol

import redis

from reelestate.core.errors import ReelEstateError
from reelestate.core.jobs import JobQueue, JobStatus
from reelestate.storage.context import TenantContext
from reelestate.storage.models import utcnow
from reelestate.workers.execute import Handler, JobEnv, execute_job

log = logging.getLogger(__name__)


class Dispatcher(Protocol):
    async def dispatch(
        self,
        org_id: uuid.UUID,
        job_id: uuid.UUID,
        queue: JobQueue,
        dispatch_no: int,
        defer_s: float = 0.0,
    ) -> None: ...

    async def is_pending(self, job_id: uuid.UUID, dispatch_no: int) -> bool:
        """Whether hand-over number `dispatch_no` of the job still waits or runs in its queue."""

    async def ping(self) -> str | None:
        """None when jobs handed over now would reach a worker; otherwise why not, in a few
        words (readiness reports it)."""


async def dispatch_job(
    env: JobEnv,
    dispatcher: Dispatcher,
    ctx: TenantContext,
    job_id: uuid.UUID,
    queue: JobQueue,
    *,
    defer_s: float = 0.0,
) -> bool:
    """Record and perform one hand-over; False when the queue was unreachable (recovery retries)."""
    dispatch_no = await asyncio.to_thread(env.jobs.mark_dispatched, ctx, job_id)
    try:
        await dispatcher.dispatch(ctx.org_id, job_id, queue, dispatch_no, defer_s)
    except (redis.RedisError, OSError) as exc:
        log.warning("job %s not handed to the %s queue yet: %s", job_id, queue.value, exc)
        return False
    return True


async def run_delivered_job(
    env: JobEnv,
    handlers: dict[str, Handler],
    dispatcher: Dispatcher,
    org_id: uuid.UUID,
    job_id: uuid.UUID,
    *,
    worker_id: str,
) -> str:
    """Run one delivery of a job in a thread; a cancelled task (worker shutdown) hands it back."""
    stop = threading.Event()
    work = asyncio.ensure_future(
        asyncio.to_thread(
            execute_job, env, handlers, org_id, job_id, worker_id=worker_id, stop=stop
        )
    )
    try:
        outcome = await asyncio.shield(work)
    except asyncio.CancelledError:
        stop.set()
        await asyncio.wait([work], timeout=30)
        raise
    if outcome.status == "retry" and outcome.job is not None:
        await dispatch_job(
            env,
            dispatcher,
            TenantContext(org_id=org_id),
            job_id,
            outcome.job.queue,
            defer_s=outcome.retry_in or 0.0,
        )
    return outcome.status


async def recover_jobs(env: JobEnv, dispatcher: Dispatcher, *, queued_grace_s: float) -> int:
    """Re-dispatch running jobs whose worker died and queued jobs whose queue entry was lost."""
    settings = env.settings
    candidates = await asyncio.to_thread(
        env.system.jobs_to_recover,
        stale_after_s=settings.job_stale_after_s,
        dispatched_before=utcnow() - timedelta(seconds=queued_grace_s),
    )
    recovered = 0
    for job in candidates:
        if job.status == JobStatus.QUEUED and await dispatcher.is_pending(
            job.job_id, job.dispatch_count
        ):
            continue
        ctx = TenantContext(org_id=job.organization_id)
        requeue = await asyncio.to_thread(
            env.jobs.requeue_if_stale,
            ctx,
            job.job_id,
            stale_after_s=settings.job_stale_after_s,
        )
        if requeue and await dispatch_job(env, dispatcher, ctx, job.job_id, job.queue):
            log.info("recovered job %s (%s)", job.job_id, job.status.value)
            recovered += 1
    return recovered


async def recovery_loop(
    env: JobEnv,
    dispatcher: Dispatcher,
    *,
    interval_s: float,
    queued_grace_s: float,
    stopping: asyncio.Event,
) -> None:
    """Recover every `interval_s` until `stopping` is set (a pass in progress is finished, so
    no database call is left running in a thread)."""
    while not stopping.is_set():
        try:
            await recover_jobs(env, dispatcher, queued_grace_s=queued_grace_s)
        except (ReelEstateError, redis.RedisError, OSError) as exc:
            log.warning("job recovery pass failed: %s", exc)
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stopping.wait(), interval_s)
