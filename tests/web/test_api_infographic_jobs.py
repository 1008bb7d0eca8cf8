"""REST: a facts card as a render job (`kind=render_infographic`), its files served when done."""

from __future__ import annotations

import pytest
from starlette.testclient import TestClient

from tests.conftest import PHOTOS
from tests.web.helpers import Account

# The job queue and media access are the same code on both databases and are covered on
# PostgreSQL by the other render-jobs tests; the card's render runs once, on SQLite.
pytestmark = pytest.mark.parametrize("client", ["sqlite"], indirect=True)

CARD = {
    "facts": {"address": "12 Oak St", "price": 988000, "beds": 3, "baths": 3, "area_sqft": 2361},
    "brand": {"agent_name": "Dana", "agent_phone": "555-0142"},
    "aspect": "1:1",
    "duration": 6,
    "music": None,
    "preview": True,
}


def test_a_facts_card_job_renders_and_serves_its_video_and_still(client: TestClient) -> None:
    me, other = Account(client), Account(client)
    pid = me.project()["id"]
    uploaded = me.upload(pid, [PHOTOS / "house107" / "frontal.jpg"])
    assert uploaded.status_code == 201, uploaded.text
    media_id = me.get(f"/api/v1/projects/{pid}/media").json()[0]["id"]
    body = {"kind": "render_infographic", "infographic": {**CARD, "photo_media_id": media_id}}
    # another organisation cannot name this photo
    assert other.post("/api/v1/render-jobs", json=body).status_code == 404
    created = me.post("/api/v1/render-jobs", json=body)
    assert created.status_code == 202, created.text
    assert created.json()["kind"] == "render_infographic"
    done = me.wait_job(created.json()["id"])
    assert done["status"] == "succeeded", done
    assert set(done["downloads"]) == {"video", "still"}
    video = client.get(done["downloads"]["video"])
    assert video.headers["content-type"] == "video/mp4" and video.content[4:8] == b"ftyp"
    still = client.get(done["downloads"]["still"])
    assert still.headers["content-type"] == "image/png"
    assert still.content[:8] == b"\x89PNG\r\n\x1a\n"


def test_bad_facts_are_refused_before_a_job_exists(client: TestClient) -> None:
    me = Account(client)
    bad = {**CARD, "facts": {"address": "12 Oak St"}}
    refused = me.post(
        "/api/v1/render-jobs", json={"kind": "render_infographic", "infographic": bad}
    )
    assert refused.status_code == 422
    assert "needs the price" in refused.text
    assert me.get("/api/v1/render-jobs").json()["items"] == []
    mixed = me.post("/api/v1/render-jobs", json={"kind": "render_video", "infographic": CARD})
    assert mixed.status_code == 422
