"""Findings 5 to 8, 10 and 11 against the REST app: secrets in logs, the fal webhook, a project
made with another organisation's brand kit, a non-ASCII blob signature, security headers and
the API docs without a CDN."""

from __future__ import annotations

import io
import logging
import time
from typing import Any

import pytest
from fastapi import FastAPI
from PIL import Image
from starlette.responses import PlainTextResponse
from starlette.routing import Route
from starlette.testclient import TestClient
from uvicorn.logging import AccessFormatter

from reelestate.api import problems
from reelestate.api.app import AppOptions, create_app
from reelestate.api.bootstrap import AdminLogin, ensure_first_admin
from reelestate.api.security.headers import SecurityHeaders
from reelestate.api.v1.webhooks import fal_webhook_router
from reelestate.cli.serve_cmd import admin_lines
from reelestate.core.errors import ProviderError
from reelestate.core.logging import SecretRedactingFilter, install_redaction
from reelestate.core.settings import Settings
from reelestate.providers.video_gen.inbox import InMemoryWebhookInbox
from reelestate.providers.video_gen.webhook import SIGNED_HEADERS, JwksCache
from tests.security.conftest import Member, new_member, security_settings

TOKENS = {
    "jwt": "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhbm4ifQ.c2lnbmF0dXJlLWJ5dGVz",
    "api_key": "rs_0a1b2c3d4e5f.00000000000040008000000000000001.Zm9vYmFyYmF6cXV4",
    "invitation": "inv_0123456789abcdef0123456789abcdef.c2VjcmV0LXBhcnQ",
    "signature": "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
}


def png(size: tuple[int, int] = (320, 240)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (40, 80, 120)).save(out, "PNG")
    return out.getvalue()


# -- finding 5: secrets in logs ---------------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    [
        f"/api/v1/jobs/1/events?token={TOKENS['jwt']}",
        f"/chat/ws/socket.io/?EIO=4&transport=websocket&token={TOKENS['api_key']}",
        f"/blobs/org/x/media/a.jpg?expires=1&signature={TOKENS['signature']}",
        f"/files/a.mp4?X-Amz-Credential=AKIA&X-Amz-Signature={TOKENS['signature']}&sig=abcdef12",
        f"/join?token={TOKENS['invitation']}",
    ],
)
def test_the_access_log_never_shows_a_credential(path: str) -> None:
    record = logging.LogRecord(
        "uvicorn.access", logging.INFO, __file__, 1, '%s - "%s %s HTTP/%s" %d',
        ("127.0.0.1:5000", "GET", path, "1.1", 200), None,
    )  # fmt: skip
    SecretRedactingFilter([]).filter(record)
    line = AccessFormatter("%(client_addr)s - %(request_line)s %(status_code)s").format(record)
    assert "GET /" in line and "200" in line
    for secret in TOKENS.values():
        assert secret not in line
    assert "AKIA" not in line and "abcdef12" not in line


def test_uvicorns_own_loggers_get_the_filter(
    tmp_path: Any, caplog: pytest.LogCaptureFixture
) -> None:
    install_redaction(security_settings(tmp_path))
    with caplog.at_level(logging.INFO, logger="uvicorn.error"):
        logging.getLogger("uvicorn.error").info(
            '%s - "WebSocket %s" [accepted]', "127.0.0.1:1", f"/x?token={TOKENS['jwt']}"
        )
        logging.getLogger("reelestate").warning("Authorization: Bearer %s", TOKENS["api_key"])
    assert TOKENS["jwt"] not in caplog.text
    assert TOKENS["api_key"] not in caplog.text


def test_the_first_admins_password_is_never_printed(api: TestClient, tmp_path: Any) -> None:
    settings = security_settings(tmp_path, REELESTATE_ADMIN_PASSWORD=None)
    db = api.app.state.services.db  # type: ignore[attr-defined]
    made = ensure_first_admin(settings.model_copy(update={"admin_email": "first@x.io"}), db)
    assert made.password
    shown = "\n".join(admin_lines(made, "http://localhost:8000"))
    assert made.password not in shown
    assert "first-admin-password" in shown and "REELESTATE_ADMIN_PASSWORD" in shown
    given = AdminLogin(email="a@b.c", password="from the env 42", created=False,
                       from_environment=True)  # fmt: skip
    assert "from the env 42" not in "\n".join(admin_lines(given, "http://h"))


# -- finding 6: the fal webhook ---------------------------------------------------------------


class CountingKeys:
    def __init__(self, fail: bool) -> None:
        self.fail = fail
        self.fetches = 0

    async def __call__(self, url: str) -> dict[str, Any]:
        self.fetches += 1
        if self.fail:
            raise ProviderError("fal's webhook signing keys could not be fetched.")
        return {"keys": []}


def webhook_client(keys: CountingKeys) -> TestClient:
    app = FastAPI()
    problems.install(app)
    app.include_router(
        fal_webhook_router(InMemoryWebhookInbox(), JwksCache("http://keys.test", fetch=keys)),
        prefix="/api/v1",
    )
    return TestClient(app)


def test_an_unsigned_webhook_is_a_401_and_fetches_no_keys() -> None:
    keys = CountingKeys(fail=True)
    client = webhook_client(keys)
    for headers in ({}, {"x-fal-webhook-signature": "zz"}, dict.fromkeys(SIGNED_HEADERS, "1")):
        answer = client.post("/api/v1/webhooks/fal", content=b"{}", headers=headers)
        assert answer.status_code in {401, 403}, answer.text
    assert keys.fetches == 0


def test_a_failed_key_fetch_is_remembered() -> None:
    keys = CountingKeys(fail=True)
    client = webhook_client(keys)
    signed = {
        "x-fal-webhook-request-id": "r", "x-fal-webhook-user-id": "u",
        "x-fal-webhook-timestamp": str(int(time.time())), "x-fal-webhook-signature": "ab" * 64,
    }  # fmt: skip
    answers = {client.post("/api/v1/webhooks/fal", content=b"{}", headers=signed).status_code
               for _ in range(5)}  # fmt: skip
    assert answers == {502}
    assert keys.fetches == 1


def test_without_a_fal_key_there_is_no_webhook_route(api: TestClient) -> None:
    assert api.post("/api/v1/webhooks/fal", content=b"{}").status_code == 404


def test_with_a_fal_key_the_route_is_there(tmp_path: Any) -> None:
    app = create_app(security_settings(tmp_path, FAL_KEY="k:s"), AppOptions(chat=False))
    answer = TestClient(app).post("/api/v1/webhooks/fal", content=b"{}")  # no start-up needed
    assert answer.status_code == 401


# -- finding 7: a project with another organisation's brand kit ---------------------------------


def test_another_organisations_brand_kit_creates_nothing(api: TestClient) -> None:
    owner, intruder = new_member(api), new_member(api)
    kit = owner.call("POST", "/api/v1/brand-kits", json={"name": "Oak"}).json()["id"]
    answer = intruder.call(
        "POST", "/api/v1/projects", json={"title": "Mine now", "brand_kit_id": kit}
    )
    assert answer.status_code == 404
    assert intruder.call("GET", "/api/v1/projects").json()["total"] == 0
    assert owner.call("GET", "/api/v1/projects").json()["total"] == 0


# -- finding 8: a non-ASCII blob signature ------------------------------------------------------


def signed_media_url(member: Member) -> str:
    project = member.call("POST", "/api/v1/projects", json={"title": "Oak"}).json()["id"]
    upload = member.call(
        "POST", f"/api/v1/projects/{project}/media",
        files=[("files", ("room.png", io.BytesIO(png()), "image/png"))],
    )  # fmt: skip
    assert upload.status_code == 201, upload.text
    return str(upload.json()["items"][0]["url"])


def test_a_non_ascii_signature_is_a_404_problem(api: TestClient) -> None:
    url = signed_media_url(new_member(api))
    path, _, _ = url.partition("signature=")
    for forged in ("é" * 64, "%C3%A9", "\u202e" + "0" * 63, "a" * 128):
        answer = api.get(path.removeprefix("http://testserver") + "signature=" + forged)
        assert answer.status_code == 404, answer.text
        assert answer.headers["content-type"].startswith("application/problem+json")


# -- finding 10: security headers ---------------------------------------------------------------


def assert_secured(headers: Any) -> None:
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["x-frame-options"] == "DENY"
    assert "frame-ancestors 'none'" in headers["content-security-policy"]
    assert headers["referrer-policy"] == "no-referrer"


def test_api_blobs_and_problems_carry_security_headers(api: TestClient) -> None:
    member = new_member(api)
    url = signed_media_url(member)
    blob = api.get(url)
    assert blob.status_code == 200
    assert_secured(blob.headers)
    assert blob.headers["content-security-policy"].startswith("default-src 'none'")
    for answer in (member.call("GET", "/api/v1/projects"), api.get("/api/v1/nowhere"),
                   api.get("/healthz"), api.get("/api/v1/openapi.json")):  # fmt: skip
        assert_secured(answer.headers)


# -- finding 11: Secure cookies over HTTPS, docs without a CDN ----------------------------------


def cookie_app(settings: Settings) -> TestClient:
    def set_cookie(_: Any) -> PlainTextResponse:
        response = PlainTextResponse("ok")
        response.set_cookie("access_token", "t", httponly=True, samesite="lax")
        return response

    app = FastAPI(routes=[Route("/login", set_cookie, methods=["POST"])])
    app.add_middleware(SecurityHeaders, settings=settings)
    return TestClient(app, base_url="https://testserver")


def test_cookies_are_secure_when_served_over_https(tmp_path: Any) -> None:
    over_https = cookie_app(security_settings(tmp_path)).post("/login")
    assert "secure" in over_https.headers["set-cookie"].lower()
    assert over_https.headers["strict-transport-security"].startswith("max-age=")
    behind_proxy = TestClient(
        cookie_app(security_settings(tmp_path, REELESTATE_PUBLIC_URL="https://studio.example")).app,
        base_url="http://testserver",
    ).post("/login")
    assert "secure" in behind_proxy.headers["set-cookie"].lower()


def test_the_api_docs_load_nothing_from_another_origin(api: TestClient) -> None:
    page = api.get("/api/v1/docs")
    assert page.status_code == 200
    assert "cdn.jsdelivr" not in page.text and "https://" not in page.text
    csp = page.headers["content-security-policy"]
    assert "script-src 'self' 'nonce-" in csp
    nonce = csp.split("'nonce-")[1].split("'")[0]
    assert f'<script nonce="{nonce}"' in page.text
    script = api.get("/api/v1/docs/assets/swagger-ui-bundle.js")
    assert script.status_code == 200 and "SwaggerUIBundle" in script.text
    assert api.get("/api/v1/docs/assets/swagger-ui.css").status_code == 200
