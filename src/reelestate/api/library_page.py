"""`/library`: the organisation's photos, clips and finished videos as a page, for people signed
in to the chat.

The browser carries the chat's sign-in cookie (a token signed with the installation's secret,
holding the organisation and role); a bearer token is accepted too. Anyone else is refused.
"""

from __future__ import annotations

import asyncio
import html
import uuid
from typing import Annotated, Literal
from urllib.parse import urlencode

import jwt
from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse

from reelestate.api.deps import Services, tenant_from_credential
from reelestate.api.security.tokens import app_secret
from reelestate.api.services import AppServices
from reelestate.api.v1.media_library import LibraryKind, library_query
from reelestate.core.errors import ReelEstateError
from reelestate.storage.context import TenantContext
from reelestate.storage.models import Role
from reelestate.storage.repositories.media_library import LibraryItem, MediaLibraryRepository

router = APIRouter(include_in_schema=False)
CHAT_COOKIE = "access_token"
PAGE_SIZE = 48
KINDS = (("", "photos and videos"), ("photo", "photos"), ("video", "videos"))
ROOMS = ("", "exterior", "kitchen", "living_room", "bedroom", "bathroom", "other")
STYLE = """body{font-family:system-ui,sans-serif;background:#f5f7fa;color:#1f3a5f;margin:0}
header{background:#1f3a5f;color:#fff;padding:14px 24px;display:flex;gap:16px;align-items:center}
header a{color:#f2b134;text-decoration:none}main{padding:20px 24px}
form{display:flex;flex-wrap:wrap;gap:10px;background:#fff;padding:14px;border-radius:12px;
box-shadow:0 2px 12px #0001;margin-bottom:18px}input,select{padding:8px;border:1px solid #ccd;
border-radius:6px}button{padding:8px 16px;background:#1f3a5f;color:#fff;border:0;border-radius:6px}
.grid{display:grid;grid-template-columns:repeat(auto-fill,minmax(190px,1fr));gap:14px}
figure{margin:0;background:#fff;border-radius:10px;overflow:hidden;box-shadow:0 2px 8px #0001}
figure img,figure video{width:100%;height:140px;object-fit:cover;display:block;background:#dde}
figcaption{padding:8px 10px;font-size:13px;line-height:1.4}.room{color:#8a6d1f}
.muted{color:#667}.err{color:#b00020}"""


def _chat_context(request: Request, services: AppServices) -> TenantContext | None:
    token = request.cookies.get(CHAT_COOKIE) or "".join(
        request.cookies.get(f"{CHAT_COOKIE}_{i}", "") for i in range(8)
    )
    if not token:
        return None
    try:
        claims = jwt.decode(token, app_secret(services.settings), algorithms=["HS256"])
        meta = claims.get("metadata") or {}
        return TenantContext(
            org_id=uuid.UUID(str(meta["org_id"])),
            user_id=uuid.UUID(str(meta["user_id"])),
            role=Role(meta.get("role", "member")),
        )
    except (jwt.PyJWTError, KeyError, ValueError, TypeError):
        return None


async def _signed_in(request: Request, services: AppServices) -> TenantContext | None:
    ctx = _chat_context(request, services)
    if ctx is not None:
        return ctx
    header = request.headers.get("authorization", "")
    if header.lower().startswith("bearer "):
        try:
            return await tenant_from_credential(services, header[7:].strip())
        except ReelEstateError:
            return None
    return None


def _page(body: str, status: int = 200) -> HTMLResponse:
    return HTMLResponse(
        '<!doctype html><html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>Media library · ReelEstate Studio</title><style>{STYLE}</style></head><body>"
        "<header><strong>ReelEstate Studio</strong><span>Media library</span>"
        f'<a href="/chat">Back to the chat</a></header><main>{body}</main></body></html>',
        status_code=status,
        headers={"Cache-Control": "no-store", "Referrer-Policy": "no-referrer"},
    )


def _figure(services: AppServices, ctx: TenantContext, item: LibraryItem) -> str:
    url = html.escape(services.blobs.signed_url(ctx, item.media.blob_key, 900))
    where = html.escape(item.address or item.project_title or "No listing")
    room = html.escape((item.room or "").replace("_", " "))
    name = html.escape(item.media.filename or "")
    thumb = (
        f'<video src="{url}" preload="metadata" muted></video>'
        if item.media.kind.value == "video"
        else f'<img src="{url}" alt="{name}" loading="lazy">'
    )
    if item.render is not None:
        length = f"{item.render.duration_s:.0f} s"
        what = f'<span class="room">finished video · {item.render.aspect} · {length}</span>'
    else:
        what = f'<span class="room">{room or "room not analysed"}</span>'
    return (
        f"<figure>{thumb}<figcaption><strong>{where}</strong><br>{what} · "
        f'<span class="muted">{item.added_at:%Y-%m-%d}</span></figcaption></figure>'
    )


def _form(q: str, room: str, kind: str, start: str, end: str) -> str:
    options = "".join(
        f'<option value="{r}"{" selected" if r == room else ""}>'
        f"{(r or 'any room').replace('_', ' ')}</option>"
        for r in ROOMS
    )
    kinds = "".join(
        f'<option value="{k}"{" selected" if k == kind else ""}>{words}</option>'
        for k, words in KINDS
    )
    return (
        '<form method="get" action="/library">'
        f'<input name="q" placeholder="Address" value="{html.escape(q)}" maxlength="120">'
        f'<select name="kind">{kinds}</select>'
        f'<select name="room">{options}</select>'
        f'<label>From <input type="date" name="from" value="{html.escape(start)}"></label>'
        f'<label>To <input type="date" name="to" value="{html.escape(end)}"></label>'
        "<button>Search</button></form>"
    )


@router.get("/library")
async def library_page(
    request: Request,
    services: Services,
    q: Annotated[str, Query(max_length=120)] = "",
    room: Annotated[str, Query(max_length=40)] = "",
    project: uuid.UUID | None = None,
    kind: Annotated[LibraryKind | Literal[""], Query()] = "",
    start: Annotated[str, Query(alias="from", max_length=40)] = "",
    end: Annotated[str, Query(alias="to", max_length=40)] = "",
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
) -> HTMLResponse:
    """Thumbnails with address, room (or a finished video's aspect and length) and date, a
    filter form, and pages of 48."""
    ctx = await _signed_in(request, services)
    if ctx is None:
        return _page(
            '<p class="err">Sign in to see your media library.</p>'
            '<p><a href="/chat/login">Sign in</a></p>',
            status=401,
        )

    def work() -> tuple[list[LibraryItem], int]:
        query = library_query(services, ctx, q=q, room=room, project=project, start=start,
                              end=end, kind=kind or None)  # fmt: skip
        return MediaLibraryRepository(services.db).search(
            ctx, query, offset=offset, limit=PAGE_SIZE
        )

    form = _form(q, room, kind, start, end)
    try:
        items, total = await asyncio.to_thread(work)
    except ReelEstateError as exc:
        return _page(form + f'<p class="err">{html.escape(exc.message)}</p>', status=422)
    if not items:
        return _page(form + '<p class="muted">No photos or videos match.</p>')
    grid = "".join(_figure(services, ctx, item) for item in items)
    more = ""
    if offset + len(items) < total:
        params = {"q": q, "room": room, "kind": kind, "from": start, "to": end,
                  "offset": offset + PAGE_SIZE}  # fmt: skip
        more = f'<p><a href="/library?{html.escape(urlencode(params))}">More</a></p>'
    shown = f'<p class="muted">{total} file{"s" if total != 1 else ""}</p>'
    return _page(f'{form}{shown}<div class="grid">{grid}</div>{more}')
