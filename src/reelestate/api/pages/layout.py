"""The account pages' look (the product's navy and gold) and their CSRF token.

Forms carry a random token that must equal the one in a `SameSite=Strict` cookie set with the
form (double submit): another site can make a browser post a form, but cannot read or set this
cookie, so its post is refused.
"""

from __future__ import annotations

import hmac
import html
import secrets

from fastapi import Request
from fastapi.responses import HTMLResponse

from reelestate.core.errors import PermissionDeniedError

CSRF_COOKIE = "reelestate_csrf"
_STYLE = """body{font-family:system-ui,sans-serif;background:#f5f7fa;color:#1f3a5f;display:flex;
justify-content:center;padding-top:8vh;margin:0}main{background:#fff;padding:32px;
border-radius:12px;box-shadow:0 2px 12px #0001;width:360px}h1{font-size:22px;margin-top:0}
label{display:block;margin:14px 0 4px}input{width:100%;padding:9px;border:1px solid #ccd;
border-radius:6px;box-sizing:border-box}button,.button{display:block;margin-top:20px;width:100%;
padding:10px;background:#1f3a5f;color:#fff;border:0;border-radius:6px;font-size:15px;
text-align:center;text-decoration:none;box-sizing:border-box;cursor:pointer}
.google{background:#fff;color:#1f3a5f;border:1px solid #1f3a5f}.err{color:#b00020}
.ok{color:#1b6e3a}.links{margin-top:18px;font-size:14px}.links a{color:#1f3a5f}
.brand{color:#f2b134;font-weight:700}"""


def page(title: str, body: str, *, status: int = 200, csrf: str | None = None) -> HTMLResponse:
    response = HTMLResponse(
        f'<!doctype html><html lang="en"><head><meta charset="utf-8">'
        f'<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{html.escape(title)} · ReelEstate Studio</title><style>{_STYLE}</style>"
        f'</head><body><main><p class="brand">ReelEstate Studio</p>'
        f"<h1>{html.escape(title)}</h1>{body}</main></body></html>",
        status_code=status,
        headers={
            "Cache-Control": "no-store",
            "Referrer-Policy": "no-referrer",
            "X-Frame-Options": "DENY",
        },
    )
    if csrf is not None:
        response.set_cookie(
            CSRF_COOKIE, csrf, httponly=True, samesite="strict", path="/", max_age=3600
        )
    return response


def new_csrf(request: Request) -> str:
    """The form's token: the cookie's if the browser has one, else a new one."""
    return request.cookies.get(CSRF_COOKIE) or secrets.token_urlsafe(24)


def csrf_field(token: str) -> str:
    return f'<input type="hidden" name="csrf" value="{html.escape(token)}">'


def check_csrf(request: Request, sent: str) -> None:
    kept = request.cookies.get(CSRF_COOKIE, "")
    if not kept or not sent or not hmac.compare_digest(kept, sent):
        raise PermissionDeniedError(
            "This form expired or came from another site.", hint="Open the page again and retry."
        )


def message(text: str, *, error: bool = True) -> str:
    return f'<p class="{"err" if error else "ok"}">{html.escape(text)}</p>'
