"""Row-level security on the chat's tables, and what the app role needs to run the chat.

On PostgreSQL:
- `chat_threads` rows belong to the organisation in `"organizationId"`, which now defaults to
  the transaction's organisation (`app.org_id`), so a thread is stamped when it is written;
  threads written before are stamped from their author's last organisation;
- `chat_steps`, `chat_elements` and `chat_feedbacks` are visible and writable only through a
  thread of the current organisation;
- `chat_users` rows are visible and writable only for members of the current organisation
  (the identifier is the member's e-mail); `reelestate_chat_user(identifier)` reads one person's
  row before any organisation is known (the chat authenticates each request by it, after it has
  checked the session's signature), like `reelestate_user_credentials` for sign-in;
- the app role may read `alembic_version`, so a process can tell that the schema is behind
  without being able to change it.

The conversation store's tables (LangGraph's checkpointer) are created by `reelestate db
upgrade` after the migrations (`storage/migrate.py`), with the owner role, and granted there.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-08 09:00:00
"""

from __future__ import annotations

from alembic import context, op

from reelestate.storage.db import check_role_name

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

_CHAT_USER_FN = "reelestate_chat_user(text)"
_THREAD_CHILDREN = ("chat_steps", "chat_elements", "chat_feedbacks")
_MEMBER = (
    "identifier IN (SELECT u.email FROM users u JOIN memberships m ON m.user_id = u.id "
    "WHERE m.organization_id = reelestate_current_org())"
)
_OWN_THREAD = (
    'EXISTS (SELECT 1 FROM chat_threads t WHERE t."id" = "threadId" '
    'AND t."organizationId" = reelestate_current_org()::text)'
)


def _app_role() -> str | None:
    role = context.config.attributes.get("app_role")
    return check_role_name(role) if role else None


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(
        'UPDATE chat_threads t SET "organizationId" = (u."metadata"::jsonb ->> \'org_id\') '
        'FROM chat_users u WHERE t."userId" = u."id" AND t."organizationId" IS NULL '
        "AND u.\"metadata\" ~ '^\\s*\\{'"
    )
    op.execute(
        'ALTER TABLE chat_threads ALTER COLUMN "organizationId" '
        "SET DEFAULT NULLIF(current_setting('app.org_id', true), '')"
    )
    op.execute("ALTER TABLE chat_threads ENABLE ROW LEVEL SECURITY")
    op.execute(
        "CREATE POLICY tenant_isolation ON chat_threads "
        'USING ("organizationId" = reelestate_current_org()::text) '
        'WITH CHECK ("organizationId" = reelestate_current_org()::text)'
    )
    for table in _THREAD_CHILDREN:
        op.execute(f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY")
        op.execute(
            f"CREATE POLICY tenant_isolation ON {table} "
            f"USING ({_OWN_THREAD}) WITH CHECK ({_OWN_THREAD})"
        )
    op.execute("ALTER TABLE chat_users ENABLE ROW LEVEL SECURITY")
    op.execute(
        f"CREATE POLICY tenant_isolation ON chat_users USING ({_MEMBER}) WITH CHECK ({_MEMBER})"
    )
    op.execute(
        "CREATE FUNCTION reelestate_chat_user(wanted text) "
        'RETURNS TABLE("id" text, "identifier" text, "metadata" text, "createdAt" text) '
        "LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$ "
        'SELECT "id", "identifier", "metadata", "createdAt" FROM chat_users '
        "WHERE identifier = wanted $$"
    )
    op.execute(f"REVOKE ALL ON FUNCTION {_CHAT_USER_FN} FROM PUBLIC")
    role = _app_role()
    if role:
        op.execute(f'GRANT EXECUTE ON FUNCTION {_CHAT_USER_FN} TO "{role}"')
        op.execute(f'GRANT SELECT ON alembic_version TO "{role}"')


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    role = _app_role()
    if role:
        op.execute(
            "DO $$ BEGIN "
            f"IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '{role}') THEN "
            f'REVOKE ALL ON alembic_version FROM "{role}"; '
            "END IF; END $$"
        )
    op.execute(f"DROP FUNCTION IF EXISTS {_CHAT_USER_FN}")
    for table in ("chat_users", "chat_threads", *_THREAD_CHILDREN):
        op.execute(f"DROP POLICY IF EXISTS tenant_isolation ON {table}")
        op.execute(f"ALTER TABLE {table} DISABLE ROW LEVEL SECURITY")
    op.execute('ALTER TABLE chat_threads ALTER COLUMN "organizationId" DROP DEFAULT')
