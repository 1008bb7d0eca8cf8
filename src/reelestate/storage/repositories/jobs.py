"""Render jobs: creation with credit reservation, leases for workers, progress, outcome, events.

State changes after the claim require the worker's `Lease`; a worker that lost its lease (it was
presumed dead and the job went to another worker) gets `LeaseLostError` and must discard its work,
so a job completes, and its credits are captured, exactly once.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from datetime import datetime, timedelta
from typing import Any

from pydantic import BaseModel, ConfigDict
from sqlalchemy import select
from sqlalchemy.orm import Session

from reelestate.core.errors import JobStateError, NotFoundError
from reelestate.core.jobs import EngineStage, JobStage
from reelestate.storage.context import TenantContext
from reelestate.storage.db import Database
from reelestate.storage.models import (
    JobEventRow,
    JobKind,
    JobQueue,
    JobStatus,
    RenderJob,
    utcnow,
)
from reelestate.storage.repositories.credits import reserve, settle
from reelestate.storage.schemas import JobEventView, Lease, RenderJobView

EventSink = Callable[[Sequence[JobEventView]], None]


class LeaseLostError(Exception):
    """This worker no longer owns the job; whatever it produced must not be recorded."""


class NewJob(BaseModel):
    model_config = ConfigDict(frozen=True)

    kind: JobKind
    queue: JobQueue
    input_hash: str
    payload: dict[str, Any] = {}
    credits: int = 0
    max_attempts: int = 3
    idempotency_key: str | None = None
    project_id: uuid.UUID | None = None
    storyboard_version_id: uuid.UUID | None = None


class JobsRepository:
    """Every method opens its own transaction under `ctx`; events go to `on_events` after commit."""

    def __init__(self, db: Database, on_events: EventSink | None = None) -> None:
        self._db = db
        self._on_events = on_events

    # -- reading -----------------------------------------------------------------------------

    def get(self, ctx: TenantContext, job_id: uuid.UUID) -> RenderJobView:
        with self._db.tenant(ctx) as session:
            return RenderJobView.model_validate(self._row(session, ctx, job_id))

    def recent(
        self, ctx: TenantContext, *, status: JobStatus | None = None, limit: int = 50
    ) -> list[RenderJobView]:
        query = select(RenderJob).where(RenderJob.organization_id == ctx.org_id)
        if status is not None:
            query = query.where(RenderJob.status == status)
        with self._db.tenant(ctx) as session:
            rows = session.scalars(query.order_by(RenderJob.created_at.desc()).limit(limit))
            return [RenderJobView.model_validate(r) for r in rows]

    def by_idempotency_keys(self, ctx: TenantContext, keys: list[str]) -> list[RenderJobView]:
        """The organisation's jobs submitted under these keys (a conversation's renders),
        newest first."""
        if not keys:
            return []
        query = select(RenderJob).where(
            RenderJob.organization_id == ctx.org_id, RenderJob.idempotency_key.in_(keys)
        )
        with self._db.tenant(ctx) as session:
            rows = session.scalars(query.order_by(RenderJob.created_at.desc()))
            return [RenderJobView.model_validate(r) for r in rows]

    def events(
        self, ctx: TenantContext, job_id: uuid.UUID, *, after_seq: int = 0, limit: int = 1000
    ) -> list[JobEventView]:
        with self._db.tenant(ctx) as session:
            self._row(session, ctx, job_id, lock=False)
            rows = session.scalars(
                select(JobEventRow)
                .where(
                    JobEventRow.organization_id == ctx.org_id,
                    JobEventRow.job_id == job_id,
                    JobEventRow.seq > after_seq,
                )
                .order_by(JobEventRow.seq)
                .limit(limit)
            )
            return [JobEventView.model_validate(r) for r in rows]

    # -- submitting and cancelling -----------------------------------------------------------

    def create(self, ctx: TenantContext, new: NewJob) -> tuple[RenderJobView, bool]:
        """Queue a job and reserve its credits; returns (job, created). A known idempotency key
        returns the existing job instead of queueing (and billing) it twice."""
        with self._db.tenant(ctx) as session:
            if new.idempotency_key:
                existing = session.scalars(
                    select(RenderJob).where(
                        RenderJob.organization_id == ctx.org_id,
                        RenderJob.idempotency_key == new.idempotency_key,
                    )
                ).first()
                if existing is not None:
                    return RenderJobView.model_validate(existing), False
            job = RenderJob(organization_id=ctx.org_id, **new.model_dump())
            job.id = uuid.uuid4()
            job.status, job.stage, job.percent, job.attempts = JobStatus.QUEUED, "queued", 0.0, 0
            job.event_seq, job.dispatch_count, job.cancel_requested = 0, 0, False
            session.add(job)
            session.flush()
            reserve(session, ctx.org_id, job.id, new.credits, lock=self._db.is_postgres)
            events = [self._event(session, job, "queued")]
            view = RenderJobView.model_validate(job)
        self._emit(events)
        return view, True

    def mark_dispatched(self, ctx: TenantContext, job_id: uuid.UUID) -> int:
        """Record one more hand-over to a queue; the count makes each hand-over's id unique."""
        with self._db.tenant(ctx) as session:
            job = self._row(session, ctx, job_id)
            job.dispatch_count += 1
            job.dispatched_at = utcnow()
            return job.dispatch_count

    def request_cancel(self, ctx: TenantContext, job_id: uuid.UUID) -> RenderJobView:
        """A queued job is cancelled at once; a running one is flagged and its worker stops it."""
        events: list[JobEventView] = []
        with self._db.tenant(ctx) as session:
            job = self._row(session, ctx, job_id)
            if job.status.terminal:
                raise JobStateError(f"This job has already {job.status.value}; nothing to cancel.")
            if job.status == JobStatus.QUEUED:
                events.append(self._finish(session, job, JobStatus.CANCELLED, "cancelled"))
            elif not job.cancel_requested:
                job.cancel_requested = True
                events.append(self._event(session, job, "cancel_requested"))
            view = RenderJobView.model_validate(job)
        self._emit(events)
        return view

    # -- the worker's side -------------------------------------------------------------------

    def claim(
        self, ctx: TenantContext, job_id: uuid.UUID, worker_id: str, *, stale_after_s: float
    ) -> Lease | None:
        """Start an attempt, or None when the job is finished, running elsewhere, or not due yet."""
        events: list[JobEventView] = []
        lease: Lease | None = None
        with self._db.tenant(ctx) as session:
            job = self._row(session, ctx, job_id)
            now = utcnow()
            alive = job.heartbeat_at is not None and job.heartbeat_at > now - timedelta(
                seconds=stale_after_s
            )
            due = job.run_after is None or job.run_after <= now
            if job.status.terminal or (job.status == JobStatus.RUNNING and alive) or not due:
                return None
            if job.cancel_requested:
                events.append(self._finish(session, job, JobStatus.CANCELLED, "cancelled"))
            else:
                job.attempts += 1
                job.status, job.stage, job.percent = JobStatus.RUNNING, "starting", 0.0
                job.lease_token, job.worker_id, job.heartbeat_at = uuid.uuid4(), worker_id, now
                job.started_at = job.started_at or now
                job.error_code = job.error_message = None
                events.append(self._event(session, job, "started"))
                lease = Lease(
                    org_id=ctx.org_id,
                    job_id=job.id,
                    token=job.lease_token,
                    attempt=job.attempts,
                    kind=job.kind,
                )
        self._emit(events)
        return lease

    def heartbeat(self, lease: Lease) -> bool:
        """Prove the worker is alive; returns True when the user asked to cancel."""
        with self._db.tenant(self._ctx(lease)) as session:
            job = self._leased(session, lease)
            job.heartbeat_at = utcnow()
            return job.cancel_requested

    def progress(
        self,
        lease: Lease,
        stage: JobStage,
        percent: float,
        message: str | None = None,
        *,
        render_stage: EngineStage | None = None,
    ) -> None:
        with self._db.tenant(self._ctx(lease)) as session:
            job = self._leased(session, lease)
            job.stage, job.percent = stage, max(0.0, min(100.0, percent))
            job.heartbeat_at = utcnow()
            events = [
                self._event(session, job, "progress", message=message, render_stage=render_stage)
            ]
        self._emit(events)

    def succeed(self, lease: Lease, outputs: dict[str, Any]) -> RenderJobView:
        """Record the outputs and capture the credits, in one transaction."""
        with self._db.tenant(self._ctx(lease)) as session:
            job = self._leased(session, lease)
            job.outputs = outputs
            job.percent = 100.0
            events = [self._finish(session, job, JobStatus.SUCCEEDED, "done")]
            view = RenderJobView.model_validate(job)
        self._emit(events)
        return view

    def fail(
        self,
        lease: Lease,
        *,
        code: str,
        message: str,
        retry_at: datetime | None = None,
    ) -> RenderJobView:
        """Fail the attempt; with `retry_at` (and attempts left) the job is queued again."""
        with self._db.tenant(self._ctx(lease)) as session:
            job = self._leased(session, lease)
            job.error_code, job.error_message = code, message[:1000]
            if retry_at is not None and job.attempts < job.max_attempts:
                job.status, job.stage, job.run_after = JobStatus.QUEUED, "retrying", retry_at
                job.lease_token = job.worker_id = None
                events = [self._event(session, job, "retrying", message=message)]
            else:
                events = [self._finish(session, job, JobStatus.FAILED, "failed", message=message)]
            view = RenderJobView.model_validate(job)
        self._emit(events)
        return view

    def cancelled(self, lease: Lease) -> RenderJobView:
        with self._db.tenant(self._ctx(lease)) as session:
            job = self._leased(session, lease)
            events = [self._finish(session, job, JobStatus.CANCELLED, "cancelled")]
            view = RenderJobView.model_validate(job)
        self._emit(events)
        return view

    def release(self, lease: Lease) -> None:
        """Give the job back unharmed (worker shutting down): queued again, attempt not counted."""
        with self._db.tenant(self._ctx(lease)) as session:
            job = self._leased(session, lease)
            job.status, job.stage, job.lease_token, job.worker_id = (
                JobStatus.QUEUED,
                "queued",
                None,
                None,
            )
            job.attempts = max(0, job.attempts - 1)
            events = [self._event(session, job, "released")]
        self._emit(events)

    def requeue_if_stale(
        self, ctx: TenantContext, job_id: uuid.UUID, *, stale_after_s: float
    ) -> bool:
        """Recovery: a running job whose heartbeat lapsed goes back to the queue (or fails when it
        has used all its attempts). Returns True when the job should be dispatched again."""
        with self._db.tenant(ctx) as session:
            job = self._row(session, ctx, job_id)
            if job.status == JobStatus.QUEUED:
                return True
            cutoff = utcnow() - timedelta(seconds=stale_after_s)
            if job.status != JobStatus.RUNNING or (job.heartbeat_at and job.heartbeat_at > cutoff):
                return False
            job.lease_token = job.worker_id = None
            if job.attempts >= job.max_attempts:
                job.error_code = "worker_lost"
                job.error_message = "The job's worker stopped responding on every attempt."
                events = [self._finish(session, job, JobStatus.FAILED, "failed")]
                requeue = False
            else:
                job.status, job.stage = JobStatus.QUEUED, "recovering"
                events = [self._event(session, job, "worker_lost")]
                requeue = True
        self._emit(events)
        return requeue

    # -- internals ---------------------------------------------------------------------------

    @staticmethod
    def _ctx(lease: Lease) -> TenantContext:
        return TenantContext(org_id=lease.org_id)

    @staticmethod
    def _row(
        session: Session, ctx: TenantContext, job_id: uuid.UUID, lock: bool = True
    ) -> RenderJob:
        query = select(RenderJob).where(
            RenderJob.id == job_id, RenderJob.organization_id == ctx.org_id
        )
        if lock:
            query = query.with_for_update()
        job = session.scalars(query).first()
        if job is None:
            raise NotFoundError("No such job.", hint="Check the job id.")
        return job

    @staticmethod
    def _leased(session: Session, lease: Lease) -> RenderJob:
        job = session.scalars(
            select(RenderJob)
            .where(
                RenderJob.id == lease.job_id,
                RenderJob.organization_id == lease.org_id,
                RenderJob.lease_token == lease.token,
            )
            .with_for_update()
        ).first()
        if job is None or job.status != JobStatus.RUNNING:
            raise LeaseLostError(str(lease.job_id))
        return job

    def _finish(
        self,
        session: Session,
        job: RenderJob,
        status: JobStatus,
        stage: str,
        message: str | None = None,
    ) -> JobEventView:
        job.status, job.stage, job.finished_at = status, stage, utcnow()
        job.lease_token = None
        settle(
            session,
            job.organization_id,
            job.id,
            capture=status == JobStatus.SUCCEEDED,
            lock=self._db.is_postgres,
        )
        return self._event(session, job, status.value, message=message)

    @staticmethod
    def _event(
        session: Session,
        job: RenderJob,
        kind: str,
        message: str | None = None,
        render_stage: EngineStage | None = None,
    ) -> JobEventView:
        job.event_seq += 1
        seq = job.event_seq
        row = JobEventRow(
            organization_id=job.organization_id,
            job_id=job.id,
            seq=seq,
            type=kind,
            status=job.status.value,
            stage=job.stage,
            render_stage=render_stage,
            percent=job.percent,
            attempt=job.attempts,
            message=message,
            data={"outputs": job.outputs} if kind == "succeeded" and job.outputs else None,
        )
        session.add(row)
        session.flush()
        return JobEventView.model_validate(row)

    def _emit(self, events: Sequence[JobEventView]) -> None:
        if events and self._on_events is not None:
            self._on_events(events)
