"""Render jobs: create (idempotent), read, list, cancel, and a WebSocket of progress events."""

from __future__ import annotations

import asyncio
import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Header, Query, WebSocket, WebSocketDisconnect, status

from reelestate.api.deps import Services, Tenant, tenant_from_credential
from reelestate.api.services import AppServices
from reelestate.api.v1.schemas import Page, RenderJobIn, RenderJobOut
from reelestate.core.errors import ConflictError, InvalidInputError, ReelEstateError
from reelestate.core.jobs import JobKind, JobStatus
from reelestate.render.infographic import parse_infographic
from reelestate.storage.context import TenantContext
from reelestate.storage.repositories.content import MediaRepository, StoryboardsRepository
from reelestate.storage.repositories.jobs import JobsRepository
from reelestate.storage.schemas import RenderJobView

router = APIRouter()
DOWNLOAD_SECONDS = 900
IdempotencyKey = Annotated[
    str | None,
    Header(max_length=128, description="Retrying with the same key returns the same job."),
]


async def job_out(services: AppServices, ctx: TenantContext, job: RenderJobView) -> RenderJobOut:
    downloads: dict[str, str] = {}
    if job.status == JobStatus.SUCCEEDED:
        downloads = await services.jobs.output_urls(ctx, job, expires_in=DOWNLOAD_SECONDS)
    return RenderJobOut(**job.model_dump(exclude={"outputs"}), downloads=downloads)


async def submit(
    services: AppServices,
    ctx: TenantContext,
    storyboard_version_id: uuid.UUID,
    *,
    preview: bool,
    idempotency_key: str | None,
) -> RenderJobView:
    """Queue a render of a stored version (rate-limited per organisation; credits reserved)."""
    await asyncio.to_thread(StoryboardsRepository(services.db).version, ctx, storyboard_version_id)
    kind = JobKind.RENDER_PREVIEW if preview else JobKind.RENDER_VIDEO
    if idempotency_key:
        known = await _job_for_key(services, ctx, idempotency_key)
        if known is not None:
            if known.storyboard_version_id != storyboard_version_id or known.kind != kind:
                raise ConflictError(
                    "This idempotency key was used for a different render.",
                    hint="Use a new key for a new request.",
                )
            return known
    services.render_limiter.hit(str(ctx.org_id), what="render requests")
    return await services.jobs.submit_render(
        ctx, storyboard_version_id, preview=preview, idempotency_key=idempotency_key
    )


async def submit_infographic(
    services: AppServices, ctx: TenantContext, body: RenderJobIn, idempotency_key: str | None
) -> RenderJobView:
    """Queue a facts card: its fields checked now, its files named by the caller's media ids."""
    card = body.infographic
    if card is None or body.storyboard_version_id is not None:
        raise InvalidInputError(
            "A facts card render needs `infographic` and no storyboard_version_id.",
            hint="Put the card's facts, brand and photo_media_id under `infographic`.",
        )
    media = MediaRepository(services.db)
    payload: dict[str, Any] = {
        "facts": card.facts,
        "brand": dict(card.brand),
        "aspect": card.aspect,
        "duration": card.duration,
        "music": card.music,
        "profile": "preview" if card.preview else "final",
    }
    if card.photo_media_id is not None:
        photo = await asyncio.to_thread(media.get, ctx, card.photo_media_id)
        payload["photo"] = photo.blob_key
    if card.logo_media_id is not None:
        logo = await asyncio.to_thread(media.get, ctx, card.logo_media_id)
        payload["brand"]["logo"] = logo.blob_key
    # the same check the worker makes, so bad facts are refused before a job exists
    parse_infographic({**payload, "photo": None, "brand": {**payload["brand"], "logo": None}})
    if idempotency_key:
        known = await _job_for_key(services, ctx, idempotency_key)
        if known is not None:
            if known.kind != JobKind.RENDER_INFOGRAPHIC:
                raise ConflictError(
                    "This idempotency key was used for a different render.",
                    hint="Use a new key for a new request.",
                )
            return known
    services.render_limiter.hit(str(ctx.org_id), what="render requests")
    return await services.jobs.submit(
        ctx, JobKind.RENDER_INFOGRAPHIC, payload=payload, idempotency_key=idempotency_key
    )


async def _job_for_key(services: AppServices, ctx: TenantContext, key: str) -> RenderJobView | None:
    jobs = await asyncio.to_thread(JobsRepository(services.db).recent, ctx, limit=500)
    return next((j for j in jobs if j.idempotency_key == key), None)


@router.post(
    "/render-jobs",
    response_model=RenderJobOut,
    status_code=status.HTTP_202_ACCEPTED,
    tags=["render-jobs"],
)
async def create_job(
    body: RenderJobIn, ctx: Tenant, services: Services, idempotency_key: IdempotencyKey = None
) -> RenderJobOut:
    if body.kind == "render_infographic":
        return await job_out(
            services, ctx, await submit_infographic(services, ctx, body, idempotency_key)
        )
    if body.storyboard_version_id is None or body.infographic is not None:
        raise InvalidInputError(
            "A video render names a storyboard_version_id and no infographic.",
            hint="Send kind=render_infographic with `infographic` for a facts card.",
        )
    job = await submit(
        services, ctx, body.storyboard_version_id, preview=body.preview,
        idempotency_key=idempotency_key,
    )  # fmt: skip
    return await job_out(services, ctx, job)


@router.get("/render-jobs", response_model=Page[RenderJobOut], tags=["render-jobs"])
async def list_jobs(
    ctx: Tenant,
    services: Services,
    status_filter: Annotated[JobStatus | None, Query(alias="status")] = None,
    offset: Annotated[int, Query(ge=0, le=10_000)] = 0,
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
) -> Page[RenderJobOut]:
    """The organisation's jobs, newest first."""
    jobs = await asyncio.to_thread(
        JobsRepository(services.db).recent, ctx, status=status_filter, limit=offset + limit + 1
    )
    page = jobs[offset : offset + limit]
    return Page[RenderJobOut](
        items=[await job_out(services, ctx, j) for j in page],
        total=len(jobs) if len(jobs) <= offset + limit else offset + limit + 1,
        offset=offset,
        limit=limit,
        next_offset=offset + limit if len(jobs) > offset + limit else None,
    )


@router.get("/render-jobs/{job_id}", response_model=RenderJobOut, tags=["render-jobs"])
async def get_job(job_id: uuid.UUID, ctx: Tenant, services: Services) -> RenderJobOut:
    return await job_out(services, ctx, await services.jobs.get(ctx, job_id))


@router.post("/render-jobs/{job_id}/cancel", response_model=RenderJobOut, tags=["render-jobs"])
async def cancel_job(job_id: uuid.UUID, ctx: Tenant, services: Services) -> RenderJobOut:
    """Cancel a queued job at once, or ask a running one to stop; 409 once it has finished."""
    return await job_out(services, ctx, await services.jobs.cancel(ctx, job_id))


@router.websocket("/render-jobs/{job_id}/events")
async def job_events(
    websocket: WebSocket,
    job_id: uuid.UUID,
    token: Annotated[str | None, Query(description="Access token or API key")] = None,
    after: Annotated[int, Query(ge=0)] = 0,
) -> None:
    """Progress events as JSON, from `after` on, ending with the job's final event.

    Browsers cannot set headers on a WebSocket, so the token may come as `?token=`; an
    `Authorization: Bearer` header works too. Unknown jobs and other organisations' jobs close
    with code 4404, bad credentials with 4401.
    """
    services: AppServices = websocket.app.state.services
    header = websocket.headers.get("authorization", "")
    credential = token or (header[7:] if header.lower().startswith("bearer ") else None)
    await websocket.accept()
    try:
        ctx = await tenant_from_credential(services, credential)
    except ReelEstateError as exc:
        await websocket.close(code=4401, reason=exc.message[:120])
        return
    try:
        async for event in services.jobs.follow(ctx, job_id, after_seq=after):
            await websocket.send_json(event.model_dump(mode="json", exclude={"organization_id"}))
    except ReelEstateError as exc:
        await websocket.close(code=4404 if exc.code == "not_found" else 4400,
                              reason=exc.message[:120])  # fmt: skip
        return
    except WebSocketDisconnect:
        return
    await websocket.close(code=1000)
