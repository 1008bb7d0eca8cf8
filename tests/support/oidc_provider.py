"""A small OpenID Connect provider on 127.0.0.1 standing in for Google.

It serves discovery, `/authorize` (no login page: straight back with a code), `/token` (client
secret, single-use code, exact redirect URI, PKCE) with an RS256 ID token signed by a key made
at start, and `/jwks`. `spoil` makes the next ID token wrong in one way, for the refusals.
"""

from __future__ import annotations

import base64
import hashlib
import secrets
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa
from fastapi import FastAPI, Form, Header, HTTPException, Request
from fastapi.responses import JSONResponse, RedirectResponse
from jwt.algorithms import RSAAlgorithm

from tests.web.live_server import live_server

CLIENT_ID = "reelestate-test-client"
CLIENT_SECRET = "reelestate-test-secret"
KID = "test-key-1"


@dataclass
class Person:
    sub: str
    email: str
    email_verified: bool = True
    name: str = "Grace Hopper"


@dataclass
class Provider:
    base: str = ""
    person: Person = field(default_factory=lambda: Person("google-sub-1", "grace@example.com"))
    spoil: str | None = None
    """None, or one of: nonce, expired, unverified, signature."""
    codes: dict[str, dict[str, Any]] = field(default_factory=dict)
    key: rsa.RSAPrivateKey = field(
        default_factory=lambda: rsa.generate_private_key(public_exponent=65537, key_size=2048)
    )

    def id_token(self, nonce: str) -> str:
        now = int(time.time())
        claims: dict[str, Any] = {
            "iss": self.base,
            "aud": CLIENT_ID,
            "sub": self.person.sub,
            "email": self.person.email,
            "email_verified": self.person.email_verified,
            "name": self.person.name,
            "iat": now,
            "exp": now + 600,
            "nonce": nonce,
        }
        key: Any = self.key
        if self.spoil == "nonce":
            claims["nonce"] = "not-the-nonce"
        elif self.spoil == "expired":
            claims["iat"], claims["exp"] = now - 3600, now - 1800
        elif self.spoil == "unverified":
            claims["email_verified"] = False
        elif self.spoil == "signature":
            key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        return jwt.encode(claims, key, algorithm="RS256", headers={"kid": KID})


def make_app(provider: Provider) -> FastAPI:
    app = FastAPI()

    @app.get("/.well-known/openid-configuration")
    async def discovery() -> dict[str, Any]:
        b = provider.base
        return {
            "issuer": b,
            "authorization_endpoint": f"{b}/authorize",
            "token_endpoint": f"{b}/token",
            "jwks_uri": f"{b}/jwks",
            "userinfo_endpoint": f"{b}/userinfo",
            "response_types_supported": ["code"],
            "subject_types_supported": ["public"],
            "id_token_signing_alg_values_supported": ["RS256"],
            "code_challenge_methods_supported": ["S256"],
            "token_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post"],
        }

    @app.get("/jwks")
    async def jwks() -> dict[str, Any]:
        public = RSAAlgorithm.to_jwk(provider.key.public_key(), as_dict=True)
        return {"keys": [{**public, "kid": KID, "use": "sig", "alg": "RS256"}]}

    @app.get("/authorize")
    async def authorize(request: Request) -> RedirectResponse:
        q = request.query_params
        if q.get("client_id") != CLIENT_ID or q.get("response_type") != "code":
            raise HTTPException(400, "bad client")
        code = secrets.token_urlsafe(16)
        provider.codes[code] = {
            "redirect_uri": q["redirect_uri"],
            "nonce": q.get("nonce", ""),
            "challenge": q.get("code_challenge"),
            "at": time.time(),
        }
        return RedirectResponse(
            f"{q['redirect_uri']}?{urlencode({'code': code, 'state': q['state']})}", 302
        )

    @app.post("/token")
    async def token(
        code: str = Form(),
        redirect_uri: str = Form(),
        code_verifier: str = Form(default=""),
        client_id: str = Form(default=""),
        client_secret: str = Form(default=""),
        authorization: str = Header(default=""),
    ) -> JSONResponse:
        if authorization.startswith("Basic "):
            client_id, _, client_secret = (
                base64.b64decode(authorization[6:]).decode().partition(":")
            )
        if (client_id, client_secret) != (CLIENT_ID, CLIENT_SECRET):
            return JSONResponse({"error": "invalid_client"}, status_code=401)
        grant = provider.codes.pop(code, None)
        if grant is None or grant["redirect_uri"] != redirect_uri:
            return JSONResponse({"error": "invalid_grant"}, status_code=400)
        digest = hashlib.sha256(code_verifier.encode()).digest()
        if base64.urlsafe_b64encode(digest).rstrip(b"=").decode() != grant["challenge"]:
            return JSONResponse({"error": "invalid_grant"}, status_code=400)
        return JSONResponse(
            {
                "access_token": secrets.token_urlsafe(16),
                "token_type": "Bearer",
                "expires_in": 3600,
                "id_token": provider.id_token(grant["nonce"]),
            }
        )

    return app


@contextmanager
def oidc_provider() -> Iterator[Provider]:
    provider = Provider()
    with live_server(make_app(provider)) as base:
        provider.base = base
        yield provider
