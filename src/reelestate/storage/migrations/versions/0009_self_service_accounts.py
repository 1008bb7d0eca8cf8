"""Self-service accounts: session versions, rotating refresh tokens, the audit log, mail links.

- `users` gains `session_version` (in every token and chat cookie; a password reset raises it),
  `email_verified_at` and `google_subject` (the OpenID Connect `sub`, once linked);
- `organizations.onboarded_at`: when the owner finished the chat's first-time questions;
- `api_keys.created_by`: removing that member revokes their keys;
- `refresh_tokens` and `audit_events`: tenant tables (row-level security on PostgreSQL; the
  audit log is append-only for the app);
- `account_tokens`: single-use links sent by mail (finish sign-up, reset password), global
  because the person may have no organisation yet; only hashes are stored;
- `reelestate_user_by_google(varchar)`: sign-in with Google finds its person before any
  organisation is known.

Revision ID: 0009
Revises: 0007
Create Date: 2026-12-09 09:00:00
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from alembic import context, op

from reelestate.storage.db import check_role_name
from reelestate.storage.models.base import UTCDateTime

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

_TENANT = ("refresh_tokens", "audit_events")
_GOOGLE_FN = "reelestate_user_by_google(varchar)"


def _base(table: str) -> list[Any]:
    return [
        sa.Column("organization_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["organizations.id"],
            name=op.f(f"fk_{table}_organization_id_organizations"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{table}")),
    ]


def upgrade() -> None:
    # Plain ALTERs: recreating `users` or `organizations` (SQLite's batch mode) would cascade
    # to every row that references them.
    op.add_column(
        "users", sa.Column("session_version", sa.Integer(), nullable=False, server_default="1")
    )
    op.add_column("users", sa.Column("email_verified_at", UTCDateTime(), nullable=True))
    op.add_column("users", sa.Column("google_subject", sa.String(length=255), nullable=True))
    op.create_index(op.f("ix_users_google_subject"), "users", ["google_subject"], unique=True)
    op.add_column("organizations", sa.Column("onboarded_at", UTCDateTime(), nullable=True))
    # Organisations that exist already are past their first day.
    op.execute("UPDATE organizations SET onboarded_at = created_at")
    with op.batch_alter_table("api_keys") as batch:
        batch.add_column(sa.Column("created_by", sa.Uuid(), nullable=True))
        batch.create_foreign_key(
            op.f("fk_api_keys_created_by_users"),
            "users",
            ["created_by"],
            ["id"],
            ondelete="SET NULL",
        )
    op.create_table(
        "refresh_tokens",
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("family_id", sa.Uuid(), nullable=False),
        sa.Column("expires_at", UTCDateTime(), nullable=False),
        sa.Column("used_at", UTCDateTime(), nullable=True),
        sa.Column("revoked_at", UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_refresh_tokens_user_id_users"),
            ondelete="CASCADE",
        ),
        *_base("refresh_tokens"),
    )
    op.create_index(op.f("ix_refresh_tokens_family_id"), "refresh_tokens", ["family_id"])
    op.create_table(
        "audit_events",
        sa.Column("actor_id", sa.Uuid(), nullable=True),
        sa.Column("action", sa.String(length=40), nullable=False),
        sa.Column("target_id", sa.Uuid(), nullable=True),
        sa.Column("detail", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["actor_id"],
            ["users.id"],
            name=op.f("fk_audit_events_actor_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["target_id"],
            ["users.id"],
            name=op.f("fk_audit_events_target_id_users"),
            ondelete="SET NULL",
        ),
        *_base("audit_events"),
    )
    for table in _TENANT:
        op.create_index(op.f(f"ix_{table}_organization_id"), table, ["organization_id"])
    op.create_table(
        "account_tokens",
        sa.Column("purpose", sa.String(length=16), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.Column("expires_at", UTCDateTime(), nullable=False),
        sa.Column("used_at", UTCDateTime(), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_account_tokens")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_account_tokens_token_hash")),
    )
    op.create_index(op.f("ix_account_tokens_email"), "account_tokens", ["email"])
    if op.get_bind().dialect.name != "postgresql":
        op.execute(
            "CREATE TRIGGER audit_events_append_only BEFORE UPDATE ON audit_events "
            "BEGIN SELECT RAISE(ABORT, 'audit_events rows are immutable'); END"
        )
        return
    _secure_on_postgres()


def _secure_on_postgres() -> None:
    for table in _TENANT:
        op.execute(f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY")
        op.execute(
            f"CREATE POLICY tenant_isolation ON {table} "
            "USING (organization_id = reelestate_current_org()) "
            "WITH CHECK (organization_id = reelestate_current_org())"
        )
    op.execute(
        "CREATE FUNCTION reelestate_user_by_google(subject varchar) RETURNS uuid "
        "LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$ "
        "SELECT id FROM users WHERE google_subject = subject $$"
    )
    op.execute(f"REVOKE ALL ON FUNCTION {_GOOGLE_FN} FROM PUBLIC")
    role = context.config.attributes.get("app_role")
    if role:
        role = check_role_name(role)
        op.execute(f'GRANT SELECT, INSERT, UPDATE, DELETE ON refresh_tokens TO "{role}"')
        op.execute(f'GRANT SELECT, INSERT ON audit_events TO "{role}"')
        op.execute(f'GRANT SELECT, INSERT, UPDATE, DELETE ON account_tokens TO "{role}"')
        op.execute(f'GRANT EXECUTE ON FUNCTION {_GOOGLE_FN} TO "{role}"')


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(f"DROP FUNCTION IF EXISTS {_GOOGLE_FN}")
    else:
        op.execute("DROP TRIGGER IF EXISTS audit_events_append_only")
    op.drop_table("account_tokens")
    op.drop_table("audit_events")
    op.drop_table("refresh_tokens")
    with op.batch_alter_table("api_keys") as batch:
        batch.drop_constraint(op.f("fk_api_keys_created_by_users"), type_="foreignkey")
        batch.drop_column("created_by")
    op.execute("ALTER TABLE organizations DROP COLUMN onboarded_at")
    op.drop_index(op.f("ix_users_google_subject"), table_name="users")
    for column in ("google_subject", "email_verified_at", "session_version"):
        op.execute(f"ALTER TABLE users DROP COLUMN {column}")
