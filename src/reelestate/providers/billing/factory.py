"""The payment provider the settings ask for: Stripe with a secret key, else billing is off."""

from __future__ import annotations

from reelestate.core.settings import Settings
from reelestate.providers.billing.base import BillingNotConfigured, BillingProvider
from reelestate.providers.billing.stripe_client import StripeBilling


def billing_provider(settings: Settings) -> BillingProvider:
    if settings.stripe_secret_key is None:
        return BillingNotConfigured()
    return StripeBilling(
        settings.stripe_secret_key.get_secret_value(),
        api_base=settings.stripe_api_base,
        timeout_s=settings.stripe_timeout_s,
        attempts=settings.stripe_attempts,
    )
