"""PostgreSQL restarted under reads: while it is down the web app answers 503 with Retry-After
(never a 500 or a dropped connection), and once it is back reads succeed again without the app
being restarted."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import httpx

from reelestate.core.settings import Settings
from tests.faults.serve import Served, child_env
from tests.support.postgres import PostgresCluster


def test_reads_get_503_only_while_postgres_is_down(
    pg_cluster: PostgresCluster, pg_settings: Settings, tmp_path: Path
) -> None:
    env = child_env(tmp_path / "data", DATABASE_URL=pg_settings.effective_database_url)
    served = Served(env, "--no-worker")
    statuses: list[tuple[str, int, str | None]] = []
    phase = ["before"]
    stop = threading.Event()
    try:
        token = served.token()

        def read() -> None:
            with httpx.Client(base_url=served.url, timeout=20,
                              headers={"Authorization": f"Bearer {token}"}) as client:  # fmt: skip
                while not stop.is_set():
                    answer = client.get("/api/v1/projects")
                    statuses.append((phase[0], answer.status_code,
                                     answer.headers.get("retry-after")))  # fmt: skip
                    time.sleep(0.02)

        reader = threading.Thread(target=read)
        reader.start()
        time.sleep(0.5)
        phase[0] = "down"
        pg_cluster.stop()
        time.sleep(1.5)
        readiness = httpx.get(f"{served.url}/readyz", timeout=20)
        pg_cluster.start()
        phase[0] = "after"
        deadline = time.monotonic() + 30
        while not any(p == "after" and s == 200 for p, s, _ in statuses):
            assert time.monotonic() < deadline and reader.is_alive()
            time.sleep(0.1)
        stop.set()
        reader.join()
    finally:
        stop.set()
        served.stop()
    assert {s for p, s, _ in statuses if p == "before"} == {200}
    down = [(s, retry) for p, s, retry in statuses if p == "down"]
    assert (503, "5") in down
    assert {s for s, _ in down} <= {200, 503}
    assert all(retry == "5" for s, retry in down if s == 503)
    assert {s for p, s, _ in statuses if p == "after"} <= {200, 503}
    assert readiness.status_code == 503 and readiness.headers["retry-after"] == "5"
    assert readiness.json()["checks"]["database"].startswith("failed")
