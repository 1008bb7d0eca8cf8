"""Liveness (`/healthz`: the process answers) and readiness (`/readyz`: database, queue, blob
store and FFmpeg all work).

Readiness asks each dependency for real (a query, a listing, a Redis PING) rather than trusting
that a client object exists: an orchestrator takes the process out of rotation only if it can
see the outage.
"""

from __future__ import annotations

import asyncio

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from reelestate.api.deps import Services
from reelestate.api.problems import RETRY_AFTER_S
from reelestate.api.v1.schemas import HealthOut
from reelestate.render.ffmpeg import find_tools
from reelestate.storage.context import TenantContext

router = APIRouter(tags=["health"])


@router.get("/healthz", response_model=HealthOut)
async def healthz() -> HealthOut:
    return HealthOut(status="ok")


def _checks(services: Services) -> dict[str, str]:
    checks: dict[str, str] = {}
    try:
        checks["database"] = "ok" if services.db.ping() else "failed"
    except Exception as exc:
        checks["database"] = f"failed: {type(exc).__name__}"
    try:
        services.blobs.list(TenantContext.local(), f"org/{TenantContext.local().org_id}/health/")
        checks["blobs"] = "ok"
    except Exception as exc:
        checks["blobs"] = f"failed: {type(exc).__name__}"
    try:
        find_tools()
        checks["ffmpeg"] = "ok"
    except Exception as exc:
        checks["ffmpeg"] = f"failed: {type(exc).__name__}"
    return checks


async def _queue_check(services: Services) -> str:
    dispatcher = services.jobs.dispatcher
    if dispatcher is None:
        return "external worker"
    problem = await dispatcher.ping()
    return "ok" if problem is None else f"failed: {problem}"


@router.get("/readyz", response_model=HealthOut, responses={503: {"model": HealthOut}})
async def readyz(services: Services) -> JSONResponse:
    checks = await asyncio.to_thread(_checks, services)
    checks["queue"] = await _queue_check(services)
    ready = all(v in {"ok", "external worker"} for v in checks.values())
    body = HealthOut(status="ok" if ready else "degraded", checks=checks)
    if ready:
        return JSONResponse(body.model_dump())
    return JSONResponse(
        body.model_dump(), status_code=503, headers={"Retry-After": str(RETRY_AFTER_S)}
    )
