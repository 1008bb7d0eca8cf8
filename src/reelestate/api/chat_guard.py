"""Every request to the chat (pages, history, the socket) is checked against the database.

Chainlit trusts its session cookie until the cookie expires. This middleware reads the same
cookie first: when the person it names was removed, changed role or reset their password since
it was made, the request is refused (401, cookie cleared; a socket is closed before it opens)
on the very next request. It also hands the client's address to the chat's sign-in callback,
which Chainlit calls without the request.
"""

from __future__ import annotations

import asyncio
import json
import uuid
from http.cookies import SimpleCookie
from typing import Any

import jwt
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from reelestate.api.security.client_address import client_address
from reelestate.api.services import AppServices
from reelestate.chat_ui.services import client_address as chat_client_address
from reelestate.chat_ui.services import sign_in_refusal
from reelestate.core.errors import AuthenticationError
from reelestate.storage.context import TenantContext
from reelestate.storage.models import Role

COOKIE = "access_token"
_STATIC = ("/assets/", "/public/", "/favicon", "/logo", "/avatars/", "/project/translations")


def _cookies(scope: Scope) -> dict[str, str]:
    jar: SimpleCookie = SimpleCookie()
    for name, value in scope.get("headers", []):
        if name == b"cookie":
            try:
                jar.load(value.decode("latin-1"))
            except Exception:  # noqa: S112 - a malformed cookie header is no session
                continue
    return {k: v.value for k, v in jar.items()}


def chat_token(cookies: dict[str, str]) -> str | None:
    """Chainlit's cookie, whole or in its numbered chunks."""
    if COOKIE in cookies:
        return cookies[COOKIE]
    parts = []
    for i in range(100):
        part = cookies.get(f"{COOKIE}_{i}")
        if part is None:
            break
        parts.append(part)
    return "".join(parts) or None


def _session(token: str, secret: bytes) -> tuple[TenantContext, Any] | None:
    """The tenant and session version a valid chat cookie names (None: not ours to judge,
    Chainlit refuses expired or forged cookies itself)."""
    try:
        data = jwt.decode(token, secret, algorithms=["HS256"])
    except jwt.InvalidTokenError:
        return None
    meta = data.get("metadata") or {}
    try:
        ctx = TenantContext(
            org_id=uuid.UUID(str(meta["org_id"])),
            user_id=uuid.UUID(str(meta["user_id"])),
            role=Role(str(meta.get("role", "member"))),
        )
    except (KeyError, ValueError):
        raise AuthenticationError("This chat session is not valid.") from None
    return ctx, meta.get("sv")


class ChatSessionGuard:
    def __init__(self, app: ASGIApp, *, prefix: str, secret: bytes) -> None:
        self.app = app
        self.prefix = prefix
        self.secret = secret

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path: str = scope.get("path", "")
        if scope["type"] not in ("http", "websocket") or not path.startswith(self.prefix):
            await self.app(scope, receive, send)
            return
        services: AppServices | None = getattr(scope["app"].state, "services", None)
        rest = path[len(self.prefix) :]
        if services is not None:
            headers = {
                k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]
            }
            peer = scope.get("client")
            chat_client_address.set(
                client_address(peer[0] if peer else None, headers, services.trusted_proxies)
            )
            token = chat_token(_cookies(scope))
            if token and not rest.startswith(_STATIC) and not await self._stands(services, token):
                await self._refuse(scope, send)
                return
        if scope["type"] == "http" and rest == "/login" and scope.get("method") == "POST":
            await self._sign_in(scope, receive, send)
            return
        await self.app(scope, receive, send)

    async def _sign_in(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Chainlit's sign-in, with a rate-limited attempt answered 429 (not "wrong
        credentials")."""
        refusal: list[str] = []
        sign_in_refusal.set(refusal)
        replaced = False

        async def answer(message: Message) -> None:
            nonlocal replaced
            if message["type"] == "http.response.start" and refusal and message["status"] == 401:
                replaced = True
                body = json.dumps({"detail": refusal[0]}).encode()
                await send(
                    {
                        "type": "http.response.start",
                        "status": 429,
                        "headers": [
                            (b"content-type", b"application/json"),
                            (b"content-length", str(len(body)).encode()),
                        ],
                    }
                )
                await send({"type": "http.response.body", "body": body})
                return
            if not replaced:
                await send(message)

        await self.app(scope, receive, answer)

    async def _stands(self, services: AppServices, token: str) -> bool:
        try:
            found = _session(token, self.secret)
            if found is None:
                return True
            ctx, version = found
            await asyncio.to_thread(services.sessions.check, ctx, version)
        except AuthenticationError:
            return False
        return True

    async def _refuse(self, scope: Scope, send: Send) -> None:
        if scope["type"] == "websocket":
            await send({"type": "websocket.close", "code": 4401})
            return
        body = b'{"detail":"This session has ended: sign in again."}'
        await send(
            {
                "type": "http.response.start",
                "status": 401,
                "headers": [
                    (b"content-type", b"application/json"),
                    (b"content-length", str(len(body)).encode()),
                    (b"set-cookie", f"{COOKIE}=; Max-Age=0; Path=/; HttpOnly".encode()),
                    (b"cache-control", b"no-store"),
                ],
            }
        )
        await send({"type": "http.response.body", "body": body})
