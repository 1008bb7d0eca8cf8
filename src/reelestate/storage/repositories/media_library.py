"""The organisation's media library: every photo and clip of every project and every finished
video rendered from them, searchable, and a file of one project reused in another as a new
reference to the same stored blob.

Finished videos are the outputs of succeeded final render jobs (no media row of their own): the
search pages over both tables at once, newest first, so a page mixes uploads and renders.

A media row is a reference: the blob it names is never copied and never deleted with the row
(the blob collector removes a file only once no row names it), so reusing a photo costs a row.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict
from sqlalchemy import ColumnElement, String, and_, func, literal_column, or_, select, union_all
from sqlalchemy.orm import Session

from reelestate.core.errors import InvalidInputError, NotFoundError
from reelestate.core.jobs import JobKind, JobStatus
from reelestate.storage.context import TenantContext
from reelestate.storage.db import Database
from reelestate.storage.models import Media, MediaKind, Project, RenderJob
from reelestate.storage.schemas import MediaView

LIBRARY_KINDS = (MediaKind.PHOTO, MediaKind.VIDEO)
MAX_REUSE = 100


class MediaQuery(BaseModel):
    """What to look for; every field left out matches everything."""

    model_config = ConfigDict(frozen=True)

    text: str | None = None
    """Words of the listing's address or title, or of the file name."""
    room: str | None = None
    """The room type photo analysis gave ('kitchen', 'living_room')."""
    project_id: uuid.UUID | None = None
    start: datetime | None = None
    """Files added at or after this time."""
    end: datetime | None = None
    """Files added before this time."""
    kind: MediaKind | None = None


Source = Literal["upload", "render"]


class RenderedVideo(BaseModel):
    """What a finished video adds to its file: the render job that made it and its shape."""

    model_config = ConfigDict(frozen=True)

    job_id: uuid.UUID
    aspect: str
    """"9:16", "1:1", "16:9" (or width:height reduced when it is none of those)."""
    width: int
    height: int
    duration_s: float


class LibraryItem(BaseModel):
    """One file of the library with the listing it belongs to. A finished video's `media` is
    its MP4 (its id is the render job's); `render` says so."""

    model_config = ConfigDict(frozen=True)

    media: MediaView
    project_title: str | None
    address: str | None
    room: str | None
    added_at: datetime
    source: Source = "upload"
    render: RenderedVideo | None = None


def _address(facts: dict[str, object] | None) -> str | None:
    if not facts:
        return None
    parts = [str(facts[k]) for k in ("address", "city", "state") if facts.get(k)]
    return ", ".join(parts) or None


def _like(words: str) -> str:
    escaped = words.strip().lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _conditions(ctx: TenantContext, query: MediaQuery) -> list[ColumnElement[bool]]:
    where: list[ColumnElement[bool]] = [
        Media.organization_id == ctx.org_id,
        Media.kind.in_([query.kind] if query.kind else LIBRARY_KINDS),
    ]
    if query.project_id is not None:
        where.append(Media.project_id == query.project_id)
    if query.start is not None:
        where.append(Media.created_at >= query.start)
    if query.end is not None:
        where.append(Media.created_at < query.end)
    if query.room:
        room = query.room.strip().lower().replace(" ", "_")
        where.append(func.lower(Media.analysis["room"].as_string()) == room)
    for word in (query.text or "").split():
        pattern = _like(word)
        where.append(
            or_(
                func.lower(Project.title).like(pattern, escape="\\"),
                func.lower(Project.facts["address"].as_string()).like(pattern, escape="\\"),
                func.lower(Project.facts["city"].as_string()).like(pattern, escape="\\"),
                func.lower(Media.filename).like(pattern, escape="\\"),
            )
        )
    return where


def _render_conditions(ctx: TenantContext, query: MediaQuery) -> list[ColumnElement[bool]]:
    """The finished final renders matching `query` (none when it asks for photos or a room)."""
    added = _render_added(RenderJob)
    where: list[ColumnElement[bool]] = [
        RenderJob.organization_id == ctx.org_id,
        RenderJob.kind == JobKind.RENDER_VIDEO,
        RenderJob.status == JobStatus.SUCCEEDED,
        RenderJob.outputs[("video", "key")].as_string().is_not(None),
    ]
    if query.project_id is not None:
        where.append(RenderJob.project_id == query.project_id)
    if query.start is not None:
        where.append(added >= query.start)
    if query.end is not None:
        where.append(added < query.end)
    for word in (query.text or "").split():
        pattern = _like(word)
        where.append(
            or_(
                func.lower(Project.title).like(pattern, escape="\\"),
                func.lower(Project.facts["address"].as_string()).like(pattern, escape="\\"),
                func.lower(Project.facts["city"].as_string()).like(pattern, escape="\\"),
            )
        )
    return where


def _render_added(job: type[RenderJob]) -> ColumnElement[datetime]:
    return func.coalesce(job.finished_at, job.created_at)


def _wants_renders(query: MediaQuery) -> bool:
    return query.kind in (None, MediaKind.VIDEO) and not query.room


def aspect_of(width: int, height: int) -> str:
    """The aspect as people name it: the nearest of 9:16, 1:1, 16:9 and 4:5 when close."""
    if width <= 0 or height <= 0:
        return "unknown"
    ratio = width / height
    for name, value in (("9:16", 9 / 16), ("1:1", 1.0), ("16:9", 16 / 9), ("4:5", 4 / 5)):
        if abs(ratio - value) < 0.01:
            return name
    return f"{width}:{height}"


def _render_item(job: RenderJob, project: Project | None) -> LibraryItem:
    outputs: dict[str, Any] = job.outputs or {}
    video: dict[str, Any] = outputs.get("video") or {}
    width, height = int(outputs.get("width") or 0), int(outputs.get("height") or 0)
    aspect = aspect_of(width, height)
    name = (project.title if project else None) or "video"
    return LibraryItem(
        media=MediaView(
            id=job.id,
            organization_id=job.organization_id,
            project_id=job.project_id,
            kind=MediaKind.VIDEO,
            blob_key=str(video["key"]),
            content_type=str(video.get("content_type") or "video/mp4"),
            size_bytes=int(video.get("size") or 0),
            sha256=str(video.get("sha256") or ""),
            filename=f"{name} {aspect.replace(':', 'x')}.mp4",
            analysis=None,
        ),
        project_title=project.title if project else None,
        address=_address(project.facts) if project else None,
        room=None,
        added_at=job.finished_at or job.created_at,
        source="render",
        render=RenderedVideo(
            job_id=job.id,
            aspect=aspect,
            width=width,
            height=height,
            duration_s=float(outputs.get("duration") or 0.0),
        ),
    )


def _item(media: Media, project: Project | None) -> LibraryItem:
    analysis = media.analysis or {}
    room = analysis.get("room")
    return LibraryItem(
        media=MediaView.model_validate(media),
        project_title=project.title if project else None,
        address=_address(project.facts) if project else None,
        room=str(room) if room else None,
        added_at=media.created_at,
    )


class MediaLibraryRepository:
    def __init__(self, db: Database) -> None:
        self._db = db

    def search(
        self, ctx: TenantContext, query: MediaQuery, *, offset: int = 0, limit: int = 50
    ) -> tuple[list[LibraryItem], int]:
        """One page of the matching files and finished videos, newest first, and how many
        match in all."""
        uploads = (
            select(
                Media.id.label("id"),
                Media.created_at.label("added_at"),
                literal_column("'upload'", String).label("source"),
            )
            .select_from(Media)
            .outerjoin(Project, _joined(ctx, Media.project_id))
            .where(*_conditions(ctx, query))
        )
        sides = [uploads]
        if _wants_renders(query):
            sides.append(
                select(
                    RenderJob.id.label("id"),
                    _render_added(RenderJob).label("added_at"),
                    literal_column("'render'", String).label("source"),
                )
                .select_from(RenderJob)
                .outerjoin(Project, _joined(ctx, RenderJob.project_id))
                .where(*_render_conditions(ctx, query))
            )
        both = union_all(*sides).subquery()
        with self._db.tenant(ctx) as session:
            total = session.scalar(select(func.count()).select_from(both))
            page = session.execute(
                select(both.c.id, both.c.source)
                .order_by(both.c.added_at.desc(), both.c.id)
                .offset(offset)
                .limit(limit)
            ).all()
            media_ids = [i for i, source in page if source == "upload"]
            job_ids = [i for i, source in page if source == "render"]
            found: dict[uuid.UUID, LibraryItem] = {}
            for m, p in session.execute(
                select(Media, Project)
                .outerjoin(Project, _joined(ctx, Media.project_id))
                .where(Media.organization_id == ctx.org_id, Media.id.in_(media_ids))
            ).all():
                found[m.id] = _item(m, p)
            for j, p in session.execute(
                select(RenderJob, Project)
                .outerjoin(Project, _joined(ctx, RenderJob.project_id))
                .where(RenderJob.organization_id == ctx.org_id, RenderJob.id.in_(job_ids))
            ).all():
                found[j.id] = _render_item(j, p)
            return [found[i] for i, _ in page if i in found], int(total or 0)

    def reuse(
        self, ctx: TenantContext, project_id: uuid.UUID, media_ids: list[uuid.UUID]
    ) -> list[MediaView]:
        """Reference the files `media_ids` from the project as well, in one transaction.

        The new rows name the same blobs and carry the files' analysis; a file the project
        already has (by blob) returns its existing row, so asking twice changes nothing."""
        if len(media_ids) > MAX_REUSE:
            raise InvalidInputError(f"At most {MAX_REUSE} files at a time.")
        with self._db.tenant(ctx) as session:
            _project(session, ctx, project_id)
            wanted = list(dict.fromkeys(media_ids))
            found = {
                row.id: row
                for row in session.scalars(
                    select(Media).where(
                        Media.organization_id == ctx.org_id,
                        Media.id.in_(wanted),
                        Media.kind.in_(LIBRARY_KINDS),
                    )
                )
            }
            missing = [str(i) for i in wanted if i not in found]
            if missing:
                raise NotFoundError(f"No such file in your library: {', '.join(missing[:3])}.")
            have = {
                row.blob_key: row
                for row in session.scalars(
                    select(Media).where(
                        Media.organization_id == ctx.org_id, Media.project_id == project_id
                    )
                )
            }
            rows: list[Media] = []
            for media_id in wanted:
                source = found[media_id]
                row = have.get(source.blob_key)
                if row is None:
                    row = Media(
                        organization_id=ctx.org_id,
                        project_id=project_id,
                        kind=source.kind,
                        blob_key=source.blob_key,
                        content_type=source.content_type,
                        size_bytes=source.size_bytes,
                        sha256=source.sha256,
                        filename=source.filename,
                        analysis=source.analysis,
                    )
                    session.add(row)
                    have[source.blob_key] = row
                rows.append(row)
            session.flush()
            return [MediaView.model_validate(r) for r in rows]

    def listings(self, ctx: TenantContext) -> list[tuple[uuid.UUID, str, str | None, int]]:
        """Every project with photos: id, title, address and how many photos it has."""
        with self._db.tenant(ctx) as session:
            rows = session.execute(
                select(Project, func.count(Media.id))
                .join(Media, and_(Media.project_id == Project.id, Media.kind == MediaKind.PHOTO))
                .where(Project.organization_id == ctx.org_id, Media.organization_id == ctx.org_id)
                .group_by(Project.id)
                .order_by(Project.created_at.desc())
            ).all()
            return [(p.id, p.title, _address(p.facts), int(n)) for p, n in rows]


def _joined(ctx: TenantContext, project_id: Any) -> ColumnElement[bool]:
    return and_(Project.id == project_id, Project.organization_id == ctx.org_id)


def _project(session: Session, ctx: TenantContext, project_id: uuid.UUID) -> Project:
    row = session.scalars(
        select(Project).where(Project.id == project_id, Project.organization_id == ctx.org_id)
    ).first()
    if row is None:
        raise NotFoundError("No such project.")
    return row
