"""Webhook inboxes: a delivery reaches its waiter whether it comes before or after the wait."""

from __future__ import annotations

import asyncio
import threading
import uuid
from collections.abc import AsyncIterator

import pytest

from reelestate.core.settings import Settings
from reelestate.providers.video_gen.inbox import (
    InMemoryWebhookInbox,
    RedisWebhookInbox,
    WebhookInbox,
    process_inbox,
    webhook_inbox,
)
from tests.support.services import SHARED_REDIS


@pytest.fixture(params=["memory", "redis"])
async def inbox(request: pytest.FixtureRequest) -> AsyncIterator[WebhookInbox]:
    if request.param == "memory":
        yield InMemoryWebhookInbox()
        return
    redis_inbox = RedisWebhookInbox(SHARED_REDIS, prefix=f"test-fal-{uuid.uuid4().hex}:")
    yield redis_inbox
    await redis_inbox.aclose()


async def test_a_delivery_before_the_wait_is_kept(inbox: WebhookInbox) -> None:
    await inbox.publish("r-1", {"status": "OK", "payload": {"n": 1}})
    assert await inbox.wait("r-1", 0.5) == {"status": "OK", "payload": {"n": 1}}
    assert await inbox.wait("r-1", 0) == {"status": "OK", "payload": {"n": 1}}


async def test_a_delivery_during_the_wait_wakes_it(inbox: WebhookInbox) -> None:
    waiting = asyncio.create_task(inbox.wait("r-2", 10))
    await asyncio.sleep(0.05)
    await inbox.publish("r-2", {"status": "OK"})
    assert await waiting == {"status": "OK"}


async def test_no_delivery_is_none(inbox: WebhookInbox) -> None:
    await inbox.publish("other", {"status": "OK"})
    assert await inbox.wait("r-3", 0.05) is None


async def test_a_delivery_from_another_thread_and_loop_wakes_the_waiter() -> None:
    inbox = InMemoryWebhookInbox()
    waiting = asyncio.create_task(inbox.wait("r-4", 10))
    await asyncio.sleep(0.02)
    thread = threading.Thread(target=asyncio.run, args=(inbox.publish("r-4", {"ok": True}),))
    thread.start()
    assert await waiting == {"ok": True}
    thread.join()


async def test_old_deliveries_are_forgotten() -> None:
    inbox = InMemoryWebhookInbox(keep_s=0.0, max_entries=2)
    await inbox.publish("a", {"n": 1})
    await asyncio.sleep(0.01)
    await inbox.publish("b", {"n": 2})
    assert await inbox.wait("a", 0) is None
    bounded = InMemoryWebhookInbox(max_entries=2)
    for name in "xyz":
        await bounded.publish(name, {"n": name})
    assert await bounded.wait("x", 0) is None
    assert await bounded.wait("z", 0) == {"n": "z"}


def test_the_settings_choose_the_inbox() -> None:
    assert webhook_inbox(Settings()) is process_inbox()
    shared = webhook_inbox(Settings(REDIS_URL=SHARED_REDIS))
    assert isinstance(shared, RedisWebhookInbox)
    assert shared.url == SHARED_REDIS
