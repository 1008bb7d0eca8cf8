"""`reelestate blobs gc`: show or remove stored files that no row references."""

from __future__ import annotations

from typing import Annotated

import typer

from reelestate.cli.render_cmd import report_error
from reelestate.core.errors import ReelEstateError
from reelestate.core.settings import get_settings
from reelestate.workers.housekeeping import collect_blobs
from reelestate.workers.service import open_env

blobs_app = typer.Typer(help="The blob store: files kept for projects, renders and brand kits.")


@blobs_app.command("gc")
def gc(
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="List what would be removed; remove nothing.")
    ] = False,
) -> None:
    """Remove files no row references that are older than REELESTATE_BLOB_GC_GRACE_S."""
    env = open_env(get_settings())
    try:
        found = collect_blobs(env, dry_run=dry_run)
    except ReelEstateError as exc:
        raise report_error(exc) from exc
    finally:
        env.close()
    for info in found.unreferenced:
        typer.echo(f"{info.size:>12}  {info.key}")
    verb = "would remove" if dry_run else "removed"
    typer.echo(
        f"{verb} {len(found.unreferenced)} unreferenced files ({found.bytes} bytes); "
        f"{found.kept_young} younger than the grace kept"
        + ("" if dry_run else f"; {found.partials_removed} partial writes removed"),
    )


def register(app: typer.Typer) -> None:
    app.add_typer(blobs_app, name="blobs")
