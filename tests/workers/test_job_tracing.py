"""A job's spans join the trace of the request that queued it: the trace context travels in
the arq payload, and provider calls are spans of the job."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from tests.support.services import RedisServer

REPO = Path(__file__).resolve().parents[2]


def test_the_trace_context_travels_in_the_job_payload(tmp_path: Path) -> None:
    server = RedisServer(tmp_path)
    server.start()
    try:
        done = subprocess.run(
            [sys.executable, "-m", "tests.workers.tracing_probe", server.url],
            env={**os.environ, "PYTHONPATH": os.pathsep.join([str(REPO / "src"), str(REPO)])},
            capture_output=True, text=True, timeout=60, check=False,
        )  # fmt: skip
    finally:
        server.stop()
    assert done.returncode == 0, done.stderr[-3000:]
    found = json.loads(done.stdout.strip().splitlines()[-1])
    assert found["payload"]["traceparent"].startswith("00-")
    spans = {s["name"]: s for s in found["spans"]}
    request, delivery, call = (
        spans["POST /api/v1/render-jobs"],
        spans["job delivery"],
        spans["fal submit"],
    )
    assert request["trace"] == delivery["trace"] == call["trace"]
    assert delivery["parent"] == request["span"]
    assert call["parent"] == delivery["span"]


def test_tracing_is_off_without_an_endpoint() -> None:
    from reelestate.core import tracing  # noqa: PLC0415

    assert tracing.configure("test", None) is False
    assert tracing._configured == []
