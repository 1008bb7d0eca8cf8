"""Accounts and chat history: passwords, invitations, storyboard plans, Chainlit's tables.

- `users` gains `password_hash` and `is_active`;
- `invitations` (a tenant table, with row-level security like the others);
- `storyboard_versions.plan`: the editable storyboard a spec was resolved from;
- `chat_users`, `chat_threads`, `chat_steps`, `chat_elements`, `chat_feedbacks`: Chainlit's
  data layer schema (including `autoCollapse`, which Chainlit writes but does not document);
- on PostgreSQL, `reelestate_user_memberships(user)` (the organisations a person belongs to,
  ids and roles only) and `reelestate_user_credentials(email)` (one person and their password
  hash): sign-in needs both before it knows the organisation, and `users` has row-level
  security.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-27 09:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import context, op

from reelestate.storage.db import check_role_name
from reelestate.storage.models.base import UTCDateTime

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

_MEMBERSHIPS_FN = "reelestate_user_memberships(uuid)"
_CREDENTIALS_FN = "reelestate_user_credentials(varchar)"
_CHAT_TABLES = ("chat_feedbacks", "chat_elements", "chat_steps", "chat_threads", "chat_users")


def _app_role() -> str | None:
    role = context.config.attributes.get("app_role")
    return check_role_name(role) if role else None


def upgrade() -> None:
    postgres = op.get_bind().dialect.name == "postgresql"
    op.add_column("users", sa.Column("password_hash", sa.String(length=255), nullable=True))
    op.add_column("users", sa.Column("is_active", sa.Boolean(), nullable=False, server_default="1"))
    op.add_column("storyboard_versions", sa.Column("plan", sa.JSON(), nullable=True))
    op.create_table(
        "invitations",
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column(
            "role",
            sa.Enum("owner", "admin", "member", name="role", native_enum=False, length=16),
            nullable=False,
        ),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("invited_by", sa.Uuid(), nullable=True),
        sa.Column("expires_at", UTCDateTime(), nullable=False),
        sa.Column("accepted_at", UTCDateTime(), nullable=True),
        sa.Column("organization_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["invited_by"],
            ["users.id"],
            name=op.f("fk_invitations_invited_by_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["organizations.id"],
            name=op.f("fk_invitations_organization_id_organizations"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_invitations")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_invitations_token_hash")),
    )
    op.create_index(
        op.f("ix_invitations_organization_id"), "invitations", ["organization_id"], unique=False
    )
    _create_chat_tables()
    if postgres:
        _secure_postgres()


def _create_chat_tables() -> None:
    text, boolean, integer = sa.Text(), sa.Boolean(), sa.Integer()
    op.create_table(
        "chat_users",
        sa.Column("id", text, nullable=False),
        sa.Column("identifier", text, nullable=False),
        sa.Column("metadata", text, nullable=False),
        sa.Column("createdAt", text, nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_chat_users")),
        sa.UniqueConstraint("identifier", name=op.f("uq_chat_users_identifier")),
    )
    op.create_table(
        "chat_threads",
        sa.Column("id", text, nullable=False),
        sa.Column("createdAt", text, nullable=True),
        sa.Column("name", text, nullable=True),
        sa.Column("userId", text, nullable=True),
        sa.Column("userIdentifier", text, nullable=True),
        sa.Column("tags", text, nullable=True),
        sa.Column("metadata", text, nullable=True),
        sa.Column("organizationId", text, nullable=True),
        sa.ForeignKeyConstraint(
            ["userId"], ["chat_users.id"], name=op.f("fk_chat_threads_userId_chat_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_chat_threads")),
    )  # fmt: skip
    op.create_index("ix_chat_threads_user", "chat_threads", ["userId"], unique=False)
    op.create_table(
        "chat_steps",
        sa.Column("id", text, nullable=False),
        sa.Column("name", text, nullable=False),
        sa.Column("type", text, nullable=False),
        sa.Column("threadId", text, nullable=False),
        sa.Column("parentId", text, nullable=True),
        sa.Column("streaming", boolean, nullable=False),
        sa.Column("waitForAnswer", boolean, nullable=True),
        sa.Column("isError", boolean, nullable=True),
        sa.Column("metadata", text, nullable=True),
        sa.Column("tags", text, nullable=True),
        sa.Column("input", text, nullable=True),
        sa.Column("output", text, nullable=True),
        sa.Column("createdAt", text, nullable=True),
        sa.Column("command", text, nullable=True),
        sa.Column("start", text, nullable=True),
        sa.Column("end", text, nullable=True),
        sa.Column("generation", text, nullable=True),
        sa.Column("showInput", text, nullable=True),
        sa.Column("language", text, nullable=True),
        sa.Column("indent", integer, nullable=True),
        sa.Column("defaultOpen", boolean, nullable=True),
        sa.Column("autoCollapse", boolean, nullable=True),
        sa.Column("modes", text, nullable=True),
        sa.ForeignKeyConstraint(
            ["threadId"], ["chat_threads.id"], name=op.f("fk_chat_steps_threadId_chat_threads"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_chat_steps")),
    )  # fmt: skip
    op.create_index("ix_chat_steps_thread", "chat_steps", ["threadId"], unique=False)
    op.create_table(
        "chat_elements",
        sa.Column("id", text, nullable=False),
        sa.Column("threadId", text, nullable=True),
        sa.Column("type", text, nullable=True),
        sa.Column("url", text, nullable=True),
        sa.Column("chainlitKey", text, nullable=True),
        sa.Column("name", text, nullable=False),
        sa.Column("display", text, nullable=True),
        sa.Column("objectKey", text, nullable=True),
        sa.Column("size", text, nullable=True),
        sa.Column("page", integer, nullable=True),
        sa.Column("language", text, nullable=True),
        sa.Column("forId", text, nullable=True),
        sa.Column("mime", text, nullable=True),
        sa.Column("props", text, nullable=True),
        sa.Column("autoPlay", boolean, nullable=True),
        sa.Column("playerConfig", text, nullable=True),
        sa.ForeignKeyConstraint(
            ["threadId"], ["chat_threads.id"],
            name=op.f("fk_chat_elements_threadId_chat_threads"), ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_chat_elements")),
    )  # fmt: skip
    op.create_index("ix_chat_elements_thread", "chat_elements", ["threadId"], unique=False)
    op.create_table(
        "chat_feedbacks",
        sa.Column("id", text, nullable=False),
        sa.Column("forId", text, nullable=False),
        sa.Column("threadId", text, nullable=False),
        sa.Column("value", integer, nullable=False),
        sa.Column("comment", text, nullable=True),
        sa.ForeignKeyConstraint(
            ["threadId"], ["chat_threads.id"],
            name=op.f("fk_chat_feedbacks_threadId_chat_threads"), ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_chat_feedbacks")),
    )  # fmt: skip


def _secure_postgres() -> None:
    op.execute("ALTER TABLE invitations ENABLE ROW LEVEL SECURITY")
    op.execute(
        "CREATE POLICY tenant_isolation ON invitations "
        "USING (organization_id = reelestate_current_org()) "
        "WITH CHECK (organization_id = reelestate_current_org())"
    )
    op.execute(
        "CREATE FUNCTION reelestate_user_memberships(person uuid) "
        "RETURNS TABLE(organization_id uuid, role varchar, created_at timestamptz) "
        "LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$ "
        "SELECT organization_id, role, created_at FROM memberships WHERE user_id = person "
        "ORDER BY created_at $$"
    )
    # Sign-in reads one person by email before any organisation is known (users has RLS).
    op.execute(
        "CREATE FUNCTION reelestate_user_credentials(address varchar) "
        "RETURNS TABLE(id uuid, email varchar, display_name varchar, password_hash varchar, "
        "is_active boolean) "
        "LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$ "
        "SELECT id, email, display_name, password_hash, is_active FROM users "
        "WHERE email = address $$"
    )
    for fn in (_MEMBERSHIPS_FN, _CREDENTIALS_FN):
        op.execute(f"REVOKE ALL ON FUNCTION {fn} FROM PUBLIC")
    role = _app_role()
    if role:
        op.execute(f'GRANT SELECT, INSERT, UPDATE, DELETE ON invitations TO "{role}"')
        for fn in (_MEMBERSHIPS_FN, _CREDENTIALS_FN):
            op.execute(f'GRANT EXECUTE ON FUNCTION {fn} TO "{role}"')
        # The storyboard plan column is written once, with its row, like the rest of the row.
        for table in _CHAT_TABLES:
            op.execute(f'GRANT SELECT, INSERT, UPDATE, DELETE ON {table} TO "{role}"')


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(f"DROP FUNCTION IF EXISTS {_MEMBERSHIPS_FN}")
        op.execute(f"DROP FUNCTION IF EXISTS {_CREDENTIALS_FN}")
        op.execute("DROP POLICY IF EXISTS tenant_isolation ON invitations")
    for table in _CHAT_TABLES:
        op.drop_table(table)
    op.drop_index(op.f("ix_invitations_organization_id"), table_name="invitations")
    op.drop_table("invitations")
    op.drop_column("storyboard_versions", "plan")
    op.drop_column("users", "is_active")
    op.drop_column("users", "password_hash")
