"""The organisation's media library: every photo and clip of every project, searchable, and a
file of one project reused in another as a new reference to the same stored blob.

A media row is a reference: the blob it names is never copied and never deleted with the row
(the blob collector removes a file only once no row names it), so reusing a photo costs a row.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from pydantic import BaseModel, ConfigDict
from sqlalchemy import ColumnElement, and_, func, or_, select
from sqlalchemy.orm import Session

from reelestate.core.errors import InvalidInputError, NotFoundError
from reelestate.storage.context import TenantContext
from reelestate.storage.db import Database
from reelestate.storage.models import Media, MediaKind, Project
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


class LibraryItem(BaseModel):
    """One file of the library with the listing it belongs to."""

    model_config = ConfigDict(frozen=True)

    media: MediaView
    project_title: str | None
    address: str | None
    room: str | None
    added_at: datetime


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
        """One page of the matching files, newest first, and how many match in all."""
        joined = and_(Project.id == Media.project_id, Project.organization_id == ctx.org_id)
        where = _conditions(ctx, query)
        with self._db.tenant(ctx) as session:
            total = session.scalar(
                select(func.count(Media.id)).select_from(Media).outerjoin(Project, joined)
                .where(*where)
            )  # fmt: skip
            rows = session.execute(
                select(Media, Project)
                .outerjoin(Project, joined)
                .where(*where)
                .order_by(Media.created_at.desc(), Media.id)
                .offset(offset)
                .limit(limit)
            ).all()
            return [_item(m, p) for m, p in rows], int(total or 0)

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


def _project(session: Session, ctx: TenantContext, project_id: uuid.UUID) -> Project:
    row = session.scalars(
        select(Project).where(Project.id == project_id, Project.organization_id == ctx.org_id)
    ).first()
    if row is None:
        raise NotFoundError("No such project.")
    return row
