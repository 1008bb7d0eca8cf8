"""The `reelestate` command line: one Typer app, one module per command group."""

from __future__ import annotations

from typing import Annotated

import typer

from reelestate.cli import (
    analyse_cmd,
    analytics_cmd,
    blobs_cmd,
    bot_cmd,
    chat_cmd,
    credits_cmd,
    db_cmd,
    infographic_cmd,
    jobs_cmd,
    make_cmd,
    providers_cmd,
    publish_cmd,
    render_cmd,
    serve_cmd,
    users_cmd,
    worker_cmd,
)
from reelestate.cli.diagnostics.versions import ffmpeg_version, library_versions

app = typer.Typer(
    name="reelestate",
    help="ReelEstate Studio: listing photos and facts in, marketing video out.",
    no_args_is_help=True,
    add_completion=False,
)
render_cmd.register(app)
analyse_cmd.register(app)
make_cmd.register(app)
infographic_cmd.register(app)
chat_cmd.register(app)
db_cmd.register(app)
worker_cmd.register(app)
jobs_cmd.register(app)
users_cmd.register(app)
credits_cmd.register(app)
bot_cmd.register(app)
serve_cmd.register(app)
providers_cmd.register(app)
blobs_cmd.register(app)
publish_cmd.register(app)
analytics_cmd.register(app)


def _print_versions(wanted: bool) -> None:
    if wanted:
        for name, found in library_versions().items():
            typer.echo(f"{name} {found}")
        typer.echo(ffmpeg_version())
        raise typer.Exit


@app.callback()
def _root(
    _version: Annotated[
        bool,
        typer.Option(
            "--version",
            callback=_print_versions,
            is_eager=True,
            help="Print the versions of the product and the libraries that shape its output.",
        ),
    ] = False,
) -> None:
    """ReelEstate Studio: listing photos and facts in, marketing video out."""


def main() -> None:
    """Console-script entry point."""
    app()
