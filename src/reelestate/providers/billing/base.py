"""The payment provider as the billing use cases see it: a customer, a Checkout page, a portal.

`StripeBilling` is the real one; `BillingNotConfigured` is the embedded default, which answers
every call with "billing is not configured" so nothing else in the product has to ask first.
"""

from __future__ import annotations

from typing import Literal, Protocol

from pydantic import BaseModel, ConfigDict

from reelestate.core.errors import BillingNotConfiguredError

NOT_CONFIGURED = BillingNotConfiguredError(
    "Billing is not configured on this installation.",
    hint="Set STRIPE_SECRET_KEY (and STRIPE_WEBHOOK_SECRET) to sell credits, or ask an "
    "operator to grant some: reelestate credits grant ORG_NAME N --reason TEXT.",
)


class CheckoutLine(BaseModel):
    """What one Checkout sells: a Stripe price, or an inline amount (recurring for plans)."""

    model_config = ConfigDict(frozen=True)

    name: str
    stripe_price: str | None = None
    amount: int
    currency: str
    interval: Literal["month"] | None = None


class CheckoutRequest(BaseModel):
    model_config = ConfigDict(frozen=True)

    customer: str
    mode: Literal["payment", "subscription"]
    line: CheckoutLine
    client_reference_id: str
    metadata: dict[str, str]
    success_url: str
    cancel_url: str
    idempotency_key: str


class CheckoutSession(BaseModel):
    model_config = ConfigDict(frozen=True)

    id: str
    url: str


class BillingProvider(Protocol):
    @property
    def configured(self) -> bool:
        """False for the embedded default."""
        ...

    def create_customer(self, *, name: str, org_id: str, idempotency_key: str) -> str:
        """A customer for one organisation; returns its id (`cus_...`)."""
        ...

    def create_checkout(self, request: CheckoutRequest) -> CheckoutSession: ...

    def create_portal(self, *, customer: str, return_url: str) -> str:
        """The customer portal's URL (cards, invoices, cancelling the plan)."""
        ...


class BillingNotConfigured:
    """The embedded default: billing is off and says so."""

    @property
    def configured(self) -> bool:
        return False

    def create_customer(self, *, name: str, org_id: str, idempotency_key: str) -> str:
        raise NOT_CONFIGURED

    def create_checkout(self, request: CheckoutRequest) -> CheckoutSession:
        raise NOT_CONFIGURED

    def create_portal(self, *, customer: str, return_url: str) -> str:
        raise NOT_CONFIGURED
