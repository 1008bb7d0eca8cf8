"""Billing: ledger debt and sources, Stripe customers and plans, webhook events seen.

- `credit_ledger` gains `debt_delta`, `debt_after` (credits spent and then refunded) and
  `source` (a Stripe event, a job, an operator), with CHECKs: a debt is never negative, exists
  only with nothing available, and a refund only takes credits away. On SQLite the CHECKs are
  column constraints (SQLite cannot add table constraints to an existing table).
- `billing_accounts` (a tenant table: one Stripe customer and plan per organisation);
- `billing_events` (one row per Stripe event id: the key that makes every event apply once;
  events of unknown organisations have none);
- on PostgreSQL, row-level security on both, and `reelestate_billing_org(customer)`: the
  organisation of a Stripe customer, which a webhook needs before it knows the organisation.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-08 09:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import context, op

from reelestate.storage.db import check_role_name
from reelestate.storage.models.base import UTCDateTime

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

_BILLING_ORG_FN = "reelestate_billing_org(varchar)"
_DEBT_CHECK = "debt_after >= 0 AND (debt_after = 0 OR available_after = 0)"
_REFUND_CHECK = "kind <> 'refund' OR (available_delta <= 0 AND debt_delta >= 0)"


def _app_role() -> str | None:
    role = context.config.attributes.get("app_role")
    return check_role_name(role) if role else None


def upgrade() -> None:
    postgres = op.get_bind().dialect.name == "postgresql"
    _extend_ledger(postgres)
    op.create_table(
        "billing_accounts",
        sa.Column("stripe_customer_id", sa.String(length=255), nullable=True),
        sa.Column("plan_id", sa.String(length=48), nullable=True),
        sa.Column("plan_status", sa.String(length=32), nullable=True),
        sa.Column("subscription_id", sa.String(length=255), nullable=True),
        sa.Column("renews_at", UTCDateTime(), nullable=True),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.Column("organization_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["organization_id"], ["organizations.id"],
            name=op.f("fk_billing_accounts_organization_id_organizations"), ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_billing_accounts")),
        sa.UniqueConstraint("organization_id", name=op.f("uq_billing_accounts_organization_id")),
        sa.UniqueConstraint(
            "stripe_customer_id", name=op.f("uq_billing_accounts_stripe_customer_id")
        ),
    )  # fmt: skip
    op.create_index(
        op.f("ix_billing_accounts_organization_id"),
        "billing_accounts",
        ["organization_id"],
        unique=False,
    )
    op.create_table(
        "billing_events",
        sa.Column("event_id", sa.String(length=255), nullable=False),
        sa.Column("type", sa.String(length=100), nullable=False),
        sa.Column("organization_id", sa.Uuid(), nullable=True),
        sa.Column("outcome", sa.String(length=32), nullable=False),
        sa.Column("detail", sa.String(length=200), nullable=True),
        sa.Column("payment_ref", sa.String(length=255), nullable=True),
        sa.Column("credits", sa.Integer(), nullable=False),
        sa.Column("received_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["organization_id"], ["organizations.id"],
            name=op.f("fk_billing_events_organization_id_organizations"), ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("event_id", name=op.f("pk_billing_events")),
    )  # fmt: skip
    op.create_index(
        op.f("ix_billing_events_organization_id"), "billing_events", ["organization_id"]
    )
    op.create_index(op.f("ix_billing_events_payment_ref"), "billing_events", ["payment_ref"])
    if postgres:
        _secure_postgres()


def _extend_ledger(postgres: bool) -> None:
    if not postgres:
        # Column CHECKs, the only kind SQLite can add to an existing table.
        op.execute(
            "ALTER TABLE credit_ledger ADD COLUMN debt_delta INTEGER DEFAULT '0' NOT NULL "
            f"CHECK ({_REFUND_CHECK})"
        )
        op.execute(
            "ALTER TABLE credit_ledger ADD COLUMN debt_after INTEGER DEFAULT '0' NOT NULL "
            f"CHECK ({_DEBT_CHECK})"
        )
        op.add_column("credit_ledger", sa.Column("source", sa.String(length=200), nullable=True))
        return
    op.add_column(
        "credit_ledger",
        sa.Column("debt_delta", sa.Integer(), server_default="0", nullable=False),
    )
    op.add_column(
        "credit_ledger",
        sa.Column("debt_after", sa.Integer(), server_default="0", nullable=False),
    )
    op.add_column("credit_ledger", sa.Column("source", sa.String(length=200), nullable=True))
    op.create_check_constraint(
        op.f("ck_credit_ledger_debt_not_negative"), "credit_ledger", "debt_after >= 0"
    )
    op.create_check_constraint(
        op.f("ck_credit_ledger_debt_only_when_empty"),
        "credit_ledger",
        "debt_after = 0 OR available_after = 0",
    )
    op.create_check_constraint(
        op.f("ck_credit_ledger_refund_only_takes"), "credit_ledger", _REFUND_CHECK
    )


def _secure_postgres() -> None:
    op.execute("ALTER TABLE billing_accounts ENABLE ROW LEVEL SECURITY")
    op.execute(
        "CREATE POLICY tenant_isolation ON billing_accounts "
        "USING (organization_id = reelestate_current_org()) "
        "WITH CHECK (organization_id = reelestate_current_org())"
    )
    # An organisation sees its own events; an event nobody could be matched to is written
    # without an organisation and read by nobody through the app role.
    op.execute("ALTER TABLE billing_events ENABLE ROW LEVEL SECURITY")
    op.execute(
        "CREATE POLICY tenant_isolation ON billing_events "
        "USING (organization_id = reelestate_current_org()) "
        "WITH CHECK (organization_id IS NULL OR organization_id = reelestate_current_org())"
    )
    op.execute(
        f"CREATE FUNCTION {_BILLING_ORG_FN.replace('(varchar)', '(customer varchar)')} "
        "RETURNS uuid LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$ "
        "SELECT organization_id FROM billing_accounts WHERE stripe_customer_id = customer $$"
    )
    op.execute(f"REVOKE ALL ON FUNCTION {_BILLING_ORG_FN} FROM PUBLIC")
    role = _app_role()
    if role:
        op.execute(f'GRANT SELECT, INSERT, UPDATE ON billing_accounts TO "{role}"')
        op.execute(f'GRANT SELECT, INSERT ON billing_events TO "{role}"')
        op.execute(f'GRANT EXECUTE ON FUNCTION {_BILLING_ORG_FN} TO "{role}"')


def downgrade() -> None:
    postgres = op.get_bind().dialect.name == "postgresql"
    if postgres:
        op.execute(f"DROP FUNCTION IF EXISTS {_BILLING_ORG_FN}")
    op.drop_index(op.f("ix_billing_events_payment_ref"), table_name="billing_events")
    op.drop_index(op.f("ix_billing_events_organization_id"), table_name="billing_events")
    op.drop_table("billing_events")
    op.drop_index(op.f("ix_billing_accounts_organization_id"), table_name="billing_accounts")
    op.drop_table("billing_accounts")
    if postgres:
        for name in ("refund_only_takes", "debt_only_when_empty", "debt_not_negative"):
            op.drop_constraint(op.f(f"ck_credit_ledger_{name}"), "credit_ledger", type_="check")
    # Plain DROP COLUMN on both: a batch copy would lose SQLite's append-only trigger.
    for column in ("source", "debt_after", "debt_delta"):
        op.execute(f"ALTER TABLE credit_ledger DROP COLUMN {column}")
