"""Security headers on every HTTP answer, and `Secure` cookies when the app is served over HTTPS.

- `X-Content-Type-Options: nosniff` everywhere, so a browser never runs a blob (a photo that is
  also valid HTML or script) as anything but its declared type.
- `X-Frame-Options: DENY` and CSP `frame-ancestors 'none'`: no page of the app can be framed
  (click-jacking).
- `Referrer-Policy: no-referrer`: signed links and `?token=` never leave in a `Referer`.
- A Content-Security-Policy. HTML pages (the chat, the API docs) may run only their own scripts:
  same-origin files plus the inline scripts of that very answer, which get a fresh nonce; styles
  may be inline (the chat's components set them at run time); images and media come from the app
  and the blob store's public origin. Any other answer (JSON, blobs) gets `default-src 'none'`.
- `Strict-Transport-Security` once a request arrived over HTTPS.

HTTPS is known from the request's scheme (uvicorn takes `X-Forwarded-Proto` from the proxies it
trusts, `FORWARDED_ALLOW_IPS`) or from an `https://` `REELESTATE_PUBLIC_URL`; cookies set then
(the chat's session) get `Secure`.
"""

from __future__ import annotations

import gzip
import re
import secrets
from collections.abc import Iterable
from urllib.parse import urlsplit

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from reelestate.core.settings import Settings

_SCRIPT_TAG = re.compile(rb"<script(?=[\s>])", re.IGNORECASE)
_EXTERNAL_LINK = re.compile(rb"<link\b[^>]*\bhref=\"https?://[^\"]*\"[^>]*>", re.IGNORECASE)
"""Stylesheets and preconnects on other origins (the chat's page names web fonts and a maths
stylesheet on public CDNs): removed, so a page never makes the browser call a third party."""
_SECURE_ATTRIBUTE = re.compile(rb";\s*secure\s*(;|$)", re.IGNORECASE)
HSTS = "max-age=31536000"
DATA_CSP = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"
MAX_HTML_BYTES = 2 * 1024 * 1024
"""HTML answers are rewritten in memory to add the nonce; larger ones are left unchanged."""


def origin_of(url: str | None) -> str | None:
    """`scheme://host[:port]` of `url`, or None when it is not an absolute http(s) URL."""
    if not url:
        return None
    parts = urlsplit(url)
    if parts.scheme not in {"http", "https"} or not parts.netloc:
        return None
    return f"{parts.scheme}://{parts.netloc}"


def media_origins(settings: Settings) -> list[str]:
    """Where signed blob URLs may point besides the app: the CDN and the S3 endpoint."""
    found = [origin_of(settings.cdn_base_url), origin_of(settings.s3_endpoint_url)]
    if settings.s3_bucket and not settings.s3_endpoint_url:
        found.append(f"https://{settings.s3_bucket}.s3.amazonaws.com")
    return sorted({o for o in found if o})


def page_csp(nonce: str, media: Iterable[str] = ()) -> str:
    """The policy of an HTML page answered with `nonce` on its inline scripts."""
    extra = " ".join(media)
    sources = f"'self' data: blob: {extra}".strip()
    return "; ".join(
        (
            "default-src 'self'",
            f"script-src 'self' 'nonce-{nonce}'",
            "style-src 'self' 'unsafe-inline'",
            f"img-src {sources}",
            f"media-src {sources}",
            "font-src 'self' data:",
            "connect-src 'self'",
            "worker-src 'self' blob:",
            "object-src 'none'",
            "frame-src 'self'",
            "frame-ancestors 'none'",
            "base-uri 'self'",
            "form-action 'self'",
        )
    )


class SecurityHeaders:
    """Pure ASGI middleware (it must see the streamed body of HTML pages and leave WebSockets
    and other streams untouched)."""

    def __init__(self, app: ASGIApp, settings: Settings) -> None:
        self.app = app
        self.public_https = (settings.public_base_url or "").startswith("https://")
        self.media = media_origins(settings)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        https = scope.get("scheme") == "https" or self.public_https
        start: Message | None = None
        html = False
        body: list[bytes] = []
        size = 0

        async def send_with_headers(message: Message) -> None:
            nonlocal start, html, size
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                content_type = _header(headers, b"content-type")
                html = content_type.startswith(b"text/html") and _has_body(scope, message)
                message = {**message, "headers": _secured(headers, https=https, html=html)}
                if not html:
                    await send(message)
                    return
                start = message
                return
            if message["type"] != "http.response.body" or start is None:
                await send(message)
                return
            body.append(message.get("body", b""))
            size += len(body[-1])
            if message.get("more_body", False) and size <= MAX_HTML_BYTES:
                return
            await self._send_page(send, start, b"".join(body), message.get("more_body", False))
            start = None
            body.clear()

        await self.app(scope, receive, send_with_headers)

    async def _send_page(self, send: Send, start: Message, page: bytes, more: bool) -> None:
        """The page with a nonce on each of its scripts and the CSP that names it. A page too
        large to hold, or in an encoding other than gzip, is sent as it is (its inline scripts
        then stay blocked)."""
        nonce = secrets.token_urlsafe(16)
        headers = list(start["headers"])
        encoding = _header(headers, b"content-encoding")
        rewrite = not more and encoding in {b"", b"identity", b"gzip"}
        if rewrite:
            if encoding == b"gzip":  # the chat compresses its page; sent unpacked
                page = gzip.decompress(page)
            page = _EXTERNAL_LINK.sub(b"", page)
            page = _SCRIPT_TAG.sub(f'<script nonce="{nonce}"'.encode(), page)
            dropped = {b"content-length", b"content-encoding", b"content-security-policy"}
            headers = [(k, v) for k, v in headers if k.lower() not in dropped]
            headers.append((b"content-length", str(len(page)).encode()))
        else:
            headers = [(k, v) for k, v in headers if k.lower() != b"content-security-policy"]
        headers.append((b"content-security-policy", page_csp(nonce, self.media).encode()))
        await send({**start, "headers": headers})
        await send({"type": "http.response.body", "body": page, "more_body": more})


def _has_body(scope: Scope, start: Message) -> bool:
    """Whether the answer carries a page to rewrite (not HEAD, 204 or 304)."""
    return scope.get("method") != "HEAD" and start.get("status") not in {204, 304}


def _header(headers: list[tuple[bytes, bytes]], name: bytes) -> bytes:
    for key, value in headers:
        if key.lower() == name:
            return value.lower()
    return b""


def _secured(
    headers: list[tuple[bytes, bytes]], *, https: bool, html: bool
) -> list[tuple[bytes, bytes]]:
    present = {k.lower() for k, _ in headers}
    out: list[tuple[bytes, bytes]] = []
    for key, value in headers:
        cookie = key.lower() == b"set-cookie"
        secure = https and cookie and not _SECURE_ATTRIBUTE.search(value)
        out.append((key, value + b"; Secure" if secure else value))
    defaults = [
        (b"x-content-type-options", b"nosniff"),
        (b"x-frame-options", b"DENY"),
        (b"referrer-policy", b"no-referrer"),
    ]
    if not html:
        defaults.append((b"content-security-policy", DATA_CSP.encode()))
    if https:
        defaults.append((b"strict-transport-security", HSTS.encode()))
    out += [(k, v) for k, v in defaults if k not in present]
    return out
