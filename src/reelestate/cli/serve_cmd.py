"""`reelestate serve`: the web app (chat at /chat, REST at /api/v1) with its worker."""

from __future__ import annotations

from typing import Annotated

import typer

from reelestate.api.bootstrap import AdminLogin
from reelestate.core.logging import configure_logging
from reelestate.core.settings import get_settings


def admin_lines(admin: AdminLogin, url: str) -> list[str]:
    lines = [f"ReelEstate Studio is at {url}/chat/", f"  sign in as: {admin.email}"]
    if admin.password is not None:
        lines.append(f"  password:   {admin.password}")
    else:
        lines.append("  password:   (set earlier; set REELESTATE_ADMIN_PASSWORD to reset it)")
    lines.append(f"  REST API:   {url}/api/v1/docs")
    return lines


def register(app: typer.Typer) -> None:
    @app.command("serve")
    def serve(
        host: Annotated[str, typer.Option(help="Interface to listen on.")] = "127.0.0.1",
        port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
        worker: Annotated[
            bool, typer.Option("--worker/--no-worker", help="Run render jobs in this process.")
        ] = True,
    ) -> None:
        """Start the web app: chat, REST API and (embedded) render worker."""
        import uvicorn  # noqa: PLC0415 - the server is only needed here

        from reelestate.api.app import AppOptions, create_app  # noqa: PLC0415

        configure_logging()
        shown = "localhost" if host in {"127.0.0.1", "0.0.0.0"} else host  # noqa: S104
        url = f"http://{shown}:{port}"

        def announce(admin: AdminLogin) -> None:
            typer.echo("\n".join(admin_lines(admin, url)), err=False)

        application = create_app(get_settings(), AppOptions(worker=worker, on_admin=announce))
        uvicorn.run(application, host=host, port=port, log_level="info")
