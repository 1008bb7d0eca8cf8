"""fal webhook signatures: ED25519 over request id, user id, timestamp and the body's SHA-256."""

from __future__ import annotations

import base64
import hashlib
import json
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from reelestate.core.errors import AuthenticationError, PermissionDeniedError, ProviderError
from reelestate.providers.video_gen.webhook import (
    JwksCache,
    WebhookSignatureInvalidError,
    WebhookSignatureMissingError,
    fetch_jwks,
    jwks_public_keys,
    verify_fal_webhook,
)
from tests.support.fake_fal import run_fake_fal

NOW = 1_800_000_000
BODY = json.dumps({"request_id": "r-1", "status": "OK", "payload": {"video": {}}}).encode()


def jwk(key: Ed25519PrivateKey) -> dict[str, str]:
    raw = key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
    return {"kty": "OKP", "crv": "Ed25519", "x": base64.urlsafe_b64encode(raw).decode().rstrip("=")}


def signed(key: Ed25519PrivateKey, body: bytes = BODY, timestamp: int = NOW) -> dict[str, str]:
    message = "\n".join(["r-1", "user-9", str(timestamp), hashlib.sha256(body).hexdigest()])
    return {
        "X-Fal-Webhook-Request-Id": "r-1",
        "X-Fal-Webhook-User-Id": "user-9",
        "X-Fal-Webhook-Timestamp": str(timestamp),
        "X-Fal-Webhook-Signature": key.sign(message.encode()).hex(),
    }


@pytest.fixture
def key() -> Ed25519PrivateKey:
    return Ed25519PrivateKey.generate()


def test_a_correct_signature_is_accepted(key: Ed25519PrivateKey) -> None:
    other = Ed25519PrivateKey.generate()
    jwks = {"keys": [jwk(other), jwk(key)]}
    delivery = verify_fal_webhook(signed(key), BODY, jwks, NOW + 10)
    assert delivery.request_id == "r-1"
    assert delivery.user_id == "user-9"
    assert delivery.body["status"] == "OK"
    lower = {k.lower(): v for k, v in signed(key).items()}
    assert verify_fal_webhook(lower, BODY, jwks, NOW).timestamp == NOW


def test_a_changed_body_is_refused(key: Ed25519PrivateKey) -> None:
    with pytest.raises(WebhookSignatureInvalidError):
        verify_fal_webhook(signed(key), BODY.replace(b"OK", b"KO"), {"keys": [jwk(key)]}, NOW)


def test_another_key_is_refused(key: Ed25519PrivateKey) -> None:
    stranger = Ed25519PrivateKey.generate()
    with pytest.raises(WebhookSignatureInvalidError):
        verify_fal_webhook(signed(stranger), BODY, {"keys": [jwk(key)]}, NOW)


@pytest.mark.parametrize("skew", [-301, 301, 3600])
def test_stale_or_future_deliveries_are_refused(key: Ed25519PrivateKey, skew: int) -> None:
    with pytest.raises(WebhookSignatureInvalidError, match="timestamp"):
        verify_fal_webhook(signed(key), BODY, {"keys": [jwk(key)]}, NOW + skew)


@pytest.mark.parametrize(
    ("header", "value"),
    [("X-Fal-Webhook-Signature", "not-hex"), ("X-Fal-Webhook-Timestamp", "yesterday")],
)
def test_malformed_headers_are_refused(key: Ed25519PrivateKey, header: str, value: str) -> None:
    headers = {**signed(key), header: value}
    with pytest.raises(WebhookSignatureInvalidError):
        verify_fal_webhook(headers, BODY, {"keys": [jwk(key)]}, NOW)


@pytest.mark.parametrize("missing", ["X-Fal-Webhook-Signature", "X-Fal-Webhook-User-Id"])
def test_an_unsigned_request_is_unauthenticated(key: Ed25519PrivateKey, missing: str) -> None:
    headers = {k: v for k, v in signed(key).items() if k != missing}
    with pytest.raises(WebhookSignatureMissingError) as caught:
        verify_fal_webhook(headers, BODY, {"keys": [jwk(key)]}, NOW)
    assert isinstance(caught.value, AuthenticationError)
    assert not isinstance(caught.value, PermissionDeniedError)


def test_a_body_that_is_not_an_object_is_refused(key: Ed25519PrivateKey) -> None:
    body = b"[1, 2]"
    with pytest.raises(WebhookSignatureInvalidError, match="JSON object"):
        verify_fal_webhook(signed(key, body), body, {"keys": [jwk(key)]}, NOW)


def test_only_ed25519_keys_are_used(key: Ed25519PrivateKey) -> None:
    jwks: dict[str, Any] = {"keys": [
        {"kty": "RSA", "n": "abc", "e": "AQAB"}, {"kty": "OKP", "crv": "X25519", "x": "AAAA"},
        {"kty": "OKP", "crv": "Ed25519", "x": "%%%"}, "junk", jwk(key),
    ]}  # fmt: skip
    assert len(jwks_public_keys(jwks)) == 1
    assert jwks_public_keys({}) == []


async def test_the_key_cache_refreshes_once_for_a_rotated_key(key: Ed25519PrivateKey) -> None:
    old = Ed25519PrivateKey.generate()
    served = [{"keys": [jwk(old)]}, {"keys": [jwk(key)]}]
    fetched: list[str] = []
    clock = [float(NOW)]

    async def fetch(url: str) -> dict[str, Any]:
        fetched.append(url)
        return served[min(len(fetched), len(served)) - 1]

    cache = JwksCache("https://keys.test/jwks", fetch=fetch, clock=lambda: clock[0])
    with pytest.raises(WebhookSignatureInvalidError):
        await cache.verify(signed(key), BODY)  # the first fetch just happened: no refresh
    assert len(fetched) == 1
    clock[0] += 400
    delivery = await cache.verify(signed(key, timestamp=int(clock[0])), BODY)
    assert delivery.request_id == "r-1"
    assert fetched == ["https://keys.test/jwks"] * 2
    await cache.verify(signed(key, timestamp=int(clock[0])), BODY)
    assert len(fetched) == 2
    clock[0] += 90_000
    await cache.keys()
    assert len(fetched) == 3


async def test_keys_are_fetched_over_http() -> None:
    with run_fake_fal() as fal:
        jwks = await fetch_jwks(fal.jwks_url)
        assert jwks == fal.jwks()
        with pytest.raises(ProviderError, match="could not be fetched"):
            await fetch_jwks(f"{fal.base_url}/nowhere")
        fal.fail_next("jwks", 200, {"keys": "none"})
        assert await fetch_jwks(fal.jwks_url) == {"keys": "none"}
