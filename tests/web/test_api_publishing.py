"""Publications, the calendar and its ICS feed, and analytics over HTTP: a post scheduled,
read, moved, re-worded and cancelled; other organisations see 404; a forged feed link is
refused; the analytics numbers and chart are the stored insights."""

from __future__ import annotations

import io
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from PIL import Image
from starlette.testclient import TestClient

from reelestate.api.services import AppServices
from reelestate.storage.context import TenantContext
from reelestate.storage.models import Organization
from reelestate.storage.repositories.publications import PublicationsRepository
from tests.social.helpers import finished_render
from tests.web.helpers import Account

ZONE = "America/Denver"


def _services(client: TestClient) -> AppServices:
    services: AppServices = client.app.state.services  # type: ignore[attr-defined]
    return services


def _ctx(client: TestClient, me: Account) -> TenantContext:
    return _services(client).tokens.verify(me.tokens["access_token"], "access").context()


def _in_denver(client: TestClient, ctx: TenantContext) -> None:
    with _services(client).db.tenant(ctx) as session:
        org = session.get(Organization, ctx.org_id)
        assert org is not None
        org.time_zone = ZONE


@pytest.fixture(scope="module")
def video(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Stands for a finished MP4: scheduling reads the render's row, never the file."""
    path = tmp_path_factory.mktemp("video") / "video.mp4"
    path.write_bytes(b"\x00\x00\x00\x18ftypmp42" + bytes(64))
    return path


def _render(client: TestClient, me: Account, video: Path) -> str:
    services = _services(client)
    ctx = _ctx(client, me)
    return str(finished_render(services.db, services.blobs, ctx, video, size=(1080, 1920)))


def _next_year() -> int:
    return datetime.now(UTC).year + 1


def test_schedule_read_move_recaption_and_cancel(client: TestClient, video: Path) -> None:
    me = Account(client)
    _in_denver(client, _ctx(client, me))
    job = _render(client, me, video)
    year = _next_year()
    made = me.post(
        "/api/v1/publications",
        json={"render_job_id": job, "channel": "instagram", "at": f"{year}-03-06T09:00",
              "caption": "Bright kitchen, new roof. #realestate"},
    )  # fmt: skip
    assert made.status_code == 201, made.text
    post = made.json()
    assert post["status"] == "scheduled"
    # Local 09:00 in Denver (MST, UTC-7), sent back with the organisation's offset.
    assert post["at"] == f"{year}-03-06T09:00:00-07:00"
    draft = me.post(
        "/api/v1/publications", json={"render_job_id": job, "channel": "facebook", "draft": True}
    ).json()
    assert draft["status"] == "draft" and draft["at"] is None
    assert draft["title"] == "Listing video"

    listed = me.get("/api/v1/publications").json()
    assert {p["id"] for p in listed} == {post["id"], draft["id"]}
    assert me.get(f"/api/v1/publications/{post['id']}").json()["caption"].startswith("Bright")

    moved = me.patch(
        f"/api/v1/publications/{post['id']}",
        json={"at": f"{year}-07-09T10:30", "caption": "Moved: open house Sunday"},
    ).json()
    assert moved["at"] == f"{year}-07-09T10:30:00-06:00"  # daylight time by then
    assert moved["caption"] == "Moved: open house Sunday"

    # A window in local time finds the moved post and not outside it.
    inside = me.get(
        "/api/v1/publications", params={"from": f"{year}-07-09T00:00", "to": f"{year}-07-10T00:00"}
    ).json()
    assert [p["id"] for p in inside] == [post["id"]]

    assert me.delete(f"/api/v1/publications/{post['id']}").status_code == 204
    assert me.get(f"/api/v1/publications/{post['id']}").json()["status"] == "cancelled"
    again = me.patch(f"/api/v1/publications/{post['id']}", json={"at": f"{year}-03-10T10:00"})
    assert again.status_code == 409, again.text

    bad = me.post(
        "/api/v1/publications", json={"render_job_id": job, "channel": "instagram", "at": "Friday"}
    )
    assert bad.status_code == 422 and "2026-12-11T09:00" in bad.text
    past = me.post(
        "/api/v1/publications",
        json={"render_job_id": job, "channel": "instagram", "at": "2001-01-01T09:00"},
    )
    assert past.status_code == 422 and "passed" in past.text


def test_other_organisations_get_404(client: TestClient, video: Path) -> None:
    owner, other = Account(client), Account(client)
    job = _render(client, owner, video)
    at = f"{_next_year()}-05-01T09:00"
    post = owner.post(
        "/api/v1/publications", json={"render_job_id": job, "channel": "instagram", "at": at}
    ).json()
    pid = post["id"]
    for method, url, body in [
        ("get", f"/api/v1/publications/{pid}", None),
        ("patch", f"/api/v1/publications/{pid}", {"caption": "mine now"}),
        ("delete", f"/api/v1/publications/{pid}", None),
        ("post", "/api/v1/publications", {"render_job_id": job, "channel": "facebook", "at": at}),
    ]:
        kwargs: dict[str, Any] = {"json": body} if body is not None else {}
        response = getattr(other, method)(url, **kwargs)
        assert response.status_code == 404, (method, url, response.text)
    assert other.get("/api/v1/publications").json() == []
    assert other.get("/api/v1/calendar").json()["items"] == []
    assert owner.get(f"/api/v1/publications/{pid}").json()["caption"] == post["caption"]
    assert owner.get(f"/api/v1/publications/{pid}").json()["status"] == "scheduled"
    for url in ("/api/v1/publications", "/api/v1/calendar", "/api/v1/analytics"):
        assert client.get(url).status_code == 401


def test_calendar_json_and_ics_feed(client: TestClient, video: Path) -> None:
    me, other = Account(client), Account(client)
    _in_denver(client, _ctx(client, me))
    job = _render(client, me, video)
    year = _next_year()
    me.post(
        "/api/v1/publications",
        json={"render_job_id": job, "channel": "facebook", "at": f"{year}-01-15T09:00"},
    )
    calendar = me.get(
        "/api/v1/calendar", params={"from": f"{year}-01-01T00:00", "to": f"{year}-02-01T00:00"}
    ).json()
    assert calendar["time_zone"] == ZONE
    assert [p["at"] for p in calendar["items"]] == [f"{year}-01-15T09:00:00-07:00"]
    feed_url: str = calendar["feed_url"]
    token = feed_url.split("token=", 1)[1]

    # The link alone is the credential: no bearer header.
    feed = client.get("/api/v1/calendar.ics", params={"token": token})
    assert feed.status_code == 200, feed.text
    assert feed.headers["content-type"].startswith("text/calendar")
    assert feed.text.startswith("BEGIN:VCALENDAR\r\n")
    assert f"DTSTART:{year}0115T160000Z" in feed.text and "SUMMARY:Facebook:" in feed.text

    # Another organisation's feed holds none of these posts.
    other_token = other.get("/api/v1/calendar").json()["feed_url"].split("token=", 1)[1]
    assert "BEGIN:VEVENT" not in client.get(f"/api/v1/calendar.ics?token={other_token}").text

    forged = token[:-1] + ("0" if token[-1] != "0" else "1")
    someone_else = f"{uuid.uuid4().hex}.{token.split('.', 1)[1]}"
    for bad in (forged, someone_else, "not-a-token-at-all"):
        refused = client.get("/api/v1/calendar.ics", params={"token": bad})
        assert refused.status_code == 401, (bad, refused.text)
        assert "VCALENDAR" not in refused.text


def test_analytics_numbers_and_chart_are_the_stored_ones(client: TestClient, video: Path) -> None:
    me, other = Account(client), Account(client)
    ctx = _ctx(client, me)
    job = _render(client, me, video)
    post = me.post(
        "/api/v1/publications",
        json={"render_job_id": job, "channel": "instagram", "at": f"{_next_year()}-02-01T09:00"},
    ).json()
    posts = PublicationsRepository(_services(client).db)
    pid = uuid.UUID(post["id"])
    posts.published(ctx, pid, "ig-media-1")
    taken = datetime.now(UTC) - timedelta(hours=1)
    posts.add_metrics(ctx, pid, taken, {"views": 1234.0, "likes": 56.0, "comments": 7.0})

    found = me.get("/api/v1/analytics", params={"group": "channel"}).json()
    assert (found["posts"], found["views"], found["engagement"]) == (1, 1234.0, 63.0)
    assert [s["label"] for s in found["series"]] == ["Instagram"]
    assert "1,234 views" in found["summary"] and "63 likes" in found["summary"]
    assert me.get("/api/v1/analytics", params={"group": "weekly"}).status_code == 422
    assert other.get("/api/v1/analytics").json()["posts"] == 0

    chart = me.get("/api/v1/analytics/chart.png", params={"group": "listing"})
    assert chart.status_code == 200 and chart.headers["content-type"] == "image/png"
    with Image.open(io.BytesIO(chart.content)) as image:
        assert image.format == "PNG"
        assert len(image.convert("L").getcolors(maxcolors=100_000) or []) > 20
