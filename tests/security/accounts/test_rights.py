"""Finding 13: a member could delete the owner's project, and no document said whether they
should.

The attack: a member tries the owner's and admins' rights over REST and in words. One policy
module decides for the REST API, the chat and the bot, and the README's table of rights is the
module's table.
"""

from __future__ import annotations

import re
from pathlib import Path

import httpx

from reelestate.services import permissions
from reelestate.storage.models import Role
from tests.security.accounts.conftest import invite, new_owner
from tests.support.web import ChatServer

README = Path(__file__).resolve().parents[3] / "README.md"


def test_a_member_cannot_use_admin_or_owner_rights(
    http: httpx.Client, chat_server: ChatServer
) -> None:
    owner = new_owner(http, chat_server)
    project = http.post(
        "/api/v1/projects", json={"title": "Owner's listing"}, headers=owner.headers
    )
    assert project.status_code == 201
    project_id = project.json()["id"]
    member, _ = invite(http, owner, "member")
    admin, admin_id = invite(http, owner, "admin")
    owner_id = http.get("/api/v1/users/me", headers=owner.headers).json()["user"]["id"]

    assert http.delete(f"/api/v1/projects/{project_id}", headers=member.headers).status_code == 403
    invited = http.post(
        "/api/v1/organizations/current/invitations",
        json={"email": "x@example.com"},
        headers=member.headers,
    )
    assert invited.status_code == 403
    promote = http.patch(
        f"/api/v1/organizations/current/members/{admin_id}",
        json={"role": "member"},
        headers=member.headers,
    )
    assert promote.status_code == 403
    remove_owner = http.delete(
        f"/api/v1/organizations/current/members/{owner_id}", headers=admin.headers
    )
    assert remove_owner.status_code == 403
    transfer = http.post(
        "/api/v1/organizations/current/owner",
        json={"user_id": str(admin_id)},
        headers=admin.headers,
    )
    assert transfer.status_code == 403
    assert http.get("/api/v1/projects/" + project_id, headers=member.headers).status_code == 200
    assert http.delete(f"/api/v1/projects/{project_id}", headers=admin.headers).status_code == 204
    assert not permissions.can_buy_credits(Role.MEMBER)
    assert permissions.can_buy_credits(Role.ADMIN)
    assert permissions.can_buy_credits(Role.OWNER)


def _table(text: str) -> list[list[str]]:
    rows = [line for line in text.splitlines() if re.match(r"^\s*\|.*\|\s*$", line)]
    return [[c.strip() for c in r.strip().strip("|").split("|")] for r in rows if "---" not in r]


def test_the_readme_table_of_rights_is_the_policy_module() -> None:
    module = _table(permissions.__doc__ or "")
    readme = README.read_text(encoding="utf-8")
    start = readme.index("## Members and roles")
    section = readme[start : readme.index("\n## ", start + 5)]
    assert module and _table(section) == module
