"""Readiness tells the truth about the queue (with Redis gone, `/readyz` answers 503 naming it),
and every 503 says when to try again."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI
from starlette.testclient import TestClient

from reelestate.api import problems
from reelestate.api.app import AppOptions, create_app
from reelestate.core.errors import StorageError
from reelestate.storage import migrate
from tests.agent.helpers import FileNameAnalyser
from tests.support.services import RedisServer
from tests.web.conftest import web_settings


def test_readyz_follows_redis_down_and_back(tmp_path: Path) -> None:
    redis_server = RedisServer(tmp_path)
    redis_server.start()
    try:
        settings = web_settings(tmp_path / "data", REDIS_URL=redis_server.url)
        migrate.upgrade(settings)
        app = create_app(settings, AppOptions(chat=False, analyser=FileNameAnalyser()))
        with TestClient(app) as client:
            assert client.get("/readyz").json()["checks"]["queue"] == "ok"

            redis_server.stop()
            down = client.get("/readyz")
            assert down.status_code == 503
            assert down.headers["Retry-After"] == "5"
            assert down.json()["checks"]["queue"].startswith("failed: ")
            assert down.json()["checks"]["database"] == "ok"
            assert client.get("/healthz").status_code == 200

            redis_server.start()
            assert client.get("/readyz").status_code == 200
    finally:
        redis_server.stop()


def test_every_503_asks_the_client_to_retry_later() -> None:
    app = FastAPI()
    problems.install(app)

    @app.get("/boom")
    async def boom() -> None:
        raise StorageError("The database is restarting.")

    answer = TestClient(app).get("/boom")
    assert answer.status_code == 503
    assert answer.headers["Retry-After"] == str(problems.RETRY_AFTER_S)
    assert answer.json()["code"] == "storage_failed"
