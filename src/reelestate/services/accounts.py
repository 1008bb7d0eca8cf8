"""Self-service accounts: sign-up by mail link, password reset, sign-in with Google.

Sign-up never says whether an address has an account. Whatever is typed, the answer is the
same ("check your inbox"); the mail then either carries the link that creates the organisation
and its owner, or tells the person they have an account already and how to reset its password.
A password reset ends every session of the person.
"""

from __future__ import annotations

import asyncio
import re
import secrets
import uuid
from dataclasses import dataclass
from typing import Any

from reelestate.core.errors import AuthenticationError, InvalidInputError
from reelestate.core.passwords import check_password_rules, hash_password
from reelestate.providers.mail.sender import Mailer
from reelestate.storage.context import TenantContext
from reelestate.storage.db import Database
from reelestate.storage.models import Role
from reelestate.storage.repositories.account_tokens import AccountTokensRepository
from reelestate.storage.repositories.accounts import AccountsRepository, normalise_email
from reelestate.storage.repositories.credits import CreditsRepository
from reelestate.storage.repositories.organisations import OrganisationsRepository

SIGNUP_SENT = (
    "Check your inbox: we sent a link to finish signing up. "
    "If it does not arrive in a few minutes, look in the spam folder."
)
RESET_SENT = "If an account uses this address, we sent it a link to choose a new password."


def slug_for(name: str) -> str:
    base = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")[:40] or "team"
    if len(base) < 2:
        base = f"{base}-team"
    return f"{base}-{secrets.token_hex(3)}"


@dataclass(frozen=True)
class GoogleIdentity:
    """The validated ID-token claims sign-in uses."""

    subject: str
    email: str
    email_verified: bool
    name: str | None = None


@dataclass
class AccountFlows:
    db: Database
    mailer: Mailer
    base_url: str
    """Where links in mails point (the public URL of the web app)."""
    signup_credits: int

    @property
    def accounts(self) -> AccountsRepository:
        return AccountsRepository(self.db)

    @property
    def tokens(self) -> AccountTokensRepository:
        return AccountTokensRepository(self.db)

    def _link(self, path: str, token: str) -> str:
        return f"{self.base_url.rstrip('/')}{path}?token={token}"

    # -- sign-up -------------------------------------------------------------------------------

    async def begin_signup(
        self, email: str, password: str, organization_name: str, display_name: str | None
    ) -> None:
        """Check the form, then mail the address; the reply never depends on the address."""
        address = normalise_email(email)
        check_password_rules(password)
        name = organization_name.strip()
        if not name:
            raise InvalidInputError("Give your brokerage or team a name.")
        existing = await asyncio.to_thread(self.accounts.credentials, address)
        if existing is not None:
            body = (
                "Someone (perhaps you) tried to sign up to ReelEstate Studio with this address, "
                "but it has an account already.\n\n"
                f"Sign in: {self.base_url.rstrip('/')}/login\n"
                f"Forgot the password? {self.base_url.rstrip('/')}/reset-password\n\n"
                "If it was not you, you can ignore this mail."
            )
            await self.mailer.send(address, "You already have a ReelEstate Studio account", body)
            return
        payload: dict[str, Any] = {
            "password_hash": await asyncio.to_thread(hash_password, password),
            "organization_name": name[:120],
            "display_name": (display_name or "").strip()[:120] or None,
        }
        token = await asyncio.to_thread(self.tokens.issue, "signup", address, payload)
        body = (
            "Welcome to ReelEstate Studio!\n\n"
            "Open this link to confirm your address and start: "
            f"{self._link('/verify-email', token)}\n\n"
            "The link works once, for 24 hours. If you did not sign up, ignore this mail."
        )
        await self.mailer.send(address, "Confirm your email for ReelEstate Studio", body)

    def finish_signup(self, token: str) -> TenantContext:
        """Use the mailed link: the person, their organisation (they own it) and its credits."""
        used = self.tokens.use("signup", token)
        payload = used.payload
        if self.accounts.credentials(used.email) is not None:
            raise AuthenticationError(
                "This address has an account already.", hint="Sign in instead."
            )
        user = self.accounts.create_user(
            used.email,
            password_hash=str(payload["password_hash"]),
            display_name=payload.get("display_name"),
            verified=True,
        )
        return self.new_organisation(user.id, str(payload["organization_name"]))

    def new_organisation(self, user_id: uuid.UUID, name: str) -> TenantContext:
        ctx = OrganisationsRepository(self.db).create(name, slug_for(name))
        ctx = ctx.model_copy(update={"user_id": user_id})
        self.accounts.add_membership(ctx, user_id, Role.OWNER)
        if self.signup_credits:
            CreditsRepository(self.db).grant(ctx, self.signup_credits, "sign-up", source="signup")
        return ctx

    # -- password reset ------------------------------------------------------------------------

    async def request_reset(self, email: str) -> None:
        try:
            address = normalise_email(email)
        except InvalidInputError:
            return
        existing = await asyncio.to_thread(self.accounts.credentials, address)
        if existing is None or not existing.is_active:
            return
        token = await asyncio.to_thread(self.tokens.issue, "reset", address)
        body = (
            "Someone asked to reset the password of your ReelEstate Studio account.\n\n"
            f"Choose a new one here: {self._link('/reset-password', token)}\n\n"
            "The link works once, for 30 minutes, and signs you out everywhere. "
            "If you did not ask, ignore this mail: your password stays as it is."
        )
        await self.mailer.send(address, "Reset your ReelEstate Studio password", body)

    def reset_password(self, token: str, password: str) -> None:
        check_password_rules(password)
        used = self.tokens.use("reset", token)
        creds = self.accounts.credentials(used.email)
        if creds is None:
            raise AuthenticationError("This account does not exist any more.")
        self.accounts.reset_password(creds.id, hash_password(password))

    # -- Google --------------------------------------------------------------------------------

    def google_join(self, who: GoogleIdentity, invitation: str) -> TenantContext:
        """Accept an invitation by signing in with the Google account of the invited address."""
        if not who.email_verified:
            raise AuthenticationError("Google has not verified this email address.")
        accounts = self.accounts
        invited = accounts.invitation_email(invitation)
        if invited != normalise_email(who.email):
            raise AuthenticationError(
                f"This invitation is for {invited}, not for {who.email}.",
                hint="Sign in to Google with the invited address.",
            )
        user_id = accounts.user_by_google(who.subject)
        if user_id is None:
            creds = accounts.credentials(who.email)
            if creds is None:
                user_id = accounts.create_user(
                    who.email,
                    password_hash=None,
                    display_name=who.name,
                    verified=True,
                    google_subject=who.subject,
                ).id
            else:
                user_id = creds.id
        ctx, _ = accounts.accept(invitation, user_id)
        if accounts.user_by_google(who.subject) is None:
            accounts.link_google(ctx, user_id, who.subject)
        return ctx

    def google_sign_in(self, who: GoogleIdentity) -> TenantContext:
        """The organisation a Google account signs in to; new people get one of their own.

        Only an address Google verified is trusted; an existing account with that address is
        linked to the Google account (both prove the same mailbox).
        """
        if not who.email_verified:
            raise AuthenticationError(
                "Google has not verified this email address, so it cannot sign you in.",
                hint="Verify the address with Google, or sign up with email and password.",
            )
        accounts = self.accounts
        user_id = accounts.user_by_google(who.subject)
        if user_id is None:
            creds = accounts.credentials(who.email)
            if creds is None:
                user = accounts.create_user(
                    who.email,
                    password_hash=None,
                    display_name=who.name,
                    verified=True,
                    google_subject=who.subject,
                )
                name = f"{who.name or who.email.split('@')[0]}'s team"
                return self.new_organisation(user.id, name)
            if not creds.is_active:
                raise AuthenticationError("This account is switched off.")
            user_id = creds.id
            memberships = accounts.memberships_of(user_id)
            if memberships:
                first = memberships[0]
                ctx = TenantContext(org_id=first.organization_id, user_id=user_id, role=first.role)
                accounts.link_google(ctx, user_id, who.subject)
        memberships = accounts.memberships_of(user_id)
        if not memberships:
            name = f"{who.name or who.email.split('@')[0]}'s team"
            return self.new_organisation(user_id, name)
        first = memberships[0]
        return TenantContext(org_id=first.organization_id, user_id=user_id, role=first.role)
