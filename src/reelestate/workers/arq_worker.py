"""arq on Redis: a dispatcher for submitters and a worker per queue (cpu or gpu).

arq delivers at least once; the job row's lease makes the second delivery a no-op. The worker
keeps going through a Redis restart (it reconnects and picks up again, and jobs already running
finish and record their outcome in the database), and its recovery pass re-dispatches queued
jobs whose arq entry the restart lost and running jobs whose worker died.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import socket
import uuid
from typing import Any

import redis
from arq import create_pool
from arq.connections import ArqRedis, RedisSettings
from arq.constants import in_progress_key_prefix, job_key_prefix
from arq.cron import cron
from arq.worker import Worker, func

from reelestate.core import tracing
from reelestate.core.jobs import JobQueue
from reelestate.workers.dispatch import recovery_loop, run_delivered_job
from reelestate.workers.execute import Handler, JobEnv
from reelestate.workers.kinds import ARQ_QUEUE_NAMES
from reelestate.workers.publish_schedule import publish_due
from reelestate.workers.pull_insights import queue_insights_pull
from reelestate.workers.registry import HANDLERS

log = logging.getLogger(__name__)
JOB_FUNCTION = "run_job"
JOB_TIMEOUT_S = 3600
PING_TIMEOUT_S = 2.0
"""How long readiness waits for Redis before it reports the queue as down."""


def arq_job_id(job_id: uuid.UUID, dispatch_no: int) -> str:
    return f"{job_id}:{dispatch_no}"


def redis_settings(url: str) -> RedisSettings:
    settings = RedisSettings.from_dsn(url)
    settings.conn_timeout = 2
    settings.conn_retries = 2
    settings.conn_retry_delay = 1
    return settings


class ArqDispatcher:
    def __init__(self, pool: ArqRedis) -> None:
        self.pool = pool

    @classmethod
    async def connect(cls, url: str) -> ArqDispatcher:
        return cls(await create_pool(redis_settings(url)))

    async def dispatch(
        self,
        org_id: uuid.UUID,
        job_id: uuid.UUID,
        queue: JobQueue,
        dispatch_no: int,
        defer_s: float = 0.0,
    ) -> None:
        # The trace context rides along only when tracing is on, so with it off the payload is
        # what workers of the previous release expect.
        trace: dict[str, Any] = {"trace": carrier} if (carrier := tracing.carrier()) else {}
        await self.pool.enqueue_job(
            JOB_FUNCTION,
            str(org_id),
            str(job_id),
            _job_id=arq_job_id(job_id, dispatch_no),
            _queue_name=ARQ_QUEUE_NAMES[queue],
            _defer_by=defer_s or None,
            **trace,
        )

    async def is_pending(self, job_id: uuid.UUID, dispatch_no: int) -> bool:
        arq_id = arq_job_id(job_id, dispatch_no)
        found = await self.pool.exists(job_key_prefix + arq_id, in_progress_key_prefix + arq_id)
        return bool(found)

    async def queue_depths(self) -> dict[JobQueue, int]:
        return {q: int(await self.pool.zcard(name)) for q, name in ARQ_QUEUE_NAMES.items()}

    async def ping(self) -> str | None:
        try:
            await asyncio.wait_for(self.pool.ping(), PING_TIMEOUT_S)
        except TimeoutError:
            return f"Redis did not answer within {PING_TIMEOUT_S:g} s"
        except (redis.RedisError, OSError) as exc:
            return f"Redis: {type(exc).__name__}"
        return None

    async def close(self) -> None:
        await self.pool.aclose()


class ArqJobWorker:
    """One arq worker on one queue, with its recovery loop and a reconnecting main loop."""

    def __init__(
        self,
        env: JobEnv,
        queue: JobQueue,
        concurrency: int,
        *,
        handlers: dict[str, Handler] | None = None,
    ) -> None:
        if not env.settings.redis_url:
            raise ValueError("ArqJobWorker needs REDIS_URL")
        self.env, self.queue = env, queue
        self.handlers = handlers or HANDLERS
        self.worker_id = f"{socket.gethostname()}:{os.getpid()}:{queue.value}"
        self._url = env.settings.redis_url
        self._dispatcher: ArqDispatcher | None = None
        self._recovery: asyncio.Task[None] | None = None
        self._stopping = asyncio.Event()
        self.worker = Worker(
            functions=[func(self._run_job, name=JOB_FUNCTION, timeout=JOB_TIMEOUT_S, max_tries=25)],
            redis_settings=redis_settings(self._url),
            queue_name=ARQ_QUEUE_NAMES[queue],
            max_jobs=concurrency,
            job_timeout=JOB_TIMEOUT_S,
            keep_result=60,
            poll_delay=0.2,
            handle_signals=False,
            on_startup=self._on_startup,
            health_check_interval=10,
            cron_jobs=[
                # Due posts every 30 s and insights every 6 h; the database claim makes a post
                # go to one worker even when every worker's cron fires.
                cron(self._publish_tick, name="publish_due", second={0, 30}, unique=True),
                cron(
                    self._insights_tick,
                    name="pull_insights",
                    hour={0, 6, 12, 18},
                    minute=5,
                    unique=True,
                ),
            ],
        )

    async def _on_startup(self, ctx: dict[str, Any]) -> None:
        if self._dispatcher is None:
            self._dispatcher = await ArqDispatcher.connect(self._url)
        if self._recovery is None:
            interval = self.env.settings.job_recovery_interval_s
            self._recovery = asyncio.create_task(
                recovery_loop(
                    self.env,
                    self._dispatcher,
                    interval_s=interval,
                    queued_grace_s=self.env.settings.job_stale_after_s,
                    stopping=self._stopping,
                )
            )

    async def _run_job(
        self,
        ctx: dict[str, Any],
        org_id: str,
        job_id: str,
        trace: dict[str, str] | None = None,
    ) -> str:
        """One delivery; `trace` is the submitter's span context, so the job's spans join the
        request's trace."""
        assert self._dispatcher is not None
        attributes = {
            "job.id": job_id,
            "queue": self.queue.value,
            "try": int(ctx.get("job_try", 1)),
        }
        with tracing.span("job delivery", attributes, parent=trace):
            return await run_delivered_job(
                self.env,
                self.handlers,
                self._dispatcher,
                uuid.UUID(org_id),
                uuid.UUID(job_id),
                worker_id=self.worker_id,
            )

    async def _publish_tick(self, ctx: dict[str, Any]) -> int:
        return len(await publish_due(self.env, self._dispatcher))

    async def _insights_tick(self, ctx: dict[str, Any]) -> int:
        return await queue_insights_pull(self.env, self._dispatcher)

    async def serve(self) -> None:
        """Run until cancelled; a lost Redis connection is retried, running jobs carry on."""
        while True:
            try:
                await self.worker.main()
            except (redis.RedisError, OSError) as exc:
                log.warning("worker lost Redis (%s); reconnecting", exc)
                await asyncio.sleep(0.5)

    async def ping(self) -> str | None:
        if self._dispatcher is None:
            return "not connected to Redis yet"
        return await self._dispatcher.ping()

    async def close(self) -> None:
        """Stop picking jobs; running jobs are handed back (queued) in the database."""
        for task in list(self.worker.tasks.values()):
            task.cancel()
        await asyncio.gather(*self.worker.tasks.values(), return_exceptions=True)
        if self._recovery is not None:
            self._stopping.set()
            await self._recovery
        if self.worker._pool is not None:
            with contextlib.suppress(redis.RedisError, OSError):
                await self.worker._pool.aclose()
            self.worker._pool = None
        if self._dispatcher is not None:
            with contextlib.suppress(redis.RedisError, OSError):
                await self._dispatcher.close()
