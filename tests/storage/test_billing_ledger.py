"""The ledger's debt rules in the database itself, and one Stripe event delivered twice at the
same moment (PostgreSQL, the application role under row-level security): one grant."""

from __future__ import annotations

import threading
import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy.exc import IntegrityError

from reelestate.core.errors import CreditDebtError
from reelestate.providers.billing.catalogue import builtin_catalogue
from reelestate.providers.billing.webhook import StripeEvent
from reelestate.services.billing_events import WebhookEvents
from reelestate.storage.db import Database
from reelestate.storage.models import CreditEntry, LedgerKind
from reelestate.storage.repositories.credits import CreditsRepository, take_back
from reelestate.storage.repositories.jobs import JobsRepository
from tests.storage.factories import new_org, preview_job


def test_the_database_refuses_an_inconsistent_debt(db: Database) -> None:
    ctx = new_org(db, credits=5)
    rows = (
        # a debt while credits are available
        dict(kind=LedgerKind.REFUND, available_delta=0, debt_delta=3, available_after=5,
             debt_after=3),
        # a negative debt
        dict(kind=LedgerKind.GRANT, available_delta=1, debt_delta=-1, available_after=0,
             debt_after=-1),
        # a "refund" that adds credits
        dict(kind=LedgerKind.REFUND, available_delta=2, debt_delta=0, available_after=0,
             debt_after=0),
    )  # fmt: skip
    for row in rows:
        with pytest.raises(IntegrityError), db.tenant(ctx) as session:
            session.add(
                CreditEntry(
                    organization_id=ctx.org_id, seq=2, reserved_delta=0, reserved_after=0, **row
                )
            )
            session.flush()
    assert CreditsRepository(db).balance(ctx).available == 5


def test_a_refund_never_goes_below_zero_and_a_grant_pays_the_debt_first(db: Database) -> None:
    ctx = new_org(db, credits=4)
    with db.tenant(ctx) as session:
        take_back(session, ctx.org_id, 10, note="refund", source="stripe:evt_1",
                  lock=db.is_postgres)  # fmt: skip
    balance = CreditsRepository(db).balance(ctx)
    assert (balance.available, balance.debt) == (0, 6)
    with pytest.raises(CreditDebtError):
        JobsRepository(db).create(ctx, preview_job(credits=1))
    balance = CreditsRepository(db).grant(ctx, 10, "pack", source="stripe:evt_2")
    assert (balance.available, balance.debt) == (4, 0)
    JobsRepository(db).create(ctx, preview_job(credits=1))


def test_one_event_delivered_twice_at_once_grants_once(pg_db: Database) -> None:
    ctx = new_org(pg_db)
    event = StripeEvent.model_validate(
        {
            "id": f"evt_race_{uuid.uuid4().hex[:8]}",
            "type": "checkout.session.completed",
            "created": 1,
            "data": {"object": {
                "id": "cs_race", "object": "checkout.session", "mode": "payment",
                "payment_status": "paid", "client_reference_id": str(ctx.org_id),
                "customer": f"cus_race_{uuid.uuid4().hex[:6]}", "payment_intent": "pi_race",
                "metadata": {"pack": "pack-200", "credits": "200"},
            }},
        }
    )  # fmt: skip
    events = WebhookEvents(pg_db, builtin_catalogue())
    start = threading.Barrier(2)

    def deliver(_: int) -> str:
        start.wait()
        return events.apply(event).outcome

    with ThreadPoolExecutor(max_workers=2) as pool:
        outcomes = sorted(pool.map(deliver, range(2)))
    assert outcomes == ["applied", "replayed"]
    entries = CreditsRepository(pg_db).entries(ctx)
    grants = [e for e in entries if e.source == f"stripe:{event.id}"]
    assert len(grants) == 1 and grants[0].available_delta == 200
    assert CreditsRepository(pg_db).balance(ctx).available == 200

    # A refund names only the Stripe customer: found across tenants by the narrow function.
    charge = event.object
    refund = StripeEvent.model_validate(
        {
            "id": f"evt_refund_{uuid.uuid4().hex[:8]}",
            "type": "charge.refunded",
            "data": {"object": {
                "id": "ch_race", "object": "charge", "customer": charge["customer"],
                "payment_intent": "pi_race", "amount": 5900, "amount_refunded": 5900,
            }},
        }
    )  # fmt: skip
    assert events.apply(refund).credits == 200
    assert CreditsRepository(pg_db).balance(ctx).available == 0
