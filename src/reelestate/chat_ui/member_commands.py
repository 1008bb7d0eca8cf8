"""Members and roles in plain words: "make Ann an admin", "make Bob a member", "remove Bob".

The same rights as the REST API (`services.permissions`), the same repository, the same audit
log; the answer says what happened or why it may not.
"""

from __future__ import annotations

import asyncio
import re

from reelestate.core.errors import ReelEstateError
from reelestate.services import permissions
from reelestate.storage.context import TenantContext
from reelestate.storage.db import Database
from reelestate.storage.models import Role
from reelestate.storage.repositories.members import MembersRepository

_ROLE = re.compile(r"^\s*make\s+(.+?)\s+(?:an?\s+)?(admin|member)\s*[.!]?\s*$", re.IGNORECASE)
_REMOVE = re.compile(
    r"^\s*remove\s+(.+?)(?:\s+from\s+(?:the\s+)?(?:team|organi[sz]ation))?\s*[.!]?\s*$",
    re.IGNORECASE,
)
_LIST = re.compile(r"^\s*(?:list|show|who are)\s+(?:the\s+|my\s+|our\s+)?members\??\s*$", re.I)


def is_member_command(text: str) -> bool:
    return bool(_ROLE.match(text) or _LIST.match(text) or _remove_target(text))


def _remove_target(text: str) -> str | None:
    found = _REMOVE.match(text)
    if not found:
        return None
    target = found[1]
    # "remove scene 3", "remove the music": storyboard edits, not people.
    if re.match(r"^(the\s+|scene|music|caption|photo|shot|\d)", target, re.IGNORECASE):
        return None
    return target


async def run_member_command(db: Database, ctx: TenantContext, text: str) -> str:
    repo = MembersRepository(db)
    try:
        if _LIST.match(text):
            rows = await asyncio.to_thread(repo.all, ctx)
            return "\n".join(
                f"- {m.display_name or m.email} ({m.email}): {m.role.value}" for m in rows
            )
        role_change = _ROLE.match(text)
        if role_change:
            member = await asyncio.to_thread(repo.find, ctx, role_change[1])
            new = Role(role_change[2].lower())
            permissions.require(
                permissions.can_change_role(ctx.role, member.role, new),
                "change roles (ownership moves only by a transfer)",
            )
            await asyncio.to_thread(repo.change_role, ctx, member.user_id, new)
            return f"{member.display_name or member.email} is now {new.value}."
        target = _remove_target(text) or ""
        member = await asyncio.to_thread(repo.find, ctx, target)
        permissions.require(
            permissions.can_remove_member(
                ctx.role, member.role, is_self=permissions.is_self(ctx.user_id, member.user_id)
            ),
            "remove members (the owner transfers ownership first)",
        )
        await asyncio.to_thread(repo.remove, ctx, member.user_id)
        return (
            f"{member.display_name or member.email} is removed: their sessions and API keys "
            "have stopped working, and their projects stay with the team."
        )
    except ReelEstateError as exc:
        return exc.message + (f" {exc.hint}" if exc.hint else "")
