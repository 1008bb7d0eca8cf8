"""Projects, media, storyboards (with immutable versions) and brand kits of one organisation."""

from __future__ import annotations

import uuid
from typing import Any, TypeVar

from pydantic import BaseModel, ConfigDict
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from reelestate.core.errors import NotFoundError, StaleVersionError
from reelestate.storage.context import TenantContext
from reelestate.storage.db import Database
from reelestate.storage.models import (
    BrandKitRow,
    Media,
    MediaKind,
    Project,
    ProjectStatus,
    SceneRow,
    Storyboard,
    StoryboardVersionRow,
)
from reelestate.storage.schemas import (
    BrandKitView,
    MediaView,
    ProjectView,
    StoryboardVersionView,
    StoryboardView,
)

_Owned = TypeVar("_Owned", Project, Storyboard, StoryboardVersionRow, Media, BrandKitRow)


def _owned(
    session: Session, model: type[_Owned], ctx: TenantContext, row_id: uuid.UUID, what: str
) -> _Owned:
    row = session.scalars(
        select(model).where(model.id == row_id, model.organization_id == ctx.org_id)
    ).first()
    if row is None:
        raise NotFoundError(f"No such {what}.")
    return row


class ProjectsRepository:
    def __init__(self, db: Database) -> None:
        self._db = db

    def create(
        self,
        ctx: TenantContext,
        title: str,
        facts: dict[str, Any] | None = None,
        *,
        brand_kit_id: uuid.UUID | None = None,
    ) -> ProjectView:
        """A new draft project; its brand kit (when given) is checked in the same transaction,
        so a kit of another organisation leaves nothing behind."""
        with self._db.tenant(ctx) as session:
            if brand_kit_id is not None:
                _owned(session, BrandKitRow, ctx, brand_kit_id, "brand kit")
            row = Project(
                organization_id=ctx.org_id,
                title=title,
                facts=facts or {},
                status=ProjectStatus.DRAFT,
                brand_kit_id=brand_kit_id,
            )
            session.add(row)
            session.flush()
            return ProjectView.model_validate(row)

    def get(self, ctx: TenantContext, project_id: uuid.UUID) -> ProjectView:
        with self._db.tenant(ctx) as session:
            return ProjectView.model_validate(_owned(session, Project, ctx, project_id, "project"))

    def recent(self, ctx: TenantContext, *, limit: int = 100) -> list[ProjectView]:
        with self._db.tenant(ctx) as session:
            rows = session.scalars(
                select(Project)
                .where(Project.organization_id == ctx.org_id)
                .order_by(Project.created_at.desc())
                .limit(limit)
            )
            return [ProjectView.model_validate(r) for r in rows]

    def page(
        self, ctx: TenantContext, *, offset: int = 0, limit: int = 20
    ) -> tuple[list[ProjectView], int]:
        """One page of the organisation's projects, newest first, and how many there are."""
        where = Project.organization_id == ctx.org_id
        with self._db.tenant(ctx) as session:
            total = session.scalar(select(func.count()).select_from(Project).where(where)) or 0
            rows = session.scalars(
                select(Project)
                .where(where)
                .order_by(Project.created_at.desc(), Project.id)
                .offset(offset)
                .limit(limit)
            )
            return [ProjectView.model_validate(r) for r in rows], int(total)

    def update(
        self,
        ctx: TenantContext,
        project_id: uuid.UUID,
        *,
        title: str | None = None,
        facts: dict[str, Any] | None = None,
        brand_kit_id: uuid.UUID | None = None,
        clear_brand_kit: bool = False,
    ) -> ProjectView:
        with self._db.tenant(ctx) as session:
            row = _owned(session, Project, ctx, project_id, "project")
            if title is not None:
                row.title = title
            if facts is not None:
                row.facts = facts
            if brand_kit_id is not None:
                _owned(session, BrandKitRow, ctx, brand_kit_id, "brand kit")
                row.brand_kit_id = brand_kit_id
            elif clear_brand_kit:
                row.brand_kit_id = None
            session.flush()
            return ProjectView.model_validate(row)

    def delete(self, ctx: TenantContext, project_id: uuid.UUID) -> None:
        with self._db.tenant(ctx) as session:
            session.delete(_owned(session, Project, ctx, project_id, "project"))

    def set_status(
        self, ctx: TenantContext, project_id: uuid.UUID, status: ProjectStatus
    ) -> ProjectView:
        with self._db.tenant(ctx) as session:
            row = _owned(session, Project, ctx, project_id, "project")
            row.status = status
            return ProjectView.model_validate(row)


class NewMedia(BaseModel):
    """A stored blob to record as one of a project's files."""

    model_config = ConfigDict(frozen=True)

    kind: MediaKind
    blob_key: str
    content_type: str
    size_bytes: int
    sha256: str
    filename: str | None = None


class MediaRepository:
    def __init__(self, db: Database) -> None:
        self._db = db

    def register_many(
        self, ctx: TenantContext, project_id: uuid.UUID, items: list[NewMedia]
    ) -> list[MediaView]:
        """Record all of `items` for the project in one transaction, or none of them.

        A key the project already has returns its first record (a retried upload, or the same
        photo twice in one request), so sending a batch again changes nothing."""
        with self._db.tenant(ctx) as session:
            keys = {item.blob_key for item in items}
            known = {
                row.blob_key: row
                for row in session.scalars(
                    select(Media).where(
                        Media.organization_id == ctx.org_id,
                        Media.project_id == project_id,
                        Media.blob_key.in_(keys),
                    )
                )
            }
            rows: list[Media] = []
            for item in items:
                row = known.get(item.blob_key)
                if row is None:
                    row = Media(organization_id=ctx.org_id, project_id=project_id,
                                **item.model_dump())  # fmt: skip
                    session.add(row)
                    known[item.blob_key] = row
                rows.append(row)
            session.flush()
            return [MediaView.model_validate(r) for r in rows]

    def register(
        self,
        ctx: TenantContext,
        *,
        kind: MediaKind,
        blob_key: str,
        content_type: str,
        size_bytes: int,
        sha256: str,
        filename: str | None = None,
        project_id: uuid.UUID | None = None,
    ) -> MediaView:
        """Record a stored blob for a project; the same key again in the same project returns the
        first record (another project gets its own record of the same blob)."""
        with self._db.tenant(ctx) as session:
            existing = session.scalars(
                select(Media).where(
                    Media.organization_id == ctx.org_id,
                    Media.blob_key == blob_key,
                    Media.project_id.is_(None)
                    if project_id is None
                    else Media.project_id == project_id,
                )
            ).first()
            if existing is not None:
                return MediaView.model_validate(existing)
            row = Media(
                organization_id=ctx.org_id,
                project_id=project_id,
                kind=kind,
                blob_key=blob_key,
                content_type=content_type,
                size_bytes=size_bytes,
                sha256=sha256,
                filename=filename,
            )
            session.add(row)
            session.flush()
            return MediaView.model_validate(row)

    def get(self, ctx: TenantContext, media_id: uuid.UUID) -> MediaView:
        with self._db.tenant(ctx) as session:
            return MediaView.model_validate(_owned(session, Media, ctx, media_id, "file"))

    def set_analysis(
        self, ctx: TenantContext, media_id: uuid.UUID, analysis: dict[str, Any]
    ) -> MediaView:
        with self._db.tenant(ctx) as session:
            row = _owned(session, Media, ctx, media_id, "file")
            row.analysis = analysis
            return MediaView.model_validate(row)

    def for_project(self, ctx: TenantContext, project_id: uuid.UUID) -> list[MediaView]:
        with self._db.tenant(ctx) as session:
            rows = session.scalars(
                select(Media)
                .where(Media.organization_id == ctx.org_id, Media.project_id == project_id)
                .order_by(Media.created_at)
            )
            return [MediaView.model_validate(r) for r in rows]

    def delete(self, ctx: TenantContext, media_id: uuid.UUID) -> MediaView:
        """Forget a file; returns what it was so the caller can remove the blob."""
        with self._db.tenant(ctx) as session:
            row = _owned(session, Media, ctx, media_id, "file")
            view = MediaView.model_validate(row)
            session.delete(row)
            return view


class StoryboardsRepository:
    def __init__(self, db: Database) -> None:
        self._db = db

    def create(
        self, ctx: TenantContext, project_id: uuid.UUID, title: str | None = None
    ) -> StoryboardView:
        with self._db.tenant(ctx) as session:
            _owned(session, Project, ctx, project_id, "project")
            row = Storyboard(
                organization_id=ctx.org_id, project_id=project_id, title=title, current_version=0
            )
            session.add(row)
            session.flush()
            return StoryboardView.model_validate(row)

    def add_version(
        self,
        ctx: TenantContext,
        storyboard_id: uuid.UUID,
        spec: dict[str, Any],
        *,
        author: str = "user",
        reason: str | None = None,
        media_ids: list[uuid.UUID | None] | None = None,
        plan: dict[str, Any] | None = None,
        expect_version: int | None = None,
    ) -> StoryboardVersionView:
        """Append a new immutable version (scenes recorded as rows) and make it current."""
        with self._db.tenant(ctx) as session:
            board = _owned(session, Storyboard, ctx, storyboard_id, "storyboard")
            if expect_version is not None and board.current_version != expect_version:
                raise StaleVersionError(
                    f"The storyboard is at version {board.current_version}, not {expect_version}.",
                    hint="Fetch the latest version and apply your change to it.",
                )
            board.current_version += 1
            version = StoryboardVersionRow(
                organization_id=ctx.org_id,
                storyboard_id=board.id,
                version=board.current_version,
                spec=spec,
                author=author,
                reason=reason,
                plan=plan,
            )
            session.add(version)
            session.flush()
            scenes = spec.get("scenes", [])
            for position, scene in enumerate(scenes):
                media_id = media_ids[position] if media_ids and position < len(media_ids) else None
                session.add(
                    SceneRow(
                        organization_id=ctx.org_id,
                        storyboard_version_id=version.id,
                        position=position,
                        media_id=media_id,
                        duration=float(scene.get("duration", 0)),
                        data=scene,
                    )
                )
            session.flush()
            return StoryboardVersionView.model_validate(version)

    def get(self, ctx: TenantContext, storyboard_id: uuid.UUID) -> StoryboardView:
        with self._db.tenant(ctx) as session:
            row = _owned(session, Storyboard, ctx, storyboard_id, "storyboard")
            return StoryboardView.model_validate(row)

    def for_project(self, ctx: TenantContext, project_id: uuid.UUID) -> list[StoryboardView]:
        with self._db.tenant(ctx) as session:
            _owned(session, Project, ctx, project_id, "project")
            rows = session.scalars(
                select(Storyboard)
                .where(
                    Storyboard.organization_id == ctx.org_id, Storyboard.project_id == project_id
                )
                .order_by(Storyboard.created_at)
            )
            return [StoryboardView.model_validate(r) for r in rows]

    def numbered(
        self, ctx: TenantContext, storyboard_id: uuid.UUID, number: int
    ) -> StoryboardVersionView:
        with self._db.tenant(ctx) as session:
            row = session.scalars(
                select(StoryboardVersionRow).where(
                    StoryboardVersionRow.organization_id == ctx.org_id,
                    StoryboardVersionRow.storyboard_id == storyboard_id,
                    StoryboardVersionRow.version == number,
                )
            ).first()
            if row is None:
                raise NotFoundError("No such storyboard version.")
            return StoryboardVersionView.model_validate(row)

    def version(
        self, ctx: TenantContext, storyboard_version_id: uuid.UUID
    ) -> StoryboardVersionView:
        with self._db.tenant(ctx) as session:
            row = _owned(
                session, StoryboardVersionRow, ctx, storyboard_version_id, "storyboard version"
            )
            return StoryboardVersionView.model_validate(row)

    def versions(self, ctx: TenantContext, storyboard_id: uuid.UUID) -> list[StoryboardVersionView]:
        with self._db.tenant(ctx) as session:
            _owned(session, Storyboard, ctx, storyboard_id, "storyboard")
            rows = session.scalars(
                select(StoryboardVersionRow)
                .where(
                    StoryboardVersionRow.organization_id == ctx.org_id,
                    StoryboardVersionRow.storyboard_id == storyboard_id,
                )
                .order_by(StoryboardVersionRow.version)
            )
            return [StoryboardVersionView.model_validate(r) for r in rows]


class BrandKitsRepository:
    def __init__(self, db: Database) -> None:
        self._db = db

    def create(self, ctx: TenantContext, name: str, data: dict[str, Any]) -> BrandKitView:
        with self._db.tenant(ctx) as session:
            row = BrandKitRow(organization_id=ctx.org_id, name=name, data=data)
            session.add(row)
            session.flush()
            return BrandKitView.model_validate(row)

    def get(self, ctx: TenantContext, kit_id: uuid.UUID) -> BrandKitView:
        with self._db.tenant(ctx) as session:
            return BrandKitView.model_validate(
                _owned(session, BrandKitRow, ctx, kit_id, "brand kit")
            )

    def all(self, ctx: TenantContext) -> list[BrandKitView]:
        with self._db.tenant(ctx) as session:
            rows = session.scalars(
                select(BrandKitRow)
                .where(BrandKitRow.organization_id == ctx.org_id)
                .order_by(BrandKitRow.created_at, BrandKitRow.id)
            )
            return [BrandKitView.model_validate(r) for r in rows]

    def update(
        self, ctx: TenantContext, kit_id: uuid.UUID, *, name: str | None, data: dict[str, Any]
    ) -> BrandKitView:
        with self._db.tenant(ctx) as session:
            row = _owned(session, BrandKitRow, ctx, kit_id, "brand kit")
            if name is not None:
                row.name = name
            row.data = data
            session.flush()
            return BrandKitView.model_validate(row)

    def delete(self, ctx: TenantContext, kit_id: uuid.UUID) -> None:
        with self._db.tenant(ctx) as session:
            session.delete(_owned(session, BrandKitRow, ctx, kit_id, "brand kit"))
