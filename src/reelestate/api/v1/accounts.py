"""Sign-in, sign-up, invitations, the caller and their organisation, API keys, credits."""

from __future__ import annotations

import asyncio
import re
import secrets
import uuid

from fastapi import APIRouter, Request, status

from reelestate.api.deps import AdminTenant, Services, Tenant
from reelestate.api.security.tokens import TokenPair
from reelestate.api.services import AppServices
from reelestate.api.v1.schemas import (
    AcceptInvitationRequest,
    ApiKeyCreated,
    ApiKeyIn,
    ApiKeyOut,
    CreditEntryOut,
    CreditsOut,
    InvitationCreated,
    InvitationIn,
    InvitationOut,
    LoginRequest,
    MemberOut,
    MembershipOut,
    MeOut,
    OrganizationOut,
    RefreshRequest,
    SignupRequest,
    UserOut,
)
from reelestate.core.errors import AuthenticationError, InvalidInputError
from reelestate.core.passwords import hash_password, verify_password
from reelestate.services.credits import statement
from reelestate.storage.context import TenantContext
from reelestate.storage.models import Role
from reelestate.storage.repositories.accounts import authenticate, normalise_email
from reelestate.storage.repositories.api_keys import ApiKeysRepository
from reelestate.storage.repositories.credits import CreditsRepository
from reelestate.storage.repositories.organisations import OrganisationsRepository

router = APIRouter()


def _client(request: Request) -> str:
    return request.client.host if request.client else "unknown"


@router.post("/auth/login", response_model=TokenPair, tags=["auth"])
async def login(body: LoginRequest, request: Request, services: Services) -> TokenPair:
    """Trade an email and password for an access token (15 min) and a refresh token."""
    key = f"{_client(request)}:{body.email.strip().lower()}"
    services.login_limiter.hit(key, what="sign-in attempts")
    _, ctx = await asyncio.to_thread(
        authenticate,
        services.accounts,
        body.email,
        body.password,
        organization_id=body.organization_id,
    )
    services.login_limiter.reset(key)
    return services.tokens.issue(ctx)


@router.post("/auth/refresh", response_model=TokenPair, tags=["auth"])
async def refresh(body: RefreshRequest, services: Services) -> TokenPair:
    claims = services.tokens.verify(body.refresh_token, "refresh")
    ctx = claims.context()
    memberships = await asyncio.to_thread(services.accounts.memberships_of, claims.sub)
    current = next((m for m in memberships if m.organization_id == ctx.org_id), None)
    if current is None:
        raise AuthenticationError("You are no longer a member here.", hint="Sign in again.")
    return services.tokens.issue(ctx.model_copy(update={"role": current.role}))


def _slug(name: str) -> str:
    base = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")[:40] or "team"
    if len(base) < 2:
        base = f"{base}-team"
    return f"{base}-{secrets.token_hex(3)}"


@router.post(
    "/auth/signup", response_model=TokenPair, status_code=status.HTTP_201_CREATED, tags=["auth"]
)
async def signup(body: SignupRequest, request: Request, services: Services) -> TokenPair:
    """A new person with a new organisation (they own it) and its starting credits."""
    services.signup_limiter.hit(_client(request), what="sign-ups")

    def work() -> TenantContext:
        email = normalise_email(body.email)
        password_hash = hash_password(body.password)
        user = services.accounts.create_user(
            email, password_hash=password_hash, display_name=body.display_name
        )
        ctx = OrganisationsRepository(services.db).create(
            body.organization_name, _slug(body.organization_name)
        )
        ctx = ctx.model_copy(update={"user_id": user.id})
        services.accounts.add_membership(ctx, user.id, Role.OWNER)
        if services.settings.signup_credits:
            CreditsRepository(services.db).grant(
                ctx, services.settings.signup_credits, "sign-up", source="signup"
            )
        return ctx

    return services.tokens.issue(await asyncio.to_thread(work))


@router.post("/auth/accept-invitation", response_model=TokenPair, tags=["auth"])
async def accept_invitation(
    body: AcceptInvitationRequest, request: Request, services: Services
) -> TokenPair:
    """Join the inviting organisation: new people choose a password, members give theirs."""
    services.signup_limiter.hit(_client(request), what="attempts")

    ctx = await asyncio.to_thread(
        join_with_invitation, services, body.token, body.password, body.display_name
    )
    return services.tokens.issue(ctx)


def join_with_invitation(
    services: AppServices, token: str, password: str, display_name: str | None
) -> TenantContext:
    """Use an invitation: new people get an account with `password`; people who have one
    prove it with theirs."""
    accounts = services.accounts
    email = accounts.invitation_email(token)
    existing = accounts.credentials(email)
    if existing is None:
        user_id = accounts.create_user(
            email, password_hash=hash_password(password), display_name=display_name
        ).id
    else:
        if not verify_password(existing.password_hash, password):
            raise AuthenticationError(
                "The password is wrong for this account.",
                hint="Use the password you sign in with.",
            )
        user_id = existing.id
    ctx, _ = accounts.accept(token, user_id)
    return ctx


@router.get("/users/me", response_model=MeOut, tags=["users"])
async def me(ctx: Tenant, services: Services) -> MeOut:
    if ctx.user_id is None:
        raise InvalidInputError("An API key acts for the organisation, not for a person.")
    user = await asyncio.to_thread(services.accounts.user, ctx, ctx.user_id)
    org = await asyncio.to_thread(OrganisationsRepository(services.db).get, ctx)
    memberships = await asyncio.to_thread(services.accounts.memberships_of, ctx.user_id)
    return MeOut(
        user=UserOut.model_validate(user),
        organization=OrganizationOut.model_validate(org),
        role=ctx.role,
        memberships=[
            MembershipOut(organization_id=m.organization_id, role=m.role) for m in memberships
        ],
    )


@router.get("/organizations/current", response_model=OrganizationOut, tags=["organizations"])
async def organization(ctx: Tenant, services: Services) -> OrganizationOut:
    org = await asyncio.to_thread(OrganisationsRepository(services.db).get, ctx)
    return OrganizationOut.model_validate(org)


@router.get(
    "/organizations/current/members", response_model=list[MemberOut], tags=["organizations"]
)
async def members(ctx: Tenant, services: Services) -> list[MemberOut]:
    rows = await asyncio.to_thread(OrganisationsRepository(services.db).members, ctx)
    return [
        MemberOut(user_id=u.id, email=u.email, display_name=u.display_name, role=m.role)
        for u, m in rows
    ]


@router.post(
    "/organizations/current/invitations",
    response_model=InvitationCreated,
    status_code=status.HTTP_201_CREATED,
    tags=["organizations"],
)
async def invite(
    body: InvitationIn, ctx: AdminTenant, services: Services, request: Request
) -> InvitationCreated:
    """An invitation link for one person (valid 7 days, usable once)."""
    view, token = await asyncio.to_thread(
        services.accounts.invite, ctx, body.email, Role(body.role)
    )
    url = str(request.base_url).rstrip("/") + f"/join?token={token}"
    return InvitationCreated(
        invitation=InvitationOut.model_validate(view), token=token, accept_url=url
    )


@router.get(
    "/organizations/current/invitations",
    response_model=list[InvitationOut],
    tags=["organizations"],
)
async def invitations(ctx: AdminTenant, services: Services) -> list[InvitationOut]:
    rows = await asyncio.to_thread(services.accounts.invitations, ctx)
    return [InvitationOut.model_validate(r) for r in rows]


@router.post(
    "/organizations/current/api-keys",
    response_model=ApiKeyCreated,
    status_code=status.HTTP_201_CREATED,
    tags=["organizations"],
)
async def create_api_key(body: ApiKeyIn, ctx: AdminTenant, services: Services) -> ApiKeyCreated:
    view, secret = await asyncio.to_thread(ApiKeysRepository(services.db).create, ctx, body.name)
    return ApiKeyCreated(key=ApiKeyOut.model_validate(view), secret=secret)


@router.get(
    "/organizations/current/api-keys", response_model=list[ApiKeyOut], tags=["organizations"]
)
async def api_keys(ctx: AdminTenant, services: Services) -> list[ApiKeyOut]:
    rows = await asyncio.to_thread(ApiKeysRepository(services.db).all, ctx)
    return [ApiKeyOut.model_validate(r) for r in rows]


@router.delete(
    "/organizations/current/api-keys/{key_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    tags=["organizations"],
)
async def revoke_api_key(key_id: uuid.UUID, ctx: AdminTenant, services: Services) -> None:
    await asyncio.to_thread(ApiKeysRepository(services.db).revoke, ctx, key_id)


@router.get("/organizations/current/credits", response_model=CreditsOut, tags=["organizations"])
async def credits(ctx: Tenant, services: Services) -> CreditsOut:
    """The balance, the plan and its renewal date, and the ledger's latest 50 entries."""
    found = await asyncio.to_thread(statement, services.db, ctx)
    return CreditsOut(
        balance=found.available,
        available=found.available,
        reserved=found.reserved,
        debt=found.debt,
        plan=found.plan,
        plan_status=found.plan_status,
        renews_at=found.renews_at,
        entries=[
            CreditEntryOut(
                seq=e.seq,
                kind=e.kind.value,
                credits=e.available_delta,
                reserved=e.reserved_delta,
                debt=e.debt_delta,
                balance_after=e.available_after,
                reason=e.note,
                source=e.source,
                job_id=e.job_id,
                created_at=e.created_at,
            )
            for e in found.entries
        ],
    )
