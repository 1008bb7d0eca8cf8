"""Stripe's webhook signatures and the event envelope, checked on the raw body.

Stripe signs `f"{t}.{body}"` with HMAC-SHA256 under the endpoint's secret and sends
`Stripe-Signature: t=<unix>,v1=<hex>`; a signature older than the tolerance (300 s) is refused
too, so a captured delivery cannot be replayed later. The body is parsed only after that, and
only into the few fields billing reads.
"""

from __future__ import annotations

import json
from typing import Any

import stripe
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from reelestate.core.errors import WebhookRejectedError

TOLERANCE_S = 300
MAX_BODY_BYTES = 512 * 1024


class StripeEvent(BaseModel):
    """The envelope of one event; `data.object` stays a dict (its shape depends on `type`)."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    id: str = Field(min_length=1, max_length=255)
    type: str = Field(min_length=1, max_length=100)
    created: int = 0
    data: dict[str, Any]

    @property
    def object(self) -> dict[str, Any]:
        found = self.data.get("object")
        return found if isinstance(found, dict) else {}


def verified_event(
    payload: bytes, signature: str | None, secret: str, *, tolerance: int = TOLERANCE_S
) -> StripeEvent:
    """The event in `payload` when its signature holds; `WebhookRejectedError` otherwise."""
    if len(payload) > MAX_BODY_BYTES:
        raise WebhookRejectedError("The webhook body is too large.")
    try:
        stripe.WebhookSignature.verify_header(payload, signature, secret, tolerance)
    except (stripe.SignatureVerificationError, UnicodeDecodeError) as exc:
        raise WebhookRejectedError(
            "The Stripe signature is missing, wrong or too old; nothing was changed."
        ) from exc
    try:
        return StripeEvent.model_validate(json.loads(payload))
    except (ValueError, ValidationError) as exc:
        raise WebhookRejectedError("The webhook body is not a Stripe event.") from exc
