"""Sign in with Google through OpenID Connect (Authlib), against `REELESTATE_OIDC_ISSUER`.

The provider's discovery document names every endpoint, so a local provider stands in for
Google in tests. Authlib checks state, nonce, PKCE, the ID token's signature against the
provider's JWKS, its issuer, audience and expiry; we refuse a missing ID token and an email the
provider has not verified. Every refusal is a page that says what went wrong.
"""

from __future__ import annotations

import asyncio
import logging

from authlib.integrations.base_client.errors import OAuthError  # type: ignore[import-untyped]
from authlib.integrations.starlette_client import OAuth  # type: ignore[import-untyped]
from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import Response
from joserfc.errors import JoseError
from starlette.middleware.sessions import SessionMiddleware

from reelestate.api.pages.forms import _into_chat
from reelestate.api.pages.layout import message, page
from reelestate.api.security.tokens import app_secret
from reelestate.api.services import AppServices
from reelestate.core.errors import ReelEstateError
from reelestate.core.settings import Settings
from reelestate.services.accounts import GoogleIdentity
from reelestate.storage.repositories.members import MembersRepository

log = logging.getLogger(__name__)
GOOGLE_ISSUERS = ("https://accounts.google.com", "accounts.google.com")
SESSION_COOKIE = "reelestate_oidc"


def _refused(text: str, status: int = 400) -> Response:
    links = '<a class="button" href="/login">Back to sign in</a>'
    return page("Google sign-in refused", message(text) + links, status=status)


def mount_google_sign_in(app: FastAPI, settings: Settings) -> None:
    """The `/auth/google` routes, when a client id and secret are configured."""
    if not settings.oauth_google_client_id or settings.oauth_google_client_secret is None:
        return
    issuer = settings.oidc_issuer.rstrip("/")
    oauth = OAuth()
    oauth.register(
        "google",
        client_id=settings.oauth_google_client_id,
        client_secret=settings.oauth_google_client_secret.get_secret_value(),
        server_metadata_url=f"{issuer}/.well-known/openid-configuration",
        client_kwargs={"scope": "openid email profile", "code_challenge_method": "S256"},
    )
    secure = (settings.public_base_url or "").startswith("https://")
    # Lax: the provider's redirect back is a cross-site top-level GET that must carry it.
    app.add_middleware(
        SessionMiddleware,
        secret_key=app_secret(settings).decode() + ":oidc",
        session_cookie=SESSION_COOKIE,
        same_site="lax",
        https_only=secure,
        max_age=600,
    )
    claims_options = {"iss": {"values": list(GOOGLE_ISSUERS)}} if issuer in GOOGLE_ISSUERS else None
    router = APIRouter(include_in_schema=False)

    def redirect_uri(request: Request) -> str:
        base = settings.public_base_url or str(request.base_url)
        return f"{base.rstrip('/')}/auth/google/callback"

    @router.get("/auth/google")
    async def start(request: Request, invitation: str = "") -> Response:
        """Off to the provider; `invitation` (from the join page) is kept for the way back."""
        client = oauth.create_client("google")
        request.session.pop("invitation", None)
        if invitation:
            request.session["invitation"] = invitation[:200]
        try:
            response: Response = await client.authorize_redirect(request, redirect_uri(request))
        except Exception as exc:
            log.warning("the OpenID provider did not answer: %s", type(exc).__name__)
            return _refused("Google sign-in is not reachable right now; try again.", status=502)
        return response

    @router.get("/auth/google/callback")
    async def callback(request: Request) -> Response:
        services: AppServices = request.app.state.services
        client = oauth.create_client("google")
        if request.query_params.get("error"):
            return _refused("Google sign-in was cancelled or refused.")
        try:
            token = await client.authorize_access_token(request, claims_options=claims_options)
        except (OAuthError, JoseError) as exc:
            log.info("refused an OpenID Connect callback: %s", type(exc).__name__)
            return _refused(_explain(exc))
        claims = token.get("userinfo") if isinstance(token, dict) else None
        if not claims or not claims.get("sub") or not claims.get("email"):
            return _refused("Google did not send a signed identity; sign in again.")
        if claims.get("email_verified") is not True:
            return _refused(
                "Google has not verified this email address, so it cannot sign you in. "
                "Verify it with Google, or sign up with email and password."
            )
        who = GoogleIdentity(
            subject=str(claims["sub"]),
            email=str(claims["email"]),
            email_verified=True,
            name=str(claims["name"]) if claims.get("name") else None,
        )
        services.signup_limiter.hit(services.client(request), what="sign-ins")
        invitation = request.session.pop("invitation", None)
        flows = services.flows(request)
        try:
            if invitation:
                ctx = await asyncio.to_thread(flows.google_join, who, str(invitation))
                await asyncio.to_thread(
                    MembersRepository(services.db).record,
                    ctx,
                    "invitation_accepted",
                    ctx.user_id,
                    role=ctx.role.value,
                )
            else:
                ctx = await asyncio.to_thread(flows.google_sign_in, who)
        except ReelEstateError as exc:
            return _refused(exc.message, status=403)
        return await _into_chat(request, services, ctx)

    app.include_router(router)


def _explain(exc: Exception) -> str:
    name = type(exc).__name__
    text = str(exc)
    if "State" in name or "state" in text:
        return (
            "The sign-in could not be matched to this browser (its state did not match). "
            "Start again."
        )
    if "nonce" in text:
        return (
            "The identity Google sent was not issued for this sign-in (wrong nonce). Start again."
        )
    if "Expired" in name or "exp" in text:
        return "The identity Google sent has expired. Start again."
    if "Signature" in name:
        return "The identity Google sent is not signed by Google. Start again."
    return "Google sign-in failed; start again."
