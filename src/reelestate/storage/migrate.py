"""Schema migrations from inside the installed package, and the local organisation.

`upgrade()` is what `reelestate db upgrade` runs: Alembic's scripts ship in
`reelestate/storage/migrations`, so no `alembic.ini` or source checkout is needed.
"""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine

from reelestate.core.settings import Settings, get_settings
from reelestate.storage.db import make_engine, open_database
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
        db = open_database(settings)
        try:
            ensure_local_organisation(db)
        finally:
            db.dispose()


def downgrade(settings: Settings | None = None, revision: str = "base") -> None:
    settings = settings or get_settings()
    _run(settings, "downgrade", revision)


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
