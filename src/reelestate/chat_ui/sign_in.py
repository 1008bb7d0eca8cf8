"""Handing a person who signed in on our own pages (sign-up link, Google, the sign-in form) to
the chat: Chainlit's session cookie, made as Chainlit makes it, with our session facts inside.

Chainlit is imported inside the functions: it reads its folder when first imported, which the
app prepares at start-up (`prepare_chainlit_root`), after this module is loaded.
"""

from __future__ import annotations

import logging
from typing import Any

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from reelestate.storage.context import TenantContext

log = logging.getLogger(__name__)
CHAT_HOME = "/chat/"


def chat_metadata(ctx: TenantContext, session_version: int) -> dict[str, Any]:
    """What the chat cookie says of its person; checked against the database on each request."""
    return {
        "org_id": str(ctx.org_id),
        "user_id": str(ctx.user_id),
        "role": ctx.role.value,
        "sv": session_version,
    }


async def enter_chat(
    request: Request,
    ctx: TenantContext,
    *,
    email: str,
    display_name: str | None,
    session_version: int,
    to: str = CHAT_HOME,
) -> Response:
    """A redirect into the chat that carries the person's new chat session cookie."""
    from chainlit.auth import create_jwt, set_auth_cookie  # noqa: PLC0415
    from chainlit.data import get_data_layer  # noqa: PLC0415
    from chainlit.user import User  # noqa: PLC0415

    user = User(
        identifier=email,
        display_name=display_name or email,
        metadata=chat_metadata(ctx, session_version),
    )
    layer = get_data_layer()  # type: ignore[no-untyped-call]
    if layer is not None:
        # Chainlit keeps the last sign-in's facts with its user; a stale copy would name an
        # organisation the person signed in to before.
        await layer.create_user(user)
    response = RedirectResponse(to, status_code=303)
    set_auth_cookie(request, response, create_jwt(user))
    return response
