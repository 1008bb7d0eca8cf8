"""Stripe webhook events applied to the ledger and the plan, each exactly once.

An event is applied in one transaction of its organisation: the ledger entry (if any), the plan
state, and the `billing_events` row keyed by the event id. A replay, or a second delivery racing
the first, collides on that key and changes nothing. The organisation comes from the Checkout
Session's `client_reference_id` or from the Stripe customer (made by us, so an `invoice.paid`
that overtakes its `checkout.session.completed` still finds it). Events for organisations we do
not know are recorded without one and answered 200, so Stripe stops retrying them.

- `checkout.session.completed` (paid): a pack's credits; for a plan, the plan state only (the
  credits come with its `invoice.paid`, whatever order the two arrive in);
- `invoice.paid`: a plan's monthly credits, and its renewal date;
- `customer.subscription.updated` / `.deleted`: the plan's state;
- `charge.refunded`: the refunded share of the purchase's credits comes back out: what is still
  available, and the rest as debt.
"""

from __future__ import annotations

import logging
import math
import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any, Literal

from pydantic import BaseModel
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from reelestate.providers.billing.catalogue import Catalogue, Plan
from reelestate.providers.billing.webhook import StripeEvent
from reelestate.storage.context import TenantContext
from reelestate.storage.db import Database
from reelestate.storage.models import Role
from reelestate.storage.repositories.billing import (
    BillingRepository,
    account_row,
    event_seen,
    organisation_exists,
    plan_update_is_newer,
    purchase_credits,
    record_event,
)
from reelestate.storage.repositories.credits import add_credits, take_back

log = logging.getLogger(__name__)
Outcome = Literal["applied", "ignored", "unknown_organization", "replayed"]
HANDLED = (
    "checkout.session.completed",
    "invoice.paid",
    "customer.subscription.updated",
    "customer.subscription.deleted",
    "charge.refunded",
)


class EventResult(BaseModel):
    outcome: Outcome
    credits: int = 0
    detail: str | None = None


class _Effect(BaseModel):
    """What one event did inside its transaction."""

    outcome: Literal["applied", "ignored"]
    credits: int = 0
    payment_ref: str | None = None
    detail: str | None = None


def _text(data: dict[str, Any], *path: str) -> str | None:
    value: Any = data
    for key in path:
        if not isinstance(value, dict):
            return None
        value = value.get(key)
    if isinstance(value, dict):
        value = value.get("id")
    return value if isinstance(value, str) and value else None


def _uuid(value: str | None) -> uuid.UUID | None:
    try:
        return uuid.UUID(value) if value else None
    except ValueError:
        return None


def _when(value: Any) -> datetime | None:
    return datetime.fromtimestamp(value, UTC) if isinstance(value, int) and value > 0 else None


def _metadata(obj: dict[str, Any]) -> dict[str, Any]:
    """The metadata we set, wherever this object kind carries it."""
    for path in (("metadata",), ("parent", "subscription_details", "metadata"),
                 ("subscription_details", "metadata")):  # fmt: skip
        value: Any = obj
        for key in path:
            value = value.get(key) if isinstance(value, dict) else None
        if isinstance(value, dict) and value:
            return value
    for line in (obj.get("lines") or {}).get("data") or []:
        if isinstance(line, dict) and isinstance(line.get("metadata"), dict) and line["metadata"]:
            return dict(line["metadata"])
    return {}


def _payment_ref(obj: dict[str, Any]) -> str | None:
    found = _text(obj, "payment_intent")
    if found:
        return found
    for payment in (obj.get("payments") or {}).get("data") or []:
        ref = _text(payment, "payment", "payment_intent") if isinstance(payment, dict) else None
        if ref:
            return ref
    return None


class WebhookEvents:
    """Applies verified events; `catalogue` names the plans an invoice may be for."""

    def __init__(self, db: Database, catalogue: Catalogue) -> None:
        self._db = db
        self._catalogue = catalogue
        self._handlers: dict[str, Callable[[Session, uuid.UUID, StripeEvent], _Effect]] = {
            "checkout.session.completed": self._checkout_completed,
            "invoice.paid": self._invoice_paid,
            "customer.subscription.updated": self._subscription_changed,
            "customer.subscription.deleted": self._subscription_changed,
            "charge.refunded": self._charge_refunded,
        }

    def apply(self, event: StripeEvent) -> EventResult:
        if event.type not in self._handlers:
            return EventResult(outcome="ignored", detail="not an event billing listens to")
        org_id = self._organisation_of(event)
        ctx = TenantContext(org_id=org_id or uuid.uuid4(), role=Role.OWNER)
        try:
            with self._db.tenant(ctx) as session:
                if event_seen(session, event.id):
                    return EventResult(outcome="replayed")
                if org_id is None or not organisation_exists(session, org_id):
                    org_id = None
                else:
                    effect = self._handlers[event.type](session, org_id, event)
                    record_event(session, event.id, event.type, org_id, effect.outcome,
                                 detail=effect.detail, payment_ref=effect.payment_ref,
                                 credits=effect.credits)  # fmt: skip
                    return EventResult(
                        outcome=effect.outcome, credits=effect.credits, detail=effect.detail
                    )
        except IntegrityError:
            # A second delivery of this event committed first: it was applied once, there.
            return EventResult(outcome="replayed")
        log.warning("Stripe event %s (%s) names no organisation we know", event.id, event.type)
        try:
            BillingRepository(self._db).record_unmatched(
                event.id, event.type, "no organisation matches this event"
            )
        except IntegrityError:
            return EventResult(outcome="replayed")
        return EventResult(outcome="unknown_organization")

    def _organisation_of(self, event: StripeEvent) -> uuid.UUID | None:
        obj = event.object
        if event.type == "checkout.session.completed":
            found = _uuid(_text(obj, "client_reference_id"))
            if found is not None:
                return found
        customer = _text(obj, "customer")
        if customer:
            found = BillingRepository(self._db).org_of_customer(customer)
            if found is not None:
                return found
        return _uuid(_metadata(obj).get("organization_id"))

    # -- the events ----------------------------------------------------------------------

    def _checkout_completed(
        self, session: Session, org_id: uuid.UUID, event: StripeEvent
    ) -> _Effect:
        obj = event.object
        if obj.get("payment_status") not in {"paid", "no_payment_required"}:
            return _Effect(outcome="ignored", detail="checkout not paid yet")
        metadata = _metadata(obj)
        account = account_row(session, org_id)
        customer = _text(obj, "customer")
        if customer and not account.stripe_customer_id:
            account.stripe_customer_id = customer
        if obj.get("mode") == "subscription":
            plan = self._plan_of(obj)
            at = _when(event.created) or datetime.now(UTC)
            if plan is not None and plan_update_is_newer(account, at):
                account.plan_id = plan.id
                account.subscription_id = _text(obj, "subscription")
                account.plan_status = account.plan_status or "active"
                account.updated_at = at
            return _Effect(outcome="applied", detail=f"plan {plan.id if plan else 'unknown'}")
        pack_id = str(metadata.get("pack") or "")
        try:
            credits = int(metadata.get("credits") or self._catalogue.pack(pack_id).credits)
        except (ValueError, LookupError) as exc:
            return _Effect(outcome="ignored", detail=f"no pack in the session ({exc})")
        if credits <= 0:
            return _Effect(outcome="ignored", detail="the pack has no credits")
        add_credits(session, org_id, credits, note=f"pack {pack_id}",
                    source=f"stripe:{event.id}")  # fmt: skip
        return _Effect(
            outcome="applied", credits=credits, payment_ref=_payment_ref(obj),
            detail=f"pack {pack_id}",
        )  # fmt: skip

    def _plan_of(self, obj: dict[str, Any]) -> Plan | None:
        plan_id = _metadata(obj).get("plan")
        if isinstance(plan_id, str):
            found = next((p for p in self._catalogue.plans if p.id == plan_id), None)
            if found is not None:
                return found
        for line in (obj.get("lines") or {}).get("data") or []:
            price = (
                _text(line, "price") or _text(line, "pricing", "price_details", "price")
                if isinstance(line, dict)
                else None
            )
            plan = self._catalogue.plan_with_price(price) if price else None
            if plan is not None:
                return plan
        return None

    def _invoice_paid(self, session: Session, org_id: uuid.UUID, event: StripeEvent) -> _Effect:
        obj = event.object
        plan = self._plan_of(obj)
        if plan is None:
            return _Effect(outcome="ignored", detail="the invoice is for no plan we sell")
        account = account_row(session, org_id)
        lines = (obj.get("lines") or {}).get("data") or [{}]
        period_end = _when((lines[0].get("period") or {}).get("end")) or _when(
            obj.get("period_end")
        )
        at = _when(event.created) or datetime.now(UTC)
        if plan_update_is_newer(account, at):
            account.plan_id = plan.id
            account.plan_status = "active"
            account.renews_at = period_end
            account.subscription_id = (
                _text(obj, "subscription")
                or _text(obj, "parent", "subscription_details", "subscription")
                or account.subscription_id
            )
            account.updated_at = at
        credits = plan.credits_per_month
        add_credits(session, org_id, credits, note=f"plan {plan.id}, one month",
                    source=f"stripe:{event.id}")  # fmt: skip
        return _Effect(
            outcome="applied", credits=credits, payment_ref=_payment_ref(obj),
            detail=f"plan {plan.id}",
        )  # fmt: skip

    def _subscription_changed(
        self, session: Session, org_id: uuid.UUID, event: StripeEvent
    ) -> _Effect:
        obj = event.object
        account = account_row(session, org_id)
        at = _when(event.created) or datetime.now(UTC)
        if not plan_update_is_newer(account, at):
            return _Effect(outcome="ignored", detail="an older state of the plan")
        status = "canceled" if event.type.endswith("deleted") else str(obj.get("status") or "")
        plan = self._plan_of(obj) or self._plan_of({"lines": obj.get("items") or {}})
        if plan is not None:
            account.plan_id = plan.id
        items = (obj.get("items") or {}).get("data") or [{}]
        account.plan_status = status or account.plan_status
        account.subscription_id = _text(obj, "id") or account.subscription_id
        account.renews_at = (
            None
            if status == "canceled"
            else _when(obj.get("current_period_end"))
            or _when(items[0].get("current_period_end"))
            or account.renews_at
        )
        account.updated_at = at
        return _Effect(outcome="applied", detail=f"plan {account.plan_id} {status}")

    def _charge_refunded(self, session: Session, org_id: uuid.UUID, event: StripeEvent) -> _Effect:
        obj = event.object
        ref = _payment_ref(obj)
        if ref is None:
            return _Effect(outcome="ignored", detail="the charge names no payment")
        granted, taken = purchase_credits(session, org_id, ref)
        amount, refunded = obj.get("amount"), obj.get("amount_refunded")
        if granted <= 0 or not isinstance(amount, int) or not isinstance(refunded, int):
            return _Effect(outcome="ignored", detail="no purchase of credits for this charge")
        share = 1.0 if amount <= 0 else min(refunded / amount, 1.0)
        to_take = math.floor(granted * share + 1e-9) - taken
        if to_take <= 0:
            return _Effect(outcome="applied", payment_ref=ref, detail="nothing more to take back")
        take_back(session, org_id, to_take, note=f"refund of {ref}", source=f"stripe:{event.id}")
        return _Effect(outcome="applied", credits=to_take, payment_ref=ref, detail="refund")
