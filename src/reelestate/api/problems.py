"""Errors as `application/problem+json` (RFC 9457): a status, a stable code, a message the caller
can act on; never a stack trace."""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from reelestate.core.errors import (
    AuthenticationError,
    BlobRejectedError,
    ConfigurationError,
    ConflictError,
    FeatureUnavailableError,
    InsufficientCreditsError,
    JobStateError,
    NotFoundError,
    PermissionDeniedError,
    PhotoError,
    ProviderError,
    RateLimitedError,
    ReelEstateError,
    StaleVersionError,
    StorageError,
    UnsupportedMediaError,
    WebhookRejectedError,
)
from reelestate.workers.readiness import RETRY_AFTER_S

log = logging.getLogger(__name__)
PROBLEM_TYPE = "application/problem+json"
STATUS_BY_ERROR: tuple[tuple[type[ReelEstateError], int], ...] = (
    (WebhookRejectedError, 400),
    (NotFoundError, 404),
    (AuthenticationError, 401),
    (PermissionDeniedError, 403),
    (RateLimitedError, 429),
    (StaleVersionError, 409),
    (ConflictError, 409),
    (JobStateError, 409),
    (InsufficientCreditsError, 402),
    (BlobRejectedError, 422),
    (PhotoError, 422),
    (UnsupportedMediaError, 415),
    (FeatureUnavailableError, 501),
    (StorageError, 503),
    (ProviderError, 502),
    (ConfigurationError, 503),
)


def problem(
    status: int,
    code: str,
    title: str,
    *,
    detail: str | None = None,
    hint: str | None = None,
    headers: dict[str, str] | None = None,
    extra: dict[str, Any] | None = None,
) -> JSONResponse:
    body: dict[str, Any] = {"type": f"https://reelestate.dev/problems/{code}", "title": title,
                            "status": status, "code": code}  # fmt: skip
    if detail:
        body["detail"] = detail
    if hint:
        body["hint"] = hint
    body.update(extra or {})
    return JSONResponse(body, status_code=status, headers=headers, media_type=PROBLEM_TYPE)


STATUS_BY_CODE = {"precondition_required": 428}


def status_of(exc: ReelEstateError) -> int:
    if exc.code in STATUS_BY_CODE:
        return STATUS_BY_CODE[exc.code]
    for kind, status in STATUS_BY_ERROR:
        if isinstance(exc, kind):
            return status
    return 422 if exc.user_error else 500


def install(app: FastAPI) -> None:
    @app.exception_handler(ReelEstateError)
    async def _product_error(request: Request, exc: ReelEstateError) -> JSONResponse:
        status = status_of(exc)
        headers: dict[str, str] = {}
        if isinstance(exc, RateLimitedError):
            headers["Retry-After"] = str(int(exc.retry_after + 0.999))
        elif status == 503:
            headers["Retry-After"] = str(RETRY_AFTER_S)
        if isinstance(exc, AuthenticationError):
            headers["WWW-Authenticate"] = "Bearer"
        if status >= 500:
            log.warning("%s %s: %s", request.method, request.url.path, exc.code)
        extra = {"reasons": exc.reasons} if hasattr(exc, "reasons") else None
        return problem(status, exc.code, exc.message, hint=exc.hint, headers=headers, extra=extra)

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        errors = [
            {"where": ".".join(str(p) for p in e.get("loc", ())), "problem": str(e.get("msg"))}
            for e in exc.errors()
        ]
        first = errors[0] if errors else {"where": "request", "problem": "is not valid"}
        return problem(
            422,
            "invalid_request",
            "The request is not valid.",
            detail=f"{first['where']}: {first['problem']}",
            extra={"errors": errors},
        )

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        code = {404: "not_found", 405: "method_not_allowed", 401: "unauthenticated"}.get(
            exc.status_code, "http_error"
        )
        headers = dict(exc.headers) if exc.headers else None
        return problem(exc.status_code, code, str(exc.detail), headers=headers)

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
        log.exception("unexpected error on %s %s", request.method, request.url.path)
        return problem(
            500,
            "internal_error",
            "Something went wrong on our side.",
            hint="Try again; if it keeps happening, tell us what you were doing.",
        )
