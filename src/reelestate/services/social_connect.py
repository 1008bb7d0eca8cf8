"""Connecting a Facebook Page (and its Instagram account) through Facebook Login.

The chat or the settings hand out a connect link holding a sealed ticket (the organisation and
who asked, readable only with the installation's secrets key, good for 15 minutes). Following it
sends the person to Meta's dialog with a `state` sealed the same way; the callback checks that
state, exchanges the code for a short-lived user token and that for a long-lived one, reads the
Pages the person manages (`/me/accounts`, each with its Page token and
`instagram_business_account`) and stores each Page's token encrypted.
"""

from __future__ import annotations

import json
import uuid
from urllib.parse import quote, urlencode

from reelestate.core.errors import AuthenticationError, ConfigurationError, InvalidInputError
from reelestate.core.sealing import secret_box
from reelestate.core.settings import Settings
from reelestate.providers.social.meta_graph import MetaGraphClient
from reelestate.providers.social.meta_login import LOGIN_SCOPES, MetaLogin
from reelestate.services.publishing import PublishingService
from reelestate.storage.blobs import BlobStore
from reelestate.storage.context import TenantContext
from reelestate.storage.db import Database
from reelestate.storage.schemas import SocialAccountView

TICKET_S = 900
CONNECT_PATH = "/api/v1/social/meta/connect"
CALLBACK_PATH = "/api/v1/social/meta/callback"
NOT_SET_UP = (
    "Connecting a Facebook Page from here is not set up on this installation.",
    "An operator sets META_APP_ID, META_APP_SECRET and REELESTATE_PUBLIC_URL, or connects the "
    "Page with `reelestate social connect ORG --page-id ID --page-token TOKEN`.",
)


def _base(settings: Settings) -> str:
    if not (settings.meta_app_id and settings.meta_app_secret and settings.public_base_url):
        raise ConfigurationError(NOT_SET_UP[0], hint=NOT_SET_UP[1])
    return settings.public_base_url.rstrip("/")


def _seal(settings: Settings, purpose: str, ctx: TenantContext) -> str:
    data = {"purpose": purpose, "org": str(ctx.org_id), "user": str(ctx.user_id or "")}
    return secret_box(settings).seal(json.dumps(data))


def _open(settings: Settings, purpose: str, sealed: str) -> TenantContext:
    opened = secret_box(settings).open_fresh(sealed, TICKET_S)
    try:
        data = json.loads(opened) if opened else {}
        if data.get("purpose") != purpose:
            raise ValueError(purpose)
        user = data.get("user")
        return TenantContext(
            org_id=uuid.UUID(data["org"]), user_id=uuid.UUID(user) if user else None
        )
    except (ValueError, KeyError, TypeError) as exc:
        raise AuthenticationError(
            "That connect link is not valid or has expired.",
            hint='Ask the assistant to "connect Facebook" again for a fresh link.',
        ) from exc


def connect_link(settings: Settings, ctx: TenantContext) -> str:
    """The link (15 minutes) that starts Facebook Login for `ctx`'s organisation."""
    base = _base(settings)
    return f"{base}{CONNECT_PATH}?ticket={quote(_seal(settings, 'connect', ctx))}"


def redirect_uri(settings: Settings) -> str:
    return f"{_base(settings)}{CALLBACK_PATH}"


def dialog_url(settings: Settings, ctx: TenantContext) -> str:
    """Meta's login dialog for `ctx`, with a sealed `state` the callback checks."""
    query = urlencode(
        {
            "client_id": settings.meta_app_id or "",
            "redirect_uri": redirect_uri(settings),
            "state": _seal(settings, "state", ctx),
            "response_type": "code",
            "scope": ",".join(LOGIN_SCOPES),
        }
    )
    return (
        f"{settings.meta_login_url.rstrip('/')}/{settings.meta_graph_version}/dialog/oauth?{query}"
    )


def ticket_tenant(settings: Settings, ticket: str) -> TenantContext:
    return _open(settings, "connect", ticket)


def finish_connect(
    settings: Settings,
    db: Database,
    blobs: BlobStore,
    *,
    state: str,
    code: str,
    graph: MetaGraphClient | None = None,
) -> tuple[TenantContext, list[SocialAccountView]]:
    """Check `state`, trade `code` for the Pages' tokens and store them (sealed)."""
    ctx = _open(settings, "state", state)
    if not code.strip():
        raise InvalidInputError("Facebook sent no code back.", hint="Try connecting again.")
    assert settings.meta_app_id and settings.meta_app_secret  # checked by redirect_uri
    client = graph or MetaGraphClient(
        settings.meta_graph_url, settings.meta_graph_version, timeout_s=settings.meta_timeout_s
    )
    try:
        login = MetaLogin(client, settings.meta_app_id, settings.meta_app_secret)
        short = login.user_token(code.strip(), redirect_uri(settings))
        pages = login.pages(login.long_lived(short))
    finally:
        if graph is None:
            client.close()
    if not pages:
        raise InvalidInputError(
            "Facebook gave access to no Page.",
            hint="Connect again and tick the Page (and its Instagram account) to share.",
        )
    svc = PublishingService(settings, db, blobs)
    # The organisation posts to the newest connection: the first Page listed is stored last.
    stored = [
        svc.connect(
            ctx,
            page_id=page.page_id,
            page_token=page.page_token.get_secret_value(),
            instagram_id=page.instagram_id,
            page_name=page.name,
        )
        for page in reversed(pages)
    ]
    return ctx, stored
