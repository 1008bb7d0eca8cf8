"""`/signup`, `/verify-email`, `/login`, `/reset-password`: plain HTML forms, rate limited per
address and per email, CSRF-checked, and never telling whether an address has an account.

A link from a mail opens a page with a button rather than acting on the GET: mail scanners
fetch links, and a single-use link must not be spent by one.
"""

from __future__ import annotations

import asyncio
import html
from typing import Annotated

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse, Response

from reelestate.api.deps import Services
from reelestate.api.pages.layout import check_csrf, csrf_field, message, new_csrf, page
from reelestate.api.services import AppServices
from reelestate.chat_ui.sign_in import enter_chat
from reelestate.core.errors import RateLimitedError, ReelEstateError
from reelestate.services.accounts import RESET_SENT, SIGNUP_SENT
from reelestate.storage.context import TenantContext
from reelestate.storage.repositories.accounts import authenticate

router = APIRouter(include_in_schema=False)
Text = Annotated[str, Form(max_length=256)]


def _google_button(services: AppServices) -> str:
    if not services.settings.oauth_google_client_id:
        return ""
    return '<a class="button google" href="/auth/google">Sign in with Google</a>'


def _signup_form(services: AppServices, csrf: str, note: str = "") -> str:
    return f"""{note}<form method="post" action="/signup">{csrf_field(csrf)}
<label for="organization_name">Brokerage or team name</label>
<input id="organization_name" name="organization_name" maxlength="120" required>
<label for="display_name">Your name</label>
<input id="display_name" name="display_name" maxlength="120">
<label for="email">Email</label>
<input id="email" name="email" type="email" maxlength="254" required>
<label for="password">Password (at least 10 characters)</label>
<input id="password" name="password" type="password" minlength="10" maxlength="256" required>
<button type="submit">Create my account</button></form>{_google_button(services)}
<p class="links">Have an account? <a href="/login">Sign in</a></p>"""


def _error_text(exc: ReelEstateError) -> str:
    return exc.message + (f" {exc.hint}" if exc.hint else "")


@router.get("/signup")
async def signup_page(request: Request, services: Services) -> HTMLResponse:
    csrf = new_csrf(request)
    return page("Create your account", _signup_form(services, csrf), csrf=csrf)


@router.post("/signup")
async def signup(
    request: Request,
    services: Services,
    csrf: Text,
    email: Text,
    password: Text,
    organization_name: Annotated[str, Form(max_length=120)],
    display_name: Annotated[str, Form(max_length=120)] = "",
) -> HTMLResponse:
    token = new_csrf(request)
    try:
        check_csrf(request, csrf)
        services.signup_limiter.hit(services.client(request), what="sign-ups")
        services.signup_limiter.hit(f"email:{email.strip().lower()}", what="sign-ups")
        await services.flows(request).begin_signup(
            email, password, organization_name, display_name or None
        )
    except RateLimitedError as exc:
        form = _signup_form(services, token, message(_error_text(exc)))
        return page("Create your account", form, status=429, csrf=token)
    except ReelEstateError as exc:
        form = _signup_form(services, token, message(_error_text(exc)))
        return page("Create your account", form, status=422, csrf=token)
    return page("Check your inbox", message(SIGNUP_SENT, error=False))


@router.get("/verify-email")
async def verify_page(
    request: Request, services: Services, token: Annotated[str, Query(max_length=200)] = ""
) -> HTMLResponse:
    if not token or not await asyncio.to_thread(
        services.flows(request).tokens.peek, "signup", token
    ):
        body = message("This link is not valid any more: it was used already or it expired.")
        return page(
            "Finish signing up",
            body + '<p class="links"><a href="/signup">Sign up</a></p>',
            status=404,
        )
    csrf = new_csrf(request)
    body = f"""<p>One click and your studio is ready.</p><form method="post" action="/verify-email">
{csrf_field(csrf)}<input type="hidden" name="token" value="{html.escape(token)}">
<button type="submit">Finish signing up</button></form>"""
    return page("Finish signing up", body, csrf=csrf)


async def _into_chat(request: Request, services: AppServices, ctx: TenantContext) -> Response:
    standing = await asyncio.to_thread(services.sessions.standing, ctx)
    user = (
        await asyncio.to_thread(services.accounts.user, ctx, ctx.user_id) if ctx.user_id else None
    )
    if standing is None or user is None:
        return page("Sign in", message("You are no longer a member here."), status=403)
    ctx = ctx.model_copy(update={"role": standing.role})
    return await enter_chat(
        request,
        ctx,
        email=user.email,
        display_name=user.display_name,
        session_version=standing.session_version,
    )


@router.post("/verify-email")
async def verify(request: Request, services: Services, csrf: Text, token: Text) -> Response:
    try:
        check_csrf(request, csrf)
        services.signup_limiter.hit(services.client(request), what="attempts")
        ctx = await asyncio.to_thread(services.flows(request).finish_signup, token)
    except ReelEstateError as exc:
        links = '<p class="links"><a href="/login">Sign in</a> · <a href="/signup">Sign up</a></p>'
        return page("Finish signing up", message(_error_text(exc)) + links, status=422)
    return await _into_chat(request, services, ctx)


def _login_form(services: AppServices, csrf: str, note: str = "") -> str:
    return f"""{note}<form method="post" action="/login">{csrf_field(csrf)}
<label for="email">Email</label>
<input id="email" name="email" type="email" maxlength="254" required>
<label for="password">Password</label>
<input id="password" name="password" type="password" maxlength="256" required>
<button type="submit">Sign in</button></form>{_google_button(services)}
<p class="links"><a href="/reset-password">Forgot your password?</a> ·
<a href="/signup">Create an account</a></p>"""


@router.get("/login")
async def login_page(request: Request, services: Services) -> HTMLResponse:
    csrf = new_csrf(request)
    return page("Sign in", _login_form(services, csrf), csrf=csrf)


@router.post("/login")
async def login(
    request: Request, services: Services, csrf: Text, email: Text, password: Text
) -> Response:
    token = new_csrf(request)
    address = services.client(request)
    try:
        check_csrf(request, csrf)
        services.sign_in_limits.hit(email, address)
        _, ctx = await asyncio.to_thread(authenticate, services.accounts, email, password)
    except RateLimitedError as exc:
        form = _login_form(services, token, message(_error_text(exc)))
        return page("Sign in", form, status=429, csrf=token)
    except ReelEstateError as exc:
        form = _login_form(services, token, message(_error_text(exc)))
        return page("Sign in", form, status=401, csrf=token)
    services.sign_in_limits.succeeded(email, address)
    return await _into_chat(request, services, ctx)


def _reset_request_form(csrf: str, note: str = "") -> str:
    return f"""{note}<form method="post" action="/reset-password">{csrf_field(csrf)}
<label for="email">Email</label>
<input id="email" name="email" type="email" maxlength="254" required>
<button type="submit">Send me a link</button></form>
<p class="links"><a href="/login">Back to sign in</a></p>"""


def _new_password_form(csrf: str, token: str, note: str = "") -> str:
    return f"""{note}<form method="post" action="/reset-password">{csrf_field(csrf)}
<input type="hidden" name="token" value="{html.escape(token)}">
<label for="password">New password (at least 10 characters)</label>
<input id="password" name="password" type="password" minlength="10" maxlength="256" required>
<button type="submit">Save the new password</button></form>"""


@router.get("/reset-password")
async def reset_page(
    request: Request, services: Services, token: Annotated[str, Query(max_length=200)] = ""
) -> HTMLResponse:
    csrf = new_csrf(request)
    if token:
        return page("Choose a new password", _new_password_form(csrf, token), csrf=csrf)
    return page("Reset your password", _reset_request_form(csrf), csrf=csrf)


@router.post("/reset-password")
async def reset(
    request: Request,
    services: Services,
    csrf: Text,
    email: Text = "",
    token: Annotated[str, Form(max_length=200)] = "",
    password: Text = "",
) -> HTMLResponse:
    fresh = new_csrf(request)
    flows = services.flows(request)
    try:
        check_csrf(request, csrf)
        services.signup_limiter.hit(services.client(request), what="reset attempts")
        if token:
            await asyncio.to_thread(flows.reset_password, token, password)
            done = message(
                "Your password is changed and you are signed out everywhere.", error=False
            )
            return page("Password changed", done + '<a class="button" href="/login">Sign in</a>')
        services.signup_limiter.hit(f"reset:{email.strip().lower()}", what="reset requests")
        await flows.request_reset(email)
    except ReelEstateError as exc:
        status = 429 if isinstance(exc, RateLimitedError) else 422
        note = message(_error_text(exc))
        if token:
            return page(
                "Choose a new password",
                _new_password_form(fresh, token, note),
                status=status,
                csrf=fresh,
            )
        return page(
            "Reset your password", _reset_request_form(fresh, note), status=status, csrf=fresh
        )
    return page("Check your inbox", message(RESET_SENT, error=False))
