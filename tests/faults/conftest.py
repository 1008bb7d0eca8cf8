"""The fault suite runs on services of its own: a PostgreSQL cluster (initdb, pg_ctl) and
redis-servers on free ports, which its tests stop and start; never the shared ones."""

from __future__ import annotations

from collections.abc import Iterator

import psycopg
import pytest

from reelestate.core.settings import Settings
from reelestate.storage import migrate
from tests.support.fixtures import sqlite_settings
from tests.support.postgres import PostgresCluster
from tests.workers.conftest import backend, engine, storyboard

__all__ = ["backend", "engine", "sqlite_settings", "storyboard"]


@pytest.fixture(scope="session")
def pg_cluster() -> Iterator[PostgresCluster]:
    cluster = PostgresCluster()
    cluster.init()
    cluster.start()
    try:
        yield cluster
    finally:
        cluster.destroy()


@pytest.fixture(scope="session")
def pg_url(pg_cluster: PostgresCluster) -> str:
    with psycopg.connect(pg_cluster.dsn, autocommit=True) as conn:
        conn.execute("CREATE DATABASE reelestate")
    return pg_cluster.url.rsplit("/", 1)[0] + "/reelestate"


@pytest.fixture(scope="session")
def pg_settings(pg_url: str, tmp_path_factory: pytest.TempPathFactory) -> Settings:
    settings = Settings(DATABASE_URL=pg_url, REELESTATE_DATA_DIR=tmp_path_factory.mktemp("pg"))
    migrate.upgrade(settings)
    return settings
