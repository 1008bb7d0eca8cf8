"""How posted videos did: the stored insights as daily series per listing or per channel, the
totals, and the same numbers in three sentences for the chat.

Insights are lifetime counts read at each pull, so a post's value on a day is its last reading
of that day, and a total is the sum of each post's latest reading in the range.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel

from reelestate.storage.context import TenantContext
from reelestate.storage.db import Database
from reelestate.storage.repositories.publications import PublicationsRepository
from reelestate.storage.schemas import MetricPoint, PublicationView

Group = Literal["listing", "channel"]
VIEW_METRICS = ("views", "blue_reels_play_count")
ENGAGEMENT_PARTS = ("likes", "comments", "shares", "saved")


class SeriesPoint(BaseModel):
    day: date
    views: float
    engagement: float


class Series(BaseModel):
    label: str
    points: list[SeriesPoint]


class AnalyticsReport(BaseModel):
    group: Group
    series: list[Series]
    posts: int
    views: float
    engagement: float
    best_label: str | None
    best_views: float

    @property
    def engagement_rate(self) -> float:
        return self.engagement / self.views if self.views else 0.0


def _views(values: dict[str, float]) -> float:
    return next((values[m] for m in VIEW_METRICS if m in values), 0.0)


def _engagement(values: dict[str, float]) -> float:
    if "total_interactions" in values:
        return values["total_interactions"]
    return sum(values.get(m, 0.0) for m in ENGAGEMENT_PARTS)


def build_report(
    posts: list[PublicationView], points: list[MetricPoint], group: Group
) -> AnalyticsReport:
    by_post = {p.id: p for p in posts}
    # post -> day -> the last reading's metrics of that day
    readings: dict[uuid.UUID, dict[date, tuple[datetime, dict[str, float]]]] = defaultdict(dict)
    for point in points:
        if point.publication_id not in by_post:
            continue
        day = point.taken_at.date()
        known = readings[point.publication_id].get(day)
        if known is None or point.taken_at > known[0]:
            known = (point.taken_at, {})
            readings[point.publication_id][day] = known
        if point.taken_at == known[0]:
            known[1][point.metric] = point.value
    label_of = {p.id: (p.title if group == "listing" else p.channel.value.title()) for p in posts}
    daily: dict[str, dict[date, list[float]]] = defaultdict(lambda: defaultdict(lambda: [0.0, 0.0]))
    latest: dict[uuid.UUID, dict[str, float]] = {}
    for post_id, days in readings.items():
        for day, (_, values) in sorted(days.items()):
            cell = daily[label_of[post_id]][day]
            cell[0] += _views(values)
            cell[1] += _engagement(values)
            latest[post_id] = values
    series = [
        Series(
            label=label,
            points=[
                SeriesPoint(day=d, views=v[0], engagement=v[1]) for d, v in sorted(days.items())
            ],
        )
        for label, days in sorted(daily.items())
    ]
    per_label: dict[str, float] = defaultdict(float)
    for post_id, values in latest.items():
        per_label[label_of[post_id]] += _views(values)
    best = max(per_label.items(), key=lambda kv: kv[1], default=(None, 0.0))
    return AnalyticsReport(
        group=group,
        series=series,
        posts=len(latest),
        views=sum(_views(v) for v in latest.values()),
        engagement=sum(_engagement(v) for v in latest.values()),
        best_label=best[0],
        best_views=best[1],
    )


def report(
    db: Database,
    ctx: TenantContext,
    *,
    start: datetime | None,
    end: datetime | None,
    group: Group = "listing",
) -> AnalyticsReport:
    repo = PublicationsRepository(db)
    posts = [p for p in repo.between(ctx) if p.remote_id]
    points = repo.metrics(ctx, start=start, end=end, publication_ids=[p.id for p in posts])
    return build_report(posts, points, group)


def three_sentences(report: AnalyticsReport, period: str = "this month") -> str:
    """The numbers of the chart in words, each figure exactly as stored."""
    if not report.posts:
        return f"No posted video has insights {period} yet. Meta can take up to 48 hours to count."
    return (
        f"Your {report.posts} posted video{'s' if report.posts != 1 else ''} had "
        f"{report.views:,.0f} views {period}. "
        f"They drew {report.engagement:,.0f} likes, comments, shares and saves, "
        f"{report.engagement_rate:.1%} of views. "
        f"{report.best_label} did best with {report.best_views:,.0f} views."
    )
