"""Whose renders a conversation's turn starts: the organisation billed and the project filled.

A channel knows the person behind a message (the web chat's session, Telegram's linked
account) and hands the owner to `Runner.send` with each message; the turn passes it to the
render backend with every render it asks for.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from reelestate.storage.context import TenantContext


@dataclass(frozen=True)
class RenderOwner:
    """Whose renders these are: the organisation (and person) and the project they belong to."""

    ctx: TenantContext
    project_id: uuid.UUID | None = None
    """None: each render gets a project of its own (the command line's one-off renders)."""
    brand: dict[str, Any] | None = None
    """A brand kit's data (render `BrandKit` fields, files as blob keys) for every render."""
    captions: bool | None = None
    presenter_photo: str | None = None
    """The brand kit's presenter photo (a blob key of the organisation; None: none yet)."""
