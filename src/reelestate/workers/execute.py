"""One attempt of one job, start to finish: claim, heartbeat, run the kind's handler, record.

Synchronous on purpose: it runs in a worker thread, the heavy work in a child process. Whatever
happens, the job row ends in a consistent state: succeeded (outputs + credits captured), failed
(user-actionable error, credits released), queued again (transient error with attempts left, or
the worker shutting down), or cancelled (credits released). A worker that lost its lease records
nothing.
"""

from __future__ import annotations

import logging
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

from reelestate.core import tracing
from reelestate.core.errors import ReelEstateError, RenderCancelledError
from reelestate.core.jobs import job_stage_of
from reelestate.core.metrics import JOBS_FINISHED
from reelestate.core.settings import Settings
from reelestate.render.ffmpeg import CancelToken
from reelestate.render.progress import RenderProgress
from reelestate.storage.blobs import BlobStore
from reelestate.storage.context import TenantContext
from reelestate.storage.db import Database
from reelestate.storage.models import utcnow
from reelestate.storage.repositories.jobs import JobsRepository, LeaseLostError
from reelestate.storage.repositories.system import SystemJobs
from reelestate.storage.schemas import Lease, RenderJobView
from reelestate.workers.events import EventBus
from reelestate.workers.kinds import retry_delay

log = logging.getLogger(__name__)


@dataclass
class JobEnv:
    """The clients a worker process shares between its jobs."""

    settings: Settings
    db: Database
    blobs: BlobStore
    bus: EventBus
    jobs: JobsRepository = field(init=False)
    system: SystemJobs = field(init=False)

    def __post_init__(self) -> None:
        self.jobs = JobsRepository(self.db, on_events=self.bus.publish)
        self.system = SystemJobs(self.db)

    def close(self) -> None:
        self.bus.close()
        self.db.dispose()


@dataclass(frozen=True)
class Outcome:
    status: str
    """succeeded | failed | cancelled | retry | released | lost | skipped"""
    retry_in: float | None = None
    job: RenderJobView | None = None


class JobProgressWriter:
    """Writes progress to the job row and its events, at most every 5 % or 2 s per job stage.

    `percent` is the whole job's. While the engine renders, the job's stage is `render` and
    the event names the engine's stage beside it.
    """

    def __init__(self, jobs: JobsRepository, lease: Lease) -> None:
        self._jobs, self._lease = jobs, lease
        self._last: tuple[str, float, float] = ("", -100.0, 0.0)

    def __call__(self, progress: RenderProgress) -> None:
        stage, render_stage = job_stage_of(progress.stage)
        last_stage, last_percent, last_time = self._last
        now = time.monotonic()
        if stage == last_stage and progress.percent - last_percent < 5.0 and now - last_time < 2.0:
            return
        self._last = (stage, progress.percent, now)
        self._jobs.progress(
            self._lease,
            stage,
            progress.percent,
            progress.message or None,
            render_stage=render_stage,
        )


@dataclass
class JobRun:
    """What a handler gets: the job, its tenant, clients, a cancel token and a progress callback."""

    env: JobEnv
    ctx: TenantContext
    lease: Lease
    job: RenderJobView
    cancel: CancelToken
    progress: Callable[[RenderProgress], None]
    workdir: Path


Handler = Callable[[JobRun], dict[str, Any]]


class _Heartbeat(threading.Thread):
    """Keeps the lease alive and turns a cancel request (or a shutdown) into the cancel token."""

    def __init__(
        self,
        jobs: JobsRepository,
        lease: Lease,
        every: float,
        cancel: CancelToken,
        stop: threading.Event,
    ) -> None:
        super().__init__(daemon=True, name=f"heartbeat-{lease.job_id}")
        self._jobs, self._lease, self._every = jobs, lease, every
        self._cancel, self._shutdown = cancel, stop
        self._done = threading.Event()
        self.lost = False
        self.cancel_requested = False

    def run(self) -> None:
        while not self._done.wait(self._every):
            if self._shutdown.is_set():
                self._cancel.cancel()
                return
            try:
                if self._jobs.heartbeat(self._lease):
                    self.cancel_requested = True
                    self._cancel.cancel()
            except LeaseLostError:
                self.lost = True
                self._cancel.cancel()
                return
            except ReelEstateError as exc:  # database blip: try again next beat
                log.warning("heartbeat of job %s failed: %s", self._lease.job_id, exc)

    def finish(self) -> None:
        self._done.set()
        self.join(timeout=5)


def execute_job(
    env: JobEnv,
    handlers: dict[str, Handler],
    org_id: uuid.UUID,
    job_id: uuid.UUID,
    *,
    worker_id: str,
    stop: threading.Event | None = None,
) -> Outcome:
    """One attempt, counted by kind and outcome and traced as a child of the delivery."""
    seen: dict[str, str] = {}
    with tracing.span("job attempt", {"job.id": str(job_id)}) as span:
        outcome = _attempt(env, handlers, org_id, job_id, worker_id=worker_id, stop=stop, seen=seen)
        span.set_attribute("job.outcome", outcome.status)
        if "kind" in seen:
            span.set_attribute("job.kind", seen["kind"])
    if outcome.status != "skipped":
        JOBS_FINISHED.labels(seen.get("kind", "unknown"), outcome.status).inc()
    return outcome


def _attempt(
    env: JobEnv,
    handlers: dict[str, Handler],
    org_id: uuid.UUID,
    job_id: uuid.UUID,
    *,
    worker_id: str,
    stop: threading.Event | None,
    seen: dict[str, str],
) -> Outcome:
    settings = env.settings
    ctx = TenantContext(org_id=org_id)
    lease = env.jobs.claim(ctx, job_id, worker_id, stale_after_s=settings.job_stale_after_s)
    if lease is None:
        return Outcome("skipped")
    stop = stop or threading.Event()
    cancel = CancelToken()
    heartbeat = _Heartbeat(env.jobs, lease, settings.job_heartbeat_s, cancel, stop)
    heartbeat.start()
    try:
        job = env.jobs.get(ctx, job_id)
        seen["kind"] = job.kind.value
        handler = handlers[job.kind.value]
        workdir = settings.data_dir / "work" / f"{job_id}-{lease.attempt}"
        run = JobRun(env, ctx, lease, job, cancel, JobProgressWriter(env.jobs, lease), workdir)
        outputs = handler(run)
        cancel.raise_if_cancelled()
        return Outcome("succeeded", job=env.jobs.succeed(lease, outputs))
    except LeaseLostError:
        return Outcome("lost")
    except RenderCancelledError:
        return _after_cancel(env, lease, heartbeat, stop)
    except ReelEstateError as exc:
        return _after_error(
            env, lease, exc.code, exc.message, exc.hint, retryable=not exc.user_error
        )
    except Exception:
        log.exception("job %s attempt %d crashed", job_id, lease.attempt)
        return _after_error(
            env, lease, "internal_error", "Something went wrong on our side.", None, retryable=True
        )
    finally:
        heartbeat.finish()


def _after_cancel(
    env: JobEnv, lease: Lease, heartbeat: _Heartbeat, stop: threading.Event
) -> Outcome:
    try:
        if heartbeat.lost:
            return Outcome("lost")
        if stop.is_set() and not heartbeat.cancel_requested:
            env.jobs.release(lease)
            return Outcome("released")
        return Outcome("cancelled", job=env.jobs.cancelled(lease))
    except LeaseLostError:
        return Outcome("lost")


def _after_error(
    env: JobEnv, lease: Lease, code: str, message: str, hint: str | None, *, retryable: bool
) -> Outcome:
    text = f"{message} {hint}" if hint else message
    delay = retry_delay(lease.attempt, env.settings.job_retry_base_s) if retryable else None
    retry_at = utcnow() + timedelta(seconds=delay) if delay is not None else None
    try:
        job = env.jobs.fail(lease, code=code, message=text, retry_at=retry_at)
    except LeaseLostError:
        return Outcome("lost")
    if job.status.value == "queued":
        return Outcome("retry", retry_in=delay, job=job)
    return Outcome("failed", job=job)
