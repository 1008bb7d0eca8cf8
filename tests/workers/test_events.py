from __future__ import annotations

import asyncio
import uuid
from datetime import UTC, datetime

from reelestate.storage.schemas import JobEventView
from reelestate.workers.events import InProcessEventBus, RedisEventBus, channel
from tests.support.services import SHARED_REDIS


def _event(job_id: uuid.UUID, seq: int) -> JobEventView:
    return JobEventView(
        organization_id=uuid.uuid4(),
        job_id=job_id,
        seq=seq,
        type="progress",
        status="running",
        stage="render",
        percent=float(seq),
        attempt=1,
        message=None,
        data=None,
        created_at=datetime.now(UTC),
    )


async def test_redis_bus_carries_events_between_processes_on_a_job_channel() -> None:
    bus = RedisEventBus(SHARED_REDIS)
    job, other = uuid.uuid4(), uuid.uuid4()
    sub = await bus.subscribe(job)
    try:
        assert await sub.get(0.05) is None  # subscribes on first use
        await asyncio.to_thread(bus.publish, [_event(other, 1), _event(job, 1), _event(job, 2)])
        got = [await sub.get(2.0), await sub.get(2.0)]
        assert [e.seq for e in got if e is not None] == [1, 2]
        assert all(e is not None and e.job_id == job for e in got)
    finally:
        await sub.close()
        bus.close()
    assert channel(job) == f"reelestate:job:{job}:events"


async def test_redis_bus_survives_a_dead_server() -> None:
    bus = RedisEventBus("redis://127.0.0.1:1/0")
    bus.publish([_event(uuid.uuid4(), 1)])  # logged, not raised: the database has it
    sub = await bus.subscribe(uuid.uuid4())
    try:
        assert await sub.get(0.05) is None
    finally:
        await sub.close()
        bus.close()


async def test_in_process_bus_delivers_from_threads_and_forgets_closed_listeners() -> None:
    bus = InProcessEventBus()
    job = uuid.uuid4()
    sub = await bus.subscribe(job)
    await asyncio.to_thread(bus.publish, [_event(job, 1), _event(uuid.uuid4(), 1)])
    first = await sub.get(1.0)
    assert first is not None and first.seq == 1
    assert await sub.get(0.01) is None
    await sub.close()
    bus.publish([_event(job, 2)])
    assert await sub.get(0.01) is None
    bus.close()
