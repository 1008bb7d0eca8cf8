"""Billing: the catalogue, Checkout for a pack or a plan, the customer portal, and Stripe's
webhook.

Checkout and the portal are for owners and admins. Without `STRIPE_SECRET_KEY` these routes
answer 503 "billing is not configured" (the webhook without `STRIPE_WEBHOOK_SECRET` too), and
the rest of the product works as before.
"""

from __future__ import annotations

import asyncio
import dataclasses
import logging

from fastapi import APIRouter, Request

from reelestate.api.deps import Services, Tenant
from reelestate.api.services import AppServices
from reelestate.api.v1.schemas import (
    BillingCatalogueOut,
    CheckoutIn,
    PackOut,
    PlanOut,
    UrlOut,
    WebhookReceipt,
)
from reelestate.core.errors import InvalidInputError
from reelestate.providers.billing.base import NOT_CONFIGURED
from reelestate.providers.billing.webhook import MAX_BODY_BYTES, verified_event
from reelestate.services.billing import BillingService
from reelestate.services.billing_events import WebhookEvents

log = logging.getLogger(__name__)
router = APIRouter(tags=["billing"])


def _billing(services: AppServices, request: Request) -> BillingService:
    billing = services.billing
    if services.settings.public_base_url is None:
        # Checkout sends people back to the address they used.
        billing = dataclasses.replace(billing, return_base=str(request.base_url).rstrip("/"))
    return billing


@router.get("/billing/catalogue", response_model=BillingCatalogueOut)
async def catalogue(services: Services) -> BillingCatalogueOut:
    """The credit packs and monthly plans on sale."""
    services.billing.require_configured()
    items = services.billing.catalogue
    return BillingCatalogueOut(
        packs=[PackOut(id=p.id, credits=p.credits, amount=p.amount, currency=p.currency)
               for p in items.packs],
        plans=[PlanOut(id=p.id, credits_per_month=p.credits_per_month, amount=p.amount,
                       currency=p.currency, interval=p.interval) for p in items.plans],
    )  # fmt: skip


@router.post("/billing/checkout", response_model=UrlOut)
async def checkout(body: CheckoutIn, ctx: Tenant, services: Services, request: Request) -> UrlOut:
    """A Stripe Checkout page for one pack (`{"pack": id}`) or one plan (`{"plan": id}`)."""
    billing = _billing(services, request)
    url = await asyncio.to_thread(billing.checkout_url, ctx, pack=body.pack, plan=body.plan)
    return UrlOut(url=url)


@router.post("/billing/portal", response_model=UrlOut)
async def portal(ctx: Tenant, services: Services, request: Request) -> UrlOut:
    """Stripe's customer portal: cards, invoices, changing or cancelling the plan."""
    billing = _billing(services, request)
    return UrlOut(url=await asyncio.to_thread(billing.portal_url, ctx))


@router.post("/webhooks/stripe", response_model=WebhookReceipt, tags=["webhooks"])
async def stripe_webhook(request: Request, services: Services) -> WebhookReceipt:
    """Stripe's events, checked against `STRIPE_WEBHOOK_SECRET` on the raw body (400 and no
    change for a bad or stale signature or a malformed body); each applied once."""
    secret = services.settings.stripe_webhook_secret
    if secret is None:
        raise NOT_CONFIGURED
    declared = request.headers.get("content-length", "0")
    if declared.isdigit() and int(declared) > MAX_BODY_BYTES:
        raise InvalidInputError("The webhook body is too large.")
    body = await request.body()
    event = verified_event(body, request.headers.get("stripe-signature"), secret.get_secret_value())
    events = WebhookEvents(services.db, services.billing.catalogue)
    result = await asyncio.to_thread(events.apply, event)
    log.info("Stripe event %s (%s): %s", event.id, event.type, result.outcome)
    return WebhookReceipt(received=True, outcome=result.outcome, credits=result.credits)
