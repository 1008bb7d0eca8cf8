"""Progress events: persisted as job events (the record), broadcast live (the fast path).

A listener subscribes to the live channel first, then reads what the database already holds
after its cursor, then takes live events, going back to the database whenever it sees a gap or
hears nothing for a while. So a late listener catches up, a resumed one continues from any `seq`,
and a Redis outage only slows events down.
"""

from __future__ import annotations

import asyncio
import logging
import threading
import uuid
from collections.abc import AsyncIterator, Sequence
from typing import Protocol

import redis
import redis.asyncio as aioredis
from pydantic import ValidationError

from reelestate.storage.context import TenantContext
from reelestate.storage.repositories.jobs import JobsRepository
from reelestate.storage.schemas import JobEventView

log = logging.getLogger(__name__)


def channel(job_id: uuid.UUID) -> str:
    return f"reelestate:job:{job_id}:events"


class Subscription(Protocol):
    async def get(self, wait_s: float) -> JobEventView | None: ...

    async def close(self) -> None: ...


class EventBus(Protocol):
    def publish(self, events: Sequence[JobEventView]) -> None:
        """Broadcast committed events; never raises (the database already has them)."""

    async def subscribe(self, job_id: uuid.UUID) -> Subscription: ...

    def close(self) -> None: ...


class _LocalSubscription:
    def __init__(self, bus: InProcessEventBus, job_id: uuid.UUID) -> None:
        self._bus, self._job_id = bus, job_id
        self.loop = asyncio.get_running_loop()
        self.queue: asyncio.Queue[JobEventView] = asyncio.Queue()

    async def get(self, wait_s: float) -> JobEventView | None:
        try:
            return await asyncio.wait_for(self.queue.get(), wait_s)
        except TimeoutError:
            return None

    async def close(self) -> None:
        self._bus.unsubscribe(self._job_id, self)


class InProcessEventBus:
    """Broadcast inside one process; safe to publish from worker threads."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._subs: dict[uuid.UUID, set[_LocalSubscription]] = {}

    def publish(self, events: Sequence[JobEventView]) -> None:
        for event in events:
            with self._lock:
                subs = list(self._subs.get(event.job_id, ()))
            for sub in subs:
                try:
                    sub.loop.call_soon_threadsafe(sub.queue.put_nowait, event)
                except RuntimeError:  # the listener's loop has closed
                    self.unsubscribe(event.job_id, sub)

    async def subscribe(self, job_id: uuid.UUID) -> Subscription:
        sub = _LocalSubscription(self, job_id)
        with self._lock:
            self._subs.setdefault(job_id, set()).add(sub)
        return sub

    def unsubscribe(self, job_id: uuid.UUID, sub: _LocalSubscription) -> None:
        with self._lock:
            subs = self._subs.get(job_id)
            if subs is not None:
                subs.discard(sub)
                if not subs:
                    del self._subs[job_id]

    def close(self) -> None:
        with self._lock:
            self._subs.clear()


class _RedisSubscription:
    def __init__(self, url: str, job_id: uuid.UUID) -> None:
        self._client = aioredis.Redis.from_url(url, socket_connect_timeout=2)
        self._pubsub = self._client.pubsub(ignore_subscribe_messages=True)
        self._channel = channel(job_id)
        self._subscribed = False

    async def _ensure(self) -> bool:
        if not self._subscribed:
            try:
                await self._pubsub.subscribe(self._channel)
                self._subscribed = True
            except (redis.RedisError, OSError):
                return False
        return True

    async def get(self, wait_s: float) -> JobEventView | None:
        if not await self._ensure():
            await asyncio.sleep(wait_s)
            return None
        try:
            message = await self._pubsub.get_message(timeout=wait_s)
        except (redis.RedisError, OSError):
            self._subscribed = False
            await self._pubsub.reset()
            return None
        if message is None or message.get("type") != "message":
            return None
        try:
            return JobEventView.model_validate_json(message["data"])
        except ValidationError:
            return None

    async def close(self) -> None:
        try:
            await self._pubsub.aclose()
        finally:
            await self._client.aclose()


class RedisEventBus:
    """Redis pub/sub: one channel per job, JSON `JobEventView` messages."""

    def __init__(self, url: str) -> None:
        self._url = url
        self._client = redis.Redis.from_url(url, socket_connect_timeout=2, socket_timeout=2)

    def publish(self, events: Sequence[JobEventView]) -> None:
        try:
            with self._client.pipeline(transaction=False) as pipe:
                for event in events:
                    pipe.publish(channel(event.job_id), event.model_dump_json())
                pipe.execute()
        except (redis.RedisError, OSError) as exc:
            log.warning(
                "job events not broadcast (listeners will read them from the database): %s", exc
            )

    async def subscribe(self, job_id: uuid.UUID) -> Subscription:
        return _RedisSubscription(self._url, job_id)

    def close(self) -> None:
        self._client.close()


async def follow_job(
    jobs: JobsRepository,
    bus: EventBus,
    ctx: TenantContext,
    job_id: uuid.UUID,
    *,
    after_seq: int = 0,
    poll_s: float = 1.0,
) -> AsyncIterator[JobEventView]:
    """Every event of the job after `after_seq`, in order, ending with its final event.

    Raises `NotFoundError` for a job of another organisation, before anything is yielded.
    """
    backlog = await asyncio.to_thread(jobs.events, ctx, job_id, after_seq=after_seq)
    subscription = await bus.subscribe(job_id)
    try:
        last = after_seq
        pending = list(backlog)
        # Anything committed between the first read and the subscription.
        pending += await asyncio.to_thread(
            jobs.events, ctx, job_id, after_seq=pending[-1].seq if pending else after_seq
        )
        while True:
            for event in pending:
                if event.seq <= last:
                    continue
                yield event
                last = event.seq
                if event.terminal:
                    return
            live = await subscription.get(poll_s)
            if live is not None and live.organization_id == ctx.org_id and live.seq == last + 1:
                pending = [live]
            elif live is not None and live.seq <= last:
                pending = []
            else:
                pending = await asyncio.to_thread(jobs.events, ctx, job_id, after_seq=last)
    finally:
        await subscription.close()
