"""Stripe through stripe-python's `StripeClient`: customers, Checkout Sessions, the portal.

The library's own network retries are off (`max_network_retries=0`) and ours are used instead:
a dropped connection, a 429 or a 5xx is tried again up to `attempts` times with a growing pause,
always with the same idempotency key, so a retried purchase is still one purchase; anything else
(a bad key, a refused parameter) fails at once. Every request has an explicit timeout.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Any, TypeVar

import stripe

from reelestate.core.errors import (
    ProviderError,
    ProviderNotConfiguredError,
    ProviderRejectedError,
    ProviderTimeoutError,
)
from reelestate.providers.billing.base import CheckoutRequest, CheckoutSession

log = logging.getLogger(__name__)
T = TypeVar("T")
RETRY_BASE_S = 0.5
RETRY_CAP_S = 8.0


def _retryable(exc: stripe.StripeError) -> bool:
    if isinstance(exc, stripe.APIConnectionError | stripe.RateLimitError):
        return True
    return exc.http_status is not None and exc.http_status >= 500


def _as_product_error(exc: stripe.StripeError) -> ProviderError:
    """A Stripe failure as the product reports it (no key, no request body in the message)."""
    if isinstance(exc, stripe.AuthenticationError | stripe.PermissionError):
        return ProviderNotConfiguredError(
            "Stripe refused the configured key.", hint="Check STRIPE_SECRET_KEY."
        )
    if isinstance(exc, stripe.APIConnectionError):
        return ProviderTimeoutError(
            "Stripe could not be reached.", hint="Try again in a minute; nothing was charged."
        )
    if _retryable(exc):
        return ProviderError("Stripe is not answering properly right now.", hint="Try again.")
    detail = exc.user_message or "the request was refused"
    return ProviderRejectedError(f"Stripe refused the request: {detail}.")


class StripeBilling:
    """The real payment provider. `api_base` points at another Stripe-compatible host."""

    def __init__(
        self,
        secret_key: str,
        *,
        api_base: str | None = None,
        timeout_s: float = 20.0,
        attempts: int = 3,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        addresses: dict[str, str] = {}
        if api_base:
            base = api_base.rstrip("/")
            addresses = {"api": base, "files": base, "connect": base, "meter_events": base}
        self._client = stripe.StripeClient(
            secret_key,
            base_addresses=addresses,  # type: ignore[arg-type]
            max_network_retries=0,
            http_client=stripe.RequestsClient(timeout=timeout_s),
        )
        self._attempts = attempts
        self._sleep = sleep

    @property
    def configured(self) -> bool:
        return True

    def _call(self, what: str, call: Callable[[], T]) -> T:
        for attempt in range(1, self._attempts + 1):
            try:
                return call()
            except stripe.StripeError as exc:
                if not _retryable(exc) or attempt == self._attempts:
                    raise _as_product_error(exc) from exc
                delay = min(RETRY_BASE_S * 2 ** (attempt - 1), RETRY_CAP_S)
                log.info("Stripe %s failed (%s); trying again in %.1f s", what, type(exc).__name__,
                         delay)  # fmt: skip
                self._sleep(delay)
        raise AssertionError("unreachable")  # pragma: no cover

    def create_customer(self, *, name: str, org_id: str, idempotency_key: str) -> str:
        params: dict[str, Any] = {"name": name, "metadata": {"organization_id": org_id}}
        customer = self._call(
            "customer",
            lambda: self._client.v1.customers.create(
                params=params,  # type: ignore[arg-type]
                options={"idempotency_key": idempotency_key},
            ),
        )
        return str(customer.id)

    def create_checkout(self, request: CheckoutRequest) -> CheckoutSession:
        line = request.line
        item: dict[str, Any] = {"quantity": 1}
        if line.stripe_price:
            item["price"] = line.stripe_price
        else:
            price_data: dict[str, Any] = {
                "currency": line.currency,
                "unit_amount": line.amount,
                "product_data": {"name": line.name},
            }
            if line.interval:
                price_data["recurring"] = {"interval": line.interval}
            item["price_data"] = price_data
        params: dict[str, Any] = {
            "mode": request.mode,
            "customer": request.customer,
            "line_items": [item],
            "client_reference_id": request.client_reference_id,
            "metadata": request.metadata,
            "success_url": request.success_url,
            "cancel_url": request.cancel_url,
        }
        if request.mode == "subscription":
            params["subscription_data"] = {"metadata": request.metadata}
        else:
            params["payment_intent_data"] = {"metadata": request.metadata}
        session = self._call(
            "checkout",
            lambda: self._client.v1.checkout.sessions.create(
                params=params,  # type: ignore[arg-type]
                options={"idempotency_key": request.idempotency_key},
            ),
        )
        if not session.url:
            raise ProviderError("Stripe made a Checkout Session without a page to open.")
        return CheckoutSession(id=str(session.id), url=str(session.url))

    def create_portal(self, *, customer: str, return_url: str) -> str:
        params: dict[str, Any] = {"customer": customer, "return_url": return_url}
        portal = self._call(
            "portal",
            lambda: self._client.v1.billing_portal.sessions.create(params=params),  # type: ignore[arg-type]
        )
        return str(portal.url)
