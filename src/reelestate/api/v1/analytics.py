"""How posted videos did: the numbers as JSON and as a chart."""

from __future__ import annotations

import asyncio
from typing import Annotated

from fastapi import APIRouter, Query, Response

from reelestate.api.deps import Services, Tenant
from reelestate.services.analytics import AnalyticsReport, Group, report, three_sentences
from reelestate.services.publishing import PublishingService, parse_when
from reelestate.tools.analytics_chart import chart_png

router = APIRouter(tags=["analytics"])
From = Annotated[str | None, Query(alias="from")]
To = Annotated[str | None, Query(alias="to")]


async def _report(
    services: Services, ctx: Tenant, start: str | None, end: str | None, group: Group
) -> AnalyticsReport:
    svc = PublishingService(services.settings, services.db, services.blobs)

    def work() -> AnalyticsReport:
        zone = svc.zone(ctx)
        return report(
            services.db,
            ctx,
            start=parse_when(start, zone) if start else None,
            end=parse_when(end, zone) if end else None,
            group=group,
        )

    return await asyncio.to_thread(work)


@router.get("/analytics")
async def analytics(
    ctx: Tenant, services: Services, start: From = None, end: To = None, group: Group = "listing"
) -> dict[str, object]:
    found = await _report(services, ctx, start, end, group)
    return {**found.model_dump(mode="json"), "summary": three_sentences(found, "in this period")}


@router.get("/analytics/chart.png", response_class=Response)
async def analytics_chart(
    ctx: Tenant, services: Services, start: From = None, end: To = None, group: Group = "listing"
) -> Response:
    found = await _report(services, ctx, start, end, group)
    series = [(s.label, [(p.day, p.views, p.engagement) for p in s.points]) for s in found.series]
    png = await asyncio.to_thread(chart_png, series)
    return Response(png, media_type="image/png")
