"""OpenTelemetry spans across a request, the job it queues, the worker that runs it and the
provider calls the job makes.

Off unless `OTEL_EXPORTER_OTLP_ENDPOINT` is set: the API's no-op tracer then costs next to
nothing. With it, each process sends its spans by OTLP over HTTP (the exporter reads the
endpoint and `OTEL_EXPORTER_OTLP_HEADERS` from the environment itself). A job crosses processes
through its queue entry: the submitter puts `carrier()` (W3C `traceparent`) into the payload
and the worker opens its span with `span(..., parent=that)`.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator, Mapping
from contextlib import contextmanager

from opentelemetry import propagate, trace
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor, SpanExporter

log = logging.getLogger(__name__)
_TRACER_NAME = "reelestate"
_configured: list[TracerProvider] = []

Attributes = Mapping[str, str | int | float | bool]


def configure(service: str, endpoint: str | None, *, exporter: SpanExporter | None = None) -> bool:
    """Send this process's spans to `endpoint` (or `exporter`); nothing when neither is given.

    Returns whether tracing is on. Called once per process at start-up; a second call is a no-op.
    """
    if _configured:
        return True
    if exporter is None:
        if not endpoint:
            return False
        from opentelemetry.exporter.otlp.proto.http.trace_exporter import (  # noqa: PLC0415 - only when on
            OTLPSpanExporter,
        )

        exporter = OTLPSpanExporter()
    provider = TracerProvider(resource=Resource.create({"service.name": service}))
    provider.add_span_processor(BatchSpanProcessor(exporter))
    trace.set_tracer_provider(provider)
    _configured.append(provider)
    log.info("tracing on: spans of %s go to %s", service, endpoint or type(exporter).__name__)
    return True


def flush() -> None:
    """Send the spans still buffered (at shutdown, so the last job's trace is not lost)."""
    for provider in _configured:
        provider.force_flush(timeout_millis=5000)


@contextmanager
def span(
    name: str, attributes: Attributes | None = None, *, parent: Mapping[str, str] | None = None
) -> Iterator[trace.Span]:
    """A span around the block; `parent` is a carrier from another process (a job payload)."""
    context = propagate.extract(dict(parent)) if parent else None
    tracer = trace.get_tracer(_TRACER_NAME)
    with tracer.start_as_current_span(name, context=context, attributes=attributes) as current:
        yield current


def carrier() -> dict[str, str]:
    """The current span's context as W3C headers, to travel with a job to its worker."""
    headers: dict[str, str] = {}
    propagate.inject(headers)
    return headers
