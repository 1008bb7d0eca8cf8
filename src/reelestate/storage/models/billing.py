"""Billing state: each organisation's Stripe customer and plan, and every webhook event seen.

`billing_events` is keyed by Stripe's event id: inserting the row is how an event is applied
exactly once (a replay or a concurrent second delivery collides on the key), in the same
transaction as its ledger entry. Events for organisations we do not know are kept too, without
an organisation.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from reelestate.storage.models.base import Base, TenantMixin, utcnow


class BillingAccount(TenantMixin, Base):
    __tablename__ = "billing_accounts"
    __table_args__ = (
        UniqueConstraint("organization_id"),
        UniqueConstraint("stripe_customer_id"),
    )
    stripe_customer_id: Mapped[str | None] = mapped_column(String(255))
    plan_id: Mapped[str | None] = mapped_column(String(48))
    plan_status: Mapped[str | None] = mapped_column(String(32))
    """Stripe's subscription status (`active`, `past_due`, `canceled`, ...)."""
    subscription_id: Mapped[str | None] = mapped_column(String(255))
    renews_at: Mapped[datetime | None]
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class BillingEvent(Base):
    __tablename__ = "billing_events"
    event_id: Mapped[str] = mapped_column(String(255), primary_key=True)
    type: Mapped[str] = mapped_column(String(100))
    organization_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("organizations.id", ondelete="SET NULL"), index=True
    )
    outcome: Mapped[str] = mapped_column(String(32))
    """`applied`, `unknown_organization` or `ignored` (with the reason in `detail`)."""
    detail: Mapped[str | None] = mapped_column(String(200))
    payment_ref: Mapped[str | None] = mapped_column(String(255), index=True)
    """The payment intent paid (a refund finds its purchase by it)."""
    credits: Mapped[int] = mapped_column(Integer, default=0)
    """Credits the event granted (or took back, for a refund)."""
    received_at: Mapped[datetime] = mapped_column(default=utcnow)
