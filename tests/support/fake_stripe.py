"""A small Stripe-compatible API on 127.0.0.1: customers, Checkout Sessions, portal sessions.

It speaks Stripe's wire format: form-encoded bodies with bracketed keys
(`line_items[0][price_data][currency]=usd`), `Authorization: Bearer sk_...`, `Idempotency-Key`
(a repeated key returns the first answer, as Stripe does for 24 hours), JSON objects with `id`
and `object`, and errors as `{"error": {"type", "message"}}`. Every request is kept for
assertions, and `fail(path, status, times)` makes the next calls fail.

`completed_event`, `invoice_paid_event`, `subscription_event` and `refund_event` build webhook
events the way Stripe sends them for the sessions made here, and `sign` signs a body as Stripe
does (`t=<unix>,v1=<hex HMAC-SHA256 of "t.body">`), computed here, not by the library under test.
"""

from __future__ import annotations

import hashlib
import hmac
import itertools
import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl


def _nest(pairs: list[tuple[str, str]]) -> dict[str, Any]:
    """`a[b][0][c]=v` pairs as nested dicts and lists."""
    root: dict[str, Any] = {}
    for key, value in pairs:
        parts = key.replace("]", "").split("[")
        node = root
        for part in parts[:-1]:
            node = node.setdefault(part, {})
        node[parts[-1]] = value
    return _lists(root)


def _lists(node: Any) -> Any:
    if isinstance(node, dict):
        if node and all(k.isdigit() for k in node):
            return [_lists(node[k]) for k in sorted(node, key=int)]
        return {k: _lists(v) for k, v in node.items()}
    return node


@dataclass
class Seen:
    method: str
    path: str
    headers: dict[str, str]
    form: dict[str, Any]


@dataclass
class FakeStripe:
    secret_key: str = "sk_test_fake"
    requests: list[Seen] = field(default_factory=list)
    sessions: dict[str, dict[str, Any]] = field(default_factory=dict)
    customers: dict[str, dict[str, Any]] = field(default_factory=dict)
    _failures: dict[str, list[int]] = field(default_factory=dict)
    _replies: dict[str, tuple[int, dict[str, Any]]] = field(default_factory=dict)
    _ids: itertools.count[int] = field(default_factory=lambda: itertools.count(1))
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def __enter__(self) -> FakeStripe:
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._server.shutdown()
        self._server.server_close()

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def fail(self, path: str, status: int, times: int = 1) -> None:
        self._failures.setdefault(path, []).extend([status] * times)

    def on(self, path: str) -> list[Seen]:
        return [r for r in self.requests if r.path == path]

    def _new_id(self, prefix: str) -> str:
        return f"{prefix}_test_{next(self._ids):06d}"

    # -- the API -----------------------------------------------------------------------

    def answer(self, method: str, path: str, form: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        if method == "POST" and path == "/v1/customers":
            customer = {"id": self._new_id("cus"), "object": "customer",
                        "name": form.get("name"), "metadata": form.get("metadata", {})}  # fmt: skip
            self.customers[customer["id"]] = customer
            return 200, customer
        if method == "POST" and path == "/v1/checkout/sessions":
            return self._checkout(form)
        if method == "POST" and path == "/v1/billing_portal/sessions":
            if form.get("customer") not in self.customers:
                return 400, _error("invalid_request_error", "No such customer")
            pid = self._new_id("bps")
            return 200, {"id": pid, "object": "billing_portal.session",
                         "customer": form["customer"], "return_url": form.get("return_url"),
                         "url": f"https://billing.stripe.test/p/session/{pid}"}  # fmt: skip
        return 404, _error("invalid_request_error", f"Unrecognized request URL ({path})")

    def _checkout(self, form: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        mode = form.get("mode")
        items = form.get("line_items") or []
        if mode not in {"payment", "subscription"} or not items:
            return 400, _error("invalid_request_error", "mode and line_items are required")
        if not str(form.get("success_url", "")).startswith(("http://", "https://")):
            return 400, _error("invalid_request_error", "Not a valid URL: success_url")
        if form.get("customer") not in self.customers:
            return 400, _error("invalid_request_error", "No such customer")
        item = items[0]
        recurring = (item.get("price_data") or {}).get("recurring")
        if mode == "subscription" and not (recurring or item.get("price")):
            return 400, _error("invalid_request_error", "subscription mode needs a recurring price")
        sid = self._new_id("cs")
        amount = int((item.get("price_data") or {}).get("unit_amount") or 0)
        session = {
            "id": sid, "object": "checkout.session", "mode": mode,
            "customer": form["customer"], "client_reference_id": form.get("client_reference_id"),
            "metadata": form.get("metadata", {}), "line_items_sent": items,
            "amount_total": amount, "currency": (item.get("price_data") or {}).get("currency"),
            "payment_status": "unpaid", "status": "open",
            "payment_intent": None, "subscription": None,
            "url": f"https://checkout.stripe.test/c/pay/{sid}",
            "success_url": form.get("success_url"), "cancel_url": form.get("cancel_url"),
            "subscription_data": form.get("subscription_data"),
        }  # fmt: skip
        self.sessions[sid] = session
        return 200, {
            k: v for k, v in session.items() if k not in {"line_items_sent", "subscription_data"}
        }

    # -- events as Stripe sends them -----------------------------------------------------

    def completed_event(self, session_id: str) -> dict[str, Any]:
        """The session paid: `checkout.session.completed`."""
        session = dict(self.sessions[session_id])
        session.pop("line_items_sent", None)
        session.pop("subscription_data", None)
        session.update(status="complete", payment_status="paid")
        if session["mode"] == "payment":
            session["payment_intent"] = session.get("payment_intent") or self._new_id("pi")
        else:
            session["subscription"] = session.get("subscription") or self._new_id("sub")
        self.sessions[session_id].update(session)
        return _event("checkout.session.completed", session)

    def invoice_paid_event(self, session_id: str, *, period_end: int) -> dict[str, Any]:
        """A paid invoice of the session's subscription (its first month, or a renewal)."""
        session = self.sessions[session_id]
        if not session.get("subscription"):
            session["subscription"] = self._new_id("sub")
        metadata = (session.get("subscription_data") or {}).get("metadata") or {}
        invoice = {
            "id": self._new_id("in"), "object": "invoice", "customer": session["customer"],
            "status": "paid", "amount_paid": session["amount_total"],
            "billing_reason": "subscription_cycle",
            "parent": {"type": "subscription_details", "subscription_details": {
                "subscription": session["subscription"], "metadata": metadata}},
            "lines": {"object": "list", "data": [{
                "id": self._new_id("il"), "object": "line_item",
                "amount": session["amount_total"], "metadata": {},
                "period": {"start": period_end - 30 * 86400, "end": period_end}}]},
            "payments": {"object": "list", "data": [{"object": "invoice_payment",
                "payment": {"type": "payment_intent", "payment_intent": self._new_id("pi")}}]},
        }  # fmt: skip
        return _event("invoice.paid", invoice)

    def subscription_event(
        self, session_id: str, *, status: str, deleted: bool = False, created: int | None = None
    ) -> dict[str, Any]:
        session = self.sessions[session_id]
        metadata = (session.get("subscription_data") or {}).get("metadata") or {}
        sub = {"id": session.get("subscription") or self._new_id("sub"), "object": "subscription",
               "customer": session["customer"], "status": "canceled" if deleted else status,
               "metadata": metadata,
               "items": {"object": "list", "data": [{"current_period_end": int(time.time())
                                                     + 30 * 86400}]}}  # fmt: skip
        kind = "customer.subscription.deleted" if deleted else "customer.subscription.updated"
        return _event(kind, sub, created=created)

    def refund_event(self, paid_event: dict[str, Any], *, refunded: int) -> dict[str, Any]:
        """`charge.refunded` for the payment of a completed session: `refunded` cents back."""
        session = paid_event["data"]["object"]
        charge = {
            "id": self._new_id("ch"), "object": "charge", "customer": session["customer"],
            "payment_intent": session["payment_intent"], "amount": session["amount_total"],
            "amount_refunded": refunded, "refunded": refunded >= session["amount_total"],
        }  # fmt: skip
        return _event("charge.refunded", charge)

    # -- HTTP ------------------------------------------------------------------------------

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *_: object) -> None:
                return

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length).decode()
                form = _nest(parse_qsl(raw, keep_blank_values=True))
                headers = {k.lower(): v for k, v in self.headers.items()}
                with fake._lock:
                    fake.requests.append(Seen("POST", self.path, headers, form))
                    status, body = fake._respond(self.path, headers, form)
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.send_header("Request-Id", "req_fake")
                self.end_headers()
                self.wfile.write(data)

        return Handler

    def _respond(
        self, path: str, headers: dict[str, str], form: dict[str, Any]
    ) -> tuple[int, dict[str, Any]]:
        if headers.get("authorization") != f"Bearer {self.secret_key}":
            return 401, _error("invalid_request_error", "Invalid API Key provided")
        failures = self._failures.get(path)
        if failures:
            status = failures.pop(0)
            return status, _error("api_error", "Something went wrong on Stripe's end")
        key = headers.get("idempotency-key")
        if key and key in self._replies:
            return self._replies[key]
        reply = self.answer("POST", path, form)
        if key and reply[0] < 500:
            self._replies[key] = reply
        return reply


def _error(kind: str, message: str) -> dict[str, Any]:
    return {"error": {"type": kind, "message": message}}


_EVENT_IDS = itertools.count(1)


def _event(kind: str, obj: dict[str, Any], *, created: int | None = None) -> dict[str, Any]:
    return {
        "id": f"evt_test_{next(_EVENT_IDS):06d}_{int(time.time() * 1000) % 100000}",
        "object": "event", "api_version": "2026-10-28.endive",
        "created": created or int(time.time()), "livemode": False, "pending_webhooks": 1,
        "type": kind, "data": {"object": obj},
    }  # fmt: skip


def sign(payload: bytes, secret: str, *, timestamp: int | None = None) -> str:
    """The `Stripe-Signature` header Stripe would send with `payload`."""
    t = int(time.time()) if timestamp is None else timestamp
    mac = hmac.new(secret.encode(), f"{t}.".encode() + payload, hashlib.sha256).hexdigest()
    return f"t={t},v1={mac}"
