"""`reelestate serve`: the web app (chat at /chat, REST at /api/v1) with its worker."""

from __future__ import annotations

from typing import Annotated

import typer

from reelestate.api.bootstrap import AdminLogin
from reelestate.cli.render_cmd import report_error
from reelestate.core.errors import ReelEstateError
from reelestate.core.logging import configure_logging
from reelestate.core.settings import Settings, get_settings
from reelestate.storage.migrate import prepare_database

APP_FACTORY = "reelestate.api.app:create_app_from_env"


def admin_lines(admin: AdminLogin, url: str) -> list[str]:
    """What the operator needs to sign in; never the password itself (the terminal's output may
    end up in a log)."""
    lines = [f"ReelEstate Studio is at {url}/chat/", f"  sign in as: {admin.email}"]
    if admin.from_environment:
        lines.append("  password:   the one in REELESTATE_ADMIN_PASSWORD")
    elif admin.password_file is not None:
        lines.append(f"  password:   kept in {admin.password_file} (readable by this account only)")
        lines.append("              set REELESTATE_ADMIN_PASSWORD and restart to choose another")
    else:
        lines.append(
            "  password:   (set earlier; set REELESTATE_ADMIN_PASSWORD and restart to reset it)"
        )
    lines.append(f"  REST API:   {url}/api/v1/docs")
    return lines


def _first_admin(settings: Settings) -> AdminLogin:
    """Made once by the parent, before the processes start, so they do not race to create it."""
    from reelestate.api.bootstrap import ensure_first_admin  # noqa: PLC0415
    from reelestate.storage.db import open_database  # noqa: PLC0415

    db = open_database(settings)
    try:
        return ensure_first_admin(settings, db)
    finally:
        db.dispose()


def register(app: typer.Typer) -> None:
    @app.command("serve")
    def serve(
        host: Annotated[str, typer.Option(help="Interface to listen on.")] = "127.0.0.1",
        port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
        worker: Annotated[
            bool, typer.Option("--worker/--no-worker", help="Run render jobs in this process.")
        ] = True,
        workers: Annotated[
            int | None,
            typer.Option(
                "--workers",
                min=1,
                help="Server processes (default: one per core with DATABASE_URL and REDIS_URL, "
                "else 1; more than 1 needs both).",
            ),
        ] = None,
    ) -> None:
        """Start the web app: chat, REST API and (embedded) render worker."""
        import uvicorn  # noqa: PLC0415 - the server is only needed here

        from reelestate.api.app import AppOptions, create_app  # noqa: PLC0415
        from reelestate.api.processes import server_processes  # noqa: PLC0415

        settings = get_settings()
        configure_logging()
        try:
            prepare_database(settings)
            processes = server_processes(settings, workers)
        except ReelEstateError as exc:
            raise report_error(exc) from exc
        shown = "localhost" if host in {"127.0.0.1", "0.0.0.0"} else host  # noqa: S104
        url = f"http://{shown}:{port}"

        def announce(admin: AdminLogin) -> None:
            typer.echo("\n".join(admin_lines(admin, url)), err=False)

        # Requests get the grace; the rest of it (closing clients, handing jobs back) is bounded
        # by the app's own exit deadline (core/shutdown.py).
        grace = max(1, round(settings.shutdown_grace_s))
        if processes > 1:
            announce(_first_admin(settings))
            uvicorn.run(
                APP_FACTORY,
                factory=True,
                workers=processes,
                host=host,
                port=port,
                log_level="info",
                timeout_graceful_shutdown=grace,
            )
            return
        application = create_app(settings, AppOptions(worker=worker, on_admin=announce))
        uvicorn.run(
            application,
            host=host,
            port=port,
            log_level="info",
            timeout_graceful_shutdown=grace,
        )
