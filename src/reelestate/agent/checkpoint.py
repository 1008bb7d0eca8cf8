"""Where conversations are kept between messages and across restarts.

PostgreSQL when `DATABASE_URL` points at one; otherwise a SQLite file in the data dir. Either
way a conversation paused at an approval is still paused there after the process restarts.
Their storyboards live in the app's database, as the REST API's do.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from langgraph.checkpoint.base import BaseCheckpointSaver
from langgraph.checkpoint.postgres.aio import AsyncPostgresSaver
from langgraph.checkpoint.sqlite.aio import AsyncSqliteSaver

from reelestate.core.settings import Settings
from reelestate.storage import migrate
from reelestate.storage.db import Database, open_database
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
        async with AsyncPostgresSaver.from_conn_string(dsn) as saver:
            await saver.setup()
            yield saver
        return
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    path = settings.data_dir / CHECKPOINT_FILE
    async with AsyncSqliteSaver.from_conn_string(str(path)) as saver:
        await saver.setup()
        yield saver


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
