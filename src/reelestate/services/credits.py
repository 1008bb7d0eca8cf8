"""Credits as people see them: the statement, an operator's grant, and the price of a render
against the balance (with a Checkout link when the balance is short)."""

from __future__ import annotations

import logging
from datetime import datetime

from pydantic import BaseModel
from sqlalchemy import select

from reelestate.core.errors import InvalidInputError, NotFoundError, ReelEstateError
from reelestate.core.jobs import JobKind
from reelestate.services.billing import BillingService, may_manage_billing
from reelestate.storage.context import TenantContext
from reelestate.storage.db import Database
from reelestate.storage.models import LedgerKind, Organization, Role
from reelestate.storage.repositories.billing import BillingRepository
from reelestate.storage.repositories.credits import CreditsRepository
from reelestate.storage.schemas import CreditEntryView
from reelestate.workers.kinds import POLICIES

log = logging.getLogger(__name__)
STATEMENT_ENTRIES = 50


class CreditStatement(BaseModel):
    available: int
    reserved: int
    debt: int
    plan: str | None
    plan_status: str | None
    renews_at: datetime | None
    entries: list[CreditEntryView]
    """The latest first."""


def statement(
    db: Database, ctx: TenantContext, *, limit: int = STATEMENT_ENTRIES
) -> CreditStatement:
    credits = CreditsRepository(db)
    balance = credits.balance(ctx)
    account = BillingRepository(db).account(ctx)
    return CreditStatement(
        available=balance.available,
        reserved=balance.reserved,
        debt=balance.debt,
        plan=account.plan_id if account else None,
        plan_status=account.plan_status if account else None,
        renews_at=account.renews_at if account else None,
        entries=credits.entries(ctx, limit=limit),
    )


def organisation_named(db: Database, name: str) -> TenantContext:
    """An organisation by its name or handle (operators' commands, across tenants)."""
    with db.system() as session:
        found = session.scalars(
            select(Organization).where((Organization.name == name) | (Organization.slug == name))
        ).all()
    if not found:
        raise NotFoundError(f"There is no organisation named {name!r}.")
    if len(found) > 1:
        raise InvalidInputError(
            f"Several organisations are called {name!r}.", hint="Use the organisation's handle."
        )
    return TenantContext(org_id=found[0].id, role=Role.OWNER)


def operator_grant(
    db: Database, ctx: TenantContext, amount: int, *, reason: str, operator: str
) -> CreditStatement:
    """Credits an operator adds by hand, with the reason and who did it in the ledger."""
    if not reason.strip():
        raise InvalidInputError("Say why the credits are granted.", hint="--reason TEXT")
    CreditsRepository(db).grant(
        ctx, amount, reason.strip()[:200], source=f"operator:{operator}"[:200],
        kind=LedgerKind.ADJUST,
    )  # fmt: skip
    return statement(db, ctx)


def final_render_price(ai_scenes: int = 0) -> int:
    """Credits a final render reserves, with one generated clip per AI-motion scene."""
    return (
        POLICIES[JobKind.RENDER_VIDEO].credits + ai_scenes * POLICIES[JobKind.GENERATE_CLIP].credits
    )


class CreditQuote(BaseModel):
    """A price against the balance, as the approval question states it."""

    price: int
    available: int
    debt: int = 0
    buy_url: str | None = None
    """A Checkout page for a pack that covers the shortfall (owners and admins, Stripe on)."""
    may_buy: bool = False

    @property
    def short(self) -> bool:
        return self.debt > 0 or self.available < self.price

    @property
    def after(self) -> int:
        return self.available - self.price

    def words(self) -> str:
        """The price and balance in a sentence for the person."""
        if not self.short:
            return (
                f"It costs {self.price} credits; your balance after it will be {self.after} "
                "credits. "
            )
        owed = f" and owe {self.debt} from a refund" if self.debt else ""
        if self.buy_url:
            then = "Buy credits, then approve again: your storyboard is kept. "
        elif self.may_buy:
            then = "Buying credits is not available here; ask an operator for credits. "
        else:
            then = "Ask an owner or admin of your organisation to buy credits. "
        return (
            f"It costs {self.price} credits, but you have {self.available}{owed}. "
            "Nothing is rendered or charged until there are enough. " + then
        )


def quote(
    db: Database, ctx: TenantContext, price: int, billing: BillingService | None
) -> CreditQuote:
    """`price` against the organisation's balance; when short, a Checkout link for the smallest
    pack that covers it (if Stripe is on and the person may buy)."""
    balance = CreditsRepository(db).balance(ctx)
    found = CreditQuote(
        price=price, available=balance.available, debt=balance.debt,
        may_buy=may_manage_billing(ctx),
    )  # fmt: skip
    if not found.short or billing is None or not billing.configured or not found.may_buy:
        return found
    needed = price - balance.available + balance.debt
    pack = billing.catalogue.pack_covering(max(needed, 1))
    try:
        url = billing.checkout_url(ctx, pack=pack.id)
    except ReelEstateError as exc:
        log.warning("no Checkout link for organisation %s: %s", ctx.org_id, exc.code)
        return found
    return found.model_copy(update={"buy_url": url})
