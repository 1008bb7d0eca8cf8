"""The page an invitation link opens: choose a password (or give yours), then sign in to chat."""

from __future__ import annotations

import asyncio
import html
from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from reelestate.api.deps import Services
from reelestate.api.v1.accounts import join_with_invitation
from reelestate.core.errors import ReelEstateError

router = APIRouter(include_in_schema=False)
PAGE = """<!doctype html><html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Join ReelEstate Studio</title><style>
body{{font-family:system-ui,sans-serif;background:#f5f7fa;color:#1f3a5f;display:flex;
justify-content:center;padding-top:10vh}}form{{background:#fff;padding:32px;border-radius:12px;
box-shadow:0 2px 12px #0001;width:340px}}label{{display:block;margin:14px 0 4px}}
input{{width:100%;padding:9px;border:1px solid #ccd;border-radius:6px;box-sizing:border-box}}
button{{margin-top:20px;width:100%;padding:10px;background:#1f3a5f;color:#fff;border:0;
border-radius:6px;font-size:15px}}.err{{color:#b00020}}
.google{{display:block;margin-top:14px;text-align:center;color:#1f3a5f}}</style></head><body>
<form method="post" action="/join"><h2>Join ReelEstate Studio</h2>{message}
<input type="hidden" name="token" value="{token}">
<label>Email</label><input value="{email}" disabled>
<label for="name">Your name</label><input id="name" name="display_name" maxlength="120">
<label for="password">Password (new, or the one you already use)</label>
<input id="password" name="password" type="password" minlength="10" required>
<button type="submit">Join</button>{google}</form></body></html>"""


def _page(
    token: str, email: str, message: str = "", status: int = 200, *, google: bool = False
) -> HTMLResponse:
    button = (
        f'<a class="google" href="/auth/google?invitation={quote(token)}">'
        "Join with Google instead</a>"
        if google and token
        else ""
    )
    return HTMLResponse(
        PAGE.format(
            token=html.escape(token), email=html.escape(email), message=message, google=button
        ),
        status_code=status,
        headers={"Cache-Control": "no-store", "Referrer-Policy": "no-referrer"},
    )


@router.get("/join")
async def join_page(services: Services, token: Annotated[str, Query(max_length=200)]) -> Response:
    try:
        email = await asyncio.to_thread(services.accounts.invitation_email, token)
    except ReelEstateError as exc:
        return _page("", "", f'<p class="err">{html.escape(exc.message)}</p>', status=404)
    return _page(token, email, google=bool(services.settings.oauth_google_client_id))


@router.post("/join")
async def join(
    request: Request,
    services: Services,
    token: Annotated[str, Form(max_length=200)],
    password: Annotated[str, Form(max_length=256)],
    display_name: Annotated[str | None, Form(max_length=120)] = None,
) -> Response:
    host = request.client.host if request.client else "unknown"
    try:
        services.signup_limiter.hit(host, what="attempts")
        await asyncio.to_thread(
            join_with_invitation, services, token, password, display_name or None
        )
    except ReelEstateError as exc:
        text = exc.message + (f" {exc.hint}" if exc.hint else "")
        try:
            email = await asyncio.to_thread(services.accounts.invitation_email, token)
        except ReelEstateError:
            email = ""
        return _page(token, email, f'<p class="err">{html.escape(text)}</p>', status=422)
    return RedirectResponse("/chat/login", status_code=303)
