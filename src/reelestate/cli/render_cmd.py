"""`reelestate render`: a storyboard file to MP4 + SRT + thumbnail, with a progress bar."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, Progress, TaskProgressColumn, TextColumn, TimeElapsedColumn

from reelestate.core.errors import InvalidSpecError, ReelEstateError
from reelestate.core.settings import get_settings
from reelestate.render.engine import render_video
from reelestate.render.progress import RenderProgress
from reelestate.render.spec import Aspect, load_spec

console = Console(stderr=True)


def report_error(exc: ReelEstateError) -> typer.Exit:
    """Print a user-actionable error (never a traceback) and give the exit to raise."""
    console.print(f"[bold red]Error:[/] {exc.message}")
    if exc.hint:
        console.print(f"[yellow]{exc.hint}[/]")
    return typer.Exit(code=2 if exc.user_error else 1)


def register(app: typer.Typer) -> None:
    @app.command("render")
    def render(
        storyboard: Annotated[Path, typer.Argument(help="Storyboard JSON file (a RenderSpec).")],
        out: Annotated[
            Path,
            typer.Option(
                "--out", help="Folder for video.mp4, video.srt, thumbnail.jpg, contact-sheet.jpg."
            ),
        ],
        preview: Annotated[bool, typer.Option("--preview", help="Fast 540-wide draft.")] = False,
        aspect: Annotated[
            str | None, typer.Option("--aspect", help="9:16, 1:1, 16:9 or 4:5.")
        ] = None,
    ) -> None:
        """Render a storyboard into a finished, checked video."""
        try:
            if aspect is not None and aspect not in ("9:16", "1:1", "16:9", "4:5"):
                raise InvalidSpecError(
                    f"Unknown aspect {aspect!r}.", hint="Use 9:16, 1:1, 16:9 or 4:5."
                )
            chosen: Aspect | None = aspect  # type: ignore[assignment]
            spec = load_spec(storyboard, aspect=chosen, preview=preview)
            with Progress(
                TextColumn("[bold]{task.description:<8}"),
                BarColumn(),
                TaskProgressColumn(),
                TextColumn("{task.fields[frames]}"),
                TimeElapsedColumn(),
                console=console,
                transient=False,
            ) as bar:
                task = bar.add_task("prepare", total=100, frames="")

                def show(event: RenderProgress) -> None:
                    frames = (
                        f"{event.frames_done}/{event.frames_total} frames"
                        if event.frames_total
                        else ""
                    )
                    bar.update(
                        task, completed=event.percent, description=event.stage, frames=frames
                    )

                result = render_video(
                    spec, out, on_progress=show, cache_dir=get_settings().cache_dir
                )
        except ReelEstateError as exc:
            raise report_error(exc) from None
        typer.echo(str(result.video.resolve()))
        loudness = f", {result.loudness_lufs:.1f} LUFS" if result.loudness_lufs is not None else ""
        console.print(
            f"{result.width}x{result.height} {result.fps} fps, {result.duration:.2f} s{loudness}; "
            f"clips rendered {result.segments_rendered}, reused {result.segments_reused}"
        )
        console.print(
            f"captions: {result.subtitles.resolve()}\nthumbnail: {result.thumbnail.resolve()}"
        )
        if result.contact_sheet is not None:
            console.print(f"contact sheet: {result.contact_sheet.resolve()}")
