"""Where verified fal webhooks wait for the generator that submitted the request.

The web app receives the webhook; the generator may run in the same process (embedded mode,
`InMemoryWebhookInbox`) or in a worker elsewhere (`RedisWebhookInbox`, when `REDIS_URL` is
set). A delivery may arrive before anyone waits for it, so both keep it for `keep_s`.
"""

from __future__ import annotations

import asyncio
import json
import threading
import time
from functools import lru_cache
from typing import Any, Protocol

import redis.asyncio as aioredis

from reelestate.core.settings import Settings

KEEP_S = 3600.0


class WebhookInbox(Protocol):
    """A mailbox keyed by fal request id."""

    async def publish(self, request_id: str, payload: dict[str, Any]) -> None:
        """Leave a delivery; a second one for the same id replaces the first."""
        ...

    async def wait(self, request_id: str, timeout: float) -> dict[str, Any] | None:  # noqa: ASYNC109
        """The delivery for `request_id`, waiting up to `timeout` seconds; None if none came."""
        ...


class InMemoryWebhookInbox:
    """An inbox for one process; safe across threads and event loops (the web server and a
    worker may run on different ones)."""

    def __init__(self, *, keep_s: float = KEEP_S, max_entries: int = 10_000) -> None:
        self.keep_s = keep_s
        self.max_entries = max_entries
        self._lock = threading.Lock()
        self._payloads: dict[str, tuple[float, dict[str, Any]]] = {}
        self._waiters: dict[str, list[tuple[asyncio.AbstractEventLoop, asyncio.Future[None]]]] = {}

    async def publish(self, request_id: str, payload: dict[str, Any]) -> None:
        with self._lock:
            self._forget_old(time.monotonic())
            self._payloads[request_id] = (time.monotonic(), payload)
            waiters = self._waiters.pop(request_id, [])
        for loop, future in waiters:
            loop.call_soon_threadsafe(_resolve, future)

    async def wait(self, request_id: str, timeout: float) -> dict[str, Any] | None:  # noqa: ASYNC109
        loop = asyncio.get_running_loop()
        future: asyncio.Future[None] = loop.create_future()
        with self._lock:
            found = self._payloads.get(request_id)
            if found is not None:
                return found[1]
            self._waiters.setdefault(request_id, []).append((loop, future))
        try:
            await asyncio.wait_for(future, timeout=max(timeout, 0.0))
        except TimeoutError:
            return None
        finally:
            with self._lock:
                pending = self._waiters.get(request_id, [])
                if (loop, future) in pending:
                    pending.remove((loop, future))
                    if not pending:
                        del self._waiters[request_id]
        with self._lock:
            found = self._payloads.get(request_id)
        return found[1] if found is not None else None

    def _forget_old(self, now: float) -> None:
        for key in [k for k, (at, _) in self._payloads.items() if now - at > self.keep_s]:
            del self._payloads[key]
        while len(self._payloads) >= self.max_entries:
            del self._payloads[next(iter(self._payloads))]


def _resolve(future: asyncio.Future[None]) -> None:
    if not future.done():
        future.set_result(None)


class RedisWebhookInbox:
    """An inbox shared by the web app and workers: a key per request (kept `keep_s`) and a
    pub/sub channel that wakes the waiter; the key is read after subscribing, so a delivery
    that lands in between is not missed."""

    def __init__(
        self, url: str, *, prefix: str = "reelestate:fal-webhook:", keep_s: float = KEEP_S
    ) -> None:
        self.url = url
        self.prefix = prefix
        self.keep_s = keep_s
        self._clients: dict[int, aioredis.Redis] = {}

    def _client(self) -> aioredis.Redis:
        # A redis.asyncio client belongs to the event loop it first ran on.
        loop_id = id(asyncio.get_running_loop())
        client = self._clients.get(loop_id)
        if client is None:
            client = aioredis.Redis.from_url(self.url)
            self._clients = {loop_id: client}
        return client

    def _key(self, request_id: str) -> str:
        return f"{self.prefix}{request_id}"

    async def publish(self, request_id: str, payload: dict[str, Any]) -> None:
        client = self._client()
        await client.set(self._key(request_id), json.dumps(payload), ex=int(self.keep_s))
        await client.publish(self._key(request_id), b"1")

    async def wait(self, request_id: str, timeout: float) -> dict[str, Any] | None:  # noqa: ASYNC109
        client = self._client()
        key = self._key(request_id)
        deadline = time.monotonic() + max(timeout, 0.0)
        async with client.pubsub() as pubsub:
            await pubsub.subscribe(key)
            while True:
                raw = await client.get(key)
                if raw is not None:
                    found: dict[str, Any] = json.loads(raw)
                    return found
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    return None
                await pubsub.get_message(ignore_subscribe_messages=True, timeout=remaining)

    async def aclose(self) -> None:
        for client in self._clients.values():
            await client.aclose()
        self._clients = {}


@lru_cache(maxsize=1)
def process_inbox() -> InMemoryWebhookInbox:
    """The one in-memory inbox of this process, shared by the web route and embedded workers."""
    return InMemoryWebhookInbox()


def webhook_inbox(settings: Settings) -> WebhookInbox:
    """Redis when `REDIS_URL` is set (workers may run elsewhere), this process's inbox otherwise."""
    if settings.redis_url:
        return RedisWebhookInbox(settings.redis_url)
    return process_inbox()
