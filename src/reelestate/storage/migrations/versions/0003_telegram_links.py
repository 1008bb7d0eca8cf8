"""Telegram links and one-time link codes.

Both are tenant tables with the same row-level security policy as the rest. A bot update names
only a Telegram user, so on PostgreSQL two SECURITY DEFINER functions answer the cross-tenant
questions and nothing more: which of our users a Telegram user speaks for, and "redeem this code"
(consume it and link, atomically).

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-27 09:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import context, op

from reelestate.storage.db import check_role_name
from reelestate.storage.models.base import UTCDateTime
from reelestate.storage.models.telegram import TELEGRAM_TABLES

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

_FUNCTIONS = (
    "reelestate_telegram_account(bigint)",
    "reelestate_redeem_telegram_code(varchar, bigint, timestamptz)",
)


def _tenant_columns() -> list[sa.Column[object]]:
    return [
        sa.Column("organization_id", sa.Uuid(), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
    ]


def _tenant_constraints(table: str) -> list[sa.Constraint]:
    return [
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["organizations.id"],
            name=op.f(f"fk_{table}_organization_id_organizations"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f(f"fk_{table}_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{table}")),
    ]


def upgrade() -> None:
    op.create_table(
        "telegram_links",
        sa.Column("telegram_user_id", sa.BigInteger(), nullable=False),
        sa.Column("conversation", sa.String(length=64), nullable=True),
        *_tenant_columns(),
        *_tenant_constraints("telegram_links"),
        sa.UniqueConstraint("telegram_user_id", name=op.f("uq_telegram_links_telegram_user_id")),
    )
    op.create_table(
        "telegram_link_codes",
        sa.Column("code_hash", sa.String(length=64), nullable=False),
        sa.Column("expires_at", UTCDateTime(), nullable=False),
        sa.Column("used_at", UTCDateTime(), nullable=True),
        *_tenant_columns(),
        *_tenant_constraints("telegram_link_codes"),
        sa.UniqueConstraint("code_hash", name=op.f("uq_telegram_link_codes_code_hash")),
    )
    for table in TELEGRAM_TABLES:
        op.create_index(
            op.f(f"ix_{table}_organization_id"), table, ["organization_id"], unique=False
        )
    if op.get_bind().dialect.name == "postgresql":
        _secure_on_postgres()


def _secure_on_postgres() -> None:
    for table in TELEGRAM_TABLES:
        op.execute(f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY")
        op.execute(
            f"CREATE POLICY tenant_isolation ON {table} "
            "USING (organization_id = reelestate_current_org()) "
            "WITH CHECK (organization_id = reelestate_current_org())"
        )
    op.execute(
        "CREATE FUNCTION reelestate_telegram_account(tg bigint) RETURNS TABLE("
        "user_id uuid, organization_id uuid, email varchar, role varchar, conversation varchar) "
        "LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$ "
        "SELECT l.user_id, l.organization_id, u.email, m.role, l.conversation "
        "FROM telegram_links l JOIN users u ON u.id = l.user_id "
        "JOIN memberships m ON m.user_id = l.user_id AND m.organization_id = l.organization_id "
        "WHERE l.telegram_user_id = tg $$"
    )
    op.execute(
        "CREATE FUNCTION reelestate_redeem_telegram_code(hash varchar, tg bigint, "
        "at timestamptz) RETURNS TABLE(user_id uuid, organization_id uuid) "
        "LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = public AS $$ "
        "#variable_conflict use_column\n"
        "DECLARE owner_id uuid; org_id uuid; "
        "BEGIN "
        "UPDATE telegram_link_codes SET used_at = at "
        "WHERE code_hash = hash AND used_at IS NULL AND expires_at > at "
        "RETURNING telegram_link_codes.user_id, telegram_link_codes.organization_id "
        "INTO owner_id, org_id; "
        "IF NOT FOUND THEN RETURN; END IF; "
        "DELETE FROM telegram_links WHERE telegram_user_id = tg; "
        "INSERT INTO telegram_links (id, created_at, organization_id, user_id, telegram_user_id) "
        "VALUES (gen_random_uuid(), at, org_id, owner_id, tg); "
        "RETURN QUERY SELECT owner_id, org_id; "
        "END $$"
    )
    for fn in _FUNCTIONS:
        op.execute(f"REVOKE ALL ON FUNCTION {fn} FROM PUBLIC")
    role = context.config.attributes.get("app_role")
    if role:
        role = check_role_name(role)
        for table in TELEGRAM_TABLES:
            op.execute(f'GRANT SELECT, INSERT, UPDATE, DELETE ON {table} TO "{role}"')
        for fn in _FUNCTIONS:
            op.execute(f'GRANT EXECUTE ON FUNCTION {fn} TO "{role}"')


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for fn in _FUNCTIONS:
            op.execute(f"DROP FUNCTION IF EXISTS {fn}")
    for table in reversed(TELEGRAM_TABLES):
        op.drop_index(op.f(f"ix_{table}_organization_id"), table_name=table)
        op.drop_table(table)
