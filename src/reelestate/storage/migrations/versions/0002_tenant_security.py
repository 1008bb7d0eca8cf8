"""Tenant security: row-level security, the application role, append-only tables, system functions.

On PostgreSQL:
- every tenant table gets `ENABLE ROW LEVEL SECURITY` and one policy,
  `organization_id = reelestate_current_org()`, which reads `app.org_id` (set per transaction);
- the role the application runs as (`reelestate_app` unless `REELESTATE_DB_APP_ROLE` says
  otherwise) is created NOLOGIN NOSUPERUSER NOBYPASSRLS when missing. It owns nothing, so the
  policies apply to it; it may only read and append storyboard versions, job events and ledger
  entries;
- five SECURITY DEFINER functions give workers the cross-tenant facts they need (which jobs need
  recovery, queue statistics, recent run times, the organisation of a job, the id of a user by
  e-mail) and no tenant data;
- `users` is global, but an organisation reads only its own members.

On SQLite (one process, one tenant on the machine in practice) triggers keep the same tables
append-only; isolation there rests on the repositories alone.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-26 10:40:00
"""

from __future__ import annotations

from alembic import context, op

from reelestate.storage.db import check_role_name
from reelestate.storage.models.base import TENANT_TABLES

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

APPEND_ONLY = ("storyboard_versions", "job_events", "credit_ledger")
_SYSTEM_FUNCTIONS = (
    "reelestate_jobs_to_recover(timestamptz, timestamptz, integer)",
    "reelestate_queue_stats()",
    "reelestate_run_times(timestamptz)",
    "reelestate_job_org(uuid)",
    "reelestate_user_id(varchar)",
)


def _app_role() -> str | None:
    role = context.config.attributes.get("app_role")
    return check_role_name(role) if role else None


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        for table in APPEND_ONLY:
            op.execute(
                f"CREATE TRIGGER {table}_append_only BEFORE UPDATE ON {table} "
                f"BEGIN SELECT RAISE(ABORT, '{table} rows are immutable'); END"
            )
        return
    op.execute(
        "CREATE FUNCTION reelestate_current_org() RETURNS uuid LANGUAGE sql STABLE AS "
        "$$ SELECT NULLIF(current_setting('app.org_id', true), '')::uuid $$"
    )
    op.execute("ALTER TABLE organizations ENABLE ROW LEVEL SECURITY")
    op.execute(
        "CREATE POLICY tenant_isolation ON organizations "
        "USING (id = reelestate_current_org()) WITH CHECK (id = reelestate_current_org())"
    )
    # People are global (one person, several agencies), but an organisation only sees its members.
    op.execute("ALTER TABLE users ENABLE ROW LEVEL SECURITY")
    member = (
        "EXISTS (SELECT 1 FROM memberships m WHERE m.user_id = users.id "
        "AND m.organization_id = reelestate_current_org())"
    )
    op.execute(f"CREATE POLICY members_read ON users FOR SELECT USING ({member})")
    op.execute(f"CREATE POLICY members_update ON users FOR UPDATE USING ({member})")
    op.execute("CREATE POLICY anyone_signs_up ON users FOR INSERT WITH CHECK (true)")
    for table in TENANT_TABLES:
        op.execute(f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY")
        op.execute(
            f"CREATE POLICY tenant_isolation ON {table} "
            "USING (organization_id = reelestate_current_org()) "
            "WITH CHECK (organization_id = reelestate_current_org())"
        )
    _create_system_functions()
    role = _app_role()
    if role:
        _grant_app_role(role)


def _create_system_functions() -> None:
    definer = "LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public"
    op.execute(
        "CREATE FUNCTION reelestate_jobs_to_recover("
        "stale_before timestamptz, dispatched_before timestamptz, max_rows integer) "
        "RETURNS TABLE(job_id uuid, organization_id uuid, queue varchar, status varchar, "
        f"dispatch_count integer) {definer} AS $$ "
        "SELECT id, organization_id, queue, status, dispatch_count FROM render_jobs "
        "WHERE (status = 'running' AND heartbeat_at < stale_before) "
        "OR (status = 'queued' AND (dispatched_at IS NULL OR dispatched_at < dispatched_before) "
        "AND (run_after IS NULL OR run_after <= now())) "
        "ORDER BY created_at LIMIT max_rows $$"
    )
    op.execute(
        "CREATE FUNCTION reelestate_queue_stats() RETURNS TABLE(queue varchar, status varchar, "
        f"jobs bigint, oldest timestamptz) {definer} AS $$ "
        "SELECT queue, status, count(*), min(created_at) FROM render_jobs "
        "WHERE status IN ('queued', 'running') GROUP BY queue, status $$"
    )
    op.execute(
        "CREATE FUNCTION reelestate_run_times(since timestamptz) RETURNS TABLE(queue varchar, "
        f"jobs bigint, mean_s double precision) {definer} AS $$ "
        "SELECT queue, count(*), avg(extract(epoch FROM finished_at - started_at)) "
        "FROM render_jobs WHERE status = 'succeeded' AND finished_at >= since "
        "AND started_at IS NOT NULL GROUP BY queue $$"
    )
    op.execute(
        f"CREATE FUNCTION reelestate_user_id(address varchar) RETURNS uuid {definer} AS $$ "
        "SELECT id FROM users WHERE email = address $$"
    )
    op.execute(
        f"CREATE FUNCTION reelestate_job_org(job uuid) RETURNS uuid {definer} AS $$ "
        "SELECT organization_id FROM render_jobs WHERE id = job $$"
    )
    for fn in _SYSTEM_FUNCTIONS:
        op.execute(f"REVOKE ALL ON FUNCTION {fn} FROM PUBLIC")


def _grant_app_role(role: str) -> None:
    op.execute(
        "DO $$ BEGIN "
        f"IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '{role}') THEN "
        f'CREATE ROLE "{role}" NOLOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE; '
        "END IF; END $$"
    )
    op.execute(f'GRANT USAGE ON SCHEMA public TO "{role}"')
    tables = ("organizations", "users", *TENANT_TABLES)
    for table in tables:
        rights = "SELECT, INSERT" if table in APPEND_ONLY else "SELECT, INSERT, UPDATE, DELETE"
        op.execute(f'GRANT {rights} ON {table} TO "{role}"')
    for fn in _SYSTEM_FUNCTIONS:
        op.execute(f'GRANT EXECUTE ON FUNCTION {fn} TO "{role}"')
    # The ledger is append-only for the app, but the organisation row is its lock.
    op.execute(f'GRANT SELECT, UPDATE ON organizations TO "{role}"')


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        for table in APPEND_ONLY:
            op.execute(f"DROP TRIGGER IF EXISTS {table}_append_only")
        return
    role = _app_role()
    if role:
        op.execute(
            "DO $$ BEGIN "
            f"IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '{role}') THEN "
            f'REVOKE ALL ON ALL TABLES IN SCHEMA public FROM "{role}"; '
            f'REVOKE ALL ON SCHEMA public FROM "{role}"; '
            "END IF; END $$"
        )
    for fn in _SYSTEM_FUNCTIONS:
        op.execute(f"DROP FUNCTION IF EXISTS {fn}")
    for policy in ("members_read", "members_update", "anyone_signs_up"):
        op.execute(f"DROP POLICY IF EXISTS {policy} ON users")
    op.execute("ALTER TABLE users DISABLE ROW LEVEL SECURITY")
    for table in ("organizations", *TENANT_TABLES):
        op.execute(f"DROP POLICY IF EXISTS tenant_isolation ON {table}")
        op.execute(f"ALTER TABLE {table} DISABLE ROW LEVEL SECURITY")
    op.execute("DROP FUNCTION IF EXISTS reelestate_current_org()")
