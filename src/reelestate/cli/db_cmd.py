"""`reelestate db`: schema migrations (PostgreSQL when `DATABASE_URL` is set, else SQLite)."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.console import Console

from reelestate.core.errors import ReelEstateError
from reelestate.core.settings import get_settings
from reelestate.storage import migrate
from reelestate.storage.context import LOCAL_ORG_ID, LOCAL_ORG_SLUG

console = Console(stderr=True)


def register(app: typer.Typer) -> None:
    db = typer.Typer(help="Database schema.", no_args_is_help=True)
    app.add_typer(db, name="db")

    @db.command("upgrade")
    def upgrade(
        revision: Annotated[str, typer.Option(help="Target revision.")] = "head",
    ) -> None:
        """Create or update the schema, and the local organisation used by the CLI."""
        try:
            migrate.upgrade(get_settings(), revision)
        except ReelEstateError as exc:
            console.print(f"[bold red]Error:[/] {exc}")
            raise typer.Exit(code=1) from exc
        console.print(
            f"Database at {migrate.current_revision()}; local organisation "
            f"'{LOCAL_ORG_SLUG}' ({LOCAL_ORG_ID}) is ready."
        )

    @db.command("downgrade")
    def downgrade(
        revision: Annotated[str, typer.Argument(help="Target revision, or base.")],
    ) -> None:
        """Roll the schema back (base drops every table)."""
        migrate.downgrade(get_settings(), revision)
        console.print(f"Database at {migrate.current_revision() or 'base'}.")

    @db.command("current")
    def current() -> None:
        """Print the schema revision."""
        typer.echo(migrate.current_revision() or "base")
