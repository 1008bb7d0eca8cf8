from __future__ import annotations

from pathlib import Path

import psycopg
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect

from reelestate.core.settings import Settings
from reelestate.storage import migrate
from reelestate.storage.db import make_engine
from reelestate.storage.models import TENANT_TABLES, Base
from tests.support.services import fresh_postgres_database


def _ours(name: str | None, kind: str, parents: dict[str, str | None]) -> bool:
    """Not the conversation store's tables, which LangGraph's own migrations describe."""
    table = name if kind == "table" else parents.get("table_name")
    return not (table or "").startswith("checkpoint")


def _round_trip(settings: Settings) -> None:
    assert migrate.current_revision(settings) is None
    migrate.upgrade(settings)
    assert migrate.current_revision(settings) == "0011"
    engine = make_engine(settings.effective_database_url)
    try:
        with engine.connect() as conn:
            assert set(inspect(conn).get_table_names()) >= set(Base.metadata.tables)
            events = {c["name"] for c in inspect(conn).get_columns("job_events")}
            assert "render_stage" in events  # 0007
            ledger = {c["name"] for c in inspect(conn).get_columns("credit_ledger")}
            assert {"debt_delta", "debt_after", "source"} <= ledger  # 0008
            # The migrations create exactly what the models describe.
            context = MigrationContext.configure(conn, opts={"include_name": _ours})
            assert compare_metadata(context, Base.metadata) == []
    finally:
        engine.dispose()
    migrate.upgrade(settings)  # a second upgrade is a no-op
    migrate.downgrade(settings)
    assert migrate.current_revision(settings) is None
    engine = make_engine(settings.effective_database_url)
    try:
        with engine.connect() as conn:
            assert set(inspect(conn).get_table_names()) <= {"alembic_version"}
    finally:
        engine.dispose()
    migrate.upgrade(settings)
    assert migrate.current_revision(settings) == "0011"


def test_migrations_up_and_down_on_empty_sqlite(tmp_path: Path) -> None:
    _round_trip(Settings(REELESTATE_DATA_DIR=tmp_path))


def test_migrations_up_and_down_on_empty_postgres(tmp_path: Path) -> None:
    with fresh_postgres_database() as url:
        _round_trip(Settings(DATABASE_URL=url, REELESTATE_DATA_DIR=tmp_path))
        with psycopg.connect(url) as conn:
            rls = dict(
                conn.execute(
                    "SELECT relname, relrowsecurity FROM pg_class WHERE relname = ANY(%s)",
                    ([*TENANT_TABLES, "billing_accounts", "billing_events"],),
                ).fetchall()
            )
            role = conn.execute(
                "SELECT rolsuper, rolbypassrls FROM pg_roles WHERE rolname = 'reelestate_app'"
            ).fetchone()
        assert rls == dict.fromkeys([*TENANT_TABLES, "billing_accounts", "billing_events"], True)
        assert role == (False, False)
