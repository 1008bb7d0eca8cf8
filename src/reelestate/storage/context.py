"""Who is asking: the authenticated context every repository method takes its organisation from."""

from __future__ import annotations

import uuid

from pydantic import BaseModel, ConfigDict

from reelestate.storage.models.tenancy import Role

LOCAL_ORG_ID = uuid.UUID("00000000-0000-4000-8000-000000000001")
"""The organisation `reelestate db upgrade` creates for command-line and embedded use."""
LOCAL_ORG_SLUG = "local"
LOCAL_ORG_CREDITS = 100_000


class TenantContext(BaseModel):
    """Built by authentication (session, API key, bot link) and never from a request body."""

    model_config = ConfigDict(frozen=True)

    org_id: uuid.UUID
    user_id: uuid.UUID | None = None
    role: Role = Role.MEMBER

    @classmethod
    def local(cls) -> TenantContext:
        """The context of the command line on this machine: the local organisation's owner."""
        return cls(org_id=LOCAL_ORG_ID, role=Role.OWNER)
