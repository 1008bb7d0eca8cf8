"""Account mail through a real SMTP exchange: aiosmtpd on 127.0.0.1 receives the sign-up and
password-reset mails; the reset link works once and ends the sessions held before it."""

from __future__ import annotations

import time
from collections.abc import Iterator
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from starlette.testclient import TestClient

from reelestate.api.app import AppOptions, create_app
from reelestate.storage import migrate
from tests.agent.helpers import FileNameAnalyser
from tests.support.mail import link, parse, token_of
from tests.support.services import free_port
from tests.web.conftest import web_settings
from tests.web.helpers import PASSWORD


class Keep:
    def __init__(self) -> None:
        self.messages: list[tuple[str, list[str], bytes]] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.messages.append((envelope.mail_from, envelope.rcpt_tos, envelope.content))
        return "250 OK"


@pytest.fixture(scope="module")
def smtpd() -> Iterator[Keep]:
    keep = Keep()
    controller = Controller(keep, hostname="127.0.0.1", port=free_port())
    controller.start()
    keep.port = controller.port  # type: ignore[attr-defined]
    try:
        yield keep
    finally:
        controller.stop()


@pytest.fixture(scope="module")
def client(smtpd: Keep, tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    settings = web_settings(
        tmp_path_factory.mktemp("mail"),
        SMTP_URL=f"smtp://127.0.0.1:{smtpd.port}?starttls=off",  # type: ignore[attr-defined]
        REELESTATE_MAIL_FROM="Studio <no-reply@studio.example>",
    )
    migrate.upgrade(settings)
    app = create_app(settings, AppOptions(chat=False, analyser=FileNameAnalyser()))
    with TestClient(app) as test_client:
        yield test_client


def mail_to(smtpd: Keep, to: str, count: int = 1) -> EmailMessage:
    deadline = time.monotonic() + 10
    while True:
        mine = [parse(data) for _, rcpt, data in smtpd.messages if to in rcpt]
        if len(mine) >= count:
            return mine[count - 1]
        assert time.monotonic() < deadline, f"no mail to {to}"
        time.sleep(0.05)


def test_sign_up_and_reset_mails_arrive_and_the_reset_link_works_once(
    client: TestClient, smtpd: Keep, tmp_path: Path
) -> None:
    email = "mail-agent@example.com"
    started = client.post(
        "/api/v1/auth/signup",
        json={"email": email, "password": PASSWORD, "organization_name": "Mail Realty"},
    )
    assert started.status_code == 202
    welcome = mail_to(smtpd, email)
    assert welcome["From"] == "Studio <no-reply@studio.example>"
    assert welcome["Message-ID"] and welcome["Date"]
    verified = client.post(
        "/api/v1/auth/verify-email", json={"token": token_of(link(welcome, "/verify-email"))}
    )
    assert verified.status_code == 200, verified.text
    old = {"Authorization": f"Bearer {verified.json()['access_token']}"}
    assert client.get("/api/v1/users/me", headers=old).status_code == 200
    # The verification link was spent.
    again = client.post(
        "/api/v1/auth/verify-email", json={"token": token_of(link(welcome, "/verify-email"))}
    )
    assert again.status_code == 404

    asked = client.post("/api/v1/auth/password-reset", json={"email": email})
    nobody = client.post("/api/v1/auth/password-reset", json={"email": "ghost@example.com"})
    assert asked.status_code == nobody.status_code == 202
    assert asked.json() == nobody.json()
    reset = token_of(link(mail_to(smtpd, email, count=2), "/reset-password"))
    new_password = "a brand new passphrase"
    done = client.post(
        "/api/v1/auth/password-reset/confirm", json={"token": reset, "password": new_password}
    )
    assert done.status_code == 204, done.text
    twice = client.post(
        "/api/v1/auth/password-reset/confirm", json={"token": reset, "password": "another one 123"}
    )
    assert twice.status_code == 404
    assert "used already" in twice.json()["title"]
    # Every session from before the reset has ended; the new password signs in.
    assert client.get("/api/v1/users/me", headers=old).status_code == 401
    old_refresh = client.post(
        "/api/v1/auth/refresh", json={"refresh_token": verified.json()["refresh_token"]}
    )
    assert old_refresh.status_code == 401
    login = client.post("/api/v1/auth/login", json={"email": email, "password": new_password})
    assert login.status_code == 200
    assert not [m for _, rcpt, _ in smtpd.messages for m in rcpt if "ghost" in m]
