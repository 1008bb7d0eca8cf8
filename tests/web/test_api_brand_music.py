"""A brand kit's music bed over REST: checked on upload (415 or 422 with the reason), stored
like other media, named by the storyboards planned for the kit's projects, fetched by the job."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from starlette.testclient import TestClient

from tests import music_files as mf
from tests.web.helpers import LISTING_FACTS, Account, listing_photos


@pytest.fixture(scope="module")
def tracks(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("tracks")
    return {
        "song": mf.music(folder / "Porch Song.mp3", 12.0),
        "jingle": mf.music(folder / "jingle.wav", 4.0),
        "silence": mf.silence(folder / "silence.wav"),
        "tour": mf.video_only(folder / "tour.mp4"),
        "lyrics": mf.text_as_mp3(folder / "lyrics.mp3"),
    }


def _upload(me: Account, kit_id: str, path: Path, content_type: str = "audio/mpeg") -> Any:
    return me.post(
        f"/api/v1/brand-kits/{kit_id}/music",
        files={"file": (path.name, path.read_bytes(), content_type)},
    )


def _project(me: Account, kit_id: str) -> str:
    project = me.post(
        "/api/v1/projects",
        json={"title": "Oak St", "facts": LISTING_FACTS, "brand_kit_id": kit_id},
    ).json()
    assert me.upload(project["id"], listing_photos()).status_code == 201
    return str(project["id"])


def _board(me: Account, project_id: str) -> dict[str, Any]:
    board = me.post(f"/api/v1/projects/{project_id}/storyboards", json={"length_seconds": 20})
    assert board.status_code == 201, board.text
    return dict(board.json())


def test_a_kit_track_is_checked_stored_and_played_by_new_storyboards(
    client: TestClient, tracks: dict[str, Path]
) -> None:
    me = Account(client)
    kit = me.post("/api/v1/brand-kits", json={"name": "Oak Realty"}).json()
    assert kit["music"] is None
    uploaded = _upload(me, kit["id"], tracks["song"], "application/octet-stream")
    assert uploaded.status_code == 200, uploaded.text
    music = uploaded.json()["music"]
    assert music["name"] == "Porch Song.mp3"
    assert (music["codec"], music["container"], music["sample_rate"]) == ("mp3", "mp3", 44100)
    assert music["duration_seconds"] == pytest.approx(12.0, abs=0.1)
    assert -25 < music["loudness_lufs"] < -8
    stored = client.get(music["url"])
    assert stored.status_code == 200 and stored.content == tracks["song"].read_bytes()
    assert stored.headers["content-type"] == "audio/mpeg"

    kept = me.put(
        f"/api/v1/brand-kits/{kit['id']}", json={"name": "Oak Realty", "agent_name": "Sam"}
    )
    assert kept.json()["music"]["name"] == "Porch Song.mp3", "the track survives a kit update"

    project = _project(me, kit["id"])
    board = _board(me, project)
    assert board["current"]["music_track"] == "Porch Song.mp3"
    approve = me.post(
        f"/api/v1/storyboards/{board['id']}/approve",
        json={"preview": True},
        headers={"If-Match": '"v1"'},
    )
    assert approve.status_code == 202, approve.text
    done = me.wait_job(approve.json()["id"])
    assert done["status"] == "succeeded", done  # the worker fetched the track from the store

    mood = me.post(
        f"/api/v1/storyboards/{board['id']}/operations",
        json={"operations": [{"op": "set_music", "mood": "upbeat"}]},
        headers={"If-Match": '"v1"'},
    )
    assert mood.status_code == 200 and mood.json()["current"]["music_track"] is None

    removed = me.delete(f"/api/v1/brand-kits/{kit['id']}/music")
    assert removed.status_code == 200 and removed.json()["music"] is None
    assert _board(me, project)["current"]["music_track"] is None


@pytest.mark.parametrize(
    ("name", "status", "code", "words"),
    [
        ("lyrics", 415, "unsupported_media", "This file is not audio we can read"),
        ("jingle", 422, "invalid_music", "The track is 4 s long; music beds need at least 10 s."),
        ("silence", 422, "invalid_music", "This track is silent."),
        ("tour", 422, "invalid_music", "This file has no audio track"),
    ],
)
def test_a_bad_track_is_refused_with_the_reason(
    client: TestClient,
    tracks: dict[str, Path],
    name: str,
    status: int,
    code: str,
    words: str,
) -> None:
    me = Account(client)
    kit = me.post("/api/v1/brand-kits", json={"name": "Oak Realty"}).json()
    refused = _upload(me, kit["id"], tracks[name])
    assert refused.status_code == status, refused.text
    assert refused.headers["content-type"] == "application/problem+json"
    problem = refused.json()
    assert problem["code"] == code and problem["title"].startswith(words)
    assert problem["hint"]
    assert me.get(f"/api/v1/brand-kits/{kit['id']}").json()["music"] is None


def test_another_organisation_cannot_touch_the_kit_music(
    client: TestClient, tracks: dict[str, Path]
) -> None:
    owner, other = Account(client), Account(client)
    kit = owner.post("/api/v1/brand-kits", json={"name": "Oak Realty"}).json()
    assert _upload(other, kit["id"], tracks["song"]).status_code == 404
    assert other.delete(f"/api/v1/brand-kits/{kit['id']}/music").status_code == 404
    assert owner.get(f"/api/v1/brand-kits/{kit['id']}").json()["music"] is None
