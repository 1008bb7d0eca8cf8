"""Sign-up, sign-in, tokens, API keys, invitations and roles."""

from __future__ import annotations

from starlette.testclient import TestClient

from tests.web.helpers import PASSWORD, Account


def test_signup_gives_tokens_that_open_the_new_organisation(client: TestClient) -> None:
    me = Account(client)
    assert me.tokens["token_type"] == "bearer"
    assert 0 < me.tokens["expires_in"] <= 900
    body = me.get("/api/v1/users/me").json()
    assert body["user"]["email"] == me.email
    assert body["role"] == "owner"
    assert body["organization"]["name"] == "Oak Realty"
    credits = me.get("/api/v1/organizations/current/credits").json()
    assert (credits["balance"], credits["available"], credits["reserved"]) == (50, 50, 0)


def test_login_and_refresh(client: TestClient) -> None:
    me = Account(client)
    login = client.post(
        "/api/v1/auth/login", json={"email": me.email.upper(), "password": PASSWORD}
    )
    assert login.status_code == 200
    tokens = login.json()
    refreshed = client.post("/api/v1/auth/refresh", json={"refresh_token": tokens["refresh_token"]})
    assert refreshed.status_code == 200
    access = refreshed.json()["access_token"]
    assert (
        client.get("/api/v1/users/me", headers={"Authorization": f"Bearer {access}"}).status_code
        == 200
    )
    # An access token is not a refresh token, and a refresh token opens no route.
    wrong = client.post("/api/v1/auth/refresh", json={"refresh_token": tokens["access_token"]})
    assert wrong.status_code == 401
    assert (
        client.get(
            "/api/v1/users/me", headers={"Authorization": f"Bearer {tokens['refresh_token']}"}
        ).status_code
        == 401
    )


def test_auth_failures_are_problems(client: TestClient) -> None:
    me = Account(client)
    wrong = client.post("/api/v1/auth/login", json={"email": me.email, "password": "not it at all"})
    assert wrong.status_code == 401
    assert wrong.headers["content-type"] == "application/problem+json"
    assert wrong.json()["code"] == "unauthenticated"
    unknown = client.post(
        "/api/v1/auth/login", json={"email": "nobody@example.com", "password": PASSWORD}
    )
    assert unknown.json()["title"] == wrong.json()["title"]  # no hint which emails exist
    missing = client.get("/api/v1/users/me")
    assert missing.status_code == 401
    assert missing.headers["www-authenticate"] == "Bearer"
    garbage = client.get("/api/v1/projects", headers={"Authorization": "Bearer not.a.jwt"})
    assert garbage.status_code == 401


def test_login_is_rate_limited(client: TestClient) -> None:
    me = Account(client)
    statuses = [
        client.post(
            "/api/v1/auth/login", json={"email": me.email, "password": "wrong password!"}
        ).status_code
        for _ in range(6)
    ]
    assert statuses[:5] == [401] * 5
    assert statuses[5] == 429
    limited = client.post("/api/v1/auth/login", json={"email": me.email, "password": PASSWORD})
    assert limited.status_code == 429
    assert int(limited.headers["retry-after"]) >= 1


def test_first_admin_can_sign_in(client: TestClient) -> None:
    response = client.post(
        "/api/v1/auth/login",
        json={"email": "admin@reelestate.local", "password": "admin password 123"},
    )
    assert response.status_code == 200
    me = client.get(
        "/api/v1/users/me", headers={"Authorization": f"Bearer {response.json()['access_token']}"}
    ).json()
    assert me["organization"]["slug"] == "local"
    assert me["role"] == "owner"


def test_api_keys_act_for_the_organisation_until_revoked(client: TestClient) -> None:
    me = Account(client)
    created = me.post("/api/v1/organizations/current/api-keys", json={"name": "CRM sync"})
    assert created.status_code == 201
    secret = created.json()["secret"]
    key_headers = {"Authorization": f"Bearer {secret}"}
    project = me.project()
    listed = client.get("/api/v1/projects", headers=key_headers).json()
    assert [p["id"] for p in listed["items"]] == [project["id"]]
    keys = me.get("/api/v1/organizations/current/api-keys").json()
    assert [k["name"] for k in keys] == ["CRM sync"]
    assert me.delete(f"/api/v1/organizations/current/api-keys/{keys[0]['id']}").status_code == 204
    assert client.get("/api/v1/projects", headers=key_headers).status_code == 401


def test_invitation_adds_a_member_who_cannot_manage_keys(client: TestClient) -> None:
    owner = Account(client)
    invited = owner.post(
        "/api/v1/organizations/current/invitations", json={"email": "colleague@example.com"}
    )
    assert invited.status_code == 201
    token = invited.json()["token"]
    assert token in invited.json()["accept_url"]
    joined = client.post(
        "/api/v1/auth/accept-invitation", json={"token": token, "password": "colleague password"}
    )
    assert joined.status_code == 200, joined.text
    member = {"Authorization": f"Bearer {joined.json()['access_token']}"}
    me = client.get("/api/v1/users/me", headers=member).json()
    assert me["role"] == "member"
    assert me["organization"]["id"] == owner.get("/api/v1/users/me").json()["organization"]["id"]
    refused = client.post(
        "/api/v1/organizations/current/api-keys", json={"name": "x"}, headers=member
    )
    assert refused.status_code == 403
    assert refused.json()["code"] == "forbidden"
    emails = {m["email"] for m in owner.get("/api/v1/organizations/current/members").json()}
    assert emails == {owner.email, "colleague@example.com"}
    # Colleagues see each other's projects.
    project = owner.project()
    seen = client.get("/api/v1/projects", headers=member).json()["items"]
    assert project["id"] in [p["id"] for p in seen]
    again = client.post(
        "/api/v1/auth/accept-invitation", json={"token": token, "password": "colleague password"}
    )
    assert again.status_code == 404
    pending = owner.get("/api/v1/organizations/current/invitations").json()
    assert pending[0]["accepted_at"] is not None


def test_signup_refuses_bad_input(client: TestClient) -> None:
    short = client.post(
        "/api/v1/auth/signup",
        json={"email": "a@example.com", "password": "short", "organization_name": "X"},
    )
    assert short.status_code == 422
    assert short.json()["code"] == "invalid_request"
    me = Account(client)
    taken = client.post(
        "/api/v1/auth/signup",
        json={"email": me.email, "password": PASSWORD, "organization_name": "Again"},
    )
    # The answer never tells whether the address has an account; the mail does.
    assert taken.status_code == 202
    assert "exists" not in taken.text


def test_invitation_link_opens_a_join_page(client: TestClient) -> None:
    owner = Account(client)
    invited = owner.post(
        "/api/v1/organizations/current/invitations",
        json={"email": "new.hire@example.com", "role": "admin"},
    ).json()
    link = invited["accept_url"]
    path = link[link.index("/join") :]
    page = client.get(path)
    assert page.status_code == 200
    assert "new.hire@example.com" in page.text
    short = client.post("/join", data={"token": invited["token"], "password": "short"})
    assert short.status_code == 422
    assert "too short" in short.text
    joined = client.post(
        "/join",
        data={"token": invited["token"], "password": "new hire password", "display_name": "Ann"},
        follow_redirects=False,
    )
    assert joined.status_code == 303
    assert joined.headers["location"] == "/chat/login"
    login = client.post(
        "/api/v1/auth/login",
        json={"email": "new.hire@example.com", "password": "new hire password"},
    )
    me = client.get(
        "/api/v1/users/me", headers={"Authorization": f"Bearer {login.json()['access_token']}"}
    ).json()
    assert me["role"] == "admin"
    assert me["user"]["display_name"] == "Ann"
    used = client.get(path)
    assert used.status_code == 404
    assert "not valid any more" in used.text


def test_members_roles_removal_and_audit(client: TestClient) -> None:
    """On both databases (row-level security on PostgreSQL): promote, transfer, remove."""
    owner = Account(client)
    email = f"helper-{owner.email}"
    invited = owner.post(
        "/api/v1/organizations/current/invitations", json={"email": email, "role": "member"}
    ).json()
    joined = client.post(
        "/api/v1/auth/accept-invitation", json={"token": invited["token"], "password": PASSWORD}
    ).json()
    member = {"Authorization": f"Bearer {joined['access_token']}"}
    member_id = client.get("/api/v1/users/me", headers=member).json()["user"]["id"]
    url = f"/api/v1/organizations/current/members/{member_id}"
    assert owner.patch(url, json={"role": "admin"}).status_code == 204
    login = client.post("/api/v1/auth/login", json={"email": email, "password": PASSWORD})
    admin = {"Authorization": f"Bearer {login.json()['access_token']}"}
    key = client.post(
        "/api/v1/organizations/current/api-keys", json={"name": "k"}, headers=admin
    ).json()["secret"]
    assert client.get("/api/v1/projects", headers={"Authorization": f"Bearer {key}"}).is_success
    assert owner.delete(url).status_code == 204
    assert client.get("/api/v1/users/me", headers=admin).status_code == 401
    assert (
        client.get("/api/v1/projects", headers={"Authorization": f"Bearer {key}"}).status_code
        == 401
    )
    gone = client.post("/api/v1/auth/login", json={"email": email, "password": PASSWORD})
    assert gone.status_code == 401
    actions = [e["action"] for e in owner.get("/api/v1/organizations/current/audit").json()]
    assert actions[:4] == ["member_removed", "role_changed", "invitation_accepted", "invited"]
