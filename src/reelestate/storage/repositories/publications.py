"""Publications (the calendar), their claims by schedulers, and their insights over time.

A scheduler claims a due post with one conditional UPDATE (status `scheduled` and due, or
`publishing` with no job and a claim gone stale): of two schedulers racing for the same row,
the database lets exactly one UPDATE match, so each post is handed to one publisher.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from pydantic import BaseModel
from sqlalchemy import and_, or_, select, text, update
from sqlalchemy.orm import Session

from reelestate.core.errors import JobStateError, NotFoundError
from reelestate.storage.context import TenantContext
from reelestate.storage.db import Database
from reelestate.storage.models import (
    Channel,
    PublicationMetricRow,
    PublicationRow,
    PublicationStatus,
    utcnow,
)
from reelestate.storage.schemas import MetricPoint, PublicationView


class NewPublication(BaseModel):
    channel: Channel
    status: PublicationStatus = PublicationStatus.SCHEDULED
    scheduled_at: datetime | None
    caption: str
    title: str
    video_key: str
    cover_key: str | None = None
    render_job_id: uuid.UUID | None = None
    project_id: uuid.UUID | None = None


class DuePublication(BaseModel):
    publication_id: uuid.UUID
    organization_id: uuid.UUID


_UNSET = object()


class PublicationsRepository:
    def __init__(self, db: Database) -> None:
        self._db = db

    @staticmethod
    def _row(session: Session, ctx: TenantContext, pub_id: uuid.UUID) -> PublicationRow:
        row = session.scalars(
            select(PublicationRow).where(
                PublicationRow.id == pub_id, PublicationRow.organization_id == ctx.org_id
            )
        ).first()
        if row is None:
            raise NotFoundError("No such post.")
        return row

    def create(self, ctx: TenantContext, new: NewPublication) -> PublicationView:
        with self._db.tenant(ctx) as session:
            row = PublicationRow(organization_id=ctx.org_id, attempts=0, **new.model_dump())
            session.add(row)
            session.flush()
            return PublicationView.model_validate(row)

    def get(self, ctx: TenantContext, pub_id: uuid.UUID) -> PublicationView:
        with self._db.tenant(ctx) as session:
            return PublicationView.model_validate(self._row(session, ctx, pub_id))

    def between(
        self,
        ctx: TenantContext,
        start: datetime | None = None,
        end: datetime | None = None,
        *,
        statuses: tuple[PublicationStatus, ...] | None = None,
        limit: int = 500,
    ) -> list[PublicationView]:
        """Posts whose time (scheduled or published) lies in [start, end), oldest first."""
        when = PublicationRow.scheduled_at
        query = select(PublicationRow).where(PublicationRow.organization_id == ctx.org_id)
        if start is not None:
            query = query.where(when >= start)
        if end is not None:
            query = query.where(when < end)
        if statuses:
            query = query.where(PublicationRow.status.in_(statuses))
        with self._db.tenant(ctx) as session:
            rows = session.scalars(query.order_by(when, PublicationRow.created_at).limit(limit))
            return [PublicationView.model_validate(r) for r in rows]

    def change(
        self,
        ctx: TenantContext,
        pub_id: uuid.UUID,
        *,
        scheduled_at: datetime | object | None = _UNSET,
        caption: str | None = None,
        status: PublicationStatus | None = None,
    ) -> PublicationView:
        """Move, re-word, cancel or (draft -> scheduled) a post that has not started publishing."""
        with self._db.tenant(ctx) as session:
            row = self._row(session, ctx, pub_id)
            if not row.status.movable:
                raise JobStateError(
                    f"This post is {row.status.value}; it can no longer be changed.",
                    hint="Post the video again as a new post instead.",
                )
            if scheduled_at is not _UNSET:
                row.scheduled_at = scheduled_at  # type: ignore[assignment]
            if caption is not None:
                row.caption = caption
            if status is not None:
                row.status = status
            row.updated_at = utcnow()
            session.flush()
            return PublicationView.model_validate(row)

    def claim(
        self, ctx: TenantContext, pub_id: uuid.UUID, *, now: datetime, stale_before: datetime
    ) -> PublicationView | None:
        """Take a due post for publishing; None when another scheduler has it (or it moved)."""
        token = uuid.uuid4()
        with self._db.tenant(ctx) as session:
            claimed = session.execute(
                update(PublicationRow)
                .where(
                    PublicationRow.id == pub_id,
                    PublicationRow.organization_id == ctx.org_id,
                    or_(
                        and_(
                            PublicationRow.status == PublicationStatus.SCHEDULED,
                            PublicationRow.scheduled_at <= now,
                        ),
                        and_(
                            PublicationRow.status == PublicationStatus.PUBLISHING,
                            PublicationRow.job_id.is_(None),
                            PublicationRow.claimed_at < stale_before,
                        ),
                    ),
                )
                .values(
                    status=PublicationStatus.PUBLISHING,
                    claim_token=token,
                    claimed_at=now,
                    attempts=PublicationRow.attempts + 1,
                    updated_at=now,
                )
                .execution_options(synchronize_session=False)
            )
            if claimed.rowcount != 1:  # type: ignore[attr-defined]
                return None
            row = self._row(session, ctx, pub_id)
            session.refresh(row)
            return PublicationView.model_validate(row)

    def attach_job(self, ctx: TenantContext, pub_id: uuid.UUID, job_id: uuid.UUID) -> None:
        with self._db.tenant(ctx) as session:
            self._row(session, ctx, pub_id).job_id = job_id

    def save_container(self, ctx: TenantContext, pub_id: uuid.UUID, container_id: str) -> None:
        """Written (and committed) before publishing is asked, so a retry resumes this one."""
        with self._db.tenant(ctx) as session:
            row = self._row(session, ctx, pub_id)
            row.container_id = container_id
            row.updated_at = utcnow()

    def published(self, ctx: TenantContext, pub_id: uuid.UUID, remote_id: str) -> PublicationView:
        with self._db.tenant(ctx) as session:
            row = self._row(session, ctx, pub_id)
            row.status = PublicationStatus.PUBLISHED
            row.remote_id = remote_id
            row.published_at = utcnow()
            row.error_code = row.error_message = None
            row.updated_at = utcnow()
            session.flush()
            return PublicationView.model_validate(row)

    def failed(
        self, ctx: TenantContext, pub_id: uuid.UUID, *, code: str, message: str
    ) -> PublicationView:
        with self._db.tenant(ctx) as session:
            row = self._row(session, ctx, pub_id)
            if row.status != PublicationStatus.PUBLISHED:
                row.status = PublicationStatus.FAILED
                row.error_code, row.error_message = code, message[:1000]
                row.updated_at = utcnow()
            session.flush()
            return PublicationView.model_validate(row)

    def due(
        self, *, now: datetime, stale_before: datetime, limit: int = 50
    ) -> list[DuePublication]:
        """Across organisations: ids of posts due now, and of claims lost before a job existed."""
        with self._db.system() as session:
            if self._db.is_postgres:
                rows = session.execute(
                    text("SELECT * FROM reelestate_due_publications(:now, :stale, :limit)"),
                    {"now": now, "stale": stale_before, "limit": limit},
                ).all()
                return [DuePublication(publication_id=r[0], organization_id=r[1]) for r in rows]
            found = session.execute(
                select(PublicationRow.id, PublicationRow.organization_id)
                .where(
                    or_(
                        and_(
                            PublicationRow.status == PublicationStatus.SCHEDULED,
                            PublicationRow.scheduled_at <= now,
                        ),
                        and_(
                            PublicationRow.status == PublicationStatus.PUBLISHING,
                            PublicationRow.job_id.is_(None),
                            PublicationRow.claimed_at < stale_before,
                        ),
                    )
                )
                .order_by(PublicationRow.scheduled_at)
                .limit(limit)
            ).all()
            return [DuePublication(publication_id=r[0], organization_id=r[1]) for r in found]

    def to_measure(self, *, since: datetime, limit: int = 500) -> list[DuePublication]:
        """Across organisations: published posts younger than `since`, whose insights we pull."""
        with self._db.system() as session:
            if self._db.is_postgres:
                rows = session.execute(
                    text("SELECT * FROM reelestate_publications_to_measure(:since, :limit)"),
                    {"since": since, "limit": limit},
                ).all()
            else:
                rows = session.execute(
                    select(PublicationRow.id, PublicationRow.organization_id)
                    .where(
                        PublicationRow.status == PublicationStatus.PUBLISHED,
                        PublicationRow.published_at >= since,
                    )
                    .order_by(PublicationRow.published_at)
                    .limit(limit)
                ).all()
            return [DuePublication(publication_id=r[0], organization_id=r[1]) for r in rows]

    def add_metrics(
        self, ctx: TenantContext, pub_id: uuid.UUID, taken_at: datetime, values: dict[str, float]
    ) -> int:
        with self._db.tenant(ctx) as session:
            self._row(session, ctx, pub_id)
            for metric, value in values.items():
                session.add(
                    PublicationMetricRow(
                        organization_id=ctx.org_id,
                        publication_id=pub_id,
                        taken_at=taken_at,
                        metric=metric,
                        value=float(value),
                    )
                )
            return len(values)

    def metrics(
        self,
        ctx: TenantContext,
        *,
        start: datetime | None = None,
        end: datetime | None = None,
        publication_ids: list[uuid.UUID] | None = None,
    ) -> list[MetricPoint]:
        query = select(PublicationMetricRow).where(
            PublicationMetricRow.organization_id == ctx.org_id
        )
        if start is not None:
            query = query.where(PublicationMetricRow.taken_at >= start)
        if end is not None:
            query = query.where(PublicationMetricRow.taken_at < end)
        if publication_ids is not None:
            query = query.where(PublicationMetricRow.publication_id.in_(publication_ids))
        with self._db.tenant(ctx) as session:
            rows = session.scalars(query.order_by(PublicationMetricRow.taken_at))
            return [MetricPoint.model_validate(r) for r in rows]
