"""Billing over REST against a local Stripe-compatible server: Checkout for a pack and a plan,
the portal, and Stripe's signed webhooks (paid pack, renewal, refund after partial spend,
replays, out-of-order events, bad and stale signatures, unknown organisations, malformed
bodies). Without `STRIPE_SECRET_KEY` the billing routes answer 503 and the rest still works."""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from starlette.testclient import TestClient

from reelestate.api.app import AppOptions, create_app
from reelestate.core.errors import ConfigurationError, CreditDebtError
from reelestate.providers.billing.catalogue import load_catalogue
from reelestate.storage import migrate
from reelestate.storage.context import TenantContext
from reelestate.storage.models import Role
from reelestate.storage.repositories.credits import settle
from reelestate.storage.repositories.jobs import JobsRepository
from tests.agent.helpers import FileNameAnalyser
from tests.storage.factories import preview_job
from tests.support.fake_stripe import FakeStripe, sign
from tests.web.conftest import web_settings
from tests.web.helpers import PASSWORD, Account

WHSEC = "whsec_test_secret"


@pytest.fixture(scope="module")
def stripe_fake() -> Iterator[FakeStripe]:
    with FakeStripe() as fake:
        yield fake


@pytest.fixture(scope="module")
def billing(
    stripe_fake: FakeStripe, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[TestClient]:
    settings = web_settings(
        tmp_path_factory.mktemp("billing"),
        STRIPE_SECRET_KEY=stripe_fake.secret_key,
        STRIPE_API_BASE=stripe_fake.base,
        STRIPE_WEBHOOK_SECRET=WHSEC,
        REELESTATE_SIGNUP_CREDITS=0,
        REELESTATE_PUBLIC_URL="https://studio.example",
    )
    migrate.upgrade(settings)
    app = create_app(settings, AppOptions(chat=False, worker=False, analyser=FileNameAnalyser()))
    with TestClient(app) as client:
        yield client


def org_id(account: Account) -> str:
    return str(account.get("/api/v1/organizations/current").json()["id"])


def credits(account: Account) -> dict[str, Any]:
    response = account.get("/api/v1/organizations/current/credits")
    assert response.status_code == 200, response.text
    return dict(response.json())


def deliver(client: TestClient, event: dict[str, Any] | bytes, *, timestamp: int | None = None,
            secret: str = WHSEC, signature: str | None = None) -> Any:  # fmt: skip
    body = event if isinstance(event, bytes) else json.dumps(event).encode()
    header = signature if signature is not None else sign(body, secret, timestamp=timestamp)
    return client.post(
        "/api/v1/webhooks/stripe",
        content=body,
        headers={"Stripe-Signature": header, "Content-Type": "application/json"},
    )


def checkout(account: Account, fake: FakeStripe, **item: str) -> str:
    response = account.post("/api/v1/billing/checkout", json=item)
    assert response.status_code == 200, response.text
    url = response.json()["url"]
    return str(url.rsplit("/", 1)[-1])


def test_catalogue_and_checkout_for_a_pack_and_a_plan(
    billing: TestClient, stripe_fake: FakeStripe
) -> None:
    listed = billing.get("/api/v1/billing/catalogue").json()
    assert listed["packs"][0] == {"id": "pack-50", "credits": 50, "amount": 1900, "currency": "usd"}
    assert {"id", "credits_per_month", "amount", "currency", "interval"} <= set(listed["plans"][0])
    owner = Account(billing)
    org = org_id(owner)
    customers_before = len(stripe_fake.on("/v1/customers"))

    pack_session = checkout(owner, stripe_fake, pack="pack-200")
    sent = stripe_fake.on("/v1/checkout/sessions")[-1]
    assert sent.headers["authorization"] == f"Bearer {stripe_fake.secret_key}"
    assert sent.headers["stripe-version"] and sent.headers["idempotency-key"].startswith(
        "checkout-"
    )
    form = sent.form
    assert form["mode"] == "payment" and form["client_reference_id"] == org
    assert form["metadata"] == {"pack": "pack-200", "credits": "200", "organization_id": org}
    assert form["line_items"][0]["price_data"]["unit_amount"] == "5900"
    assert form["success_url"].startswith("https://studio.example/chat/")
    assert stripe_fake.sessions[pack_session]["customer"].startswith("cus_")

    plan_session = checkout(owner, stripe_fake, plan="starter")
    form = stripe_fake.on("/v1/checkout/sessions")[-1].form
    assert form["mode"] == "subscription"
    assert form["line_items"][0]["price_data"]["recurring"] == {"interval": "month"}
    assert form["subscription_data"]["metadata"]["plan"] == "starter"
    # One customer per organisation, created with the organisation's id as idempotency key.
    customers = stripe_fake.on("/v1/customers")[customers_before:]
    assert len(customers) == 1
    assert customers[0].headers["idempotency-key"] == f"customer-{org}"
    assert customers[0].form["metadata"] == {"organization_id": org}
    assert (
        stripe_fake.sessions[plan_session]["customer"]
        == stripe_fake.sessions[pack_session]["customer"]
    )

    portal = owner.post("/api/v1/billing/portal")
    assert portal.status_code == 200 and portal.json()["url"].startswith(
        "https://billing.stripe.test/"
    )
    bad = owner.post("/api/v1/billing/checkout", json={"pack": "pack-7"})
    assert bad.status_code == 404 and "pack-50" in bad.json()["hint"]
    both = owner.post("/api/v1/billing/checkout", json={"pack": "pack-50", "plan": "starter"})
    assert both.status_code == 422


def test_members_may_not_buy(billing: TestClient) -> None:
    owner = Account(billing)
    email = f"member-{uuid.uuid4().hex[:6]}@example.com"
    invite = owner.post(
        "/api/v1/organizations/current/invitations", json={"email": email, "role": "member"}
    )
    assert invite.status_code == 201, invite.text
    joined = billing.post(
        "/api/v1/auth/accept-invitation",
        json={"token": invite.json()["token"], "password": PASSWORD},
    )
    assert joined.status_code == 200, joined.text
    member = {"Authorization": f"Bearer {joined.json()['access_token']}"}
    for path, body in (("checkout", {"pack": "pack-50"}), ("portal", None)):
        response = billing.post(f"/api/v1/billing/{path}", json=body, headers=member)
        assert response.status_code == 403, response.text
    assert billing.get("/api/v1/organizations/current/credits", headers=member).status_code == 200


def test_paid_pack_once_replay_and_bad_signatures(
    billing: TestClient, stripe_fake: FakeStripe
) -> None:
    owner = Account(billing)
    session = checkout(owner, stripe_fake, pack="pack-50")
    event = stripe_fake.completed_event(session)

    for forged in (
        dict(signature="t=1,v1=00"),
        dict(secret="whsec_someone_else"),
        dict(timestamp=int(time.time()) - 301),
        dict(signature=""),
    ):
        response = deliver(billing, event, **forged)  # type: ignore[arg-type]
        assert response.status_code == 400, forged
        assert response.json()["code"] == "webhook_rejected"
    assert credits(owner)["balance"] == 0

    first = deliver(billing, event)
    assert first.status_code == 200 and first.json() == {
        "received": True, "outcome": "applied", "credits": 50,
    }  # fmt: skip
    again = deliver(billing, event)
    assert again.status_code == 200 and again.json()["outcome"] == "replayed"
    shown = credits(owner)
    assert shown["balance"] == 50
    grant = shown["entries"][0]
    assert grant["kind"] == "grant" and grant["credits"] == 50
    assert grant["reason"] == "pack pack-50" and grant["source"] == f"stripe:{event['id']}"

    body = json.dumps(event).encode()
    tampered = body.replace(b'"pack-50"', b'"pack-1000"')
    assert deliver(billing, tampered, signature=sign(body, WHSEC)).status_code == 400
    for malformed in (b"not json at all", b'{"id": "evt_x"}', b"\xff\xfe"):
        response = deliver(billing, malformed)
        assert response.status_code == 400, malformed
    assert credits(owner)["balance"] == 50


def test_unknown_organisation_is_recorded_and_answered(
    billing: TestClient, stripe_fake: FakeStripe
) -> None:
    owner = Account(billing)
    session = checkout(owner, stripe_fake, pack="pack-50")
    event = stripe_fake.completed_event(session)
    stranger = str(uuid.uuid4())
    event["data"]["object"]["client_reference_id"] = stranger
    event["data"]["object"]["customer"] = "cus_nobody"
    event["data"]["object"]["metadata"]["organization_id"] = stranger
    response = deliver(billing, event)
    assert response.status_code == 200 and response.json()["outcome"] == "unknown_organization"
    assert deliver(billing, event).json()["outcome"] == "replayed"
    assert credits(owner)["balance"] == 0
    # Events billing does not listen to are answered too.
    other = {**event, "id": "evt_other_kind", "type": "customer.created"}
    assert deliver(billing, other).json()["outcome"] == "ignored"


def test_plan_invoice_before_checkout_renewal_and_cancel(
    billing: TestClient, stripe_fake: FakeStripe
) -> None:
    owner = Account(billing)
    session = checkout(owner, stripe_fake, plan="starter")
    month = int(time.time()) + 30 * 86400
    invoice = stripe_fake.invoice_paid_event(session, period_end=month)
    completed = stripe_fake.completed_event(session)
    # invoice.paid overtakes checkout.session.completed: the customer names the organisation.
    assert deliver(billing, invoice).json() == {"received": True, "outcome": "applied",
                                                "credits": 150}  # fmt: skip
    assert deliver(billing, completed).json()["outcome"] == "applied"
    shown = credits(owner)
    assert shown["balance"] == 150
    assert shown["plan"] == "starter" and shown["plan_status"] == "active"
    assert shown["renews_at"].startswith(time.strftime("%Y-%m-%d", time.gmtime(month)))

    renewal = stripe_fake.invoice_paid_event(session, period_end=month + 30 * 86400)
    assert deliver(billing, renewal).json()["credits"] == 150
    assert deliver(billing, renewal).json()["outcome"] == "replayed"
    assert credits(owner)["balance"] == 300

    cancelled = stripe_fake.subscription_event(session, status="canceled", deleted=True,
                                               created=int(time.time()) + 5)  # fmt: skip
    assert deliver(billing, cancelled).json()["outcome"] == "applied"
    stale = stripe_fake.subscription_event(
        session, status="past_due", created=int(time.time()) - 60
    )
    assert deliver(billing, stale).json()["outcome"] == "ignored"
    shown = credits(owner)
    assert shown["plan_status"] == "canceled" and shown["renews_at"] is None
    assert shown["balance"] == 300  # the credits of months paid stay


def test_refund_after_partial_spend_leaves_a_debt_that_blocks_renders(
    billing: TestClient, stripe_fake: FakeStripe
) -> None:
    owner = Account(billing)
    db = billing.app.state.services.db  # type: ignore[attr-defined]
    ctx = TenantContext(org_id=uuid.UUID(org_id(owner)), role=Role.OWNER)
    session = checkout(owner, stripe_fake, pack="pack-50")
    paid = stripe_fake.completed_event(session)
    assert deliver(billing, paid).json()["credits"] == 50
    job, _ = JobsRepository(db).create(ctx, preview_job(credits=20))
    with db.tenant(ctx) as tx:
        settle(tx, ctx.org_id, job.id, capture=True, lock=True)
    assert credits(owner)["balance"] == 30

    half = stripe_fake.refund_event(paid, refunded=950)  # half the money: 25 credits back
    assert deliver(billing, half).json() == {"received": True, "outcome": "applied", "credits": 25}
    assert credits(owner)["balance"] == 5
    full = stripe_fake.refund_event(paid, refunded=1900)  # the rest: 25 more, 5 of them there
    assert deliver(billing, full).json()["credits"] == 25
    assert deliver(billing, full).json()["outcome"] == "replayed"
    shown = credits(owner)
    assert (shown["balance"], shown["debt"]) == (0, 20)
    refund = shown["entries"][0]
    assert refund["kind"] == "refund" and (refund["credits"], refund["debt"]) == (-5, 20)
    with pytest.raises(CreditDebtError):
        JobsRepository(db).create(ctx, preview_job(credits=1))

    again = stripe_fake.completed_event(checkout(owner, stripe_fake, pack="pack-50"))
    deliver(billing, again)
    shown = credits(owner)
    assert (shown["balance"], shown["debt"]) == (30, 0)  # the debt is paid first


@pytest.fixture(scope="module")
def unconfigured(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    settings = web_settings(tmp_path_factory.mktemp("nobilling"))
    migrate.upgrade(settings)
    app = create_app(settings, AppOptions(chat=False, worker=False, analyser=FileNameAnalyser()))
    with TestClient(app) as client:
        yield client


def test_without_stripe_billing_says_it_is_not_configured(unconfigured: TestClient) -> None:
    owner = Account(unconfigured)
    calls = (
        ("GET", "/api/v1/billing/catalogue", None),
        ("POST", "/api/v1/billing/checkout", {"pack": "pack-50"}),
        ("POST", "/api/v1/billing/portal", None),
    )
    for method, path, body in calls:
        response = unconfigured.request(method, path, json=body, headers=owner.headers)
        assert response.status_code == 503, path
        problem = response.json()
        assert problem["code"] == "billing_not_configured"
        assert "Billing is not configured" in problem["title"]
        assert "reelestate credits grant" in problem["hint"]
    hook = deliver(unconfigured, b"{}")
    assert hook.status_code == 503 and hook.json()["code"] == "billing_not_configured"
    shown = credits(owner)
    assert shown["balance"] == 50 and shown["plan"] is None
    assert [(e["kind"], e["reason"], e["source"]) for e in shown["entries"]] == [
        ("grant", "sign-up", "signup")
    ]


def test_shipped_catalogue_can_be_replaced(tmp_path: Path) -> None:
    own = tmp_path / "catalogue.json"
    own.write_text(json.dumps({"packs": [{"id": "ten", "name": "Ten", "credits": 10,
                                          "amount": 500, "currency": "eur",
                                          "stripe_price": "price_123"}]}))  # fmt: skip
    found = load_catalogue(own)
    assert found.pack("ten").stripe_price == "price_123" and found.plans == []
    assert found.pack_covering(3).id == "ten" and found.pack_covering(99).id == "ten"
    own.write_text(json.dumps({"packs": []}))
    with pytest.raises(ConfigurationError, match="catalogue"):
        load_catalogue(own)
