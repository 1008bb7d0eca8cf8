"""Sign-in, sign-up, invitations, the caller and their organisation, API keys, credits."""

from __future__ import annotations

import asyncio
import uuid
from datetime import timedelta

from fastapi import APIRouter, Request, status

from reelestate.api.deps import AdminTenant, Services, Tenant
from reelestate.api.security.tokens import TokenPair
from reelestate.api.services import AppServices
from reelestate.api.v1.schemas import (
    AcceptInvitationRequest,
    ApiKeyCreated,
    ApiKeyIn,
    ApiKeyOut,
    AuditOut,
    CreditEntryOut,
    CreditsOut,
    InvitationCreated,
    InvitationIn,
    InvitationOut,
    LoginRequest,
    MemberOut,
    MembershipOut,
    MeOut,
    NewPasswordRequest,
    Notice,
    OrganizationOut,
    OwnerChange,
    RefreshRequest,
    ResetRequest,
    RoleChange,
    SignupRequest,
    TokenRequest,
    UserOut,
)
from reelestate.core.errors import AuthenticationError, InvalidInputError
from reelestate.core.passwords import hash_password, verify_password
from reelestate.services import permissions
from reelestate.services.accounts import RESET_SENT, SIGNUP_SENT
from reelestate.services.credits import statement
from reelestate.storage.context import TenantContext
from reelestate.storage.models import Role
from reelestate.storage.repositories.accounts import authenticate
from reelestate.storage.repositories.api_keys import ApiKeysRepository
from reelestate.storage.repositories.members import MembersRepository
from reelestate.storage.repositories.organisations import OrganisationsRepository

router = APIRouter()


def open_session(
    services: AppServices, ctx: TenantContext, *, family: uuid.UUID | None = None
) -> TokenPair:
    """A token pair for a person who just proved who they are (or spent a refresh token)."""
    standing = services.sessions.standing(ctx)
    if standing is None:
        raise AuthenticationError("You are no longer a member here.", hint="Sign in again.")
    ctx = ctx.model_copy(update={"role": standing.role})
    refresh_id, family = services.sessions.start(
        ctx, timedelta(seconds=services.tokens.refresh_ttl_s), family=family
    )
    return services.tokens.issue(
        ctx, session_version=standing.session_version, refresh_id=refresh_id, family=family
    )


@router.post("/auth/login", response_model=TokenPair, tags=["auth"])
async def login(body: LoginRequest, request: Request, services: Services) -> TokenPair:
    """Trade an email and password for an access token (15 min) and a refresh token."""
    address = services.client(request)
    services.sign_in_limits.hit(body.email, address)
    _, ctx = await asyncio.to_thread(
        authenticate,
        services.accounts,
        body.email,
        body.password,
        organization_id=body.organization_id,
    )
    services.sign_in_limits.succeeded(body.email, address)
    return await asyncio.to_thread(open_session, services, ctx)


@router.post("/auth/refresh", response_model=TokenPair, tags=["auth"])
async def refresh(body: RefreshRequest, services: Services) -> TokenPair:
    """A new pair for a refresh token, which is spent: each works once, and a second use of
    one ends every session that descends from the same sign-in."""
    claims = services.tokens.verify(body.refresh_token, "refresh")
    ctx = claims.context()
    try:
        token_id = uuid.UUID(claims.jti)
    except ValueError as exc:
        raise AuthenticationError("The refresh token is not valid.", hint="Sign in again.") from exc

    def work() -> TokenPair:
        family = services.sessions.use(ctx, token_id)
        standing = services.sessions.standing(ctx)
        if standing is None or standing.session_version != claims.sv:
            raise AuthenticationError("You are no longer a member here.", hint="Sign in again.")
        return open_session(services, ctx, family=family)

    return await asyncio.to_thread(work)


@router.post(
    "/auth/signup",
    response_model=Notice,
    status_code=status.HTTP_202_ACCEPTED,
    tags=["auth"],
)
async def signup(body: SignupRequest, request: Request, services: Services) -> Notice:
    """Start a sign-up: the answer is the same for every address, and the mail sent to it
    carries the link that creates the organisation (or says an account exists)."""
    services.signup_limiter.hit(services.client(request), what="sign-ups")
    services.signup_limiter.hit(f"email:{body.email.strip().lower()}", what="sign-ups")
    await services.flows(request).begin_signup(
        body.email, body.password, body.organization_name, body.display_name
    )
    return Notice(detail=SIGNUP_SENT)


@router.post("/auth/verify-email", response_model=TokenPair, tags=["auth"])
async def verify_email(body: TokenRequest, request: Request, services: Services) -> TokenPair:
    """Finish a sign-up with the mailed link's token: the new organisation and its owner."""
    services.signup_limiter.hit(services.client(request), what="attempts")
    flows = services.flows(request)
    ctx = await asyncio.to_thread(flows.finish_signup, body.token)
    return await asyncio.to_thread(open_session, services, ctx)


@router.post(
    "/auth/password-reset",
    response_model=Notice,
    status_code=status.HTTP_202_ACCEPTED,
    tags=["auth"],
)
async def password_reset(body: ResetRequest, request: Request, services: Services) -> Notice:
    """Mail a reset link (30 minutes, once) if the address has an account; the answer is the
    same either way."""
    services.signup_limiter.hit(services.client(request), what="reset requests")
    services.signup_limiter.hit(f"reset:{body.email.strip().lower()}", what="reset requests")
    await services.flows(request).request_reset(body.email)
    return Notice(detail=RESET_SENT)


@router.post("/auth/password-reset/confirm", status_code=status.HTTP_204_NO_CONTENT, tags=["auth"])
async def password_reset_confirm(
    body: NewPasswordRequest, request: Request, services: Services
) -> None:
    """Set the new password; every session of the person ends."""
    services.signup_limiter.hit(services.client(request), what="attempts")
    await asyncio.to_thread(services.flows(request).reset_password, body.token, body.password)


@router.post("/auth/accept-invitation", response_model=TokenPair, tags=["auth"])
async def accept_invitation(
    body: AcceptInvitationRequest, request: Request, services: Services
) -> TokenPair:
    """Join the inviting organisation: new people choose a password, members give theirs."""
    services.signup_limiter.hit(services.client(request), what="attempts")

    ctx = await asyncio.to_thread(
        join_with_invitation, services, body.token, body.password, body.display_name
    )
    return await asyncio.to_thread(open_session, services, ctx)


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
    MembersRepository(services.db).record(ctx, "invitation_accepted", user_id, role=ctx.role.value)
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
    permissions.require(permissions.can_invite(ctx.role), "invite people")
    role = Role(body.role)
    view, token = await asyncio.to_thread(services.accounts.invite, ctx, body.email, role)
    await asyncio.to_thread(
        MembersRepository(services.db).record,
        ctx,
        "invited",
        None,
        email=view.email,
        role=role.value,
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


@router.patch(
    "/organizations/current/members/{user_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    tags=["organizations"],
)
async def change_role(
    user_id: uuid.UUID, body: RoleChange, ctx: Tenant, services: Services
) -> None:
    """Make a member an admin or an admin a member; their sessions end at once."""
    repo = MembersRepository(services.db)

    def work() -> None:
        target = repo.role_of(ctx, user_id)
        new = Role(body.role)
        permissions.require(
            permissions.can_change_role(ctx.role, target, new),
            "change roles (ownership moves only by a transfer)",
        )
        repo.change_role(ctx, user_id, new)

    await asyncio.to_thread(work)


@router.delete(
    "/organizations/current/members/{user_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    tags=["organizations"],
)
async def remove_member(user_id: uuid.UUID, ctx: Tenant, services: Services) -> None:
    """Remove a member: their sessions and API keys stop working on their next request; their
    projects stay with the organisation."""
    repo = MembersRepository(services.db)

    def work() -> None:
        target = repo.role_of(ctx, user_id)
        permissions.require(
            permissions.can_remove_member(
                ctx.role, target, is_self=permissions.is_self(ctx.user_id, user_id)
            ),
            "remove members (the owner transfers ownership first)",
        )
        repo.remove(ctx, user_id)

    await asyncio.to_thread(work)


@router.post(
    "/organizations/current/owner", status_code=status.HTTP_204_NO_CONTENT, tags=["organizations"]
)
async def transfer_ownership(body: OwnerChange, ctx: Tenant, services: Services) -> None:
    """Hand the organisation to another member; the old owner stays on as an admin."""
    permissions.require(
        permissions.can_transfer_ownership(ctx.role), "transfer ownership", needs=Role.OWNER
    )
    await asyncio.to_thread(MembersRepository(services.db).transfer_ownership, ctx, body.user_id)


@router.get("/organizations/current/audit", response_model=list[AuditOut], tags=["organizations"])
async def audit(ctx: Tenant, services: Services) -> list[AuditOut]:
    """Changes to members and roles, newest first."""
    permissions.require(permissions.can_view_audit_log(ctx.role), "read the audit log")
    rows = await asyncio.to_thread(MembersRepository(services.db).audit, ctx)
    return [AuditOut.model_validate(r.model_dump()) for r in rows]
