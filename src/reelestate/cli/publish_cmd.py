"""`reelestate social connect`, `reelestate publish` and `reelestate calendar`."""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated

import typer
from rich.console import Console
from sqlalchemy import select

from reelestate.cli.jobs_cmd import _job_id
from reelestate.cli.users_cmd import handle_of
from reelestate.core.errors import NotFoundError, ReelEstateError
from reelestate.core.settings import get_settings
from reelestate.services.publishing import PublishingService, parse_when
from reelestate.storage.blobs import open_blob_store
from reelestate.storage.context import TenantContext
from reelestate.storage.db import Database, open_database
from reelestate.storage.models import Channel, Organization, Role, utcnow
from reelestate.storage.repositories.system import SystemJobs
from reelestate.storage.schemas import PublicationView

console = Console(stderr=True)


def _fail(exc: ReelEstateError) -> typer.Exit:
    console.print(f"[bold red]Error:[/] {exc.message}")
    if exc.hint:
        console.print(f"[yellow]{exc.hint}[/]")
    return typer.Exit(code=2 if exc.user_error else 1)


def org_named(db: Database, name: str) -> TenantContext:
    with db.system() as session:
        org = session.scalars(
            select(Organization).where(
                (Organization.slug == handle_of(name)) | (Organization.name == name)
            )
        ).first()
    if org is None:
        raise NotFoundError(f"No organisation is called {name!r}.")
    return TenantContext(org_id=org.id, role=Role.OWNER)


def service() -> PublishingService:
    settings = get_settings()
    return PublishingService(settings, open_database(settings), open_blob_store(settings))


def line(svc: PublishingService, ctx: TenantContext, post: PublicationView) -> str:
    when = svc.local(ctx, post.published_at or post.scheduled_at)
    at = when.strftime("%a %Y-%m-%d %H:%M %Z") if when else "no time"
    return f"{at}  {post.channel.value:<9} {post.status.value:<10} {post.title}  ({post.id})"


def register(app: typer.Typer) -> None:
    social = typer.Typer(help="Connected social accounts.", no_args_is_help=True)
    app.add_typer(social, name="social")

    @social.command("connect")
    def connect(
        org: Annotated[str, typer.Argument(help="The organisation's name or handle.")],
        page_id: Annotated[str, typer.Option("--page-id", help="The Facebook Page id.")],
        page_token: Annotated[
            str, typer.Option("--page-token", help="A Page access token (stored encrypted).")
        ],
        instagram_id: Annotated[
            str | None,
            typer.Option("--instagram-id", help="The Page's Instagram professional account id."),
        ] = None,
    ) -> None:
        """Connect a Facebook Page (and its Instagram account) to an organisation."""
        svc = service()
        try:
            ctx = org_named(svc.db, org)
            account = svc.connect(
                ctx, page_id=page_id, page_token=page_token, instagram_id=instagram_id
            )
        except ReelEstateError as exc:
            raise _fail(exc) from exc
        finally:
            svc.db.dispose()
        ig = f" and Instagram account {account.instagram_id}" if account.instagram_id else ""
        typer.echo(f"Connected Page {account.page_id}{ig} to {org}.")

    @app.command("publish")
    def publish(
        job_id: Annotated[str, typer.Argument(help="The finished render job to post.")],
        to: Annotated[Channel, typer.Option("--to", help="instagram or facebook.")],
        caption: Annotated[
            str | None, typer.Option("--caption", help="Your caption (else one from the facts).")
        ] = None,
        at: Annotated[
            str | None,
            typer.Option("--at", help="ISO 8601; without an offset, the organisation's time."),
        ] = None,
    ) -> None:
        """Post a finished video now, or schedule it."""
        svc = service()
        try:
            job = _job_id(job_id)
            org = SystemJobs(svc.db).job_org(job)
            if org is None:
                raise NotFoundError("No such render job.")
            ctx = TenantContext(org_id=org, role=Role.OWNER)
            when = parse_when(at, svc.zone(ctx)) if at else None
            post = svc.schedule(ctx, job, to, caption=caption, at=when)
            if when is None:
                post = svc.publish_now(ctx, post.id)
        except ReelEstateError as exc:
            raise _fail(exc) from exc
        finally:
            svc.db.dispose()
        typer.echo(line(svc, ctx, post))

    @app.command("calendar")
    def calendar(
        org: Annotated[str, typer.Argument(help="The organisation's name or handle.")],
        days: Annotated[int, typer.Option("--days", help="How far ahead to look.")] = 30,
    ) -> None:
        """Posts from a week ago to DAYS ahead, in the organisation's time zone."""
        svc = service()
        try:
            ctx = org_named(svc.db, org)
            now = utcnow()
            posts = svc.calendar(ctx, now - timedelta(days=7), now + timedelta(days=days))
        except ReelEstateError as exc:
            raise _fail(exc) from exc
        finally:
            svc.db.dispose()
        for post in posts:
            typer.echo(line(svc, ctx, post))
        if not posts:
            typer.echo("Nothing scheduled.")


__all__ = ["org_named", "register"]
