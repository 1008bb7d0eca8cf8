"""Liveness (`/healthz`: the process answers) and readiness (`/readyz`: database, queue, blob
store and FFmpeg all work, asked for real by `workers.readiness`)."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from reelestate.api.deps import Services
from reelestate.api.v1.schemas import HealthOut
from reelestate.workers.readiness import RETRY_AFTER_S, check_readiness

router = APIRouter(tags=["health"])


@router.get("/healthz", response_model=HealthOut)
async def healthz() -> HealthOut:
    return HealthOut(status="ok")


@router.get("/readyz", response_model=HealthOut, responses={503: {"model": HealthOut}})
async def readyz(services: Services) -> JSONResponse:
    found = await check_readiness(services.db, services.blobs, services.jobs.dispatcher)
    body = HealthOut(status="ok" if found.ready else "degraded", checks=found.checks)
    if found.ready:
        return JSONResponse(body.model_dump())
    return JSONResponse(
        body.model_dump(), status_code=503, headers={"Retry-After": str(RETRY_AFTER_S)}
    )
