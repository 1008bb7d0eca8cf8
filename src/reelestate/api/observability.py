"""`/metrics` and the per-request measurements: latency by route template, and a trace span.

The route label is the template the router matched (`/api/v1/jobs/{job_id}`), the mount for a
mounted app (`/chat`), or `unmatched`, so a scan of random paths cannot grow the label set.
"""

from __future__ import annotations

import time

from fastapi import APIRouter, Response
from starlette.routing import Mount
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from reelestate.core import metrics, tracing

router = APIRouter(tags=["health"])


@router.get("/metrics", include_in_schema=False)
async def prometheus_metrics() -> Response:
    return Response(metrics.exposition(), media_type=metrics.CONTENT_TYPE)


def route_template(scope: Scope) -> str:
    """The matched route's path template, never the raw path.

    A route of an included router knows only its own part (`/render-jobs/{job_id}`); the
    router's prefix (`/api/v1`, static) is the part of the request path before what the
    route's pattern matched.
    """
    route = scope.get("route")
    template = getattr(route, "path", None)
    if not isinstance(template, str) or not template:
        return "unmatched"
    if isinstance(route, Mount):
        return template.rstrip("/") or "/"
    path = str(scope.get("path", ""))
    pattern = getattr(route, "path_regex", None)
    if pattern is not None and not pattern.match(path):
        for cut in (i for i, char in enumerate(path) if char == "/" and i > 0):
            if pattern.match(path[cut:]):
                return path[:cut] + template
    return template


class RequestMetrics:
    """Pure ASGI middleware: one histogram sample and one server span per HTTP request."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500

        async def tracked(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = int(message["status"])
            await send(message)

        headers = {k.decode("latin-1"): v.decode("latin-1") for k, v in scope.get("headers", [])}
        method = str(scope.get("method", "GET"))
        with tracing.span(f"HTTP {method}", {"http.method": method}, parent=headers) as span:
            try:
                await self.app(scope, receive, tracked)
            finally:
                route = route_template(scope)
                span.update_name(f"{method} {route}")
                span.set_attribute("http.route", route)
                span.set_attribute("http.status_code", status)
                metrics.HTTP_SECONDS.labels(method, route, f"{status // 100}xx").observe(
                    time.perf_counter() - started
                )
