"""A worker's health port tells an orchestrator the truth: ready while its queue answers, 503
naming the queue while Redis is down."""

from __future__ import annotations

import asyncio
from pathlib import Path

import httpx

from reelestate.core.jobs import JobQueue
from reelestate.core.settings import Settings
from reelestate.workers.health_server import answer
from reelestate.workers.readiness import Readiness
from reelestate.workers.worker import serve
from tests.support.services import RedisServer, free_port


async def _get(port: int, path: str) -> httpx.Response:
    async with httpx.AsyncClient(timeout=10) as client:
        for _ in range(100):
            try:
                return await client.get(f"http://127.0.0.1:{port}{path}")
            except httpx.ConnectError:
                await asyncio.sleep(0.05)
    raise AssertionError("the health port never opened")


async def test_readyz_follows_redis_down_and_back(
    sqlite_settings: Settings, tmp_path: Path
) -> None:
    redis_server = RedisServer(tmp_path)
    redis_server.start()
    port = free_port()
    settings = sqlite_settings.model_copy(
        update={"redis_url": redis_server.url, "worker_health_port": port,
                "worker_health_host": "127.0.0.1"}
    )  # fmt: skip
    stop = asyncio.Event()
    worker = asyncio.create_task(serve(JobQueue.CPU, 1, settings, stop=stop))
    try:
        for _ in range(100):  # the worker connects to Redis as it starts
            ready = await _get(port, "/readyz")
            if ready.status_code == 200:
                break
            await asyncio.sleep(0.1)
        assert ready.json()["checks"] == {
            "database": "ok", "blobs": "ok", "ffmpeg": "ok", "queue": "ok"
        }  # fmt: skip

        redis_server.stop()
        down = await _get(port, "/readyz")
        assert down.status_code == 503 and down.headers["Retry-After"] == "5"
        assert down.json()["checks"]["queue"].startswith("failed: ")
        assert (await _get(port, "/healthz")).status_code == 200

        redis_server.start()
        assert (await _get(port, "/readyz")).status_code == 200
    finally:
        stop.set()
        await asyncio.wait_for(worker, 30)
        redis_server.stop()


async def test_an_embedded_worker_answers_too(sqlite_settings: Settings) -> None:
    port = free_port()
    settings = sqlite_settings.model_copy(
        update={"worker_health_port": port, "worker_health_host": "127.0.0.1"}
    )
    stop = asyncio.Event()
    worker = asyncio.create_task(serve(JobQueue.CPU, 1, settings, stop=stop))
    try:
        ready = await _get(port, "/readyz")
        assert ready.status_code == 200 and ready.json()["checks"]["queue"] == "ok"
    finally:
        stop.set()
        await asyncio.wait_for(worker, 30)


async def test_unknown_paths_are_404() -> None:
    async def never() -> Readiness:
        raise AssertionError("not probed")

    assert (await answer("/admin", never)).startswith(b"HTTP/1.1 404 Not Found\r\n")
