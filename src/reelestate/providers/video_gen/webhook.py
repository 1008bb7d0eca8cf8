"""Checking that a webhook really comes from fal before its result is believed.

fal signs each delivery with ED25519. The signed message is four lines: the request id, the
user id, the Unix timestamp (the `X-Fal-Webhook-*` headers) and the hex SHA-256 of the raw
body; the signature is hex in `X-Fal-Webhook-Signature`. Public keys come from a JWKS document
(`REELESTATE_FAL_WEBHOOK_JWKS_URL`); any key that verifies is accepted, so fal can rotate keys.
Deliveries older (or newer) than five minutes are refused, so a captured one cannot be replayed
later. `verify_fal_webhook` is pure; `JwksCache` fetches and keeps the keys.
"""

from __future__ import annotations

import asyncio
import base64
import binascii
import hashlib
import json
import time
from collections.abc import Awaitable, Callable, Mapping
from typing import Any

import httpx
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from pydantic import BaseModel, ConfigDict

from reelestate.core.errors import AuthenticationError, PermissionDeniedError, ProviderError

REQUEST_ID_HEADER = "x-fal-webhook-request-id"
USER_ID_HEADER = "x-fal-webhook-user-id"
TIMESTAMP_HEADER = "x-fal-webhook-timestamp"
SIGNATURE_HEADER = "x-fal-webhook-signature"
SIGNED_HEADERS = (REQUEST_ID_HEADER, USER_ID_HEADER, TIMESTAMP_HEADER, SIGNATURE_HEADER)
TOLERANCE_S = 300.0
ED25519_SIGNATURE_BYTES = 64
FAL_WEBHOOK_PATH = "/api/v1/webhooks/fal"
"""Where the web app receives fal's webhooks; the generator asks fal to call it."""


class WebhookSignatureMissingError(AuthenticationError):
    """The request carries no fal signature at all (401)."""


class WebhookSignatureInvalidError(PermissionDeniedError):
    """The signature is there but wrong, or the delivery is stale (403)."""


class FalWebhook(BaseModel):
    """A delivery whose signature checked out."""

    model_config = ConfigDict(frozen=True)

    request_id: str
    user_id: str
    timestamp: int
    body: dict[str, Any]
    """`{"request_id", "gateway_request_id", "status": "OK"|"ERROR", "payload", "error"?,
    "payload_error"?}`."""


def signed_message(request_id: str, user_id: str, timestamp: str, body: bytes) -> bytes:
    """The bytes fal signs for a delivery."""
    digest = hashlib.sha256(body).hexdigest()
    return "\n".join((request_id, user_id, timestamp, digest)).encode()


def jwks_public_keys(jwks: Mapping[str, Any]) -> list[Ed25519PublicKey]:
    """The ED25519 keys of a JWKS document (`kty` OKP, `crv` Ed25519, base64url `x`)."""
    keys = []
    for entry in jwks.get("keys") or []:
        if not isinstance(entry, dict) or entry.get("kty") != "OKP":
            continue
        if entry.get("crv") != "Ed25519" or not isinstance(entry.get("x"), str):
            continue
        raw = entry["x"]
        try:
            data = base64.urlsafe_b64decode(raw + "=" * (-len(raw) % 4))
            keys.append(Ed25519PublicKey.from_public_bytes(data))
        except (ValueError, binascii.Error):
            continue
    return keys


class SignatureHeaders(BaseModel):
    """The four signature headers of a delivery, present and well-formed (not yet verified)."""

    model_config = ConfigDict(frozen=True)

    request_id: str
    user_id: str
    timestamp: str
    signature: bytes


def signature_headers(
    headers: Mapping[str, str], now: float, *, tolerance_s: float = TOLERANCE_S
) -> SignatureHeaders:
    """The signature headers, checked without any key: missing ones are a 401, a stale
    timestamp or a signature that is not hex a 403. Runs before any key is fetched, so
    unsigned traffic never makes the app call out."""
    lowered = {k.lower(): v for k, v in headers.items()}
    values = [lowered.get(name, "").strip() for name in SIGNED_HEADERS]
    if not all(values):
        raise WebhookSignatureMissingError(
            "This request is not signed by fal.",
            hint="fal sends X-Fal-Webhook-Request-Id, -User-Id, -Timestamp and -Signature.",
        )
    request_id, user_id, timestamp, signature_hex = values
    if not timestamp.isdigit() or abs(now - int(timestamp)) > tolerance_s:
        raise WebhookSignatureInvalidError("The webhook's timestamp is missing or too old.")
    try:
        signature = bytes.fromhex(signature_hex)
    except ValueError:
        raise WebhookSignatureInvalidError("The webhook signature is not valid.") from None
    if len(signature) != ED25519_SIGNATURE_BYTES:
        raise WebhookSignatureInvalidError("The webhook signature is not valid.")
    return SignatureHeaders(
        request_id=request_id, user_id=user_id, timestamp=timestamp, signature=signature
    )


def verify_fal_webhook(
    headers: Mapping[str, str],
    body: bytes,
    jwks: Mapping[str, Any],
    now: float,
    *,
    tolerance_s: float = TOLERANCE_S,
) -> FalWebhook:
    """The delivery, if `headers` carry a valid fresh signature over `body`; raises otherwise."""
    signed = signature_headers(headers, now, tolerance_s=tolerance_s)
    message = signed_message(signed.request_id, signed.user_id, signed.timestamp, body)
    if not any(_verifies(key, signed.signature, message) for key in jwks_public_keys(jwks)):
        raise WebhookSignatureInvalidError("The webhook signature is not valid.")
    try:
        parsed = json.loads(body)
    except ValueError:
        parsed = None
    if not isinstance(parsed, dict):
        raise WebhookSignatureInvalidError("The webhook body is not a JSON object.")
    return FalWebhook(
        request_id=signed.request_id,
        user_id=signed.user_id,
        timestamp=int(signed.timestamp),
        body=parsed,
    )


def _verifies(key: Ed25519PublicKey, signature: bytes, message: bytes) -> bool:
    try:
        key.verify(signature, message)
    except InvalidSignature:
        return False
    return True


JwksFetcher = Callable[[str], Awaitable[dict[str, Any]]]


async def fetch_jwks(url: str) -> dict[str, Any]:
    """fal's JWKS document, fetched over HTTP."""
    try:
        async with httpx.AsyncClient(timeout=10.0) as client:
            response = await client.get(url)
            response.raise_for_status()
            data = response.json()
    except (httpx.HTTPError, ValueError) as exc:
        raise ProviderError(
            "fal's webhook signing keys could not be fetched.",
            hint="Check REELESTATE_FAL_WEBHOOK_JWKS_URL; fal will deliver the webhook again.",
        ) from exc
    if not isinstance(data, dict):
        raise ProviderError("fal's webhook signing keys are not a JWKS document.")
    return data


class JwksCache:
    """fal's public keys, fetched on first use and kept for a day.

    A signature that fails with the kept keys is checked once more against freshly fetched
    ones (at most every `refresh_after_s`), so a key rotation is picked up at once without
    letting unsigned traffic make us fetch on every request. A failed fetch is remembered for
    `failure_backoff_s`: deliveries in that time are answered at once (fal delivers again)
    instead of each one calling out.
    """

    def __init__(
        self,
        url: str,
        *,
        ttl_s: float = 86400.0,
        refresh_after_s: float = 300.0,
        failure_backoff_s: float = 60.0,
        fetch: JwksFetcher = fetch_jwks,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.url = url
        self.ttl_s = ttl_s
        self.refresh_after_s = refresh_after_s
        self.failure_backoff_s = failure_backoff_s
        self._fetch = fetch
        self._clock = clock
        self._jwks: dict[str, Any] | None = None
        self._fetched_at = 0.0
        self._tried_at: float | None = None
        self._failure: ProviderError | None = None
        self._lock = asyncio.Lock()

    async def keys(self, *, refresh: bool = False) -> dict[str, Any]:
        async with self._lock:
            now = self._clock()
            stale = self._jwks is None or refresh or now - self._fetched_at > self.ttl_s
            if not stale and self._jwks is not None:
                return self._jwks
            failed_lately = (
                self._failure is not None
                and self._tried_at is not None
                and now - self._tried_at < self.failure_backoff_s
            )
            if failed_lately and self._failure is not None:
                raise self._failure
            self._tried_at = now
            try:
                self._jwks = await self._fetch(self.url)
            except ProviderError as exc:
                self._failure = exc
                raise
            self._failure = None
            self._fetched_at = self._clock()
            return self._jwks

    async def verify(self, headers: Mapping[str, str], body: bytes) -> FalWebhook:
        """`verify_fal_webhook` against the kept keys, refreshed once if they may be stale.

        The headers are checked first: a request without a well-formed, fresh signature never
        causes a key fetch."""
        now = self._clock()
        signature_headers(headers, now)
        try:
            return verify_fal_webhook(headers, body, await self.keys(), now)
        except WebhookSignatureInvalidError:
            if self._tried_at is not None and now - self._tried_at < self.refresh_after_s:
                raise
        return verify_fal_webhook(headers, body, await self.keys(refresh=True), now)
