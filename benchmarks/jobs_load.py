"""Load test of the job system: N preview renders through W worker processes.

    python -m benchmarks.jobs_load                # 200 jobs, 2 workers, real engine
    python -m benchmarks.jobs_load --count 40     # a shorter run
    DATABASE_URL=... REDIS_URL=... python -m benchmarks.jobs_load   # PostgreSQL + arq

Without DATABASE_URL/REDIS_URL it runs embedded (SQLite, workers polling the database). Each
job renders the same tiny storyboard (one photo, one second, preview profile) so the figures
show the queue's own cost: hand-over, claim, render child start-up, upload, bookkeeping. It
prints a RESULTS.md section and writes the raw numbers to benchmarks/results/jobs_load.json.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from reelestate.core.settings import Settings, usable_cores
from reelestate.services.storyboards import import_storyboard
from reelestate.storage import migrate
from reelestate.storage.repositories.credits import CreditsRepository
from reelestate.storage.repositories.organisations import OrganisationsRepository
from reelestate.workers.service import open_env, open_jobs_service

ROOT = Path(__file__).resolve().parent.parent
PHOTO = ROOT / "tests" / "fixtures" / "photos" / "house3" / "kitchen.jpg"
RESULTS = ROOT / "benchmarks" / "results" / "jobs_load.json"


def _storyboard(folder: Path) -> Path:
    path = folder / "tiny.json"
    path.write_text(
        json.dumps(
            {
                "profile": "preview",
                "fps": 24,
                "music": None,
                "flags": {"captions": False},
                "brand": {"intro_card": False, "outro_card": False},
                "scenes": [{"photo": str(PHOTO), "duration": 1.0, "transition": {"kind": "cut"}}],
            }
        )
    )
    return path


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def _spawn(env: dict[str, str], workers: int, concurrency: int) -> list[subprocess.Popen[bytes]]:
    return [
        subprocess.Popen(
            [sys.executable, "-m", "reelestate.workers.worker", "--concurrency", str(concurrency)],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for _ in range(workers)
    ]


async def _run(
    count: int, workers: int, concurrency: int, engine: str, data_dir: Path
) -> dict[str, object]:
    environ = {
        **os.environ,
        "REELESTATE_DATA_DIR": str(data_dir),
        "REELESTATE_RENDER_ENGINE": engine,
        "REELESTATE_LOG_LEVEL": "WARNING",
        "PYTHONPATH": str(ROOT),
    }
    settings = Settings(REELESTATE_DATA_DIR=data_dir, REELESTATE_RENDER_ENGINE=engine)
    migrate.upgrade(settings)
    env = open_env(settings)
    ctx = OrganisationsRepository(env.db).create("Load test", f"load-{int(time.time())}")
    CreditsRepository(env.db).grant(ctx, count * 10, "load test")
    procs = _spawn(environ, workers, concurrency)
    try:
        async with open_jobs_service(settings, env=env) as service:
            version = await import_storyboard(
                service.env.db, service.env.blobs, ctx, _storyboard(data_dir)
            )
            started = time.perf_counter()
            ids = [
                (await service.submit_render(ctx, version.id, preview=True)).id
                for _ in range(count)
            ]
            submitted = time.perf_counter() - started
            while True:
                jobs = [await service.get(ctx, job_id) for job_id in ids]
                if all(j.status.terminal for j in jobs):
                    break
                await asyncio.sleep(0.5)
            wall = time.perf_counter() - started
    finally:
        for proc in procs:
            proc.terminate()
        for proc in procs:
            proc.wait(timeout=60)
        env.close()
    waits = [(j.started_at - j.created_at).total_seconds() for j in jobs if j.started_at]
    runs = [
        (j.finished_at - j.started_at).total_seconds()
        for j in jobs
        if j.finished_at and j.started_at
    ]
    return {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": f"{platform.machine()}, {os.cpu_count()} cores",
        "backend": "postgresql+arq" if settings.redis_url else "sqlite+embedded",
        "engine": engine,
        "jobs": count,
        "workers": workers,
        "concurrency": concurrency,
        "cores": usable_cores(),
        "succeeded": sum(j.status.value == "succeeded" for j in jobs),
        "failed": sum(j.status.value != "succeeded" for j in jobs),
        "errors": sorted({f"{j.error_code}: {j.error_message}" for j in jobs if j.error_code}),
        "submit_s": round(submitted, 2),
        "wall_s": round(wall, 2),
        "throughput_jobs_per_min": round(count / wall * 60, 1),
        # Workers share the machine's cores: throughput per core the workers could use.
        "jobs_per_min_per_worker_core": round(
            count / wall * 60 / min(usable_cores(), workers * concurrency), 1
        ),
        "queue_wait_p50_s": round(statistics.median(waits), 2),
        "queue_wait_p95_s": round(_percentile(waits, 0.95), 2),
        "run_p50_s": round(statistics.median(runs), 2),
        "run_p95_s": round(_percentile(runs, 0.95), 2),
    }


def markdown(result: dict[str, object]) -> str:
    return "\n".join(
        [
            "## Job system load (`python -m benchmarks.jobs_load`)",
            "",
            f"{result['jobs']} preview jobs (1 photo, 1 s) through {result['workers']} worker "
            f"processes ({result['concurrency']} at a time each) on {result['cores']} cores, "
            f"{result['backend']}, engine `{result['engine']}`, "
            f"{result['machine']}, {result['date']}.",
            "",
            "| figure | value |",
            "| --- | --- |",
            f"| succeeded / failed | {result['succeeded']} / {result['failed']} |",
            f"| throughput | {result['throughput_jobs_per_min']} jobs/min |",
            f"| jobs per minute per worker core | {result['jobs_per_min_per_worker_core']} |",
            f"| wall time | {result['wall_s']} s (submitting: {result['submit_s']} s) |",
            f"| queue wait p50 / p95 | {result['queue_wait_p50_s']} s / "
            f"{result['queue_wait_p95_s']} s |",
            f"| run time p50 / p95 | {result['run_p50_s']} s / {result['run_p95_s']} s |",
            *[f"| error | {e} |" for e in result["errors"]],  # type: ignore[attr-defined]
            "",
        ]
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=200)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--concurrency", type=int, default=1, help="jobs at once per worker")
    parser.add_argument("--engine", default="reelestate.render.engine:render_video")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="reelestate-load-") as tmp:
        result = asyncio.run(
            _run(args.count, args.workers, args.concurrency, args.engine, Path(tmp))
        )
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(result, indent=2) + "\n")
    print(markdown(result))


if __name__ == "__main__":
    main()
