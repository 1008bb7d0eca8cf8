"""Cross-tenant bookkeeping for workers: jobs to recover, queue depth, a job's organisation.

On PostgreSQL these go through SECURITY DEFINER functions that return ids and counts only, so the
application role never gains a general view of other organisations' rows.
"""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta

from sqlalchemy import func, select, text

from reelestate.storage.db import Database
from reelestate.storage.models import JobQueue, JobStatus, RenderJob, utcnow
from reelestate.storage.schemas import QueueStat, RecoverableJob


class SystemJobs:
    def __init__(self, db: Database) -> None:
        self._db = db

    def jobs_to_recover(
        self, *, stale_after_s: float, dispatched_before: datetime, limit: int = 100
    ) -> list[RecoverableJob]:
        """Running jobs with a lapsed heartbeat, and due queued jobs last handed over before
        `dispatched_before` (their queue entry may have been lost)."""
        stale_before = utcnow() - timedelta(seconds=stale_after_s)
        with self._db.system() as session:
            if self._db.is_postgres:
                rows = session.execute(
                    text("SELECT * FROM reelestate_jobs_to_recover(:stale, :dispatched, :limit)"),
                    {"stale": stale_before, "dispatched": dispatched_before, "limit": limit},
                ).all()
                return [
                    RecoverableJob(
                        job_id=r.job_id,
                        organization_id=r.organization_id,
                        queue=JobQueue(r.queue),
                        status=JobStatus(r.status),
                        dispatch_count=r.dispatch_count,
                    )
                    for r in rows
                ]
            now = utcnow()
            jobs = session.scalars(
                select(RenderJob)
                .where(
                    (
                        (RenderJob.status == JobStatus.RUNNING)
                        & (RenderJob.heartbeat_at < stale_before)
                    )
                    | (
                        (RenderJob.status == JobStatus.QUEUED)
                        & (
                            RenderJob.dispatched_at.is_(None)
                            | (RenderJob.dispatched_at < dispatched_before)
                        )
                        & (RenderJob.run_after.is_(None) | (RenderJob.run_after <= now))
                    )
                )
                .order_by(RenderJob.created_at)
                .limit(limit)
            ).all()
            return [
                RecoverableJob(
                    job_id=j.id,
                    organization_id=j.organization_id,
                    queue=j.queue,
                    status=j.status,
                    dispatch_count=j.dispatch_count,
                )
                for j in jobs
            ]

    def queue_stats(self) -> list[QueueStat]:
        """Queued and running jobs per queue, with the creation time of the oldest."""
        with self._db.system() as session:
            if self._db.is_postgres:
                rows = session.execute(text("SELECT * FROM reelestate_queue_stats()")).all()
            else:
                rows = session.execute(
                    select(
                        RenderJob.queue,
                        RenderJob.status,
                        func.count().label("jobs"),
                        func.min(RenderJob.created_at).label("oldest"),
                    )
                    .where(RenderJob.status.in_([JobStatus.QUEUED, JobStatus.RUNNING]))
                    .group_by(RenderJob.queue, RenderJob.status)
                ).all()
            return [
                QueueStat(
                    queue=JobQueue(r.queue),
                    status=JobStatus(r.status),
                    jobs=int(r.jobs),
                    oldest=r.oldest,
                )
                for r in rows
            ]

    def run_times(self, *, since: datetime) -> dict[JobQueue, tuple[int, float]]:
        """Per queue: jobs that succeeded since `since`, and their mean run time in seconds."""
        with self._db.system() as session:
            if self._db.is_postgres:
                rows = session.execute(
                    text("SELECT * FROM reelestate_run_times(:since)"), {"since": since}
                ).all()
                return {JobQueue(r.queue): (int(r.jobs), float(r.mean_s)) for r in rows}
            jobs = session.execute(
                select(RenderJob.queue, RenderJob.started_at, RenderJob.finished_at).where(
                    RenderJob.status == JobStatus.SUCCEEDED,
                    RenderJob.finished_at >= since,
                    RenderJob.started_at.is_not(None),
                )
            ).all()
        spans: dict[JobQueue, list[float]] = {}
        for queue, started, finished in jobs:
            if started is not None and finished is not None:
                spans.setdefault(queue, []).append((finished - started).total_seconds())
        return {q: (len(v), sum(v) / len(v)) for q, v in spans.items()}

    def job_org(self, job_id: uuid.UUID) -> uuid.UUID | None:
        """The organisation a job belongs to (for a queue message that carries only the job id)."""
        with self._db.system() as session:
            if self._db.is_postgres:
                value = session.execute(
                    text("SELECT reelestate_job_org(:job)"), {"job": job_id}
                ).scalar_one_or_none()
                return uuid.UUID(str(value)) if value is not None else None
            return session.scalars(
                select(RenderJob.organization_id).where(RenderJob.id == job_id)
            ).first()
