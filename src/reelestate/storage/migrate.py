"""Schema migrations from inside the installed package, and the local organisation.

`upgrade()` is what `reelestate db upgrade` runs: Alembic's scripts ship in
`reelestate/storage/migrations`, so no `alembic.ini` or source checkout is needed.

`prepare_database()` is what the long-running commands (`serve`, `chat`, `worker`, `bot`) run
first. The embedded SQLite file belongs to this installation alone, so it is brought to the
current revision there and then. A PostgreSQL database is shared by every process of a release
and migrated by its owner role: it is never migrated implicitly, and a process that finds it
behind stops with a message that says to run `reelestate db upgrade`.
"""

from __future__ import annotations

from pathlib import Path

import psycopg
from alembic import command
from alembic.config import Config
from alembic.script import ScriptDirectory
from psycopg import sql
from psycopg.rows import dict_row
from sqlalchemy import Engine, text
from sqlalchemy.exc import DBAPIError

from reelestate.core.errors import ConfigurationError
from reelestate.core.settings import Settings, get_settings
from reelestate.storage.db import check_role_name, make_engine, open_database
from reelestate.storage.repositories.organisations import ensure_local_organisation

MIGRATIONS_DIR = Path(__file__).parent / "migrations"


def _config(engine: Engine, app_role: str | None) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    cfg.attributes["app_role"] = app_role
    return cfg


def _run(settings: Settings, action: str, revision: str) -> None:
    url = settings.database_admin_url or settings.effective_database_url
    if url.startswith("sqlite"):
        settings.sqlite_path.parent.mkdir(parents=True, exist_ok=True)
    engine = make_engine(url, pool_size=1)
    try:
        with engine.connect() as connection:
            cfg = _config(engine, settings.database_app_role or None)
            cfg.attributes["connection"] = connection
            getattr(command, action)(cfg, revision)
            connection.commit()
    finally:
        engine.dispose()


def upgrade(settings: Settings | None = None, revision: str = "head") -> None:
    """Bring the schema to `revision` and make sure the local organisation exists."""
    settings = settings or get_settings()
    _run(settings, "upgrade", revision)
    if revision == "head":
        _conversation_store(settings)
        db = open_database(settings)
        try:
            ensure_local_organisation(db)
        finally:
            db.dispose()


def _conversation_store(settings: Settings) -> None:
    """On PostgreSQL, the conversation store's tables (LangGraph's own migrations), made by the
    owner and granted to the app role, which cannot create tables."""
    url = settings.database_admin_url or settings.effective_database_url
    if url.startswith("sqlite"):
        return
    from langgraph.checkpoint.postgres import PostgresSaver  # noqa: PLC0415 - PostgreSQL only

    rest = url.partition("://")[2]
    with psycopg.connect(
        f"postgresql://{rest}", autocommit=True, prepare_threshold=0, row_factory=dict_row
    ) as conn:
        PostgresSaver(conn).setup()
        role = settings.database_app_role
        if role:
            name = sql.Identifier(check_role_name(role))
            for table in CONVERSATION_TABLES:
                conn.execute(
                    sql.SQL("GRANT SELECT, INSERT, UPDATE, DELETE ON {} TO {}").format(
                        sql.Identifier(table), name
                    )
                )
            conn.execute(sql.SQL("GRANT SELECT ON checkpoint_migrations TO {}").format(name))


CONVERSATION_TABLES = ("checkpoints", "checkpoint_blobs", "checkpoint_writes")


def downgrade(settings: Settings | None = None, revision: str = "base") -> None:
    settings = settings or get_settings()
    _run(settings, "downgrade", revision)
    url = settings.database_admin_url or settings.effective_database_url
    if revision == "base" and not url.startswith("sqlite"):
        with psycopg.connect(f"postgresql://{url.partition('://')[2]}", autocommit=True) as conn:
            for table in (*CONVERSATION_TABLES, "checkpoint_migrations"):
                conn.execute(sql.SQL("DROP TABLE IF EXISTS {}").format(sql.Identifier(table)))


def current_revision(settings: Settings | None = None) -> str | None:
    """The revision the database is at, or None for an empty database."""
    from alembic.runtime.migration import MigrationContext  # noqa: PLC0415

    settings = settings or get_settings()
    engine = make_engine(settings.database_admin_url or settings.effective_database_url)
    try:
        with engine.connect() as connection:
            return MigrationContext.configure(connection).get_current_revision()
    finally:
        engine.dispose()


def head_revision() -> str:
    """The revision this release's schema is at."""
    head = ScriptDirectory.from_config(_config_for_scripts()).get_current_head()
    if head is None:  # pragma: no cover - the package always ships its migrations
        raise ConfigurationError("This installation has no database migrations.")
    return head


def _config_for_scripts() -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    return cfg


def app_revision(settings: Settings) -> str | None:
    """The revision as the application sees it (its own connection and role); None when the
    schema is missing or not readable by that role."""
    engine = make_engine(
        settings.effective_database_url, app_role=settings.database_app_role or None, pool_size=1
    )
    try:
        with engine.connect() as connection:
            value = connection.execute(text("SELECT version_num FROM alembic_version")).scalar()
            return str(value) if value is not None else None
    except DBAPIError:
        return None
    finally:
        engine.dispose()


def prepare_database(settings: Settings | None = None) -> None:
    """Embedded: migrate to the current revision. PostgreSQL: refuse to start when behind."""
    settings = settings or get_settings()
    if settings.effective_database_url.startswith("sqlite"):
        upgrade(settings)
        return
    head = head_revision()
    found = app_revision(settings)
    if found != head:
        raise ConfigurationError(
            f"The database schema is at {found or 'no revision'}; this release needs {head}.",
            hint="Run `reelestate db upgrade` (as the owner role: set DATABASE_ADMIN_URL) "
            "before starting it. A PostgreSQL database is never migrated implicitly.",
        )
