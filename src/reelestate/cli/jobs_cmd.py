"""`reelestate jobs`: submit a storyboard, watch it, cancel it, see the queues (local org)."""

from __future__ import annotations

import asyncio
import json
import uuid
from collections.abc import Coroutine
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.progress import BarColumn, Progress, TaskProgressColumn, TextColumn, TimeElapsedColumn

from reelestate.core.errors import InvalidInputError, ReelEstateError
from reelestate.services.storyboards import import_storyboard
from reelestate.storage.context import TenantContext
from reelestate.storage.schemas import RenderJobView
from reelestate.workers.scaling import queue_loads
from reelestate.workers.service import JobsService, open_jobs_service

console = Console(stderr=True)


def _job_json(job: RenderJobView) -> str:
    return json.dumps(
        {
            "id": str(job.id),
            "kind": job.kind.value,
            "status": job.status.value,
            "stage": job.stage,
            "percent": round(job.percent, 1),
            "attempts": job.attempts,
            "error": {"code": job.error_code, "message": job.error_message}
            if job.error_code
            else None,
            "outputs": job.outputs,
        },
        indent=2,
    )


def _job_id(value: str) -> uuid.UUID:
    try:
        return uuid.UUID(value)
    except ValueError as exc:
        raise InvalidInputError(f"{value!r} is not a job id.") from exc


def _run(work: Coroutine[Any, Any, None]) -> None:
    try:
        asyncio.run(work)
    except ReelEstateError as exc:
        console.print(f"[bold red]Error:[/] {exc.message}")
        if exc.hint:
            console.print(f"[yellow]{exc.hint}[/]")
        raise typer.Exit(code=2 if exc.user_error else 1) from exc


async def _follow(
    service: JobsService, ctx: TenantContext, job_id: uuid.UUID, as_json: bool
) -> RenderJobView:
    if as_json:
        async for event in service.follow(ctx, job_id):
            typer.echo(event.model_dump_json())
        return await service.get(ctx, job_id)
    with Progress(
        TextColumn("[bold]{task.description:<10}"),
        BarColumn(),
        TaskProgressColumn(),
        TextColumn("{task.fields[detail]}"),
        TimeElapsedColumn(),
        console=console,
    ) as bar:
        task = bar.add_task("queued", total=100, detail="")
        async for event in service.follow(ctx, job_id):
            detail = f"attempt {event.attempt}" if event.attempt else ""
            if event.message:
                detail = f"{detail} {event.message}".strip()
            bar.update(task, completed=event.percent, description=event.stage, detail=detail)
    return await service.get(ctx, job_id)


async def _submit(storyboard: Path, preview: bool) -> None:
    ctx = TenantContext.local()
    async with open_jobs_service() as service:
        version = await import_storyboard(service.env.db, service.env.blobs, ctx, storyboard)
        job = await service.submit_render(ctx, version.id, preview=preview)
    typer.echo(str(job.id))
    console.print(f"Queued {job.kind.value} ({job.credits} credits reserved).")


def _print_job(job: RenderJobView) -> None:
    typer.echo(f"{job.status.value} {job.stage} {job.percent:.0f}% attempts={job.attempts}")
    if job.error_message:
        typer.echo(job.error_message)
    for name, value in (job.outputs or {}).items():
        if isinstance(value, dict) and "key" in value:
            typer.echo(f"{name}: {value['key']}")


async def _status(job_id: str, follow: bool, as_json: bool) -> None:
    ctx = TenantContext.local()
    async with open_jobs_service() as service:
        job_uuid = _job_id(job_id)
        if follow:
            job = await _follow(service, ctx, job_uuid, as_json)
        else:
            job = await service.get(ctx, job_uuid)
    if as_json:
        typer.echo(_job_json(job))
    else:
        _print_job(job)
    if follow and job.status.value != "succeeded":
        raise typer.Exit(code=1)


async def _cancel(job_id: str) -> None:
    async with open_jobs_service() as service:
        job = await service.cancel(TenantContext.local(), _job_id(job_id))
    state = "cancelled" if job.status.value == "cancelled" else "cancel requested"
    typer.echo(f"{job.id} {state}")


async def _stats(as_json: bool) -> None:
    now = datetime.now(UTC)
    async with open_jobs_service() as service:
        loads = await asyncio.to_thread(queue_loads, service.env.system, now)
    table: dict[str, dict[str, float | int]] = {
        load.queue.value: {
            "queued": load.queued,
            "running": load.running,
            "oldest_queued_s": round(load.oldest_queued_s, 1),
            "mean_job_s": round(load.mean_job_s, 1) if load.mean_job_s else 0.0,
            "suggested_workers": load.workers,
        }
        for load in loads
    }
    if as_json:
        typer.echo(json.dumps(table, indent=2))
        return
    typer.echo(
        f"{'queue':<6} {'queued':>7} {'running':>8} {'oldest queued':>14} {'mean job':>9} "
        f"{'workers':>8}"
    )
    for name, entry in table.items():
        typer.echo(
            f"{name:<6} {entry['queued']:>7} {entry['running']:>8} "
            f"{entry['oldest_queued_s']:>13}s {entry['mean_job_s']:>8}s "
            f"{entry['suggested_workers']:>8}"
        )


def register(app: typer.Typer) -> None:
    jobs = typer.Typer(help="Background jobs of the local organisation.", no_args_is_help=True)
    app.add_typer(jobs, name="jobs")

    @jobs.command("submit")
    def submit(
        storyboard: Annotated[Path, typer.Argument(help="Storyboard JSON file (a RenderSpec).")],
        preview: Annotated[bool, typer.Option("--preview", help="Fast 540-wide draft.")] = False,
    ) -> None:
        """Queue a render; prints the job id on the first line."""
        _run(_submit(storyboard, preview))

    @jobs.command("status")
    def status(
        job_id: Annotated[str, typer.Argument(help="Job id.")],
        follow: Annotated[bool, typer.Option("--follow", help="Watch until it ends.")] = False,
        as_json: Annotated[bool, typer.Option("--json", help="Machine-readable output.")] = False,
    ) -> None:
        """Show a job (status, stage, percent, attempts, outputs)."""
        _run(_status(job_id, follow, as_json))

    @jobs.command("cancel")
    def cancel(job_id: Annotated[str, typer.Argument(help="Job id.")]) -> None:
        """Cancel a job: at once when queued, within seconds when running; credits come back."""
        _run(_cancel(job_id))

    @jobs.command("stats")
    def stats(
        as_json: Annotated[bool, typer.Option("--json", help="Machine-readable output.")] = False,
    ) -> None:
        """Queue depth and the age of the oldest queued job, per queue (all organisations)."""
        _run(_stats(as_json))
