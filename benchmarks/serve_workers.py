"""Read throughput of `reelestate serve --workers 1` against `--workers 2`, as a ratio.

    python -m benchmarks.serve_workers            # prints a RESULTS.md section

Starts a private redis-server and a fresh PostgreSQL database (on `REELESTATE_TEST_PG`'s
server), then for each process count a real `reelestate serve` child, and drives it with 10, 50
and 200 concurrent clients, each looping `GET /api/v1/projects` with a bearer token (token
check, one tenant query, JSON) for a fixed time. The load generator runs on the same machine
and takes a share of its cores: the ratio between the two runs is the figure, not the absolute
rate. One run; the load average before and after is printed beside it.
"""

from __future__ import annotations

import asyncio
import os
import platform
import statistics
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

import httpx
from tests.faults.serve import Served, child_env
from tests.support.services import RedisServer, fresh_postgres_database

from reelestate.core.settings import Settings
from reelestate.storage import migrate

CLIENTS = (10, 50, 200)
SECONDS = 5.0
WARM_UP_S = 1.0


async def _drive(url: str, token: str, clients: int) -> tuple[float, float, int]:
    """(reads per second, p99 latency in ms, errors) for `clients` looping for SECONDS."""
    latencies: list[float] = []
    errors = 0
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(
        base_url=url, headers={"Authorization": f"Bearer {token}"}, limits=limits, timeout=30
    ) as client:
        start = time.monotonic()
        measure_from = start + WARM_UP_S
        end = measure_from + SECONDS

        async def loop() -> None:
            nonlocal errors
            while (now := time.monotonic()) < end:
                try:
                    answer = await client.get("/api/v1/projects?limit=20")
                    ok = answer.status_code == 200
                except httpx.HTTPError:
                    ok = False
                done = time.monotonic()
                if now >= measure_from:
                    if ok:
                        latencies.append(done - now)
                    else:
                        errors += 1

        await asyncio.gather(*(loop() for _ in range(clients)))
    latencies.sort()
    p99 = latencies[int(0.99 * (len(latencies) - 1))] * 1000 if latencies else float("nan")
    return len(latencies) / SECONDS, p99, errors


def _measure(env: dict[str, str], workers: int) -> dict[int, tuple[float, float, int]]:
    served = Served(env, "--workers", str(workers))
    try:
        token = served.token()
        for i in range(30):
            httpx.post(f"{served.url}/api/v1/projects", json={"title": f"house {i}"},
                       headers={"Authorization": f"Bearer {token}"}, timeout=10)  # fmt: skip
        return {n: asyncio.run(_drive(served.url, token, n)) for n in CLIENTS}
    finally:
        served.signal(15)
        served.proc.wait(timeout=60)


def main() -> None:
    load_before = os.getloadavg()[0]
    with tempfile.TemporaryDirectory() as tmp, fresh_postgres_database() as pg:
        redis = RedisServer(Path(tmp))
        redis.start()
        try:
            data = Path(tmp) / "data"
            env = child_env(data, DATABASE_URL=pg, REDIS_URL=redis.url,
                            REELESTATE_LOGIN_LIMIT="1000")  # fmt: skip
            migrate.upgrade(Settings(DATABASE_URL=pg, REELESTATE_DATA_DIR=data))
            one = _measure(env, 1)
            two = _measure(env, 2)
        finally:
            redis.stop()
    load_after = os.getloadavg()[0]
    when = datetime.now(UTC).isoformat(timespec="seconds")
    print("## Web app processes (`python -m benchmarks.serve_workers`)\n")
    print(
        f"`GET /api/v1/projects` (bearer token, 30 projects) against `reelestate serve` on "
        f"PostgreSQL + Redis, {SECONDS:.0f} s per level after {WARM_UP_S:.0f} s warm-up, load "
        f"generator on the same machine; {platform.machine()}, {os.cpu_count()} cores, {when}; "
        f"load average (1 min) before/after: {load_before:.2f} / {load_after:.2f}. One run.\n"
    )
    print("| clients | reads/s, 1 process | reads/s, 2 processes | ratio | p99 ms, 1 | p99 ms, 2 "
          "| errors 1 / 2 |")  # fmt: skip
    print("| --- | --- | --- | --- | --- | --- | --- |")
    ratios = []
    for n in CLIENTS:
        (r1, p1, e1), (r2, p2, e2) = one[n], two[n]
        ratios.append(r2 / r1 if r1 else float("nan"))
        print(f"| {n} | {r1:.0f} | {r2:.0f} | {ratios[-1]:.2f} | {p1:.0f} | {p2:.0f} "
              f"| {e1} / {e2} |")  # fmt: skip
    met = "met" if statistics.mean(ratios) >= 1.5 else "MISSED"
    print(f"\nMean ratio {statistics.mean(ratios):.2f} (target ≥ 1.5 on 2 cores): {met}.")


if __name__ == "__main__":
    main()
