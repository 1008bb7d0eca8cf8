"""Where conversations are kept between messages and across restarts.

PostgreSQL when `DATABASE_URL` points at one; otherwise a SQLite file in the data dir. Either
way a conversation paused at an approval is still paused there after the process restarts.
Their storyboards live in the app's database, as the REST API's do.

On PostgreSQL the store runs as the application role (`REELESTATE_DB_APP_ROLE`), like every
other connection of the app, so it works with the production role layout (a login role that
can only become the app role). Its tables are made by `reelestate db upgrade` with the owner
role; a process never creates them.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import psycopg
from langgraph.checkpoint.base import BaseCheckpointSaver
from langgraph.checkpoint.postgres.aio import AsyncPostgresSaver
from langgraph.checkpoint.sqlite.aio import AsyncSqliteSaver
from psycopg import AsyncConnection, sql
from psycopg.rows import dict_row

from reelestate.core.errors import ConfigurationError
from reelestate.core.settings import Settings
from reelestate.storage import migrate
from reelestate.storage.db import Database, check_role_name, open_database
from reelestate.storage.repositories.organisations import ensure_local_organisation

CHECKPOINT_FILE = "conversations.sqlite3"


def postgres_dsn(url: str | None) -> str | None:
    """A psycopg connection string when `url` is PostgreSQL (any SQLAlchemy driver suffix)."""
    if not url:
        return None
    scheme, sep, rest = url.partition("://")
    if not sep or scheme.split("+")[0] not in {"postgresql", "postgres"}:
        return None
    return f"postgresql://{rest}"


@asynccontextmanager
async def open_checkpointer(settings: Settings) -> AsyncIterator[BaseCheckpointSaver[str]]:
    dsn = postgres_dsn(settings.database_url)
    if dsn is not None:
        async with await AsyncConnection.connect(
            dsn, autocommit=True, prepare_threshold=0, row_factory=dict_row
        ) as conn:
            if settings.database_app_role:
                role = check_role_name(settings.database_app_role)
                await conn.execute(sql.SQL("SET ROLE {}").format(sql.Identifier(role)))
            await _check_store_tables(conn)
            yield AsyncPostgresSaver(conn=conn)
        return
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    path = settings.data_dir / CHECKPOINT_FILE
    async with AsyncSqliteSaver.from_conn_string(str(path)) as saver:
        await saver.setup()
        yield saver


async def _check_store_tables(conn: AsyncConnection[dict[str, Any]]) -> None:
    latest = len(AsyncPostgresSaver.MIGRATIONS) - 1
    try:
        cursor = await conn.execute("SELECT max(v) AS v FROM checkpoint_migrations")
        row = await cursor.fetchone()
    except psycopg.Error:
        row = None
    if row is None or row["v"] is None or int(row["v"]) < latest:
        raise ConfigurationError(
            "The conversation store's tables are missing or out of date.",
            hint="Run `reelestate db upgrade` (as the owner role: set DATABASE_ADMIN_URL).",
        )


def open_app_database(settings: Settings) -> Database:
    """The app's database with the local organisation in it, for turns that name no owner;
    the embedded SQLite file is brought up to date first (a PostgreSQL database is migrated
    by `reelestate db upgrade`)."""
    db = open_database(settings)
    try:
        if db.is_postgres:
            ensure_local_organisation(db)
        else:
            migrate.upgrade(settings)  # which also makes sure the local organisation exists
    except BaseException:
        db.dispose()
        raise
    return db
