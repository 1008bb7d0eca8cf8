"""Session fixtures shared by the storage and job tests (imported by their conftest files)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from reelestate.core.settings import Settings
from reelestate.storage import migrate
from reelestate.storage.db import Database, open_database
from tests.support.services import fresh_postgres_database


@pytest.fixture(scope="session")
def pg_url() -> Iterator[str]:
    with fresh_postgres_database() as url:
        yield url


@pytest.fixture(scope="session")
def pg_settings(pg_url: str, tmp_path_factory: pytest.TempPathFactory) -> Settings:
    settings = Settings(DATABASE_URL=pg_url, REELESTATE_DATA_DIR=tmp_path_factory.mktemp("pgdata"))
    migrate.upgrade(settings)
    return settings


@pytest.fixture(scope="session")
def sqlite_settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    settings = Settings(REELESTATE_DATA_DIR=tmp_path_factory.mktemp("sqlitedata"))
    migrate.upgrade(settings)
    return settings


@pytest.fixture(params=["postgresql", "sqlite"])
def db(request: pytest.FixtureRequest) -> Iterator[Database]:
    name = "pg_settings" if request.param == "postgresql" else "sqlite_settings"
    database = open_database(request.getfixturevalue(name))
    yield database
    database.dispose()


@pytest.fixture
def pg_db(pg_settings: Settings) -> Iterator[Database]:
    database = open_database(pg_settings)
    yield database
    database.dispose()


@pytest.fixture
def sqlite_db(sqlite_settings: Settings) -> Iterator[Database]:
    database = open_database(sqlite_settings)
    yield database
    database.dispose()
