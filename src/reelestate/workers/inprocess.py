"""The embedded queue: asyncio queues in this process, one pool of workers per job queue.

Jobs submitted in this process are handed over directly; jobs other processes queued in the
same database (for example `reelestate jobs submit` next to `reelestate worker`, without Redis)
are picked up by the recovery pass, which here runs every `poll_s` seconds.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import socket
import uuid

from reelestate.core.jobs import JobQueue
from reelestate.workers.dispatch import recovery_loop, run_delivered_job
from reelestate.workers.execute import Handler, JobEnv
from reelestate.workers.publish_schedule import publishing_loop
from reelestate.workers.registry import HANDLERS

log = logging.getLogger(__name__)

Delivery = tuple[uuid.UUID, uuid.UUID]


class InProcessWorkerPool:
    """A `Dispatcher` and its workers; `start()` inside a running event loop, `stop()` to end."""

    def __init__(
        self,
        env: JobEnv,
        *,
        concurrency: dict[JobQueue, int] | None = None,
        handlers: dict[str, Handler] | None = None,
        poll_s: float = 1.0,
        schedule_posts: bool = True,
    ) -> None:
        self.env = env
        self.handlers = handlers or HANDLERS
        self.concurrency = concurrency or {
            JobQueue.CPU: env.settings.cpu_concurrency,
            JobQueue.GPU: env.settings.gpu_concurrency,
        }
        self.poll_s = poll_s
        self.worker_id = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:6]}"
        self._queues: dict[JobQueue, asyncio.Queue[Delivery]] = {}
        self._pending: set[uuid.UUID] = set()
        self._tasks: list[asyncio.Task[None]] = []
        self._recovery: asyncio.Task[None] | None = None
        self._schedule_posts = schedule_posts
        self._scheduler: asyncio.Task[None] | None = None

    async def start(self) -> None:
        for queue, workers in self.concurrency.items():
            self._queues[queue] = asyncio.Queue()
            for _ in range(workers):
                self._tasks.append(asyncio.create_task(self._work(queue)))
        self._stopping = asyncio.Event()
        self._recovery = asyncio.create_task(
            recovery_loop(
                self.env,
                self,
                interval_s=self.poll_s,
                queued_grace_s=0.0,
                stopping=self._stopping,
            )
        )
        if self._schedule_posts:
            self._scheduler = asyncio.create_task(publishing_loop(self.env, self, self._stopping))

    async def dispatch(
        self,
        org_id: uuid.UUID,
        job_id: uuid.UUID,
        queue: JobQueue,
        dispatch_no: int,
        defer_s: float = 0.0,
    ) -> None:
        del dispatch_no
        self._pending.add(job_id)
        target = self._queues[queue]
        if defer_s > 0:
            asyncio.get_running_loop().call_later(defer_s, target.put_nowait, (org_id, job_id))
        else:
            target.put_nowait((org_id, job_id))

    async def is_pending(self, job_id: uuid.UUID, dispatch_no: int) -> bool:
        del dispatch_no
        return job_id in self._pending

    async def ping(self) -> str | None:
        if not self._tasks:
            return "not started"
        stopped = [task for task in self._tasks if task.done()]
        return f"{len(stopped)} of {len(self._tasks)} workers stopped" if stopped else None

    async def _work(self, queue: JobQueue) -> None:
        deliveries = self._queues[queue]
        while True:
            org_id, job_id = await deliveries.get()
            self._pending.discard(job_id)
            try:
                await run_delivered_job(
                    self.env, self.handlers, self, org_id, job_id, worker_id=self.worker_id
                )
            except Exception:
                log.exception("job %s could not be run", job_id)

    async def stop(self) -> None:
        """Cancel the workers; running jobs are handed back to the queue in the database."""
        if self._recovery is not None:
            self._stopping.set()
            await self._recovery
            self._recovery = None
        if self._scheduler is not None:
            await self._scheduler
            self._scheduler = None
        for task in self._tasks:
            task.cancel()
        for task in self._tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task
        self._tasks.clear()
