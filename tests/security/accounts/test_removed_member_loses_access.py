"""Finding 2: a removed member kept access (the chat cookie for 24 h, a REST token for 15 min).

The attack: an admin is removed, then tries every credential they still hold on the very next
request: their access token, their refresh token, the API key they made, their chat cookie
(history over HTTP and the chat socket). Each must be refused.
"""

from __future__ import annotations

import httpx
import socketio  # type: ignore[import-untyped]

from tests.security.accounts.conftest import invite, new_owner
from tests.support.web import ChatServer
from tests.web.helpers import PASSWORD

THREADS = {"pagination": {"first": 20}, "filter": {}}


def test_removed_member_is_refused_on_the_next_request(
    http: httpx.Client, chat_server: ChatServer
) -> None:
    owner = new_owner(http, chat_server)
    bob, bob_id = invite(http, owner, "admin")
    key = http.post(
        "/api/v1/organizations/current/api-keys", json={"name": "bob's"}, headers=bob.headers
    )
    assert key.status_code == 201, key.text
    api_key = {"Authorization": f"Bearer {key.json()['secret']}"}
    chat = http.post("/chat/login", data={"username": bob.email, "password": PASSWORD})
    assert chat.status_code == 200, chat.text
    cookie = {"Cookie": f"access_token={chat.cookies['access_token']}"}
    # Everything works while Bob is a member.
    assert http.get("/api/v1/users/me", headers=bob.headers).status_code == 200
    assert http.get("/api/v1/projects", headers=api_key).status_code == 200
    assert http.post("/chat/project/threads", json=THREADS, headers=cookie).status_code == 200

    removed = http.delete(f"/api/v1/organizations/current/members/{bob_id}", headers=owner.headers)
    assert removed.status_code == 204, removed.text

    assert http.get("/api/v1/users/me", headers=bob.headers).status_code == 401
    assert http.get("/api/v1/projects", headers=api_key).status_code == 401
    again = http.post("/api/v1/auth/refresh", json={"refresh_token": bob.tokens["refresh_token"]})
    assert again.status_code == 401
    history = http.post("/chat/project/threads", json=THREADS, headers=cookie)
    assert history.status_code == 401
    sio = socketio.Client(reconnection=False)
    try:
        sio.connect(
            chat_server.base,
            socketio_path="/chat/ws/socket.io",
            headers=cookie,
            auth={"clientType": "webapp", "sessionId": "s", "threadId": "t"},
            transports=["websocket"],
            wait_timeout=10,
        )
        connected = True
    except socketio.exceptions.ConnectionError:
        connected = False
    finally:
        sio.disconnect()
    assert not connected
    # Their removal is in the audit log; the owner is untouched.
    audit = http.get("/api/v1/organizations/current/audit", headers=owner.headers).json()
    assert [(e["action"], e["target_id"]) for e in audit][:1] == [("member_removed", str(bob_id))]
    assert http.get("/api/v1/users/me", headers=owner.headers).status_code == 200


def test_a_role_change_ends_the_old_role_sessions(
    http: httpx.Client, chat_server: ChatServer
) -> None:
    owner = new_owner(http, chat_server)
    ann, ann_id = invite(http, owner, "admin")
    demoted = http.patch(
        f"/api/v1/organizations/current/members/{ann_id}",
        json={"role": "member"},
        headers=owner.headers,
    )
    assert demoted.status_code == 204, demoted.text
    # The admin token is dead; signing in again gives a member's.
    assert http.get("/api/v1/users/me", headers=ann.headers).status_code == 401
    login = http.post("/api/v1/auth/login", json={"email": ann.email, "password": PASSWORD})
    me = http.get(
        "/api/v1/users/me", headers={"Authorization": f"Bearer {login.json()['access_token']}"}
    )
    assert me.json()["role"] == "member"
