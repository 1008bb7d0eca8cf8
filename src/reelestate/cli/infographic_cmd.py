"""`reelestate infographic`: a listing's facts as an animated card, its PNG and a report."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from reelestate.cli.render_cmd import console, report_error
from reelestate.core.errors import InvalidInputError, ReelEstateError
from reelestate.core.settings import get_settings
from reelestate.render.infographic import parse_infographic
from reelestate.services.make_infographic import make_infographic
from reelestate.tools.listing import parse_listing


def register(app: typer.Typer) -> None:
    @app.command("infographic")
    def infographic(
        out: Annotated[Path, typer.Option("--out", help="Folder for the card and its report.")],
        address: Annotated[str | None, typer.Option(help="Street address.")] = None,
        price: Annotated[
            str | None, typer.Option(help="Asking price, e.g. 988000 or $988k.")
        ] = None,
        beds: Annotated[int | None, typer.Option(help="Bedrooms.")] = None,
        baths: Annotated[float | None, typer.Option(help="Bathrooms (halves allowed).")] = None,
        area: Annotated[int | None, typer.Option(help="Living area in sq ft.")] = None,
        highlights: Annotated[
            str | None, typer.Option(help="Up to three features, separated by ';'.")
        ] = None,
        photo: Annotated[Path | None, typer.Option(help="Hero photo behind the card.")] = None,
        aspect: Annotated[str, typer.Option(help="9:16, 1:1, 16:9 or 4:5.")] = "9:16",
        duration: Annotated[float, typer.Option(help="Seconds, 6 to 10.")] = 8.0,
        kicker: Annotated[str, typer.Option(help="Label above the address.")] = "Just listed",
        agent: Annotated[str | None, typer.Option(help="Agent's name.")] = None,
        phone: Annotated[str | None, typer.Option(help="Agent's phone.")] = None,
        brokerage: Annotated[str | None, typer.Option(help="Brokerage name.")] = None,
        logo: Annotated[Path | None, typer.Option(help="Logo (PNG with transparency).")] = None,
        primary: Annotated[str | None, typer.Option(help="Brand colour, #RRGGBB.")] = None,
        accent: Annotated[str | None, typer.Option(help="Accent colour, #RRGGBB.")] = None,
        font: Annotated[Path | None, typer.Option(help="Brand font (TTF/OTF).")] = None,
        say: Annotated[
            str | None, typer.Option("--say", help="A line spoken over the card.")
        ] = None,
        voice: Annotated[
            str | None, typer.Option(help="Narrator: elevenlabs:VOICE, openai:VOICE, espeak:VOICE.")
        ] = None,
        music: Annotated[
            str, typer.Option(help="Music mood (calm, warm, upbeat, elegant, minimal) or none.")
        ] = "warm",
        preview: Annotated[bool, typer.Option("--preview", help="Fast 540-wide draft.")] = False,
    ) -> None:
        """Render an animated facts card (infographic.mp4, infographic.png, report.json)."""
        try:
            listing = parse_listing(
                {
                    k: v
                    for k, v in {
                        "address": address,
                        "price": price,
                        "beds": beds,
                        "baths": baths,
                        "area_sqft": area,
                    }.items()
                    if v is not None
                }
            )
            brand = {
                k: v
                for k, v in {
                    "name": brokerage,
                    "agent_name": agent,
                    "agent_phone": phone,
                    "logo": logo,
                    "primary_color": primary,
                    "accent_color": accent,
                    "font": font,
                }.items()
                if v is not None
            }
            spec = parse_infographic(
                {
                    "facts": {
                        "address": listing.address,
                        "price": listing.price,
                        "beds": listing.beds,
                        "baths": listing.baths,
                        "area_sqft": listing.area_sqft,
                        "currency": listing.currency,
                        "highlights": [h for h in (highlights or "").split(";") if h.strip()],
                        "kicker": kicker,
                    },
                    "brand": brand,
                    "photo": photo,
                    "aspect": aspect,
                    "duration": duration,
                    "voice_text": say,
                    "music": None if music == "none" else music,
                    "profile": "preview" if preview else "final",
                }
            )
            if photo is not None and not photo.is_file():
                raise InvalidInputError(f"Photo not found: {photo}.")
            result, report = make_infographic(spec, out, get_settings(), voice=voice)
        except ReelEstateError as exc:
            raise report_error(exc) from None
        typer.echo(str(result.video.resolve()))
        console.print(
            f"still: {result.still.resolve()}\nreport: {report.resolve()}\n"
            f"{result.width}x{result.height}, {result.duration:.1f} s"
        )
