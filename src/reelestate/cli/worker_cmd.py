"""`reelestate worker`: run jobs from one queue (arq on Redis, or the database when embedded)."""

from __future__ import annotations

from typing import Annotated

import typer

from reelestate.cli.render_cmd import report_error
from reelestate.core.errors import ReelEstateError
from reelestate.core.jobs import JobQueue
from reelestate.core.settings import get_settings
from reelestate.storage.migrate import prepare_database
from reelestate.workers.worker import run


def register(app: typer.Typer) -> None:
    @app.command("worker")
    def worker(
        queue: Annotated[
            JobQueue, typer.Option("--queue", help="cpu: renders, analysis; gpu: fal, avatars.")
        ] = JobQueue.CPU,
        concurrency: Annotated[
            int | None,
            typer.Option("--concurrency", min=1, help="Jobs at a time (default from settings)."),
        ] = None,
    ) -> None:
        """Run queued jobs until stopped (SIGTERM hands running jobs back to the queue)."""
        try:
            prepare_database(get_settings())
        except ReelEstateError as exc:
            raise report_error(exc) from exc
        run(queue, concurrency)
