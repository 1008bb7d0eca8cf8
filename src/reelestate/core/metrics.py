"""Prometheus metrics of every process (the web app, each worker), in one registry per process.

The metric objects live here, at the bottom of the layers, so that the code that sees an event
(a job ending, a provider answering, a credit being reserved) counts it where it happens. Queue
depth is not counted at all: it is read from the job table when scraped
(`workers.queue_metrics`), so every process reports the same truth and a restart loses nothing.

Labels are low-cardinality by design: queues, job kinds, outcomes, provider names and route
templates, never ids or raw paths. Names follow Prometheus' conventions (`reelestate_` prefix,
base units in the name, `_total` added to counters by the client).
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager

from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Histogram
from prometheus_client import generate_latest as _generate_latest

from reelestate.core import tracing

REGISTRY = CollectorRegistry()
"""The process's registry (not the client's global one, so tests and imports stay isolated)."""

CONTENT_TYPE = CONTENT_TYPE_LATEST

JOBS_FINISHED = Counter(
    "reelestate_jobs_finished",
    "Job attempts by kind and outcome (succeeded, failed, retry, cancelled, released, lost).",
    ["kind", "outcome"],
    registry=REGISTRY,
)
RENDER_SECONDS = Histogram(
    "reelestate_render_seconds",
    "Wall-clock seconds of one render, by profile.",
    ["profile"],
    buckets=(1, 2.5, 5, 10, 20, 30, 45, 60, 90, 120, 180, 300, 600, 1200),
    registry=REGISTRY,
)
RENDER_REALTIME_FACTOR = Histogram(
    "reelestate_render_realtime_factor",
    "Render seconds per second of video (below 1 renders faster than real time), by profile.",
    ["profile"],
    buckets=(0.1, 0.25, 0.5, 0.75, 1, 1.5, 2, 3, 5, 10, 20),
    registry=REGISTRY,
)
CREDITS = Counter(
    "reelestate_credits",
    "Credits moved on the ledger by kind (reserve, capture, release, grant).",
    ["kind"],
    registry=REGISTRY,
)
PROVIDER_CALLS = Counter(
    "reelestate_provider_calls",
    "Calls to an external provider by provider and outcome (ok, error).",
    ["provider", "outcome"],
    registry=REGISTRY,
)
PROVIDER_SECONDS = Histogram(
    "reelestate_provider_call_seconds",
    "Seconds one provider call took, by provider and outcome.",
    ["provider", "outcome"],
    buckets=(0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600),
    registry=REGISTRY,
)
HTTP_SECONDS = Histogram(
    "reelestate_http_request_seconds",
    "Seconds to answer an HTTP request, by method, route template and status class.",
    ["method", "route", "status"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30),
    registry=REGISTRY,
)


@contextmanager
def provider_call(provider: str, operation: str) -> Iterator[None]:
    """Count, time and trace one call to `provider` (e.g. `elevenlabs`, `fal`, `openai-llm`).

    An exception propagates unchanged and is counted as `error`.
    """
    started = time.perf_counter()
    outcome = "error"
    with tracing.span(f"{provider} {operation}", {"provider": provider}):
        try:
            yield
            outcome = "ok"
        finally:
            PROVIDER_CALLS.labels(provider, outcome).inc()
            PROVIDER_SECONDS.labels(provider, outcome).observe(time.perf_counter() - started)


def observe_render(profile: str, seconds: float, video_seconds: float) -> None:
    """One finished render: its wall time and its real-time factor."""
    RENDER_SECONDS.labels(profile).observe(seconds)
    if video_seconds > 0:
        RENDER_REALTIME_FACTOR.labels(profile).observe(seconds / video_seconds)


def exposition() -> bytes:
    """The registry in Prometheus' text format."""
    return _generate_latest(REGISTRY)
