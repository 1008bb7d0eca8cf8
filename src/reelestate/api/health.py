"""Liveness (`/healthz`: the process answers) and readiness (`/readyz`: database, queue, blob
store and FFmpeg all work)."""

from __future__ import annotations

import asyncio

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from reelestate.api.deps import Services
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
    checks["queue"] = "ok" if services.jobs.dispatcher is not None else "external worker"
    return checks


@router.get("/readyz", response_model=HealthOut, responses={503: {"model": HealthOut}})
async def readyz(services: Services) -> JSONResponse:
    checks = await asyncio.to_thread(_checks, services)
    ready = all(v in {"ok", "external worker"} for v in checks.values())
    body = HealthOut(status="ok" if ready else "degraded", checks=checks)
    return JSONResponse(body.model_dump(), status_code=200 if ready else 503)
