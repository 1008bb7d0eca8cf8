"""`reelestate analyse`: what the analyser sees in each photo, as a table or JSON."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from reelestate.core.settings import get_settings
from reelestate.providers.vision.factory import get_photo_analyser
from reelestate.tools.analyse import AnalysisReport, analyse_photos, expand_photo_paths


def _table(report: AnalysisReport) -> Table:
    table = Table(title="Photo analysis")
    for column in ("#", "photo", "size", "room", "sharpness", "exposure", "focal", "verdict"):
        table.add_column(column)
    for row in report.rows():
        if row["width"] is None:
            cells = [str(row["index"]), Path(row["path"]).name, "-", "-", "-", "-", "-"]
        else:
            focal = row["focal_point"]
            cells = [
                str(row["index"]),
                Path(row["path"]).name,
                f"{row['width']}x{row['height']}",
                f"{row['room']} {row['room_confidence']:.2f}",
                f"{row['sharpness']:.0f}",
                f"{row['exposure']:+.2f}",
                f"{focal['x']:.2f},{focal['y']:.2f}",
            ]
        reasons = row["reject_reasons"]
        cells.append(
            "[red]" + "; ".join(reasons) + "[/red]" if reasons else "[green]usable[/green]"
        )
        table.add_row(*cells)
    return table


def register(app: typer.Typer) -> None:
    @app.command("analyse")
    def analyse(
        photos: Annotated[list[Path], typer.Argument(help="Photos or folders of photos.")],
        as_json: Annotated[bool, typer.Option("--json", help="Print a JSON list instead.")] = False,
    ) -> None:
        """Room, quality, duplicates and focal point of each photo, with reasons to drop it."""
        if not expand_photo_paths(photos):
            typer.echo("No photos found in the given folders.", err=True)
            raise typer.Exit(code=2)
        report = analyse_photos(photos, get_photo_analyser(get_settings()))
        if as_json:
            typer.echo(json.dumps(report.rows(), indent=2))
            return
        console = Console()
        console.print(_table(report))
        usable = len(report.usable)
        total = len(report.results) + len(report.failures)
        console.print(f"{usable} of {total} photos usable.")
