"""Finding 9: sign-up said "An account with this email exists".

The attack: sign up with an address that has an account and with one that has none, over REST
and the HTML form. The answers are the same; only the mailbox learns which it was.
"""

from __future__ import annotations

import re
import uuid

import httpx

from tests.security.accounts.conftest import new_owner
from tests.support.mail import body, wait_for_mail
from tests.support.web import ChatServer
from tests.web.helpers import PASSWORD


def _form(http: httpx.Client, email: str) -> httpx.Response:
    page = http.get("/signup")
    csrf = re.search(r'name="csrf" value="([^"]+)"', page.text)
    assert csrf
    return http.post(
        "/signup",
        data={
            "csrf": csrf[1],
            "email": email,
            "password": PASSWORD,
            "organization_name": "Probe",
        },
    )


def test_sign_up_answers_the_same_for_known_and_unknown_addresses(
    http: httpx.Client, chat_server: ChatServer
) -> None:
    known = new_owner(http, chat_server).email
    unknown = f"nobody-{uuid.uuid4().hex[:8]}@example.com"
    answers = []
    for email in (known, unknown):
        rest = http.post(
            "/api/v1/auth/signup",
            json={"email": email, "password": PASSWORD, "organization_name": "Probe"},
        )
        answers.append((rest.status_code, rest.json()))
    assert answers[0] == answers[1]
    assert answers[0][0] == 202
    form_known, form_unknown = _form(http, known), _form(http, unknown)
    assert form_known.status_code == form_unknown.status_code == 200
    assert form_known.text == form_unknown.text
    # The owner of the known address hears of it by mail, with a way back in.
    outbox = chat_server.settings.outbox_dir
    notice = body(wait_for_mail(outbox, known, count=2))
    assert "already" in notice and "/reset-password" in notice
    assert "/verify-email?token=" in body(wait_for_mail(outbox, unknown))
