"""The media library over HTTP: search every photo, clip and finished video of the organisation,
and reuse uploaded files of one project in another without uploading them again."""

from __future__ import annotations

import asyncio
import uuid
from datetime import datetime
from typing import Annotated, Literal

from fastapi import APIRouter, Query, status
from pydantic import BaseModel, ConfigDict, Field

from reelestate.api.deps import Services, Tenant
from reelestate.api.services import AppServices
from reelestate.api.v1.catalogue import media_out
from reelestate.api.v1.schemas import MediaOut, Page
from reelestate.services.media_library import date_range
from reelestate.services.publishing import zone_of
from reelestate.storage.context import TenantContext
from reelestate.storage.models import MediaKind
from reelestate.storage.repositories.media_library import (
    MAX_REUSE,
    LibraryItem,
    MediaLibraryRepository,
    MediaQuery,
    RenderedVideo,
    Source,
)
from reelestate.storage.repositories.organisations import OrganisationsRepository

router = APIRouter(tags=["media"])


LibraryKind = Literal["photo", "video"]


class LibraryItemOut(MediaOut):
    project_id: uuid.UUID | None
    project_title: str | None
    address: str | None
    room: str | None
    added_at: datetime
    source: Source = Field(
        description="upload: a file someone sent; render: a finished video (`id` is its job's)"
    )
    render: RenderedVideo | None = Field(
        description="The render job, aspect, size and length of a finished video"
    )


class ReuseIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    media_ids: list[uuid.UUID] = Field(min_length=1, max_length=MAX_REUSE)


def item_out(services: AppServices, ctx: TenantContext, item: LibraryItem) -> LibraryItemOut:
    return LibraryItemOut(
        **media_out(services, ctx, item.media).model_dump(),
        project_id=item.media.project_id,
        project_title=item.project_title,
        address=item.address,
        room=item.room,
        added_at=item.added_at,
        source=item.source,
        render=item.render,
    )


def library_query(
    services: AppServices,
    ctx: TenantContext,
    *,
    q: str | None,
    room: str | None,
    project: uuid.UUID | None,
    start: str | None,
    end: str | None,
    kind: LibraryKind | None = None,
) -> MediaQuery:
    """The search as asked, dates read in the organisation's time zone."""
    zone = zone_of(OrganisationsRepository(services.db).get(ctx).time_zone)
    since, until = date_range(start, end, zone)
    return MediaQuery(
        text=q or None,
        room=room or None,
        project_id=project,
        start=since,
        end=until,
        kind=MediaKind(kind) if kind else None,
    )


@router.get("/media", response_model=Page[LibraryItemOut])
async def search_media(
    ctx: Tenant,
    services: Services,
    q: Annotated[str | None, Query(max_length=120, description="Address or title words")] = None,
    room: Annotated[str | None, Query(max_length=40, description="kitchen, bedroom…")] = None,
    project: uuid.UUID | None = None,
    kind: Annotated[LibraryKind | None, Query(description="photo or video")] = None,
    start: Annotated[str | None, Query(alias="from", max_length=40)] = None,
    end: Annotated[str | None, Query(alias="to", max_length=40)] = None,
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
    limit: Annotated[int, Query(ge=1, le=100)] = 50,
) -> Page[LibraryItemOut]:
    """Every photo and clip of the organisation and every finished video rendered for it,
    newest first, filtered by address, room type (photos and clips only), project, kind and the
    date the file was added or the video finished (`to` as a date includes that day)."""

    def work() -> Page[LibraryItemOut]:
        query = library_query(services, ctx, q=q, room=room, project=project, start=start,
                              end=end, kind=kind)  # fmt: skip
        items, total = MediaLibraryRepository(services.db).search(
            ctx, query, offset=offset, limit=limit
        )
        after = offset + len(items)
        return Page[LibraryItemOut](
            items=[item_out(services, ctx, i) for i in items],
            total=total,
            offset=offset,
            limit=limit,
            next_offset=after if after < total else None,
        )

    return await asyncio.to_thread(work)


@router.post(
    "/projects/{project_id}/media/reuse",
    response_model=list[MediaOut],
    status_code=status.HTTP_201_CREATED,
)
async def reuse_media(
    project_id: uuid.UUID, body: ReuseIn, ctx: Tenant, services: Services
) -> list[MediaOut]:
    """Add library files to the project: new references to the same stored files, nothing
    uploaded or copied; files the project already has are returned as they are."""

    def work() -> list[MediaOut]:
        rows = MediaLibraryRepository(services.db).reuse(ctx, project_id, body.media_ids)
        return [media_out(services, ctx, r) for r in rows]

    return await asyncio.to_thread(work)
