"""Requests still running when the server's shutdown grace runs out get a 503, not silence.

uvicorn stops accepting connections on SIGTERM, waits `timeout_graceful_shutdown` for the
requests in flight, then cancels the ones left (a client that sent half a multipart body and
stalled, say). This middleware turns that cancellation into a `503 shutting_down` problem with
`Retry-After` when no response has started, so the client learns to retry elsewhere rather than
seeing a dropped connection; a response already under way is simply cut off.
"""

from __future__ import annotations

import asyncio
import json

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from reelestate.api.problems import PROBLEM_TYPE
from reelestate.workers.readiness import RETRY_AFTER_S

SHUTTING_DOWN = {
    "type": "https://reelestate.dev/problems/shutting_down",
    "title": "The server is restarting; send the request again.",
    "status": 503,
    "code": "shutting_down",
}


class ShutdownCancellation:
    """Pure ASGI middleware (so it sees the request's own task being cancelled)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def tracked(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, receive, tracked)
        except asyncio.CancelledError:
            if started:
                raise
            # The server is ending this request; answering is the last thing this task does.
            body = json.dumps(SHUTTING_DOWN).encode()
            await send(
                {
                    "type": "http.response.start",
                    "status": 503,
                    "headers": [
                        (b"content-type", PROBLEM_TYPE.encode()),
                        (b"content-length", str(len(body)).encode()),
                        (b"retry-after", str(RETRY_AFTER_S).encode()),
                        (b"connection", b"close"),
                    ],
                }
            )
            await send({"type": "http.response.body", "body": body})
