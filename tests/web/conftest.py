"""The web app under test: REST only (the chat has its own fixtures), on SQLite and PostgreSQL,
with the photo analyser reading rooms from file names and a stand-in render engine."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from reelestate.api.app import AppOptions, create_app
from reelestate.core.settings import Settings
from reelestate.storage import migrate
from tests.agent.helpers import FileNameAnalyser
from tests.support.services import fresh_postgres_database

FAKE_ENGINE = "tests.workers.fake_engine:render_video"


def web_settings(data_dir: Path, database_url: str | None = None, **extra: object) -> Settings:
    values: dict[str, object] = {
        "REELESTATE_DATA_DIR": data_dir,
        "REELESTATE_RENDER_ENGINE": FAKE_ENGINE,
        "REELESTATE_MAX_PHOTOS": 8,
        "REELESTATE_MAX_PHOTO_MB": 2,
        "REELESTATE_LOGIN_LIMIT": 5,
        "REELESTATE_SIGNUP_LIMIT": 1000,
        "REELESTATE_ADMIN_PASSWORD": "admin password 123",
        "REELESTATE_JOB_HEARTBEAT_S": 0.3,
        **extra,
    }
    if database_url:
        values["DATABASE_URL"] = database_url
    return Settings(**values)  # type: ignore[arg-type]


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def client(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[TestClient]:
    data = tmp_path_factory.mktemp("web")
    with fresh_postgres_database() if request.param == "postgresql" else _NoDatabase() as url:
        settings = web_settings(data, url)
        migrate.upgrade(settings)
        app = create_app(settings, AppOptions(chat=False, analyser=FileNameAnalyser()))
        with TestClient(app) as test_client:
            yield test_client


class _NoDatabase:
    def __enter__(self) -> None:
        return None

    def __exit__(self, *exc: object) -> None:
        return None
