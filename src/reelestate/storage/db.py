"""Engines and transactions: one place picks PostgreSQL or SQLite and sets the tenant.

On PostgreSQL every connection switches to the application role (no superuser, no BYPASSRLS, not
the tables' owner), and every tenant transaction sets `app.org_id` with `set_config(..., true)`, so
row-level security filters each statement even when a repository forgets its `WHERE`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Engine, create_engine, event, select, text
from sqlalchemy import func as sql_func
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, sessionmaker

from reelestate.core.errors import ConfigurationError, StorageError
from reelestate.core.settings import Settings, get_settings
from reelestate.storage.context import TenantContext

_ROLE_NAME = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")


def normalise_url(url: str) -> str:
    """`postgresql://` and `postgres://` URLs use psycopg 3; other URLs are kept as given."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def check_role_name(role: str) -> str:
    if not _ROLE_NAME.match(role):
        raise ConfigurationError(f"{role!r} is not a valid PostgreSQL role name for the app role.")
    return role


def make_engine(url: str, *, app_role: str | None = None, pool_size: int = 10) -> Engine:
    """An engine for `url`; on PostgreSQL with `app_role`, every connection runs as that role."""
    url = normalise_url(url)
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"timeout": 30, "check_same_thread": False})
        _configure_sqlite(engine)
        return engine
    engine = create_engine(url, pool_size=pool_size, max_overflow=20, pool_pre_ping=True)
    if app_role:
        role = check_role_name(app_role)

        @event.listens_for(engine, "connect")
        def _set_role(dbapi_connection: Any, _record: Any) -> None:
            with dbapi_connection.cursor() as cursor:
                cursor.execute(f'SET ROLE "{role}"')
            dbapi_connection.commit()

    return engine


def _configure_sqlite(engine: Engine) -> None:
    """WAL, foreign keys, and `BEGIN IMMEDIATE` so concurrent writers queue, not deadlock."""

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        connection.exec_driver_sql("BEGIN IMMEDIATE")


class Database:
    """The application's database handle: tenant transactions and narrow system transactions."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._sessions = sessionmaker(engine, expire_on_commit=False)

    @property
    def is_postgres(self) -> bool:
        return self.engine.dialect.name == "postgresql"

    @contextmanager
    def tenant(self, ctx: TenantContext) -> Iterator[Session]:
        """One transaction in which the database only shows `ctx`'s organisation."""
        with self._transaction() as session:
            if self.is_postgres:
                session.execute(select(sql_func.set_config("app.org_id", str(ctx.org_id), True)))
            yield session

    @contextmanager
    def system(self) -> Iterator[Session]:
        """A transaction with no organisation set: tenant tables look empty under RLS.

        Used for cross-tenant bookkeeping through the narrow SECURITY DEFINER functions only.
        """
        with self._transaction() as session:
            yield session

    @contextmanager
    def _transaction(self) -> Iterator[Session]:
        try:
            with self._sessions() as session, session.begin():
                yield session
        except OperationalError as exc:
            raise StorageError(
                "The database could not complete the request.", hint="Try again in a moment."
            ) from exc

    def ping(self) -> bool:
        with self.engine.connect() as conn:
            return bool(conn.execute(text("SELECT 1")).scalar_one() == 1)

    def dispose(self) -> None:
        self.engine.dispose()


def open_database(settings: Settings | None = None) -> Database:
    """The database `settings` point at (PostgreSQL when `DATABASE_URL` is set, else SQLite)."""
    settings = settings or get_settings()
    url = settings.effective_database_url
    if url.startswith("sqlite"):
        settings.sqlite_path.parent.mkdir(parents=True, exist_ok=True)
    return Database(make_engine(url, app_role=settings.database_app_role or None))
