"""Billing rows: the organisation's Stripe customer and plan, and the Stripe events seen.

A webhook does not know its organisation until it has looked at the event: `org_of_customer`
answers across tenants through one narrow SECURITY DEFINER function on PostgreSQL. Everything
else runs in the organisation's own transaction, so row-level security still applies.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from reelestate.storage.context import TenantContext
from reelestate.storage.db import Database
from reelestate.storage.models import BillingAccount, BillingEvent, Organization, utcnow
from reelestate.storage.schemas import BillingAccountView

NO_PLAN_EVENT_YET = datetime(1970, 1, 1, tzinfo=UTC)
"""`updated_at` of a billing row no subscription event has touched yet."""


def account_row(session: Session, org_id: uuid.UUID) -> BillingAccount:
    """The organisation's billing row, made on first use."""
    row = session.scalars(
        select(BillingAccount).where(BillingAccount.organization_id == org_id)
    ).first()
    if row is None:
        row = BillingAccount(organization_id=org_id, updated_at=NO_PLAN_EVENT_YET)
        session.add(row)
        session.flush()
    return row


def organisation_exists(session: Session, org_id: uuid.UUID) -> bool:
    return session.get(Organization, org_id) is not None


def event_seen(session: Session, event_id: str) -> bool:
    return session.get(BillingEvent, event_id) is not None


def record_event(
    session: Session,
    event_id: str,
    event_type: str,
    org_id: uuid.UUID | None,
    outcome: str,
    *,
    detail: str | None = None,
    payment_ref: str | None = None,
    credits: int = 0,
) -> None:
    """Mark the event handled; a second insert of the same id fails the whole transaction."""
    session.add(
        BillingEvent(
            event_id=event_id,
            type=event_type,
            organization_id=org_id,
            outcome=outcome,
            detail=detail[:200] if detail else None,
            payment_ref=payment_ref,
            credits=credits,
            received_at=utcnow(),
        )
    )
    session.flush()


def purchase_credits(session: Session, org_id: uuid.UUID, payment_ref: str) -> tuple[int, int]:
    """(credits granted, credits already taken back) for the payment `payment_ref`."""
    rows = session.execute(
        select(BillingEvent.type, func.sum(BillingEvent.credits))
        .where(
            BillingEvent.organization_id == org_id,
            BillingEvent.payment_ref == payment_ref,
            BillingEvent.outcome == "applied",
        )
        .group_by(BillingEvent.type)
    ).all()
    granted = sum(int(n or 0) for kind, n in rows if kind != "charge.refunded")
    taken = sum(int(n or 0) for kind, n in rows if kind == "charge.refunded")
    return granted, taken


class BillingRepository:
    def __init__(self, db: Database) -> None:
        self._db = db

    def account(self, ctx: TenantContext) -> BillingAccountView | None:
        with self._db.tenant(ctx) as session:
            row = session.scalars(
                select(BillingAccount).where(BillingAccount.organization_id == ctx.org_id)
            ).first()
            return BillingAccountView.model_validate(row) if row else None

    def set_customer(self, ctx: TenantContext, customer_id: str) -> None:
        with self._db.tenant(ctx) as session:
            row = account_row(session, ctx.org_id)
            row.stripe_customer_id = customer_id

    def org_of_customer(self, customer_id: str) -> uuid.UUID | None:
        """The organisation a Stripe customer belongs to, across tenants."""
        with self._db.system() as session:
            if self._db.is_postgres:
                found = session.execute(
                    text("SELECT reelestate_billing_org(:customer)"), {"customer": customer_id}
                ).scalar_one_or_none()
                return found if isinstance(found, uuid.UUID) else None
            return session.scalars(
                select(BillingAccount.organization_id).where(
                    BillingAccount.stripe_customer_id == customer_id
                )
            ).first()

    def record_unmatched(self, event_id: str, event_type: str, detail: str) -> None:
        """Keep an event no organisation could be found for (raises on a replay)."""
        with self._db.system() as session:
            record_event(session, event_id, event_type, None, "unknown_organization",
                         detail=detail)  # fmt: skip


def plan_update_is_newer(row: BillingAccount, at: datetime) -> bool:
    """Subscription events can arrive out of order; an older one never overwrites a newer."""
    return at >= row.updated_at
