"""The Stripe client against a local Stripe-compatible server: requests as Stripe reads them,
our retry policy (same idempotency key each time), and errors a person can act on."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from reelestate.core.errors import (
    ProviderError,
    ProviderNotConfiguredError,
    ProviderRejectedError,
)
from reelestate.providers.billing.base import CheckoutLine, CheckoutRequest
from reelestate.providers.billing.stripe_client import StripeBilling
from tests.support.fake_stripe import FakeStripe


@pytest.fixture(scope="module")
def fake() -> Iterator[FakeStripe]:
    with FakeStripe() as server:
        yield server


def client(
    fake: FakeStripe, key: str | None = None, attempts: int = 3
) -> tuple[StripeBilling, list[float]]:
    pauses: list[float] = []
    billing = StripeBilling(key or fake.secret_key, api_base=fake.base, timeout_s=5,
                            attempts=attempts, sleep=pauses.append)  # fmt: skip
    return billing, pauses


def request(customer: str, key: str, **line: object) -> CheckoutRequest:
    return CheckoutRequest(
        customer=customer, mode="payment",
        line=CheckoutLine(name="50 credits", amount=1900, currency="usd", **line),  # type: ignore[arg-type]
        client_reference_id="org-1", metadata={"pack": "pack-50"},
        success_url="https://studio.example/chat/", cancel_url="https://studio.example/chat/",
        idempotency_key=key,
    )  # fmt: skip


def test_a_retried_call_is_one_call_with_one_idempotency_key(fake: FakeStripe) -> None:
    billing, pauses = client(fake)
    fake.fail("/v1/customers", 500, times=2)
    customer = billing.create_customer(name="Oak", org_id="org-1", idempotency_key="customer-org-1")
    sent = fake.on("/v1/customers")[-3:]
    assert [r.headers["idempotency-key"] for r in sent] == ["customer-org-1"] * 3
    assert pauses == [0.5, 1.0]
    # The same key later gives the same customer, as Stripe's idempotency does.
    assert (
        billing.create_customer(name="Oak", org_id="org-1", idempotency_key="customer-org-1")
        == customer
    )

    fake.fail("/v1/checkout/sessions", 429, times=1)
    session = billing.create_checkout(request(customer, "checkout-1"))
    assert session.url.endswith(session.id)
    fake.fail("/v1/checkout/sessions", 503, times=3)
    with pytest.raises(ProviderError, match="not answering"):
        billing.create_checkout(request(customer, "checkout-2"))


def test_refusals_fail_at_once_with_plain_words(fake: FakeStripe) -> None:
    billing, pauses = client(fake)
    with pytest.raises(ProviderRejectedError, match="Stripe refused the request"):
        billing.create_checkout(request("cus_missing", "checkout-3"))
    by_price = billing.create_checkout(
        request(
            billing.create_customer(name="Elm", org_id="org-2", idempotency_key="c-2"),
            "checkout-4",
            stripe_price="price_123",
        )
    )
    assert fake.on("/v1/checkout/sessions")[-1].form["line_items"] == [
        {"price": "price_123", "quantity": "1"}
    ]
    assert by_price.id.startswith("cs_")
    wrong_key, _ = client(fake, key="sk_test_wrong")
    with pytest.raises(ProviderNotConfiguredError, match="STRIPE_SECRET_KEY"):
        wrong_key.create_portal(customer="cus_x", return_url="https://studio.example/")
    assert pauses == []
