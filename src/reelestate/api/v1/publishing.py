"""Publications, the calendar (JSON and an ICS feed) and the connected Page.

Times without an offset are the organisation's local time; every time sent back carries the
organisation's offset.
"""

from __future__ import annotations

import asyncio
import uuid
from datetime import datetime
from typing import Annotated, Literal

from fastapi import APIRouter, Query, Response, status
from pydantic import BaseModel, Field

from reelestate.api.deps import Services, Tenant
from reelestate.api.security.tokens import app_secret
from reelestate.api.services import AppServices
from reelestate.core.errors import InvalidInputError
from reelestate.services.calendar_feed import feed_token, ics_feed, org_of_feed_token
from reelestate.services.publishing import PublishingService, parse_when, zone_of
from reelestate.storage.context import TenantContext
from reelestate.storage.models import Channel, PublicationStatus
from reelestate.storage.repositories.organisations import OrganisationsRepository
from reelestate.storage.schemas import PublicationView

router = APIRouter(tags=["publishing"])


class PublicationIn(BaseModel):
    render_job_id: uuid.UUID
    channel: Channel
    caption: str | None = Field(default=None, max_length=2200)
    at: str | None = Field(default=None, description="ISO 8601; none posts as soon as possible.")
    draft: bool = False
    hashtags: bool = True


class PublicationPatch(BaseModel):
    at: str | None = None
    caption: str | None = Field(default=None, max_length=2200)
    status: Literal["scheduled", "cancelled"] | None = None


class PublicationOut(BaseModel):
    id: uuid.UUID
    channel: Channel
    status: PublicationStatus
    title: str
    caption: str
    at: datetime | None
    published_at: datetime | None
    render_job_id: uuid.UUID | None
    remote_id: str | None
    error: str | None


class CalendarOut(BaseModel):
    time_zone: str
    items: list[PublicationOut]
    feed_url: str


def publishing(services: AppServices) -> PublishingService:
    return PublishingService(services.settings, services.db, services.blobs)


def out(svc: PublishingService, ctx: TenantContext, post: PublicationView) -> PublicationOut:
    return PublicationOut(
        id=post.id,
        channel=post.channel,
        status=post.status,
        title=post.title,
        caption=post.caption,
        at=svc.local(ctx, post.scheduled_at),
        published_at=svc.local(ctx, post.published_at),
        render_job_id=post.render_job_id,
        remote_id=post.remote_id,
        error=post.error_message,
    )


def _range(
    svc: PublishingService, ctx: TenantContext, start: str | None, end: str | None
) -> tuple[datetime | None, datetime | None]:
    zone = svc.zone(ctx)
    return (
        parse_when(start, zone) if start else None,
        parse_when(end, zone) if end else None,
    )


@router.post("/publications", status_code=status.HTTP_201_CREATED)
async def create_publication(
    body: PublicationIn, ctx: Tenant, services: Services
) -> PublicationOut:
    svc = publishing(services)

    def work() -> PublicationView:
        at = parse_when(body.at, svc.zone(ctx)) if body.at else None
        return svc.schedule(
            ctx,
            body.render_job_id,
            body.channel,
            caption=body.caption,
            at=at,
            hashtags=body.hashtags,
            draft=body.draft,
        )

    post = await asyncio.to_thread(work)
    return out(svc, ctx, post)


@router.get("/publications")
async def list_publications(
    ctx: Tenant,
    services: Services,
    start: Annotated[str | None, Query(alias="from")] = None,
    end: Annotated[str | None, Query(alias="to")] = None,
) -> list[PublicationOut]:
    svc = publishing(services)

    def work() -> list[PublicationView]:
        return svc.calendar(ctx, *_range(svc, ctx, start, end))

    return [out(svc, ctx, p) for p in await asyncio.to_thread(work)]


@router.get("/publications/{publication_id}")
async def get_publication(
    publication_id: uuid.UUID, ctx: Tenant, services: Services
) -> PublicationOut:
    svc = publishing(services)
    return out(svc, ctx, await asyncio.to_thread(svc.posts.get, ctx, publication_id))


@router.patch("/publications/{publication_id}")
async def change_publication(
    publication_id: uuid.UUID, body: PublicationPatch, ctx: Tenant, services: Services
) -> PublicationOut:
    svc = publishing(services)

    def work() -> PublicationView:
        post = svc.posts.get(ctx, publication_id)
        if body.caption is not None:
            post = svc.recaption(ctx, publication_id, body.caption)
        if body.at is not None:
            post = svc.move(ctx, publication_id, parse_when(body.at, svc.zone(ctx)))
        if body.status == "cancelled":
            post = svc.cancel(ctx, publication_id)
        elif body.status == "scheduled" and body.at is None:
            if post.scheduled_at is None:
                raise InvalidInputError("Say when to post it.", hint='Send "at" with the time.')
            post = svc.move(ctx, publication_id, post.scheduled_at)
        return post

    return out(svc, ctx, await asyncio.to_thread(work))


@router.delete("/publications/{publication_id}", status_code=status.HTTP_204_NO_CONTENT)
async def cancel_publication(publication_id: uuid.UUID, ctx: Tenant, services: Services) -> None:
    svc = publishing(services)
    await asyncio.to_thread(svc.cancel, ctx, publication_id)


@router.get("/calendar")
async def calendar(
    ctx: Tenant,
    services: Services,
    start: Annotated[str | None, Query(alias="from")] = None,
    end: Annotated[str | None, Query(alias="to")] = None,
) -> CalendarOut:
    svc = publishing(services)

    def work() -> tuple[str, list[PublicationView]]:
        zone = OrganisationsRepository(services.db).get(ctx).time_zone
        return zone, svc.calendar(ctx, *_range(svc, ctx, start, end))

    zone, posts = await asyncio.to_thread(work)
    token = feed_token(app_secret(services.settings), ctx.org_id)
    base = (services.settings.public_base_url or "").rstrip("/")
    return CalendarOut(
        time_zone=zone,
        items=[out(svc, ctx, p) for p in posts],
        feed_url=f"{base}/api/v1/calendar.ics?token={token}",
    )


@router.get("/calendar.ics", response_class=Response)
async def calendar_feed(
    services: Services, token: Annotated[str, Query(min_length=10, max_length=200)]
) -> Response:
    """The organisation's posts as iCalendar; the token in the link is the credential."""
    ctx = TenantContext(org_id=org_of_feed_token(app_secret(services.settings), token))
    svc = publishing(services)

    def work() -> str:
        org = OrganisationsRepository(services.db).get(ctx)
        zone_of(org.time_zone)
        return ics_feed(svc.calendar(ctx, None, None), name=org.name, time_zone=org.time_zone)

    body = await asyncio.to_thread(work)
    return Response(body, media_type="text/calendar; charset=utf-8")
