"""What a listing is made of: brand kits, projects, media, storyboards and their versions."""

from __future__ import annotations

import enum
import uuid

from sqlalchemy import Enum, Float, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from reelestate.storage.models.base import Base, JSONDict, TenantMixin, utcnow


def _enum(kind: type[enum.StrEnum]) -> Enum:
    return Enum(kind, native_enum=False, length=24, values_callable=lambda e: [m.value for m in e])


class ProjectStatus(enum.StrEnum):
    DRAFT = "draft"
    STORYBOARD = "storyboard"
    RENDERING = "rendering"
    DONE = "done"
    ARCHIVED = "archived"


class MediaKind(enum.StrEnum):
    PHOTO = "photo"
    VIDEO = "video"
    AUDIO = "audio"
    FONT = "font"
    DOCUMENT = "document"


class BrandKitRow(TenantMixin, Base):
    __tablename__ = "brand_kits"
    name: Mapped[str] = mapped_column(String(80))
    data: Mapped[JSONDict] = mapped_column(default=dict)


class Project(TenantMixin, Base):
    """One listing: the facts the user gave and where the work on it stands."""

    __tablename__ = "projects"
    title: Mapped[str] = mapped_column(String(160))
    facts: Mapped[JSONDict] = mapped_column(default=dict)
    status: Mapped[ProjectStatus] = mapped_column(_enum(ProjectStatus), default=ProjectStatus.DRAFT)
    brand_kit_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("brand_kits.id", ondelete="SET NULL")
    )


class Media(TenantMixin, Base):
    """A stored file (photo, clip, audio) and what analysis found in it; never modified."""

    __tablename__ = "media"
    __table_args__ = (UniqueConstraint("organization_id", "project_id", "blob_key"),)
    project_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("projects.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[MediaKind] = mapped_column(_enum(MediaKind))
    blob_key: Mapped[str] = mapped_column(String(512))
    content_type: Mapped[str] = mapped_column(String(80))
    size_bytes: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    filename: Mapped[str | None] = mapped_column(String(255))
    analysis: Mapped[JSONDict | None]


class Storyboard(TenantMixin, Base):
    __tablename__ = "storyboards"
    project_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("projects.id", ondelete="CASCADE"), index=True
    )
    title: Mapped[str | None] = mapped_column(String(160))
    current_version: Mapped[int] = mapped_column(Integer, default=0)


class StoryboardVersionRow(TenantMixin, Base):
    """One immutable state of a storyboard: the app role may insert and read it, never change it."""

    __tablename__ = "storyboard_versions"
    __table_args__ = (UniqueConstraint("storyboard_id", "version"),)
    storyboard_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("storyboards.id", ondelete="CASCADE"), index=True
    )
    version: Mapped[int] = mapped_column(Integer)
    spec: Mapped[JSONDict]
    """The `RenderSpec` as JSON, with file paths replaced by blob keys of this organisation."""
    author: Mapped[str] = mapped_column(String(80), default="user")
    reason: Mapped[str | None] = mapped_column(String(400))
    plan: Mapped[JSONDict | None]
    """The editable storyboard behind `spec` (scenes, photos, script, facts), when the version
    was planned by the product rather than imported as a finished spec."""


class SceneRow(TenantMixin, Base):
    """A scene of a storyboard version, as a row so media can be traced to the videos using it."""

    __tablename__ = "scenes"
    __table_args__ = (UniqueConstraint("storyboard_version_id", "position"),)
    storyboard_version_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("storyboard_versions.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer)
    media_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("media.id", ondelete="SET NULL"))
    duration: Mapped[float] = mapped_column(Float)
    data: Mapped[JSONDict] = mapped_column(default=dict)


__all__ = [
    "BrandKitRow",
    "Media",
    "MediaKind",
    "Project",
    "ProjectStatus",
    "SceneRow",
    "Storyboard",
    "StoryboardVersionRow",
    "utcnow",
]
