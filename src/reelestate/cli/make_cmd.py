"""`reelestate make`: photos and facts to a finished video, its storyboard and a report."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.progress import BarColumn, Progress, TaskProgressColumn, TextColumn, TimeElapsedColumn

from reelestate.cli.render_cmd import console, report_error
from reelestate.core.errors import InvalidInputError, ReelEstateError
from reelestate.core.settings import get_settings
from reelestate.render.progress import RenderProgress
from reelestate.services.make_video import MakeRequest, make_video
from reelestate.tools.listing import parse_listing

STAGE_PERCENT = {
    "checked": 2.0,
    "analysed": 6.0,
    "scripted": 7.0,
    "planned": 8.0,
    "ai_clips": 9.0,
}


def _listing_data(listing_file: Path | None, fields: dict[str, Any]) -> dict[str, Any]:
    data: dict[str, Any] = {}
    if listing_file is not None:
        try:
            loaded = json.loads(listing_file.read_text(encoding="utf-8"))
        except FileNotFoundError as exc:
            raise InvalidInputError(f"Listing file not found: {listing_file}.") from exc
        except json.JSONDecodeError as exc:
            raise InvalidInputError(f"{listing_file.name} is not valid JSON: {exc}.") from exc
        if not isinstance(loaded, dict):
            raise InvalidInputError(f"{listing_file.name} must hold one JSON object of facts.")
        data.update(loaded)
    data.update({k: v for k, v in fields.items() if v is not None})
    return data


def register(app: typer.Typer) -> None:
    @app.command("make")
    def make(
        photos: Annotated[list[Path], typer.Argument(help="Photos, or folders of photos.")],
        out: Annotated[Path, typer.Option("--out", help="Folder for the video and its report.")],
        address: Annotated[str | None, typer.Option(help="Street address.")] = None,
        price: Annotated[
            str | None, typer.Option(help="Asking price, e.g. 585000 or $585k.")
        ] = None,
        beds: Annotated[int | None, typer.Option(help="Bedrooms.")] = None,
        baths: Annotated[float | None, typer.Option(help="Bathrooms (halves allowed).")] = None,
        area: Annotated[int | None, typer.Option(help="Living area in sq ft.")] = None,
        highlights: Annotated[str | None, typer.Option(help="Features, separated by ';'.")] = None,
        listing: Annotated[
            Path | None, typer.Option("--listing", help="listing.json with the facts.")
        ] = None,
        style: Annotated[
            str, typer.Option(help="luxury, modern, cozy, energetic or minimal.")
        ] = "modern",
        aspect: Annotated[str, typer.Option(help="9:16, 1:1, 16:9 or 4:5.")] = "9:16",
        length: Annotated[float, typer.Option(help="Target length in seconds (15, 30, 60).")] = 30,
        preview: Annotated[bool, typer.Option("--preview", help="Fast 540-wide draft.")] = False,
        ai_video: Annotated[
            str | None,
            typer.Option(
                "--ai-video",
                help="AI motion model for the best-suited scenes: kling-1.6-standard, "
                "kling-1.6-pro, luma-dream-machine, runway-gen3-turbo, fast-svd-lcm, "
                "minimax-video-01.",
            ),
        ] = None,
        ai_scenes: Annotated[
            int, typer.Option("--ai-scenes", help="How many scenes get AI motion.")
        ] = 3,
        voice: Annotated[
            str | None,
            typer.Option(
                "--voice", help="Narrator: elevenlabs:VOICE, openai:VOICE or espeak:VOICE."
            ),
        ] = None,
        music: Annotated[
            Path | None,
            typer.Option(
                "--music", help="Your own music bed (MP3, M4A, WAV, OGG, FLAC; 10 s to 15 min)."
            ),
        ] = None,
        presenter: Annotated[
            Path | None,
            typer.Option("--presenter", help="Your headshot, as a talking presenter."),
        ] = None,
        avatar: Annotated[
            str, typer.Option("--avatar", help="Presenter maker: did, heygen or portrait.")
        ] = "portrait",
        avatar_layout: Annotated[
            str,
            typer.Option("--avatar-layout", help="pip (in a corner) or intro (full frame first)."),
        ] = "pip",
    ) -> None:
        """Analyse the photos, write the script, plan the storyboard and render the video."""
        try:
            facts = _listing_data(
                listing,
                {
                    "address": address,
                    "price": price,
                    "beds": beds,
                    "baths": baths,
                    "area_sqft": area,
                    "highlights": highlights,
                },
            )
            request = MakeRequest.model_validate(
                {
                    "photos": photos,
                    "listing": parse_listing(facts),
                    "style": style,
                    "aspect": aspect,
                    "length_seconds": length,
                    "preview": preview,
                    "ai_video": ai_video,
                    "ai_scenes": ai_scenes,
                    "voice": voice,
                    "music": music,
                    "presenter": {"photo": presenter, "provider": avatar, "layout": avatar_layout}
                    if presenter is not None
                    else None,
                }
            )
        except ReelEstateError as exc:
            raise report_error(exc) from None
        except ValueError as exc:
            raise report_error(InvalidInputError(f"Invalid option: {exc}")) from None
        try:
            with Progress(
                TextColumn("[bold]{task.description:<9}"),
                BarColumn(),
                TaskProgressColumn(),
                TimeElapsedColumn(),
                console=console,
            ) as bar:
                task = bar.add_task("checking", total=100)

                def on_stage(name: str) -> None:
                    bar.update(task, description=name, completed=STAGE_PERCENT.get(name, 100.0))

                def on_progress(event: RenderProgress) -> None:
                    bar.update(task, description=event.stage, completed=10 + event.percent * 0.9)

                outputs = make_video(
                    request, out, get_settings(), on_stage=on_stage, on_progress=on_progress
                )
        except ReelEstateError as exc:
            raise report_error(exc) from None
        typer.echo(str(outputs.video.resolve()))
        console.print(
            f"length: {outputs.result.duration:.2f} s (asked {request.length_seconds:g} s)"
        )
        for note in outputs.notes:
            console.print(f"note: {note}")
        console.print(
            f"captions: {outputs.subtitles.resolve()}\nthumbnail: {outputs.thumbnail.resolve()}\n"
            + (
                f"contact sheet: {outputs.contact_sheet.resolve()}\n"
                if outputs.contact_sheet
                else ""
            )
            + f"storyboard: {outputs.storyboard.resolve()}\nreport: {outputs.report.resolve()}"
        )
