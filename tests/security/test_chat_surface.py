"""Findings 10 and 11 on the chat (security headers and CSP on its page, a `Secure` session
cookie behind an HTTPS proxy) and the chat attacks that held: markup in messages is never HTML,
and no other origin may call the app with the person's cookies (CORS)."""

from __future__ import annotations

import re

import httpx

from tests.support.web import ChatServer
from tests.web.chat_client import ChatClient

EVIL = "https://evil.example"


def test_the_chat_page_runs_only_its_own_scripts(chat_server: ChatServer) -> None:
    page = httpx.get(f"{chat_server.base}/chat/", timeout=30)
    assert page.status_code == 200
    assert page.headers["x-frame-options"] == "DENY"
    assert page.headers["x-content-type-options"] == "nosniff"
    csp = page.headers["content-security-policy"]
    assert "frame-ancestors 'none'" in csp and "object-src 'none'" in csp
    nonce = re.search(r"'nonce-([^']+)'", csp)
    assert nonce is not None and "unsafe-inline" not in csp.split("script-src")[1].split(";")[0]
    scripts = re.findall(r"<script[^>]*>", page.text)
    assert scripts and all(f'nonce="{nonce.group(1)}"' in s for s in scripts)
    assert "fonts.googleapis.com" not in page.text and "cdn.jsdelivr.net" not in page.text
    again = httpx.get(f"{chat_server.base}/chat/", timeout=30).headers["content-security-policy"]
    assert again != csp  # a fresh nonce per answer


def test_the_session_cookie_is_secure_behind_an_https_proxy(chat_server: ChatServer) -> None:
    form = {"username": chat_server.admin_email, "password": chat_server.admin_password}
    plain = httpx.post(f"{chat_server.base}/chat/login", data=form, timeout=30)
    proxied = httpx.post(
        f"{chat_server.base}/chat/login", data=form, timeout=30,
        headers={"X-Forwarded-Proto": "https"},
    )  # fmt: skip
    assert plain.status_code == proxied.status_code == 200
    assert "secure" not in plain.headers["set-cookie"].lower()  # plain HTTP on a laptop
    cookie = proxied.headers["set-cookie"].lower()
    assert "secure" in cookie and "httponly" in cookie
    assert proxied.headers["strict-transport-security"].startswith("max-age=")


def test_no_other_origin_may_call_with_the_cookie(chat_server: ChatServer) -> None:
    for method, path in (("OPTIONS", "/chat/project/threads"), ("OPTIONS", "/api/v1/projects"),
                         ("GET", "/chat/user"), ("GET", "/api/v1/projects")):  # fmt: skip
        answer = httpx.request(
            method, f"{chat_server.base}{path}", timeout=30,
            headers={"Origin": EVIL, "Access-Control-Request-Method": "POST"},
        )  # fmt: skip
        assert answer.headers.get("access-control-allow-origin") not in {EVIL, "*"}
        assert answer.headers.get("access-control-allow-credentials") != "true" or (
            answer.headers.get("access-control-allow-origin") is None
        )


async def test_markup_in_messages_is_never_rendered_as_html(chat_server: ChatServer) -> None:
    client = ChatClient(chat_server.base)
    try:
        assert await client.sign_in(chat_server.admin_email, chat_server.admin_password) == 200
        settings = await client.http.get("/chat/project/settings", params={"language": "en-US"})
        assert settings.status_code == 200, settings.text
        assert settings.json()["features"]["unsafe_allow_html"] is False
    finally:
        await client.close()
