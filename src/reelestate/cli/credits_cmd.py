"""`reelestate credits`: an operator's view of an organisation's credits, and grants by hand.

Like `reelestate users`, these run on the owner connection and find the organisation by its
name or handle. Grants need no Stripe: they are how credits reach a team before billing is set
up, or as a goodwill gesture; each is a ledger entry with the reason and the operator's name.
"""

from __future__ import annotations

import getpass
from typing import Annotated

import typer

from reelestate.cli.render_cmd import report_error
from reelestate.cli.users_cmd import admin_database
from reelestate.core.errors import ReelEstateError
from reelestate.core.settings import get_settings
from reelestate.services.credits import (
    CreditStatement,
    operator_grant,
    organisation_named,
    statement,
)


def _print(name: str, found: CreditStatement, *, entries: bool) -> None:
    plan = f"; plan {found.plan} ({found.plan_status})" if found.plan else ""
    renews = f", renews {found.renews_at:%Y-%m-%d}" if found.renews_at else ""
    owed = f", {found.debt} owed" if found.debt else ""
    typer.echo(
        f"{name}: {found.available} credits available, {found.reserved} reserved{owed}"
        f"{plan}{renews}"
    )
    if not entries:
        return
    for e in found.entries:
        when = f"{e.created_at:%Y-%m-%d %H:%M}"
        typer.echo(
            f"{e.seq:>5}  {when}  {e.kind.value:<8} {e.available_delta:>+7}  "
            f"balance {e.available_after:>7}  {e.note or ''}  [{e.source or '-'}]"
        )


def register(app: typer.Typer) -> None:
    credits = typer.Typer(help="Organisations' credits: balances and grants.", no_args_is_help=True)
    app.add_typer(credits, name="credits")

    @credits.command("grant")
    def grant(
        org_name: Annotated[str, typer.Argument(help="Organisation name or handle.")],
        amount: Annotated[int, typer.Argument(help="Credits to add (a positive number).", min=1)],
        reason: Annotated[str, typer.Option("--reason", help="Why, kept in the ledger.")],
    ) -> None:
        """Add credits to an organisation (works without Stripe)."""
        db = admin_database(get_settings())
        try:
            ctx = organisation_named(db, org_name)
            found = operator_grant(db, ctx, amount, reason=reason, operator=getpass.getuser())
        except ReelEstateError as exc:
            raise report_error(exc) from exc
        finally:
            db.dispose()
        typer.echo(f"Granted {amount} credits.")
        _print(org_name, found, entries=False)

    @credits.command("show")
    def show(
        org_name: Annotated[str, typer.Argument(help="Organisation name or handle.")],
    ) -> None:
        """The balance, the plan and the latest ledger entries."""
        db = admin_database(get_settings())
        try:
            found = statement(db, organisation_named(db, org_name))
        except ReelEstateError as exc:
            raise report_error(exc) from exc
        finally:
            db.dispose()
        _print(org_name, found, entries=True)
