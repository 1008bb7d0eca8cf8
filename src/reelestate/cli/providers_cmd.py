"""`reelestate providers check`: which external parts are in use, and whether they answer."""

from __future__ import annotations

import asyncio
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from reelestate.cli.diagnostics import PartStatus, ProviderReport, check_providers
from reelestate.core.settings import get_settings


def _configured(part: PartStatus) -> str:
    if part.embedded:
        return "built in"
    return "yes" if part.configured else "no"


def _reachable(part: PartStatus) -> str:
    if part.reachable is None:
        return "[dim]-[/]"
    return "[green]yes[/]" if part.reachable else "[bold red]no[/]"


def report_table(report: ProviderReport) -> Table:
    """One row per part; the settings it reads (secrets as set/not set) dimmed under the detail."""
    table = Table(title="External parts", title_justify="left")
    table.add_column("Part", no_wrap=True)
    for column in ("Implementation", "Configured", "Reachable", "Detail"):
        table.add_column(column, overflow="fold")
    for part in report.parts:
        shown = ", ".join(f"{name}={value}" for name, value in part.settings.items())
        detail = escape(part.detail) + (f"\n[dim]{escape(shown)}[/]" if shown else "")
        table.add_row(
            part.part, escape(part.implementation), _configured(part), _reachable(part), detail
        )
    return table


def versions_table(versions: dict[str, str]) -> Table:
    table = Table(title="Versions", title_justify="left")
    table.add_column("Library", no_wrap=True)
    table.add_column("Version")
    for name, found in versions.items():
        table.add_row(name, escape(found))
    return table


def register(app: typer.Typer) -> None:
    providers = typer.Typer(
        help="External services and their built-in defaults.", no_args_is_help=True
    )
    app.add_typer(providers, name="providers")

    @providers.command("check")
    def check(
        as_json: Annotated[bool, typer.Option("--json", help="Print the report as JSON.")] = False,
        timeout: Annotated[
            float, typer.Option(min=0.1, max=60, help="Seconds each check may take.")
        ] = 5.0,
    ) -> None:
        """Show each part's implementation, whether it is configured and whether it answers
        (no secret is shown); exit 1 when a configured part does not answer."""
        report = asyncio.run(check_providers(get_settings(), timeout_s=timeout))
        if as_json:
            typer.echo(report.model_dump_json(indent=2))
        else:
            console = Console()
            console.print(report_table(report))
            console.print(versions_table(report.versions))
            verdict = "every configured part answered" if report.ok else "some parts failed"
            console.print(("[green]" if report.ok else "[bold red]") + verdict + "[/]")
        raise typer.Exit(code=0 if report.ok else 1)
