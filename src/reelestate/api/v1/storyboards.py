"""Storyboards of a project: plan from the photos, read versions, apply operations, approve.

Every storyboard answers with `ETag: "v<version>"`; changes must send it back in `If-Match`, and
a change made against an older version is refused with 409 rather than silently lost.
"""

from __future__ import annotations

import asyncio
import re
import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Header, Response, status

from reelestate.api.deps import Services, Tenant
from reelestate.api.v1.render_jobs import job_out, submit
from reelestate.api.v1.schemas import (
    ApproveIn,
    OperationsIn,
    RenderJobOut,
    SceneOut,
    StoryboardIn,
    StoryboardOut,
    StoryboardVersionOut,
)
from reelestate.core.errors import InvalidInputError, StaleVersionError
from reelestate.core.settings import get_settings
from reelestate.providers.video_gen import estimate_cost, video_models
from reelestate.render.spec import RenderSpec
from reelestate.render.timeline import total_seconds
from reelestate.services import storyboard_planning, storyboards
from reelestate.storage.context import TenantContext
from reelestate.storage.repositories.content import StoryboardsRepository
from reelestate.storage.schemas import StoryboardVersionView, StoryboardView

router = APIRouter()
_ETAG = re.compile(r'^(?:W/)?"v(\d{1,9})"$')
IfMatch = Annotated[str | None, Header(description='The ETag you read, e.g. "v3".')]


class PreconditionRequiredError(InvalidInputError):
    code = "precondition_required"


def etag(version: int) -> str:
    return f'"v{version}"'


def expected_version(if_match: str | None) -> int:
    if not if_match:
        raise PreconditionRequiredError(
            "Send the version you are changing in If-Match.",
            hint='Read the storyboard and send its ETag, e.g. If-Match: "v3".',
        )
    match = _ETAG.match(if_match.strip())
    if match is None:
        raise StaleVersionError(f"{if_match} is not a version of this storyboard.")
    return int(match.group(1))


def version_out(view: StoryboardVersionView) -> StoryboardVersionOut:
    spec = view.spec
    scenes = spec.get("scenes") or []
    history_scenes: list[dict[str, Any]] = []
    style = None
    music_track = None
    if view.plan:
        versions = view.plan.get("history", {}).get("versions") or []
        if versions:
            history_scenes = versions[-1].get("scenes") or []
            settings = versions[-1].get("settings") or {}
            style = settings.get("style")
            music_track = (settings.get("music_track") or {}).get("name")
    out = []
    for i, scene in enumerate(scenes):
        motion = scene.get("motion")
        room = history_scenes[i].get("room", "") if i < len(history_scenes) else ""
        out.append(
            SceneOut(
                number=i + 1,
                photo=str(scene.get("photo", "")),
                room=str(room),
                duration=float(scene.get("duration", 0)),
                motion=str(motion.get("kind", "")) if isinstance(motion, dict) else str(motion),
                caption=scene.get("caption"),
                ai_model=(scene.get("ai_motion") or {}).get("model"),
            )
        )
    narration = spec.get("narration") or {}
    return StoryboardVersionOut(
        id=view.id,
        version=view.version,
        author=view.author,
        reason=view.reason,
        created_at=view.created_at,
        total_seconds=round(total_seconds(RenderSpec.model_validate(spec)), 2),
        aspect=str(spec.get("aspect", "")),
        style=style,
        music_track=music_track,
        voice=f"{narration['provider']}:{narration['voice']}" if narration else None,
        ai_cost_estimate_usd=spec_cost_usd(spec),
        scenes=out,
    )


def spec_cost_usd(spec: dict[str, Any]) -> float:
    """The stored spec's AI-motion estimate (a model no longer listed counts as free)."""
    registry, total = video_models(get_settings()), 0.0
    for scene in spec.get("scenes") or []:
        model = (scene.get("ai_motion") or {}).get("model")
        if model and model in registry.models:
            total += estimate_cost(registry.get(model), float(scene.get("duration", 0)))
    return round(total, 4)


def _board_out(ctx: TenantContext, board: StoryboardView, services: Services) -> StoryboardOut:
    current = None
    if board.current_version:
        current = version_out(
            StoryboardsRepository(services.db).numbered(ctx, board.id, board.current_version)
        )
    return StoryboardOut(
        id=board.id,
        project_id=board.project_id,
        title=board.title,
        current_version=board.current_version,
        current=current,
    )


@router.post(
    "/projects/{project_id}/storyboards",
    response_model=StoryboardOut,
    status_code=status.HTTP_201_CREATED,
    tags=["storyboards"],
)
async def create_storyboard(
    project_id: uuid.UUID, body: StoryboardIn, ctx: Tenant, services: Services, response: Response
) -> StoryboardOut:
    """Analyse the project's photos and plan version 1 from them and the project's facts."""
    version = await storyboard_planning.plan_from_project(
        services,
        ctx,
        project_id,
        style=body.style,
        length_seconds=body.length_seconds,
        title=body.title,
        author=str(ctx.user_id or "api-key"),
    )
    board = await asyncio.to_thread(
        StoryboardsRepository(services.db).get, ctx, version.storyboard_id
    )
    response.headers["ETag"] = etag(board.current_version)
    return await asyncio.to_thread(_board_out, ctx, board, services)


@router.get(
    "/projects/{project_id}/storyboards",
    response_model=list[StoryboardOut],
    tags=["storyboards"],
)
async def project_storyboards(
    project_id: uuid.UUID, ctx: Tenant, services: Services
) -> list[StoryboardOut]:
    def work() -> list[StoryboardOut]:
        boards = StoryboardsRepository(services.db).for_project(ctx, project_id)
        return [_board_out(ctx, b, services) for b in boards]

    return await asyncio.to_thread(work)


@router.get("/storyboards/{storyboard_id}", response_model=StoryboardOut, tags=["storyboards"])
async def storyboard(
    storyboard_id: uuid.UUID, ctx: Tenant, services: Services, response: Response
) -> StoryboardOut:
    board = await asyncio.to_thread(StoryboardsRepository(services.db).get, ctx, storyboard_id)
    response.headers["ETag"] = etag(board.current_version)
    return await asyncio.to_thread(_board_out, ctx, board, services)


@router.get(
    "/storyboards/{storyboard_id}/versions",
    response_model=list[StoryboardVersionOut],
    tags=["storyboards"],
)
async def versions(
    storyboard_id: uuid.UUID, ctx: Tenant, services: Services
) -> list[StoryboardVersionOut]:
    rows = await asyncio.to_thread(StoryboardsRepository(services.db).versions, ctx, storyboard_id)
    return [version_out(r) for r in rows]


@router.post(
    "/storyboards/{storyboard_id}/operations",
    response_model=StoryboardOut,
    tags=["storyboards"],
    responses={
        409: {"description": "The storyboard changed since you read it."},
        428: {"description": "If-Match is missing."},
    },
)
async def apply_operations(
    storyboard_id: uuid.UUID,
    body: OperationsIn,
    ctx: Tenant,
    services: Services,
    response: Response,
    if_match: IfMatch = None,
) -> StoryboardOut:
    """Apply revision operations to the version named in If-Match; the result is a new version."""
    expect = expected_version(if_match)
    version = await storyboards.revise(
        services,
        ctx,
        storyboard_id,
        body.operations,
        expect_version=expect,
        author=str(ctx.user_id or "api-key"),
        reason=body.reason,
    )
    response.headers["ETag"] = etag(version.version)
    board = await asyncio.to_thread(StoryboardsRepository(services.db).get, ctx, storyboard_id)
    return await asyncio.to_thread(_board_out, ctx, board, services)


@router.post(
    "/storyboards/{storyboard_id}/approve",
    response_model=RenderJobOut,
    status_code=status.HTTP_202_ACCEPTED,
    tags=["storyboards"],
)
async def approve(
    storyboard_id: uuid.UUID,
    body: ApproveIn,
    ctx: Tenant,
    services: Services,
    if_match: IfMatch = None,
    idempotency_key: Annotated[str | None, Header(max_length=128)] = None,
) -> RenderJobOut:
    """Approve the version named in If-Match (the current one): its render job is queued."""
    expect = expected_version(if_match)

    def version() -> StoryboardVersionView:
        repo = StoryboardsRepository(services.db)
        board = repo.get(ctx, storyboard_id)
        if board.current_version != expect:
            raise StaleVersionError(
                f"The storyboard is at version {board.current_version}, not {expect}.",
                hint="Look at the latest version before approving it.",
            )
        return repo.numbered(ctx, storyboard_id, expect)

    chosen = await asyncio.to_thread(version)
    key = idempotency_key or f"approve:{storyboard_id}:v{expect}:{'p' if body.preview else 'f'}"
    job = await submit(services, ctx, chosen.id, preview=body.preview, idempotency_key=key)
    return await job_out(services, ctx, job)
