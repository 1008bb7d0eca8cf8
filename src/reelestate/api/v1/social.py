"""Connecting a Facebook Page through Facebook Login: the link, the redirect to Meta's dialog
and the callback that stores the Page tokens (sealed). The link's ticket and the dialog's
`state` are sealed with the installation's key, good for 15 minutes, and name the organisation.
"""

from __future__ import annotations

import asyncio
import html
from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import HTMLResponse, RedirectResponse
from pydantic import BaseModel

from reelestate.api.deps import AdminTenant, Services
from reelestate.core.errors import (
    ConfigurationError,
    JobStateError,
    ProviderError,
    ReelEstateError,
)
from reelestate.services.social_connect import (
    connect_link,
    dialog_url,
    finish_connect,
    ticket_tenant,
)

router = APIRouter(tags=["publishing"])


class ConnectLinkOut(BaseModel):
    url: str
    expires_in: int = 900


@router.post("/social/meta/connect-link")
async def meta_connect_link(ctx: AdminTenant, services: Services) -> ConnectLinkOut:
    """A link that starts Facebook Login for the caller's organisation (admins only); where the
    installation has no Meta app, a 409 that says how Pages are connected instead."""
    try:
        return ConnectLinkOut(url=connect_link(services.settings, ctx))
    except ConfigurationError as exc:
        raise JobStateError(exc.message, hint=exc.hint) from exc


@router.get("/social/meta/connect", response_class=RedirectResponse, status_code=302)
async def meta_connect(
    services: Services, ticket: Annotated[str, Query(min_length=20, max_length=2000)]
) -> RedirectResponse:
    """Meta's dialog, with a `state` the callback checks."""
    ctx = ticket_tenant(services.settings, ticket)
    return RedirectResponse(dialog_url(services.settings, ctx), status_code=302)


def _page(title: str, body: str, status: int) -> HTMLResponse:
    return HTMLResponse(
        f"<!doctype html><title>{html.escape(title)}</title><h1>{html.escape(title)}</h1>"
        f"<p>{html.escape(body)}</p>",
        status_code=status,
    )


@router.get("/social/meta/callback", response_class=HTMLResponse)
async def meta_callback(
    services: Services,
    state: Annotated[str, Query(max_length=2000)] = "",
    code: Annotated[str, Query(max_length=2000)] = "",
    error_description: Annotated[str | None, Query(max_length=500)] = None,
) -> HTMLResponse:
    """Where Meta sends the person back: the code becomes the Pages' tokens."""
    if error_description is not None or not code:
        return _page("Not connected", error_description or "Facebook sent no code back.", 400)
    try:
        _, stored = await asyncio.to_thread(
            finish_connect,
            services.settings,
            services.db,
            services.blobs,
            state=state,
            code=code,
        )
    except ReelEstateError as exc:
        status = (
            502 if isinstance(exc, ProviderError) else 401 if exc.code == "unauthenticated" else 400
        )
        return _page("Not connected", exc.message + (f" {exc.hint}" if exc.hint else ""), status)
    names = ", ".join(a.page_name or a.page_id for a in stored)
    with_ig = any(a.instagram_id for a in stored)
    return _page(
        "Connected",
        f"Connected {names}"
        + (" and its Instagram account" if with_ig else "")
        + ". You can close this page and post from the chat.",
        200,
    )
