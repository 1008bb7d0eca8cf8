"""The operator's path end to end: connect, publish, scheduled post, pull insights, chart; and
the analytics numbers in words equal to the stored ones."""

from __future__ import annotations

import asyncio
import io
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from PIL import Image
from typer.testing import CliRunner

from reelestate.cli import app
from reelestate.core.settings import Settings, get_settings
from reelestate.services.analytics import build_report, three_sentences
from reelestate.services.calendar_feed import feed_token, ics_feed, org_of_feed_token
from reelestate.services.publishing import PublishingService
from reelestate.storage import migrate
from reelestate.storage.blobs import open_blob_store
from reelestate.storage.blobs.signing import blob_url_secret
from reelestate.storage.db import open_database
from reelestate.storage.models import Channel, PublicationStatus, utcnow
from reelestate.storage.repositories.organisations import OrganisationsRepository
from reelestate.storage.repositories.publications import PublicationsRepository
from reelestate.storage.schemas import MetricPoint
from reelestate.tools.analytics_chart import chart_png
from reelestate.workers.inprocess import InProcessWorkerPool
from reelestate.workers.service import open_env
from tests.social.helpers import TOKEN, blob_server, finished_render
from tests.support.fake_graph import FakeGraphApi


def test_connect_publish_schedule_pull_and_chart(
    isolated_data_dir: Path,
    graph: FakeGraphApi,
    reel_video: Path,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    secret = blob_url_secret(Settings(REELESTATE_DATA_DIR=isolated_data_dir))
    with blob_server(isolated_data_dir / "blobs", secret) as public:
        for name, value in {
            "META_GRAPH_URL": graph.base_url,
            "REELESTATE_PUBLIC_URL": public,
            "REELESTATE_PUBLISH_POLL_S": "0.01",
            "REELESTATE_PUBLISH_INTERVAL_S": "0.05",
        }.items():
            monkeypatch.setenv(name, value)
        get_settings.cache_clear()
        settings = get_settings()
        migrate.upgrade(settings)
        db, blobs = open_database(settings), open_blob_store(settings)
        ctx = OrganisationsRepository(db).create("Oak Realty", "oak-realty")
        job = finished_render(db, blobs, ctx, reel_video, size=(180, 320))
        runner = CliRunner()
        connect = ["social", "connect", "Oak Realty", "--page-id", "1001",
                   "--page-token", TOKEN, "--instagram-id", "17841"]  # fmt: skip
        assert runner.invoke(app, connect).exit_code == 0
        posted = runner.invoke(app, ["publish", str(job), "--to", "instagram"])
        assert posted.exit_code == 0, posted.output
        assert "published" in posted.stdout and len(graph.published) == 1

        # A post scheduled a moment ahead is published once by the embedded scheduler.
        svc = PublishingService(settings, db, blobs)
        ahead = svc.schedule(ctx, job, Channel.FACEBOOK, at=utcnow() + timedelta(seconds=0.3))

        async def scheduler_runs() -> None:
            env = open_env(settings)
            pool = InProcessWorkerPool(env, poll_s=0.1)
            await pool.start()
            try:
                for _ in range(200):
                    if svc.posts.get(ctx, ahead.id).status == PublicationStatus.PUBLISHED:
                        break
                    await asyncio.sleep(0.05)
            finally:
                await pool.stop()
                env.close()

        asyncio.run(scheduler_runs())
        assert svc.posts.get(ctx, ahead.id).status == PublicationStatus.PUBLISHED
        assert [p["channel"] for p in graph.published] == ["instagram", "facebook"]

        ig = next(p for p in graph.published if p["channel"] == "instagram")
        graph.insights[ig["id"]] = {"views": 1234.0, "likes": 56.0, "comments": 7.0,
                                    "shares": 3.0, "saved": 4.0}  # fmt: skip
        pulled = runner.invoke(app, ["analytics", "pull"])
        assert pulled.exit_code == 0 and "Stored 5" in pulled.stdout
        out = tmp_path / "chart.png"
        charted = runner.invoke(app, ["analytics", "chart", "Oak Realty", "--out", str(out)])
        assert charted.exit_code == 0, charted.output
        assert "1,234 views" in charted.stdout and "70 likes" in charted.stdout
        with Image.open(out) as image:
            assert image.format == "PNG"
        calendar = runner.invoke(app, ["calendar", "Oak Realty"])
        assert calendar.stdout.count("published") == 2
        db.dispose()


def test_report_numbers_equal_the_stored_ones_and_the_chart_has_axes() -> None:
    post_ids = [uuid.uuid4(), uuid.uuid4()]
    day1, day2 = datetime(2026, 12, 1, 9, tzinfo=UTC), datetime(2026, 12, 2, 9, tzinfo=UTC)
    stored = {
        (post_ids[0], day1): {"views": 100.0, "total_interactions": 10.0},
        (post_ids[0], day2): {"views": 250.0, "total_interactions": 30.0},
        (post_ids[1], day2): {"views": 80.0, "likes": 4.0, "comments": 1.0},
    }
    points = [
        MetricPoint(publication_id=p, taken_at=t, metric=m, value=v)
        for (p, t), values in stored.items()
        for m, v in values.items()
    ]
    from reelestate.storage.schemas import PublicationView  # noqa: PLC0415

    def post(pid: uuid.UUID, title: str) -> PublicationView:
        return PublicationView(
            id=pid, organization_id=uuid.uuid4(), channel=Channel.INSTAGRAM,
            status=PublicationStatus.PUBLISHED, scheduled_at=day1, caption="", title=title,
            render_job_id=None, project_id=None, video_key="k", cover_key=None,
            container_id="c", remote_id="r", claim_token=None, job_id=None, attempts=1,
            error_code=None, error_message=None, published_at=day1, created_at=day1,
        )  # fmt: skip

    found = build_report([post(post_ids[0], "12 Oak St"), post(post_ids[1], "7 Cedar Lane")],
                         points, "listing")  # fmt: skip
    assert (found.views, found.engagement, found.posts) == (330.0, 35.0, 2)
    words = three_sentences(found)
    assert "330 views" in words and "35 likes" in words and "12 Oak St did best with 250" in words
    assert words.count(". ") == 2
    png = chart_png([(s.label, [(p.day, p.views, p.engagement) for p in s.points])
                     for s in found.series])  # fmt: skip
    with Image.open(io.BytesIO(png)) as image:
        assert image.size == (800, 600)
        # Axes, ticks and labels drawn: far from one colour.
        assert len(image.convert("L").getcolors(maxcolors=100_000) or []) > 20


def test_calendar_feed_is_icalendar_behind_its_token(tmp_path: Path) -> None:
    secret = b"s" * 32
    org = uuid.uuid4()
    token = feed_token(secret, org)
    assert org_of_feed_token(secret, token) == org
    with pytest.raises(Exception, match="not valid"):
        org_of_feed_token(secret, token[:-1] + ("0" if token[-1] != "0" else "1"))
    settings = Settings(REELESTATE_DATA_DIR=tmp_path)
    migrate.upgrade(settings)
    db = open_database(settings)
    ctx = OrganisationsRepository(db).create("Feed Realty", "feed-realty")
    from reelestate.storage.repositories.publications import NewPublication  # noqa: PLC0415

    PublicationsRepository(db).create(
        ctx,
        NewPublication(
            channel=Channel.INSTAGRAM,
            scheduled_at=datetime(2026, 12, 11, 14, tzinfo=UTC),
            caption="Open, bright; new roof",
            title="7 Cedar Lane",
            video_key="k",
        ),
    )  # fmt: skip
    body = ics_feed(PublicationsRepository(db).between(ctx), name="Feed Realty", time_zone="UTC")
    assert body.startswith("BEGIN:VCALENDAR\r\n") and body.endswith("END:VCALENDAR\r\n")
    assert "DTSTART:20261211T140000Z" in body and "SUMMARY:Instagram: 7 Cedar Lane" in body
    assert "Open\\, bright\\; new roof" in body
    db.dispose()
