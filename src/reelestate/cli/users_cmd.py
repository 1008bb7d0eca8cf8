"""`reelestate users`: people and their Telegram links, for scripted set-ups by an admin.

These run on the owner connection (`DATABASE_ADMIN_URL`, else `DATABASE_URL` without switching
to the application role): they look organisations up by handle, across tenants.
"""

from __future__ import annotations

import re
from typing import Annotated

import typer
from rich.console import Console
from sqlalchemy import select

from reelestate.cli.render_cmd import report_error
from reelestate.core.errors import InvalidInputError, NotFoundError, ReelEstateError
from reelestate.core.settings import Settings, get_settings
from reelestate.storage.context import TenantContext
from reelestate.storage.db import Database, make_engine
from reelestate.storage.models import Membership, Organization, Role, User
from reelestate.storage.repositories.organisations import OrganisationsRepository
from reelestate.storage.repositories.telegram_links import TelegramLinksRepository

console = Console(stderr=True)


def admin_database(settings: Settings) -> Database:
    url = settings.database_admin_url or settings.effective_database_url
    if url.startswith("sqlite"):
        settings.sqlite_path.parent.mkdir(parents=True, exist_ok=True)
    return Database(make_engine(url, app_role=None, pool_size=1))


def handle_of(name: str) -> str:
    """An organisation handle from its name ("Oak & Co Realty" -> "oak-co-realty")."""
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")[:63]


def find_or_create_org(db: Database, name: str) -> TenantContext:
    handle = handle_of(name)
    with db.system() as session:
        org = session.scalars(
            select(Organization).where((Organization.slug == handle) | (Organization.name == name))
        ).first()
    if org is not None:
        return TenantContext(org_id=org.id, role=Role.OWNER)
    return OrganisationsRepository(db).create(name, handle)


def org_of_member(db: Database, email: str, org: str | None) -> TenantContext:
    with db.system() as session:
        query = (
            select(Organization)
            .join(Membership, Membership.organization_id == Organization.id)
            .join(User, User.id == Membership.user_id)
            .where(User.email == email.lower())
        )
        if org is not None:
            query = query.where((Organization.slug == handle_of(org)) | (Organization.name == org))
        orgs = session.scalars(query).all()
    if not orgs:
        raise NotFoundError(
            f"{email} is not a member of {'that' if org else 'any'} organisation.",
            hint="Create the user first: reelestate users create EMAIL --org NAME.",
        )
    if len(orgs) > 1:
        raise InvalidInputError(
            f"{email} belongs to several organisations.", hint="Say which one with --org."
        )
    return TenantContext(org_id=orgs[0].id, role=Role.OWNER)


def register(app: typer.Typer) -> None:
    users = typer.Typer(help="People and their Telegram links.", no_args_is_help=True)
    app.add_typer(users, name="users")

    @users.command("create")
    def create(
        email: Annotated[str, typer.Argument(help="The person's email address.")],
        org: Annotated[str, typer.Option("--org", help="Organisation name or handle.")],
        role: Annotated[Role, typer.Option("--role", help="Their role there.")] = Role.MEMBER,
    ) -> None:
        """Add a person to an organisation (created when it does not exist yet)."""
        if "@" not in email:
            raise report_error(InvalidInputError(f"{email!r} is not an email address."))
        db = admin_database(get_settings())
        try:
            ctx = find_or_create_org(db, org)
            member = OrganisationsRepository(db).add_member(ctx, email, role)
        except ReelEstateError as exc:
            raise report_error(exc) from exc
        except Exception as exc:  # a duplicate membership surfaces as an integrity error
            raise report_error(InvalidInputError(f"{email} is already a member of {org}.")) from exc
        finally:
            db.dispose()
        typer.echo(f"{email.lower()} added to {org} as {member.role.value} ({ctx.org_id}).")

    @users.command("link-telegram")
    def link_telegram(
        email: Annotated[str, typer.Argument(help="The person's email address.")],
        telegram_user_id: Annotated[int, typer.Argument(help="Their numeric Telegram user id.")],
        org: Annotated[
            str | None, typer.Option("--org", help="Which organisation, if several.")
        ] = None,
    ) -> None:
        """Let a Telegram account speak for this person (replaces any earlier link)."""
        db = admin_database(get_settings())
        try:
            ctx = org_of_member(db, email, org)
            account = TelegramLinksRepository(db).link(ctx, email, telegram_user_id)
        except ReelEstateError as exc:
            raise report_error(exc) from exc
        finally:
            db.dispose()
        typer.echo(f"Telegram user {telegram_user_id} is linked to {account.email}.")
