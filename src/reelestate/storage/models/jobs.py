"""Render jobs and their event log: the database row is the truth about every job."""

from __future__ import annotations

import enum
import uuid
from datetime import datetime

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Enum,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from reelestate.core.jobs import JobKind, JobQueue, JobStatus
from reelestate.storage.models.base import Base, JSONDict, TenantMixin

__all__ = ["JobEventRow", "JobKind", "JobQueue", "JobStatus", "RenderJob"]


def _enum(kind: type[enum.StrEnum]) -> Enum:
    return Enum(kind, native_enum=False, length=24, values_callable=lambda e: [m.value for m in e])


class RenderJob(TenantMixin, Base):
    __tablename__ = "render_jobs"
    __table_args__ = (
        UniqueConstraint("organization_id", "idempotency_key"),
        CheckConstraint("percent >= 0 AND percent <= 100", name="percent_range"),
        CheckConstraint("attempts >= 0", name="attempts_positive"),
        Index("ix_render_jobs_queue_status", "queue", "status"),
    )
    kind: Mapped[JobKind] = mapped_column(_enum(JobKind))
    queue: Mapped[JobQueue] = mapped_column(_enum(JobQueue))
    status: Mapped[JobStatus] = mapped_column(_enum(JobStatus), default=JobStatus.QUEUED)
    stage: Mapped[str] = mapped_column(String(32), default="queued")
    percent: Mapped[float] = mapped_column(Float, default=0.0)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    max_attempts: Mapped[int] = mapped_column(Integer, default=3)
    error_code: Mapped[str | None] = mapped_column(String(48))
    error_message: Mapped[str | None] = mapped_column(String(1000))
    outputs: Mapped[JSONDict | None]
    payload: Mapped[JSONDict] = mapped_column(default=dict)
    input_hash: Mapped[str] = mapped_column(String(64))
    idempotency_key: Mapped[str | None] = mapped_column(String(128))
    credits: Mapped[int] = mapped_column(Integer, default=0)
    project_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("projects.id", ondelete="SET NULL")
    )
    storyboard_version_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("storyboard_versions.id", ondelete="SET NULL")
    )
    lease_token: Mapped[uuid.UUID | None]
    worker_id: Mapped[str | None] = mapped_column(String(120))
    heartbeat_at: Mapped[datetime | None]
    cancel_requested: Mapped[bool] = mapped_column(Boolean, default=False)
    run_after: Mapped[datetime | None]
    dispatched_at: Mapped[datetime | None]
    dispatch_count: Mapped[int] = mapped_column(Integer, default=0)
    event_seq: Mapped[int] = mapped_column(Integer, default=0)
    started_at: Mapped[datetime | None]
    finished_at: Mapped[datetime | None]


class JobEventRow(TenantMixin, Base):
    """One step of a job's story, numbered per job so a listener can resume after any `seq`."""

    __tablename__ = "job_events"
    __table_args__ = (UniqueConstraint("job_id", "seq"),)
    job_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("render_jobs.id", ondelete="CASCADE"))
    seq: Mapped[int] = mapped_column(Integer)
    type: Mapped[str] = mapped_column(String(24))
    status: Mapped[str] = mapped_column(String(24))
    stage: Mapped[str] = mapped_column(String(32))
    render_stage: Mapped[str | None] = mapped_column(String(16))
    """The engine's stage while the job renders (prepare, voice, frames...); None otherwise."""
    percent: Mapped[float] = mapped_column(Float)
    attempt: Mapped[int] = mapped_column(Integer, default=0)
    message: Mapped[str | None] = mapped_column(String(1000))
    data: Mapped[JSONDict | None]
