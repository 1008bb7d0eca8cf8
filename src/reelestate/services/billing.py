"""Buying credits: one Stripe customer per organisation, Checkout for a pack or a plan, the
customer portal, and who may do it.

Every channel (REST, the web chat's "Buy credits" button, the Telegram bot's link) comes here;
none talks to the payment provider itself. Without Stripe keys the provider is the embedded
default, and every call here says billing is not configured.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Literal

from reelestate.core.errors import InvalidInputError, PermissionDeniedError
from reelestate.core.settings import Settings
from reelestate.providers.billing.base import (
    NOT_CONFIGURED,
    BillingProvider,
    CheckoutLine,
    CheckoutRequest,
)
from reelestate.providers.billing.catalogue import Catalogue, load_catalogue
from reelestate.providers.billing.factory import billing_provider
from reelestate.services import permissions
from reelestate.storage.context import TenantContext
from reelestate.storage.db import Database
from reelestate.storage.repositories.billing import BillingRepository
from reelestate.storage.repositories.credits import CreditsRepository
from reelestate.storage.repositories.organisations import OrganisationsRepository

DEFAULT_RETURN_BASE = "http://localhost:8000"
"""Where Checkout sends people back when `REELESTATE_PUBLIC_URL` is unset."""


def may_manage_billing(ctx: TenantContext) -> bool:
    """Whether this person may buy credits or change the plan (the policy module decides)."""
    return permissions.can_buy_credits(ctx.role)


def require_billing_manager(ctx: TenantContext) -> None:
    if not may_manage_billing(ctx):
        raise PermissionDeniedError(
            "Only an owner or admin of your organisation can buy credits or change the plan.",
            hint="Ask an owner or admin of your organisation.",
        )


@dataclass(frozen=True)
class BillingService:
    db: Database
    provider: BillingProvider
    catalogue: Catalogue
    return_base: str = DEFAULT_RETURN_BASE
    """The web app's address: Checkout and the portal send people back to its chat."""

    @classmethod
    def from_settings(cls, settings: Settings, db: Database) -> BillingService:
        return cls(
            db=db,
            provider=billing_provider(settings),
            catalogue=load_catalogue(settings.billing_catalogue_file),
            return_base=(settings.public_base_url or DEFAULT_RETURN_BASE).rstrip("/"),
        )

    @property
    def configured(self) -> bool:
        return self.provider.configured

    def require_configured(self) -> None:
        if not self.provider.configured:
            raise NOT_CONFIGURED

    def customer_for(self, ctx: TenantContext) -> str:
        """The organisation's Stripe customer, created once (the idempotency key is the
        organisation's id, so two first purchases at once still make one customer)."""
        account = BillingRepository(self.db).account(ctx)
        if account is not None and account.stripe_customer_id:
            return account.stripe_customer_id
        org = OrganisationsRepository(self.db).get(ctx)
        customer = self.provider.create_customer(
            name=org.name, org_id=str(ctx.org_id), idempotency_key=f"customer-{ctx.org_id}"
        )
        BillingRepository(self.db).set_customer(ctx, customer)
        return customer

    def checkout_url(
        self, ctx: TenantContext, *, pack: str | None = None, plan: str | None = None
    ) -> str:
        """A Checkout page for one pack or one plan, for owners and admins."""
        require_billing_manager(ctx)
        self.require_configured()
        if (pack is None) == (plan is None):
            raise InvalidInputError("Name one pack or one plan.", hint=self.catalogue.choices())
        mode: Literal["payment", "subscription"]
        if pack is not None:
            item = self.catalogue.pack(pack)
            mode, credits = "payment", item.credits
            metadata = {"pack": item.id, "credits": str(credits)}
            line = CheckoutLine(name=f"ReelEstate {item.name}", stripe_price=item.stripe_price,
                                amount=item.amount, currency=item.currency)  # fmt: skip
        else:
            chosen = self.catalogue.plan(plan or "")
            mode, credits = "subscription", chosen.credits_per_month
            metadata = {"plan": chosen.id, "credits": str(credits)}
            line = CheckoutLine(
                name=f"ReelEstate {chosen.name} plan", stripe_price=chosen.stripe_price,
                amount=chosen.amount, currency=chosen.currency, interval=chosen.interval,
            )  # fmt: skip
        metadata["organization_id"] = str(ctx.org_id)
        customer = self.customer_for(ctx)
        success = f"{self.return_base}/chat/?checkout=done&session_id={{CHECKOUT_SESSION_ID}}"
        cancel = f"{self.return_base}/chat/?checkout=cancelled"
        # One page per balance state: a double click gets the same page, a later purchase a new
        # one (the ledger has moved on). The parameters are part of the key, as Stripe requires.
        seq = CreditsRepository(self.db).last_seq(ctx)
        params = json.dumps([mode, customer, line.model_dump(), metadata, success, cancel])
        digest = hashlib.sha256(params.encode()).hexdigest()[:16]
        session = self.provider.create_checkout(
            CheckoutRequest(
                customer=customer,
                mode=mode,
                line=line,
                client_reference_id=str(ctx.org_id),
                metadata=metadata,
                success_url=success,
                cancel_url=cancel,
                idempotency_key=f"checkout-{ctx.org_id}-{seq}-{digest}",
            )
        )
        return session.url

    def portal_url(self, ctx: TenantContext) -> str:
        """The customer portal (cards, invoices, the plan), for owners and admins."""
        require_billing_manager(ctx)
        self.require_configured()
        customer = self.customer_for(ctx)
        return self.provider.create_portal(
            customer=customer, return_url=f"{self.return_base}/chat/"
        )
