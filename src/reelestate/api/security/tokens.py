"""Bearer tokens for the REST API: short-lived access JWTs and longer refresh JWTs (HS256).

An access token names the user, the organisation and the role; every request's organisation
comes from it. A refresh token can only be traded for a new pair, never used on a route.
"""

from __future__ import annotations

import secrets
import time
import uuid
from pathlib import Path
from typing import Literal

import jwt
from pydantic import BaseModel, ConfigDict, ValidationError

from reelestate.core.errors import AuthenticationError, ConfigurationError
from reelestate.core.settings import Settings
from reelestate.storage.context import TenantContext
from reelestate.storage.models import Role

ALGORITHM = "HS256"
MIN_SECRET_BYTES = 32
ISSUER = "reelestate"
TokenUse = Literal["access", "refresh"]


class TokenClaims(BaseModel):
    model_config = ConfigDict(frozen=True)

    sub: uuid.UUID
    org: uuid.UUID
    role: Role
    use: TokenUse
    exp: int
    iat: int
    jti: str
    sv: int | None = None
    """The person's session version when the token was issued (see `SessionsRepository`)."""
    fam: uuid.UUID | None = None
    """A refresh token's family: every token descended from one sign-in."""

    def context(self) -> TenantContext:
        return TenantContext(org_id=self.org, user_id=self.sub, role=self.role)


class TokenPair(BaseModel):
    access_token: str
    refresh_token: str
    token_type: Literal["bearer"] = "bearer"  # noqa: S105 - the OAuth2 token type
    expires_in: int
    """Seconds the access token stays valid."""


def app_secret(settings: Settings) -> bytes:
    """`REELESTATE_JWT_SECRET`, or a random one made once and kept (0600) in the data folder."""
    if settings.jwt_secret is not None and settings.jwt_secret.get_secret_value():
        secret = settings.jwt_secret.get_secret_value().encode()
        if len(secret) < MIN_SECRET_BYTES:
            raise ConfigurationError(
                f"REELESTATE_JWT_SECRET is too short: use at least {MIN_SECRET_BYTES} bytes.",
                hint="For example the output of `openssl rand -hex 32`.",
            )
        return secret
    path: Path = settings.data_dir / "jwt-secret"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".tmp-{secrets.token_hex(4)}")
        tmp.write_text(secrets.token_hex(32), encoding="ascii")
        tmp.chmod(0o600)
        tmp.replace(path)
    return path.read_text(encoding="ascii").strip().encode()


class TokenIssuer:
    def __init__(self, secret: bytes, *, access_ttl_s: int, refresh_ttl_s: int) -> None:
        self._secret = secret
        self.access_ttl_s = access_ttl_s
        self.refresh_ttl_s = refresh_ttl_s

    def _encode(
        self,
        ctx: TenantContext,
        use: TokenUse,
        ttl: int,
        now: float,
        *,
        session_version: int,
        jti: str | None = None,
        family: uuid.UUID | None = None,
    ) -> str:
        if ctx.user_id is None:
            raise AuthenticationError("Only people can hold session tokens.")
        claims: dict[str, object] = {
            "iss": ISSUER,
            "sub": str(ctx.user_id),
            "org": str(ctx.org_id),
            "role": ctx.role.value,
            "use": use,
            "iat": int(now),
            "exp": int(now) + ttl,
            "jti": jti or secrets.token_hex(8),
            "sv": session_version,
        }
        if family is not None:
            claims["fam"] = str(family)
        return jwt.encode(claims, self._secret, algorithm=ALGORITHM)

    def issue(
        self,
        ctx: TenantContext,
        *,
        session_version: int,
        refresh_id: uuid.UUID,
        family: uuid.UUID,
        now: float | None = None,
    ) -> TokenPair:
        """An access token and the refresh token whose row is `refresh_id` (see
        `SessionsRepository.start`): a refresh token is honoured once, by that row."""
        now = time.time() if now is None else now
        return TokenPair(
            access_token=self._encode(
                ctx, "access", self.access_ttl_s, now, session_version=session_version
            ),
            refresh_token=self._encode(
                ctx,
                "refresh",
                self.refresh_ttl_s,
                now,
                session_version=session_version,
                jti=str(refresh_id),
                family=family,
            ),
            expires_in=self.access_ttl_s,
        )

    def verify(self, token: str, use: TokenUse) -> TokenClaims:
        try:
            data = jwt.decode(
                token,
                self._secret,
                algorithms=[ALGORITHM],
                issuer=ISSUER,
                options={"require": ["exp", "iat", "sub", "iss"]},
            )
            claims = TokenClaims.model_validate(data)
        except jwt.ExpiredSignatureError as exc:
            raise AuthenticationError(
                "Your session has expired.", hint="Refresh the token or sign in again."
            ) from exc
        except (jwt.InvalidTokenError, ValidationError) as exc:
            raise AuthenticationError("The token is not valid.", hint="Sign in again.") from exc
        if claims.use != use:
            raise AuthenticationError(f"This is not an {use} token.", hint="Sign in again.")
        return claims
