"""Storyboards from photos and facts, ETags and 409s, approval, render jobs with idempotency
keys, signed downloads, and the WebSocket of progress events."""

from __future__ import annotations

from typing import Any

import pytest
from starlette.testclient import TestClient
from starlette.websockets import WebSocketDisconnect

from tests.web.helpers import Account, listing_photos


def _storyboard(me: Account) -> tuple[str, dict[str, Any], str]:
    pid = me.project()["id"]
    assert me.upload(pid, listing_photos()).status_code == 201
    created = me.post(f"/api/v1/projects/{pid}/storyboards", json={"length_seconds": 20})
    assert created.status_code == 201, created.text
    return pid, created.json(), created.headers["etag"]


def test_storyboard_from_photos_and_facts(client: TestClient) -> None:
    me = Account(client)
    pid, board, etag = _storyboard(me)
    assert etag == '"v1"'
    current = board["current"]
    assert current["version"] == 1
    assert 5 <= len(current["scenes"]) <= 6
    assert current["scenes"][0]["room"] == "exterior"
    assert current["scenes"][0]["photo"].startswith("org/")
    assert current["total_seconds"] == 20  # the length asked, cold open and outro included
    media = me.get(f"/api/v1/projects/{pid}/media").json()
    assert all(m["analysis"]["room"] for m in media)
    listed = me.get(f"/api/v1/projects/{pid}/storyboards").json()
    assert [b["id"] for b in listed] == [board["id"]]


def test_storyboard_needs_photos_and_facts(client: TestClient) -> None:
    me = Account(client)
    pid = me.project()["id"]
    few = me.post(f"/api/v1/projects/{pid}/storyboards", json={})
    assert few.status_code == 422
    assert "at least 5" in few.json()["title"]
    bare = me.post("/api/v1/projects", json={"title": "No facts"}).json()["id"]
    me.upload(bare, listing_photos())
    missing = me.post(f"/api/v1/projects/{bare}/storyboards", json={})
    assert missing.status_code == 422


def test_operations_need_the_current_etag(client: TestClient) -> None:
    me = Account(client)
    _, board, etag = _storyboard(me)
    url = f"/api/v1/storyboards/{board['id']}/operations"
    swap = {"operations": [{"op": "swap", "scene": 2, "with_scene": 3}], "reason": "kitchen first"}
    assert me.post(url, json=swap).status_code == 428
    changed = me.post(url, json=swap, headers={"If-Match": etag})
    assert changed.status_code == 200, changed.text
    assert changed.headers["etag"] == '"v2"'
    v1, v2 = board["current"]["scenes"], changed.json()["current"]["scenes"]
    assert (v2[1]["photo"], v2[2]["photo"]) == (v1[2]["photo"], v1[1]["photo"])
    stale = me.post(url, json=swap, headers={"If-Match": etag})
    assert stale.status_code == 409
    assert stale.json()["code"] == "stale_version"
    bad = me.post(url, json={"operations": [{"op": "explode"}]}, headers={"If-Match": '"v2"'})
    assert bad.status_code == 422
    impossible = me.post(
        url, json={"operations": [{"op": "remove", "scene": 40}]}, headers={"If-Match": '"v2"'}
    )
    assert impossible.status_code == 422
    versions = me.get(f"/api/v1/storyboards/{board['id']}/versions").json()
    assert [v["version"] for v in versions] == [1, 2]
    assert versions[1]["reason"] == "kitchen first"
    fetched = me.get(f"/api/v1/storyboards/{board['id']}")
    assert fetched.headers["etag"] == '"v2"'


def test_approve_renders_once_and_downloads(client: TestClient) -> None:
    me = Account(client)
    _, board, etag = _storyboard(me)
    url = f"/api/v1/storyboards/{board['id']}/approve"
    assert me.post(url, json={}, headers={"If-Match": '"v7"'}).status_code == 409
    job = me.post(url, json={"preview": True}, headers={"If-Match": etag})
    assert job.status_code == 202, job.text
    again = me.post(url, json={"preview": True}, headers={"If-Match": etag})
    assert again.json()["id"] == job.json()["id"]
    done = me.wait_job(job.json()["id"])
    assert done["status"] == "succeeded", done
    assert set(done["downloads"]) == {"video", "subtitles", "thumbnail", "contact_sheet"}
    video = client.get(done["downloads"]["video"])
    assert video.status_code == 200
    assert video.headers["content-type"] == "video/mp4"
    assert video.content[4:8] == b"ftyp"
    credits = me.get("/api/v1/organizations/current/credits").json()
    assert (credits["available"], credits["reserved"], credits["debt"]) == (49, 0, 0)
    cancel = me.post(f"/api/v1/render-jobs/{done['id']}/cancel")
    assert cancel.status_code == 409


def test_render_jobs_idempotency_and_isolation(client: TestClient) -> None:
    me, other = Account(client), Account(client)
    _, board, _ = _storyboard(me)
    storyboard_version_id = me.get(f"/api/v1/storyboards/{board['id']}/versions").json()[0]["id"]
    body = {"storyboard_version_id": storyboard_version_id, "preview": True}
    first = me.post("/api/v1/render-jobs", json=body, headers={"Idempotency-Key": "order-17"})
    second = me.post("/api/v1/render-jobs", json=body, headers={"Idempotency-Key": "order-17"})
    assert first.status_code == second.status_code == 202
    assert first.json()["id"] == second.json()["id"]
    clash = me.post(
        "/api/v1/render-jobs",
        json={**body, "preview": False},
        headers={"Idempotency-Key": "order-17"},
    )
    assert clash.status_code == 409
    job_id = first.json()["id"]
    assert other.get(f"/api/v1/render-jobs/{job_id}").status_code == 404
    assert other.post(f"/api/v1/render-jobs/{job_id}/cancel").status_code == 404
    assert other.post("/api/v1/render-jobs", json=body).status_code == 404
    me.wait_job(job_id)
    listed = me.get("/api/v1/render-jobs", params={"limit": 1}).json()
    assert listed["items"][0]["id"] == job_id
    assert other.get("/api/v1/render-jobs").json()["items"] == []
    succeeded = me.get("/api/v1/render-jobs", params={"status": "succeeded"}).json()
    assert [j["id"] for j in succeeded["items"]] == [job_id]


def test_websocket_streams_progress_to_the_end(client: TestClient) -> None:
    me, other = Account(client), Account(client)
    _, board, etag = _storyboard(me)
    job = me.post(
        f"/api/v1/storyboards/{board['id']}/approve", json={"preview": True},
        headers={"If-Match": etag},
    ).json()  # fmt: skip
    token = me.tokens["access_token"]
    events = []
    with client.websocket_connect(f"/api/v1/render-jobs/{job['id']}/events?token={token}") as ws:
        while True:
            try:
                events.append(ws.receive_json())
            except WebSocketDisconnect:
                break
    assert [e["seq"] for e in events] == list(range(1, len(events) + 1))
    assert events[0]["type"] == "queued"
    assert events[-1]["status"] == "succeeded"
    assert any(e["stage"] == "render" for e in events)
    assert any(e["stage"] == "render" and e["render_stage"] == "frames" for e in events)
    assert all(e["render_stage"] is None for e in events if e["stage"] != "render")
    assert "organization_id" not in events[0]
    # Resume after a cursor: only what came later.
    with client.websocket_connect(
        f"/api/v1/render-jobs/{job['id']}/events?token={token}&after={len(events) - 1}"
    ) as ws:
        assert ws.receive_json()["seq"] == len(events)
    for query, code in [
        (f"token={other.tokens['access_token']}", 4404),
        ("token=nonsense", 4401),
        ("", 4401),
    ]:
        with client.websocket_connect(f"/api/v1/render-jobs/{job['id']}/events?{query}") as ws:
            with pytest.raises(WebSocketDisconnect) as closed:
                ws.receive_json()
            assert closed.value.code == code
