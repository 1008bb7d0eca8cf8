"""Who may do what in an organisation: the one place the rights of each role are written.

The REST API, the web chat and the Telegram bot all ask these functions; none keeps its own
idea of a role. The README's table of rights is this module in words.

| right                                   | member | admin | owner |
|-----------------------------------------|--------|-------|-------|
| make projects and videos, use credits   | yes    | yes   | yes   |
| delete projects                         | no     | yes   | yes   |
| delete a colleague's conversation       | no     | yes   | yes   |
| invite people, list invitations         | no     | yes   | yes   |
| manage API keys                         | no     | yes   | yes   |
| change roles (never to or from owner)   | no     | yes   | yes   |
| remove members (not the owner)          | no     | yes   | yes   |
| buy credits, change the plan            | no     | yes   | yes   |
| transfer ownership                      | no     | no    | yes   |
"""

from __future__ import annotations

import uuid

from reelestate.core.errors import PermissionDeniedError
from reelestate.storage.models import Role

_RANK = {Role.MEMBER: 0, Role.ADMIN: 1, Role.OWNER: 2}


def at_least(role: Role, minimum: Role) -> bool:
    return _RANK[role] >= _RANK[minimum]


def can_delete_project(role: Role) -> bool:
    """A project holds the whole team's work (its videos, its history), so only admins and
    owners delete one; members make and change projects."""
    return at_least(role, Role.ADMIN)


def can_delete_conversation(role: Role, *, is_author: bool) -> bool:
    """Everyone deletes their own chat conversations; admins and owners anyone's."""
    return is_author or at_least(role, Role.ADMIN)


def can_invite(role: Role) -> bool:
    return at_least(role, Role.ADMIN)


def can_manage_api_keys(role: Role) -> bool:
    return at_least(role, Role.ADMIN)


def can_view_audit_log(role: Role) -> bool:
    return at_least(role, Role.ADMIN)


def can_change_role(actor: Role, target: Role, new: Role) -> bool:
    """Admins and owners move people between member and admin; ownership moves only by a
    transfer, so nobody makes or unmakes an owner here."""
    if not at_least(actor, Role.ADMIN):
        return False
    return Role.OWNER not in (target, new)


def can_remove_member(actor: Role, target: Role, *, is_self: bool) -> bool:
    """Admins and owners remove members and admins; the owner is never removed (they transfer
    ownership first), and anyone but the owner may leave."""
    if target is Role.OWNER:
        return False
    return is_self or at_least(actor, Role.ADMIN)


def can_buy_credits(role: Role) -> bool:
    """Owners and admins buy credits and change the plan (admins run the office's accounts);
    members spend credits but do not buy them."""
    return at_least(role, Role.ADMIN)


def can_transfer_ownership(role: Role) -> bool:
    return role is Role.OWNER


def refuse(what: str, *, needs: Role) -> PermissionDeniedError:
    """The error every channel shows when a role may not do `what`."""
    who = "the organisation's owner" if needs is Role.OWNER else "an owner or admin"
    return PermissionDeniedError(f"Only {who} can {what}.", hint=f"Ask {who} of your organisation.")


def require(allowed: bool, what: str, *, needs: Role = Role.ADMIN) -> None:
    if not allowed:
        raise refuse(what, needs=needs)


def is_self(actor: uuid.UUID | None, target: uuid.UUID) -> bool:
    return actor is not None and actor == target
