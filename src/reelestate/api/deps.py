"""Request dependencies: the services, and who is calling (from a bearer token or an API key).

The organisation of every request comes from its credentials, never from its path or body.
"""

from __future__ import annotations

import asyncio
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from reelestate.api.services import AppServices
from reelestate.core.errors import AuthenticationError
from reelestate.services import permissions
from reelestate.storage.context import TenantContext
from reelestate.storage.models import Role
from reelestate.storage.repositories.api_keys import KEY_PREFIX, ApiKeysRepository

_bearer = HTTPBearer(auto_error=False, description="An access token, or an API key (rs_...).")


def app_services(request: Request) -> AppServices:
    services: AppServices = request.app.state.services
    return services


Services = Annotated[AppServices, Depends(app_services)]


async def tenant_from_credential(services: AppServices, credential: str | None) -> TenantContext:
    """The context a bearer credential grants: access JWT for people, `rs_...` for API keys."""
    if not credential:
        raise AuthenticationError("Sign in first.", hint="Send 'Authorization: Bearer <token>'.")
    if credential.startswith(KEY_PREFIX):
        found = await asyncio.to_thread(ApiKeysRepository(services.db).verify, credential)
        if found is None:
            raise AuthenticationError("The API key is not valid or was revoked.")
        ctx, key = found
        if key.created_by is not None:
            # A key lives no longer than its maker's place in the organisation.
            maker = ctx.model_copy(update={"user_id": key.created_by})
            if await asyncio.to_thread(services.sessions.standing, maker) is None:
                raise AuthenticationError("The API key is not valid or was revoked.")
        return ctx.model_copy(update={"role": Role.ADMIN})
    claims = services.tokens.verify(credential, "access")
    ctx = claims.context()
    await asyncio.to_thread(services.sessions.check, ctx, claims.sv)
    return ctx


async def current_tenant(
    services: Services,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> TenantContext:
    return await tenant_from_credential(services, credentials.credentials if credentials else None)


Tenant = Annotated[TenantContext, Depends(current_tenant)]


def require_role(ctx: TenantContext, minimum: Role) -> TenantContext:
    if not permissions.at_least(ctx.role, minimum):
        raise permissions.refuse("do this", needs=minimum)
    return ctx


def admin_tenant(ctx: Tenant) -> TenantContext:
    return require_role(ctx, Role.ADMIN)


AdminTenant = Annotated[TenantContext, Depends(admin_tenant)]
