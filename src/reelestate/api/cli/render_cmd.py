"""`reelestate render`: a storyboard file to MP4 + SRT + thumbnail, with a progress bar."""

from __future__ import annotations

import typer


def register(app: typer.Typer) -> None:
    @app.command("render")
    def render() -> None:
        """Render a storyboard JSON file (filled in by the render engine)."""
        raise typer.Exit(code=1)
