"""Attacks on accounts against the whole app (`chat_server`: REST and chat on one live server):
people sign up through the mailed link and join by invitation, as they do in the product."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest

from tests.support.web import ChatServer
from tests.web.helpers import PASSWORD, sign_up


@dataclass
class Person:
    email: str
    tokens: dict[str, Any]

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.tokens['access_token']}"}


@pytest.fixture
def http(chat_server: ChatServer) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=chat_server.base, timeout=30) as client:
        yield client


def new_owner(http: httpx.Client, server: ChatServer) -> Person:
    email = f"owner-{uuid.uuid4().hex[:8]}@example.com"
    return Person(email, sign_up(http.post, server.settings.outbox_dir, email))


def invite(http: httpx.Client, owner: Person, role: str) -> tuple[Person, uuid.UUID]:
    email = f"{role}-{uuid.uuid4().hex[:8]}@example.com"
    made = http.post(
        "/api/v1/organizations/current/invitations",
        json={"email": email, "role": role},
        headers=owner.headers,
    )
    assert made.status_code == 201, made.text
    joined = http.post(
        "/api/v1/auth/accept-invitation",
        json={"token": made.json()["token"], "password": PASSWORD},
    )
    assert joined.status_code == 200, joined.text
    person = Person(email, joined.json())
    me = http.get("/api/v1/users/me", headers=person.headers).json()
    return person, uuid.UUID(me["user"]["id"])
