"""A worker's health port: `/healthz` (the process answers), `/readyz` (its database, blob
store and queue answer), for an orchestrator's probes, and `/metrics` for Prometheus.

A worker has no web framework to hang routes on, and needs none for three GET paths: this is a
minimal HTTP/1.1 responder on asyncio streams that closes each connection after one answer.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from collections.abc import Awaitable, Callable

from reelestate.core import metrics
from reelestate.workers.readiness import RETRY_AFTER_S, Readiness

log = logging.getLogger(__name__)

REQUEST_TIMEOUT_S = 5.0
Probe = Callable[[], Awaitable[Readiness]]


def _response(
    status: int,
    body: dict[str, object] | bytes,
    *,
    retry_after: bool = False,
    content_type: str = "application/json",
) -> bytes:
    payload = body if isinstance(body, bytes) else json.dumps(body).encode()
    reason = {200: "OK", 404: "Not Found", 503: "Service Unavailable"}[status]
    head = [
        f"HTTP/1.1 {status} {reason}",
        f"Content-Type: {content_type}",
        f"Content-Length: {len(payload)}",
        "Connection: close",
    ]
    if retry_after:
        head.append(f"Retry-After: {RETRY_AFTER_S}")
    return ("\r\n".join(head) + "\r\n\r\n").encode() + payload


async def answer(path: str, probe: Probe) -> bytes:
    """The bytes to send for a GET of `path`."""
    if path == "/healthz":
        return _response(200, {"status": "ok", "checks": {}})
    if path == "/readyz":
        found = await probe()
        status = "ok" if found.ready else "degraded"
        body: dict[str, object] = {"status": status, "checks": found.checks}
        return _response(200 if found.ready else 503, body, retry_after=not found.ready)
    if path == "/metrics":
        # Collecting reads the job table: off the event loop, which runs the jobs' bookkeeping.
        exposition = await asyncio.to_thread(metrics.exposition)
        return _response(200, exposition, content_type=metrics.CONTENT_TYPE)
    return _response(404, {"status": "not found"})


async def serve_health(host: str, port: int, probe: Probe, stop: asyncio.Event) -> None:
    """Answer probes on `host:port` until `stop` is set."""

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            line = await asyncio.wait_for(reader.readline(), REQUEST_TIMEOUT_S)
            parts = line.decode("latin-1").split()
            path = parts[1].split("?", 1)[0] if len(parts) >= 2 else ""
            writer.write(await answer(path, probe))
            await writer.drain()
        except (TimeoutError, ConnectionError) as exc:
            log.debug("health probe dropped: %s", type(exc).__name__)
        finally:
            writer.close()
            with contextlib.suppress(ConnectionError):
                await writer.wait_closed()

    server = await asyncio.start_server(handle, host, port)
    log.info("worker health on http://%s:%d/readyz", host, port)
    async with server:
        await stop.wait()
