"""Finding 12: one refresh token worked any number of times.

The attack: a stolen refresh token is used after its owner has used it. Each refresh token
works once; the replay is refused and ends the whole family, so the thief's and the owner's
newer tokens stop working too.
"""

from __future__ import annotations

import httpx

from tests.security.accounts.conftest import new_owner
from tests.support.web import ChatServer


def test_a_replayed_refresh_token_revokes_its_family(
    http: httpx.Client, chat_server: ChatServer
) -> None:
    owner = new_owner(http, chat_server)
    stolen = owner.tokens["refresh_token"]
    first = http.post("/api/v1/auth/refresh", json={"refresh_token": stolen})
    assert first.status_code == 200
    newer = first.json()["refresh_token"]
    assert newer != stolen
    replay = http.post("/api/v1/auth/refresh", json={"refresh_token": stolen})
    assert replay.status_code == 401
    assert "used already" in replay.json()["title"]
    assert http.post("/api/v1/auth/refresh", json={"refresh_token": newer}).status_code == 401
