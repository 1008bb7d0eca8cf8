"""Posting, the calendar and analytics in the chat: the phrases, the organisation's clock, the
questions asked instead of guesses, and the numbers of the answer equal to the stored ones."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from PIL import Image

from reelestate.agent.owner import RenderOwner
from reelestate.agent.rules.publishing_talk import publishing_call
from reelestate.agent.rules.when_words import read_period, read_when
from reelestate.agent.runner import Runner
from reelestate.core.settings import get_settings
from reelestate.services.analytics import report, three_sentences
from reelestate.services.publishing import PublishingService
from reelestate.storage import migrate
from reelestate.storage.blobs import open_blob_store
from reelestate.storage.context import TenantContext
from reelestate.storage.db import Database, open_database
from reelestate.storage.models import Channel, PublicationStatus, RenderJob
from reelestate.storage.repositories.content import ProjectsRepository
from reelestate.storage.repositories.publications import NewPublication
from tests.agent.helpers import FileNameAnalyser, RecordingRenderer, of_type, say, texts
from tests.social.helpers import finished_render, new_connected_org

DENVER = ZoneInfo("America/Denver")


def test_phrases_map_to_the_posting_actions() -> None:
    assert publishing_call("post it to Instagram on Friday at 9am") == (
        "post_video", {"channel": "instagram", "video": "latest", "when": "on Friday at 9am"}
    )  # fmt: skip
    assert publishing_call("post the square one to Facebook now") == (
        "post_video", {"channel": "facebook", "video": "square", "when": "now"}
    )  # fmt: skip
    assert publishing_call("what's scheduled next week?") == (
        "list_posts", {"period": "what's scheduled next week?"}
    )  # fmt: skip
    assert publishing_call("move the Cedar Lane post to Monday") == (
        "move_post", {"post": "Cedar Lane", "to": "Monday"}
    )  # fmt: skip
    assert publishing_call("cancel the Friday post") == ("cancel_post", {"post": "Friday"})
    assert publishing_call("how did my listings do this month?")[0] == "post_analytics"  # type: ignore[index]
    assert publishing_call("connect Instagram") == ("connect_social", {"channel": "instagram"})
    for edit in ("swap the kitchen and the bedroom", "square for Instagram", "cancel", "no music"):
        assert publishing_call(edit) is None, edit


def test_times_are_read_on_the_local_clock_and_doubts_become_questions() -> None:
    wednesday = datetime(2026, 12, 9, 15, 0, tzinfo=DENVER)
    assert read_when("on Friday at 9am", wednesday).at == datetime(2026, 12, 11, 9, tzinfo=DENVER)
    assert read_when("tomorrow at 6:30 pm", wednesday).at == datetime(
        2026, 12, 10, 18, 30, tzinfo=DENVER
    )
    assert read_when("now", wednesday).now
    assert read_when("Monday", wednesday, default_time=time(10)).at == datetime(
        2026, 12, 14, 10, tzinfo=DENVER
    )
    assert read_when("at 9", wednesday).question == "9 in the morning or 9 in the evening?"
    assert "December 11 or Friday December 18" in (
        read_when("next Friday", wednesday).question or ""
    )
    assert "March 4 or April 3" in (read_when("3/4 at 10am", wednesday).question or "")
    assert read_when("Friday", wednesday).day_only
    assert read_when("today at 9am", wednesday).question  # passed already
    week = read_period("what's scheduled next week?", wednesday)
    assert (week.start, week.end) == (
        datetime(2026, 12, 14, tzinfo=DENVER), datetime(2026, 12, 21, tzinfo=DENVER)
    )  # fmt: skip
    month = read_period("how did we do?", wednesday, default="this month")
    assert (month.start, month.end) == (
        datetime(2026, 12, 1, tzinfo=DENVER), datetime(2027, 1, 1, tzinfo=DENVER)
    )  # fmt: skip


def _next(weekday: int, at: time, now: datetime) -> datetime:
    ahead = (weekday - now.weekday()) % 7
    found = datetime.combine(now.date() + timedelta(days=ahead), at, tzinfo=now.tzinfo)
    return found if found > now else found + timedelta(days=7)


def _setup(tmp_path: Path) -> tuple[Database, PublishingService, TenantContext, RenderOwner]:
    settings = get_settings()
    migrate.upgrade(settings)
    db = open_database(settings)
    svc = PublishingService(settings, db, open_blob_store(settings))
    ctx = new_connected_org(svc, time_zone="America/Denver")
    project = ProjectsRepository(db).create(ctx, "12 Oak St")
    video = tmp_path / "video.mp4"
    video.write_bytes(b"\x00\x00\x00\x18ftypmp42" + bytes(32))
    for size in ((1080, 1080), (1080, 1920)):  # the vertical one is the newest
        job = finished_render(db, svc.blobs, ctx, video, size=size)
        with db.tenant(ctx) as session:
            row = session.get(RenderJob, job)
            assert row is not None
            row.project_id = project.id
            row.created_at = datetime.now(UTC) + timedelta(seconds=size[1] / 1000)
    return db, svc, ctx, RenderOwner(ctx=ctx, project_id=project.id)


async def test_post_list_move_cancel_and_analytics_in_the_chat(tmp_path: Path) -> None:
    db, svc, ctx, owner = _setup(tmp_path)
    try:
        async with Runner.open(
            get_settings(), analyser=FileNameAnalyser(), renderer=RecordingRenderer(), db=db
        ) as runner:

            async def chat(text: str) -> list:  # type: ignore[type-arg]
                return [e async for e in runner.send("p1", "ann", text, owner=owner)]

            now = datetime.now(DENVER)
            friday = _next(4, time(9), now)
            events = await chat("post it to Instagram on Friday at 9am")
            assert "Scheduled" in texts(events) and "America/Denver" in texts(events)
            assert not of_type(events, "question"), "nothing else is asked"
            [post] = svc.calendar(ctx, None, None)
            assert post.scheduled_at == friday.astimezone(UTC)
            assert post.channel == Channel.INSTAGRAM and post.status == PublicationStatus.SCHEDULED
            job = svc.posts.get(ctx, post.id).render_job_id
            assert job is not None and (svc_job_size(db, ctx, job)) == (1080, 1920)

            asked = of_type(await chat("post it to Facebook"), "question")
            assert "now, or a day and time" in asked[0].text  # type: ignore[union-attr]
            asked = of_type(await chat("post it to Facebook on Tuesday at 7"), "question")
            assert asked[0].text == "7 in the morning or 7 in the evening?"  # type: ignore[union-attr]
            assert len(svc.calendar(ctx, None, None)) == 1, "no guess was posted"

            square = await chat("post the square one to Instagram now")
            assert "now" in texts(square)
            newest = max(svc.calendar(ctx, None, None), key=lambda p: p.created_at)
            assert svc_job_size(db, ctx, newest.render_job_id) == (1080, 1080)
            vertical_only = texts(await chat("post the square one to Facebook now"))
            assert "vertical (9:16)" in vertical_only

            svc.posts.create(
                ctx,
                NewPublication(
                    channel=Channel.FACEBOOK,
                    scheduled_at=_next(2, time(10), now).astimezone(UTC),
                    caption="Cedar Lane open house",
                    title="7 Cedar Lane",
                    video_key="k",
                ),
            )
            monday = _next(0, time(10), now)
            moved = texts(await chat("move the Cedar Lane post to Monday"))
            assert "Moved" in moved and "7 Cedar Lane" in moved
            cedar = next(p for p in svc.calendar(ctx, None, None) if p.title == "7 Cedar Lane")
            assert cedar.scheduled_at == monday.astimezone(UTC), "the time of day is kept"

            week = read_period("next week", now)
            listed = texts(await chat("what's scheduled next week?"))
            assert listed.startswith(("Posts next week", "Nothing is scheduled next week"))
            assert ("7 Cedar Lane" in listed) == (week.start <= monday < week.end)

            cancelled = texts(await chat("cancel the Friday post"))
            assert "Cancelled" in cancelled
            assert svc.posts.get(ctx, post.id).status == PublicationStatus.CANCELLED

            svc.posts.published(ctx, newest.id, "ig-77")
            svc.posts.add_metrics(
                ctx, newest.id, datetime.now(UTC), {"views": 2048.0, "likes": 40.0, "saved": 2.0}
            )
            events = await chat("how did my listings do this month?")
            [chart] = of_type(events, "chart_ready")
            with Image.open(chart.image) as image:  # type: ignore[union-attr]
                assert image.format == "PNG"
            month = read_period("", now, default="this month")
            stored = report(
                db, ctx, start=month.start.astimezone(UTC), end=month.end.astimezone(UTC)
            )
            assert stored.views == 2048.0 and stored.engagement == 42.0
            drawn = [
                (line.label, [(p.day, p.views, p.engagement) for p in line.points])
                for line in chart.series  # type: ignore[union-attr]
            ]
            assert drawn == [
                (line.label, [(p.day, p.views, p.engagement) for p in line.points])
                for line in stored.series
            ], "the interactive chart is drawn from the stored numbers"
            assert three_sentences(stored, "this month") in texts(events)
            assert "2,048 views" in texts(events)
            assert not any("To make the video" in e.text for e in of_type(events, "question"))  # type: ignore[union-attr]

            connect = texts(await chat("connect Facebook"))
            assert "reelestate social connect" in connect and "META_APP_ID" in connect
    finally:
        db.dispose()


def svc_job_size(db: Database, ctx: TenantContext, job_id: uuid.UUID | None) -> tuple[int, int]:
    with db.tenant(ctx) as session:
        row = session.get(RenderJob, job_id)
        assert row is not None and row.outputs is not None
        return int(row.outputs["width"]), int(row.outputs["height"])


@pytest.mark.parametrize("text", ["cancel the Sunday post", "move the Maple post to Monday"])
async def test_a_post_nobody_has_is_said_plainly(text: str, tmp_path: Path) -> None:
    db, _, _, owner = _setup(tmp_path)
    try:
        async with Runner.open(
            get_settings(), analyser=FileNameAnalyser(), renderer=RecordingRenderer(), db=db
        ) as runner:
            events = await say_as(runner, text, owner)
        assert "No scheduled post matches" in texts(events)
    finally:
        db.dispose()


async def say_as(runner: Runner, text: str, owner: RenderOwner) -> list:  # type: ignore[type-arg]
    return [e async for e in runner.send("p2", "ann", text, owner=owner)]


__all__ = ["say"]
