"""HTTP latency is labelled by route template (router prefix included), never by raw path, so
ids and scans cannot grow the label set; `/metrics` serves the registry."""

from __future__ import annotations

import uuid

from fastapi import APIRouter, FastAPI
from prometheus_client.parser import text_string_to_metric_families
from starlette.testclient import TestClient

from reelestate.api import observability


def _app() -> FastAPI:
    app = FastAPI()
    app.add_middleware(observability.RequestMetrics)
    items = APIRouter()

    @items.get("/widgets/{widget_id}")
    async def widget(widget_id: str) -> dict[str, str]:
        return {"id": widget_id}

    app.include_router(items, prefix="/api/v9")
    app.include_router(observability.router)
    return app


def test_latency_is_counted_by_route_template() -> None:
    with TestClient(_app()) as client:
        for _ in range(3):
            assert client.get(f"/api/v9/widgets/{uuid.uuid4()}").status_code == 200
        assert client.get(f"/scan/{uuid.uuid4()}").status_code == 404
        text = client.get("/metrics").text
    counts = {
        (s.labels["route"], s.labels["status"]): s.value
        for family in text_string_to_metric_families(text)
        for s in family.samples
        if s.name == "reelestate_http_request_seconds_count" and s.labels["method"] == "GET"
    }
    assert counts[("/api/v9/widgets/{widget_id}", "2xx")] >= 3
    assert counts[("unmatched", "4xx")] >= 1
    assert not [route for route, _ in counts if route.count("-") >= 4]  # no uuid in a label
