"""Connected social accounts, publications (the calendar) and their insights over time."""

from __future__ import annotations

import enum
import uuid
from datetime import datetime

from sqlalchemy import (
    Boolean,
    Enum,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from reelestate.storage.models.base import Base, TenantMixin, utcnow


def _enum(kind: type[enum.StrEnum]) -> Enum:
    return Enum(kind, native_enum=False, length=24, values_callable=lambda e: [m.value for m in e])


class Channel(enum.StrEnum):
    INSTAGRAM = "instagram"
    FACEBOOK = "facebook"


class PublicationStatus(enum.StrEnum):
    DRAFT = "draft"
    SCHEDULED = "scheduled"
    PUBLISHING = "publishing"
    PUBLISHED = "published"
    FAILED = "failed"
    CANCELLED = "cancelled"

    @property
    def movable(self) -> bool:
        """Whether the post may still be moved, edited or cancelled."""
        return self in (PublicationStatus.DRAFT, PublicationStatus.SCHEDULED)


class SocialAccountRow(TenantMixin, Base):
    """A Facebook Page (and its Instagram account) an organisation publishes to."""

    __tablename__ = "social_accounts"
    __table_args__ = (UniqueConstraint("organization_id", "page_id"),)
    page_id: Mapped[str] = mapped_column(String(64))
    page_name: Mapped[str | None] = mapped_column(String(160))
    instagram_id: Mapped[str | None] = mapped_column(String(64))
    page_token_sealed: Mapped[str] = mapped_column(Text)
    """The Page token, encrypted with the installation's secrets key; never stored in clear."""
    needs_reconnect: Mapped[bool] = mapped_column(Boolean, default=False)
    connected_at: Mapped[datetime] = mapped_column(default=utcnow)


class PublicationRow(TenantMixin, Base):
    """One post of one finished video to one channel, at a time (or as soon as possible)."""

    __tablename__ = "publications"
    __table_args__ = (Index("ix_publications_status_scheduled_at", "status", "scheduled_at"),)
    channel: Mapped[Channel] = mapped_column(_enum(Channel))
    status: Mapped[PublicationStatus] = mapped_column(
        _enum(PublicationStatus), default=PublicationStatus.SCHEDULED
    )
    scheduled_at: Mapped[datetime | None]
    caption: Mapped[str] = mapped_column(Text, default="")
    title: Mapped[str] = mapped_column(String(160), default="")
    """What the post is called in the calendar: the listing's address, usually."""
    render_job_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("render_jobs.id", ondelete="SET NULL")
    )
    project_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("projects.id", ondelete="SET NULL")
    )
    video_key: Mapped[str] = mapped_column(String(512))
    cover_key: Mapped[str | None] = mapped_column(String(512))
    container_id: Mapped[str | None] = mapped_column(String(64))
    """Instagram container or Facebook video id, stored before publishing so a retry resumes."""
    remote_id: Mapped[str | None] = mapped_column(String(64))
    """The published media's id at the network (insights are asked of it)."""
    claim_token: Mapped[uuid.UUID | None]
    claimed_at: Mapped[datetime | None]
    job_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("render_jobs.id", ondelete="SET NULL")
    )
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    error_code: Mapped[str | None] = mapped_column(String(48))
    error_message: Mapped[str | None] = mapped_column(String(1000))
    published_at: Mapped[datetime | None]
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class PublicationMetricRow(TenantMixin, Base):
    """One metric of one publication as read at one time: the insights' time series."""

    __tablename__ = "publication_metrics"
    __table_args__ = (UniqueConstraint("publication_id", "taken_at", "metric"),)
    publication_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("publications.id", ondelete="CASCADE"), index=True
    )
    taken_at: Mapped[datetime]
    metric: Mapped[str] = mapped_column(String(48))
    value: Mapped[float] = mapped_column(Float)


SOCIAL_TABLES: tuple[str, ...] = ("social_accounts", "publications", "publication_metrics")
