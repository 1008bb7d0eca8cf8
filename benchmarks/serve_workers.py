"""Read throughput of `reelestate serve --workers 1` against `--workers 2`, as a ratio.

    python -m benchmarks.serve_workers            # prints a RESULTS.md section

Starts a private redis-server and a fresh PostgreSQL database (on `REELESTATE_TEST_PG`'s
server), then for each process count a real `reelestate serve` child, and drives it with 10, 50
and 200 concurrent clients, each looping `GET /api/v1/projects` with a bearer token (token
check, one tenant query, JSON) for a fixed time, with wrk as the load generator. It runs on the
same machine and takes a share of its cores: the ratio between the two runs is the figure, not
the absolute rate. One run; the load average before and after is printed beside it.
"""

from __future__ import annotations

import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path

import httpx
from tests.faults.serve import Served, child_env
from tests.support.services import RedisServer, fresh_postgres_database

from reelestate.core.settings import Settings
from reelestate.storage import migrate

CLIENTS = (10, 50, 200)
WRK = shutil.which("wrk") or "wrk"
SECONDS = 5.0
WARM_UP_S = 1.0


def _seconds(text: str) -> float:
    """wrk's latency ("850.12us", "12.34ms", "1.02s") in milliseconds."""
    match = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text)
    if not match:
        return float("nan")
    scale = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}[match.group(2)]
    return float(match.group(1)) * scale


def _drive(url: str, token: str, clients: int) -> tuple[float, float, int]:
    """(reads per second, p99 latency in ms, errors) for `clients` connections over SECONDS.

    wrk (C, event loop, one thread per core) keeps the load generator's share of the two cores
    small; a Python client spent more CPU making requests than the server spent answering."""
    threads = min(clients, os.cpu_count() or 1)
    wrk = [WRK, "-t", str(threads), "-c", str(clients), "--latency", "--timeout", "30s"]
    header = ["-H", f"Authorization: Bearer {token}"]
    target = f"{url}/api/v1/projects?limit=20"
    subprocess.run([*wrk, *header, "-d", f"{WARM_UP_S:g}s", target], capture_output=True,
                   check=True)  # fmt: skip
    done = subprocess.run([*wrk, *header, "-d", f"{SECONDS:g}s", target], capture_output=True,
                          text=True, check=True)  # fmt: skip
    out = done.stdout
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    p99 = re.search(r"^\s+99%\s+(\S+)", out, re.MULTILINE)
    non_ok = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    socket_errors = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out
    )
    errors = int(non_ok.group(1)) if non_ok else 0
    errors += sum(int(n) for n in socket_errors.groups()) if socket_errors else 0
    return rate, _seconds(p99.group(1)) if p99 else float("nan"), errors


def _measure(env: dict[str, str], workers: int) -> dict[int, tuple[float, float, int]]:
    served = Served(env, "--workers", str(workers))
    try:
        token = served.token()
        for i in range(30):
            httpx.post(f"{served.url}/api/v1/projects", json={"title": f"house {i}"},
                       headers={"Authorization": f"Bearer {token}"}, timeout=10)  # fmt: skip
        return {n: _drive(served.url, token, n) for n in CLIENTS}
    finally:
        served.signal(15)
        served.proc.wait(timeout=60)


def main() -> None:
    if shutil.which("wrk") is None:
        sys.exit("wrk is not installed: apt-get install wrk (scripts/system-deps.sh does)")
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
