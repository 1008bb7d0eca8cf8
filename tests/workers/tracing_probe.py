"""Run as a child process (tracing is process-wide): a request span dispatches a job through
arq on the Redis at argv[1]; the job's payload is read back as a worker would, its delivery
span opened from the payload's trace context, a provider call made inside. Prints the spans."""

from __future__ import annotations

import asyncio
import json
import sys
import uuid

import redis
from arq.jobs import deserialize_job
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

from reelestate.core import tracing
from reelestate.core.jobs import JobQueue
from reelestate.core.metrics import provider_call
from reelestate.workers.arq_worker import ArqDispatcher, arq_job_id


async def main(url: str) -> None:
    exporter = InMemorySpanExporter()
    assert tracing.configure("probe", None, exporter=exporter)
    job_id = uuid.uuid4()
    dispatcher = await ArqDispatcher.connect(url)
    try:
        with tracing.span("POST /api/v1/render-jobs"):
            await dispatcher.dispatch(uuid.uuid4(), job_id, JobQueue.CPU, 1)
    finally:
        await dispatcher.close()
    raw = redis.Redis.from_url(url).get(f"arq:job:{arq_job_id(job_id, 1)}")
    assert raw is not None
    payload = deserialize_job(raw).kwargs["trace"]
    with tracing.span("job delivery", parent=payload), provider_call("fal", "submit"):
        pass
    tracing.flush()
    spans = [
        {
            "name": s.name,
            "trace": s.context.trace_id,
            "span": s.context.span_id,
            "parent": s.parent.span_id if s.parent else None,
        }
        for s in exporter.get_finished_spans()
    ]
    print(json.dumps({"payload": payload, "spans": spans}))


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1]))
