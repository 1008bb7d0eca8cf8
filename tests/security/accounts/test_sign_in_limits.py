"""Finding 4: the chat's sign-in limit counted by email only (anyone could lock the real person
out, and a locked attempt said "wrong password"); the REST limit was bypassed by forging
`X-Forwarded-For`.

The attack: from one address, wrong passwords with a fresh forged `X-Forwarded-For` each time.
The limit still holds (the header is not believed from an untrusted peer), a locked attempt
says it is rate limited, and the real person, from their own address, signs in.
"""

from __future__ import annotations

import httpx

from tests.security.accounts.conftest import new_owner
from tests.support.web import ChatServer
from tests.web.helpers import PASSWORD

LIMIT = 5  # REELESTATE_LOGIN_LIMIT of the test server


def _from(address: str, base: str) -> httpx.Client:
    return httpx.Client(
        base_url=base, transport=httpx.HTTPTransport(local_address=address), timeout=30
    )


def test_guessing_neither_bypasses_the_limit_nor_locks_the_owner_out(
    http: httpx.Client, chat_server: ChatServer
) -> None:
    victim = new_owner(http, chat_server)
    with _from("127.0.0.3", chat_server.base) as attacker:
        for n in range(LIMIT):
            wrong = attacker.post(
                "/api/v1/auth/login",
                json={"email": victim.email, "password": "not the password"},
                headers={"X-Forwarded-For": f"198.51.100.{n}"},
            )
            assert wrong.status_code == 401
        locked = attacker.post(
            "/api/v1/auth/login",
            json={"email": victim.email, "password": PASSWORD},
            headers={"X-Forwarded-For": "203.0.113.77"},
        )
        assert locked.status_code == 429
        assert "Too many sign-in attempts" in locked.json()["title"]
        # The chat's own sign-in form counts the same way and says so too.
        chat_locked = attacker.post(
            "/chat/login", data={"username": victim.email, "password": PASSWORD}
        )
        assert chat_locked.status_code == 429
        assert "Too many sign-in attempts" in chat_locked.text
        assert "wrong" not in chat_locked.text.lower()
    with _from("127.0.0.4", chat_server.base) as owner:
        ok = owner.post("/api/v1/auth/login", json={"email": victim.email, "password": PASSWORD})
        assert ok.status_code == 200
        chat = owner.post("/chat/login", data={"username": victim.email, "password": PASSWORD})
        assert chat.status_code == 200


def test_forwarded_addresses_are_believed_only_from_configured_proxies() -> None:
    from reelestate.api.security.client_address import (  # noqa: PLC0415
        client_address,
        trusted_networks,
    )

    proxies = trusted_networks("10.0.0.0/8, 192.0.2.1")
    forged = {"x-forwarded-for": "203.0.113.9"}
    assert client_address("198.51.100.7", forged, proxies) == "198.51.100.7"
    assert client_address("198.51.100.7", forged, ()) == "198.51.100.7"
    # Through the proxy: the right-most address the proxies did not add is the client's, so a
    # client cannot prepend a fake hop.
    chain = {"x-forwarded-for": "203.0.113.9, 198.51.100.20, 10.1.2.3"}
    assert client_address("192.0.2.1", chain, proxies) == "198.51.100.20"
