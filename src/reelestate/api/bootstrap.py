"""The first admin: an owner of the local organisation, so a fresh install can be signed in to.

With `REELESTATE_ADMIN_PASSWORD` that password is used (and reset to it on each start); without
it a random password is made once and kept (0600) in the data dir. The password itself is never
printed or logged: the start-up lines say where it is kept and how to set another.
Replicas starting together on an empty database may race to create it: the one that loses
takes the winner's account.
"""

from __future__ import annotations

import secrets
from pathlib import Path

from pydantic import BaseModel

from reelestate.core.errors import InvalidInputError
from reelestate.core.passwords import hash_password, verify_password
from reelestate.core.settings import Settings
from reelestate.storage.context import TenantContext
from reelestate.storage.db import Database
from reelestate.storage.models import Role
from reelestate.storage.repositories.accounts import AccountsRepository
from reelestate.storage.repositories.organisations import ensure_local_organisation

PASSWORD_FILE = "first-admin-password"  # noqa: S105 - a file name, not a password


class AdminLogin(BaseModel):
    email: str
    password: str | None
    """None when the password was set earlier and is not known to this process."""
    created: bool
    password_file: str | None = None
    """Where the random password is kept (0600), when it was made here and is still valid."""
    from_environment: bool = False
    """The password is `REELESTATE_ADMIN_PASSWORD`."""


def _password_file(settings: Settings) -> Path:
    return settings.data_dir / PASSWORD_FILE


def ensure_first_admin(settings: Settings, db: Database) -> AdminLogin:
    ctx: TenantContext = ensure_local_organisation(db)
    accounts = AccountsRepository(db)
    email = settings.admin_email
    given = settings.admin_password.get_secret_value() if settings.admin_password else None
    creds = accounts.credentials(email)
    if creds is None:
        password = given or secrets.token_urlsafe(12)
        try:
            user = accounts.create_user(
                email, password_hash=hash_password(password), display_name="Admin"
            )
        except InvalidInputError:
            # Another replica starting on the same empty database created it first.
            creds = accounts.credentials(email)
            if creds is None:
                raise
        else:
            accounts.add_membership(ctx, user.id, Role.OWNER)
            if given is None:
                path = _password_file(settings)
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_text(password, encoding="utf-8")
                path.chmod(0o600)
            return AdminLogin(
                email=email,
                password=password,
                created=True,
                password_file=None if given else str(_password_file(settings)),
                from_environment=given is not None,
            )
    if given is not None:
        if not verify_password(creds.password_hash, given):
            accounts.set_password(ctx, creds.id, hash_password(given))
        return AdminLogin(email=email, password=given, created=False, from_environment=True)
    path = _password_file(settings)
    kept = path.read_text(encoding="utf-8").strip() if path.exists() else None
    if kept is not None and not verify_password(creds.password_hash, kept):
        kept = None
    return AdminLogin(
        email=email,
        password=kept,
        created=False,
        password_file=str(path) if kept is not None else None,
    )
