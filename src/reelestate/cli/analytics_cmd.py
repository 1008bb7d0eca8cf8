"""`reelestate analytics pull` and `reelestate analytics chart ORG_NAME --out chart.png`."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Annotated

import typer

from reelestate.cli.publish_cmd import _fail, org_named, service
from reelestate.core.errors import ReelEstateError
from reelestate.services.analytics import report, three_sentences
from reelestate.storage.models import utcnow
from reelestate.tools.analytics_chart import chart_png
from reelestate.workers.pull_insights import pull_all_insights
from reelestate.workers.service import open_env


def register(app: typer.Typer) -> None:
    analytics = typer.Typer(help="How posted videos did.", no_args_is_help=True)
    app.add_typer(analytics, name="analytics")

    @analytics.command("pull")
    def pull() -> None:
        """Pull insights of every post younger than 30 days, now."""
        env = open_env()
        try:
            stored = pull_all_insights(env)
        except ReelEstateError as exc:
            raise _fail(exc) from exc
        finally:
            env.close()
        typer.echo(f"Stored {stored} insight values.")

    @analytics.command("chart")
    def chart(
        org: Annotated[str, typer.Argument(help="The organisation's name or handle.")],
        out: Annotated[Path, typer.Option("--out", help="Where to write the PNG.")],
        days: Annotated[int, typer.Option("--days", help="How many days back.")] = 30,
        group: Annotated[str, typer.Option("--group", help="listing or channel.")] = "listing",
    ) -> None:
        """Write a chart of views and engagement over time, and print the numbers."""
        svc = service()
        try:
            ctx = org_named(svc.db, org)
            found = report(
                svc.db,
                ctx,
                start=utcnow() - timedelta(days=days),
                end=None,
                group="channel" if group == "channel" else "listing",
            )
        except ReelEstateError as exc:
            raise _fail(exc) from exc
        finally:
            svc.db.dispose()
        series = [
            (s.label, [(p.day, p.views, p.engagement) for p in s.points]) for s in found.series
        ]
        out.write_bytes(chart_png(series))
        typer.echo(three_sentences(found, f"in the last {days} days"))
        typer.echo(f"Wrote {out}")
