"""The media library over HTTP and as a page: search by address, room, project, kind and date;
finished videos are listed beside the photos; another organisation never sees the files; a
reused photo is one stored blob with two references, kept by the collector while either
exists."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import jwt
from starlette.testclient import TestClient

from reelestate.api.security.tokens import app_secret
from reelestate.api.services import AppServices
from reelestate.core.jobs import JobKind, JobQueue, JobStatus
from reelestate.storage.blob_gc import collect_unreferenced
from reelestate.storage.context import TenantContext
from reelestate.storage.models import RenderJob
from reelestate.storage.repositories.content import MediaRepository
from tests.web.helpers import LISTING_FACTS, Account, listing_photos


def _services(client: TestClient) -> AppServices:
    services: AppServices = client.app.state.services  # type: ignore[attr-defined]
    return services


def _ctx(client: TestClient, me: Account) -> TenantContext:
    return _services(client).tokens.verify(me.tokens["access_token"], "access").context()


def _library(me: Account) -> tuple[Account, dict[str, Any], dict[str, Any], list[str]]:
    oak = me.project()
    cedar = me.post(
        "/api/v1/projects",
        json={"title": "Cedar Lane", "facts": {"address": "7 Cedar Lane", "city": "Bend",
              "state": "OR"}},
    ).json()  # fmt: skip
    photos = listing_photos()
    oak_ids = [m["id"] for m in me.upload(oak["id"], photos[:2]).json()["items"]]
    assert me.upload(cedar["id"], photos[2:3]).status_code == 201
    return me, oak, cedar, oak_ids


def test_search_by_address_room_project_and_date(client: TestClient) -> None:
    me, oak, cedar, oak_ids = _library(Account(client))
    MediaRepository(_services(client).db).set_analysis(
        _ctx(client, me), uuid.UUID(oak_ids[0]), {"room": "kitchen"}
    )

    def found(**params: Any) -> dict[str, Any]:
        response = me.get("/api/v1/media", params=params)
        assert response.status_code == 200, response.text
        return dict(response.json())

    everything = found()
    assert everything["total"] == 3 and everything["next_offset"] is None
    assert {i["address"] for i in everything["items"]} == {
        LISTING_FACTS["address"], "7 Cedar Lane, Bend, OR"
    }  # fmt: skip
    assert found(q="oak")["total"] == 2
    assert found(q="cedar bend")["total"] == 1
    kitchen = found(room="kitchen")
    assert [i["id"] for i in kitchen["items"]] == [oak_ids[0]]
    assert kitchen["items"][0]["room"] == "kitchen"
    assert kitchen["items"][0]["project_id"] == oak["id"]
    assert found(project=cedar["id"])["total"] == 1
    today = datetime.now(UTC).date()
    assert found(**{"from": str(today - timedelta(days=1)), "to": str(today)})["total"] == 3
    assert found(**{"from": str(today + timedelta(days=2))})["total"] == 0
    assert found(**{"to": str(today - timedelta(days=2))})["total"] == 0
    first = found(limit=2)
    assert len(first["items"]) == 2 and first["next_offset"] == 2
    assert me.get("/api/v1/media", params={"from": "last week"}).status_code == 422


def test_another_organisation_never_sees_or_reuses_the_files(client: TestClient) -> None:
    me, oak, _, oak_ids = _library(Account(client))
    other = Account(client)
    theirs = other.project()
    assert other.upload(theirs["id"], listing_photos()[:1]).status_code == 201
    seen = other.get("/api/v1/media", params={"q": "oak"}).json()
    assert seen["total"] == 1 and {i["id"] for i in seen["items"]}.isdisjoint(oak_ids)
    assert other.get("/api/v1/media", params={"project": oak["id"]}).json()["total"] == 0
    stolen = other.post(
        f"/api/v1/projects/{theirs['id']}/media/reuse", json={"media_ids": oak_ids[:1]}
    )
    assert stolen.status_code == 404
    into_mine = other.post(
        f"/api/v1/projects/{oak['id']}/media/reuse", json={"media_ids": [seen["items"][0]["id"]]}
    )
    assert into_mine.status_code == 404
    assert me.get("/api/v1/media").json()["total"] == 3


def test_reuse_is_a_new_reference_to_the_same_blob(client: TestClient) -> None:
    me, oak, cedar, oak_ids = _library(Account(client))
    services, ctx = _services(client), _ctx(client, me)
    reused = me.post(f"/api/v1/projects/{cedar['id']}/media/reuse", json={"media_ids": oak_ids})
    assert reused.status_code == 201, reused.text
    again = me.post(f"/api/v1/projects/{cedar['id']}/media/reuse", json={"media_ids": oak_ids})
    assert [m["id"] for m in again.json()] == [m["id"] for m in reused.json()], "no duplicates"
    assert len(me.get(f"/api/v1/projects/{cedar['id']}/media").json()) == 3
    media = MediaRepository(services.db)
    source = media.get(ctx, uuid.UUID(oak_ids[0]))
    copy = media.get(ctx, uuid.UUID(reused.json()[0]["id"]))
    assert copy.id != source.id and copy.blob_key == source.blob_key
    assert copy.project_id == uuid.UUID(cedar["id"])
    stored = services.blobs.list(ctx, f"org/{ctx.org_id}/media/")
    assert sum(1 for b in stored if b.key == source.blob_key) == 1

    assert me.delete(f"/api/v1/projects/{oak['id']}/media/{oak_ids[0]}").status_code == 204
    later = datetime.now(UTC) + timedelta(days=2)
    kept = collect_unreferenced(services.db, services.blobs, grace=timedelta(0), dry_run=True,
                                now=later)  # fmt: skip
    assert source.blob_key not in {b.key for b in kept.unreferenced}, "still used by Cedar Lane"
    assert me.delete(f"/api/v1/projects/{cedar['id']}/media/{copy.id}").status_code == 204
    gone = collect_unreferenced(services.db, services.blobs, grace=timedelta(0), dry_run=True,
                                now=later)  # fmt: skip
    assert source.blob_key in {b.key for b in gone.unreferenced}


def test_the_library_page_is_for_signed_in_people_only(client: TestClient) -> None:
    me, _, _, _ = _library(Account(client))
    anonymous = client.get("/library")
    assert anonymous.status_code == 401 and "Sign in" in anonymous.text
    assert "12 Oak St" not in anonymous.text
    page = me.get("/library", params={"q": "oak"})
    assert page.status_code == 200
    assert page.text.count("<img") == 2 and "12 Oak St" in page.text and "Cedar" not in page.text
    ctx = _ctx(client, me)
    claims = {"identifier": me.email, "metadata": {"org_id": str(ctx.org_id),
              "user_id": str(ctx.user_id), "role": "owner"}}  # fmt: skip
    secret = app_secret(_services(client).settings)
    signed_in = jwt.encode(claims, secret, algorithm="HS256")
    chat_user = client.get("/library", headers={"Cookie": f"access_token={signed_in}"})
    assert chat_user.status_code == 200 and chat_user.text.count("<figure>") == 3
    forged = jwt.encode(claims, b"not the secret of this installation", algorithm="HS256")
    assert client.get("/library", headers={"Cookie": f"access_token={forged}"}).status_code == 401


def _render(
    client: TestClient,
    me: Account,
    project: dict[str, Any] | None,
    *,
    kind: JobKind = JobKind.RENDER_VIDEO,
    status: JobStatus = JobStatus.SUCCEEDED,
    size: tuple[int, int] = (1080, 1920),
    finished: datetime | None = None,
) -> str:
    """A render job row as the worker leaves it (the MP4 a few bytes: nothing plays it here)."""
    services, ctx, job_id = _services(client), _ctx(client, me), uuid.uuid4()
    info = services.blobs.put_bytes(
        ctx, f"org/{ctx.org_id}/renders/{job_id}/video.mp4", b"not really an mp4", "video/mp4"
    )
    outputs = {"video": info.model_dump(), "width": size[0], "height": size[1], "duration": 15.0}
    with services.db.tenant(ctx) as session:
        session.add(
            RenderJob(
                id=job_id,
                organization_id=ctx.org_id,
                project_id=uuid.UUID(project["id"]) if project else None,
                kind=kind,
                queue=JobQueue.CPU,
                status=status,
                input_hash=uuid.uuid4().hex,
                outputs=outputs if status == JobStatus.SUCCEEDED else None,
                finished_at=finished or datetime.now(UTC),
            )
        )
    return str(job_id)


def test_finished_videos_are_in_the_library_by_kind_project_and_date(client: TestClient) -> None:
    me, oak, cedar, oak_ids = _library(Account(client))
    vertical = _render(client, me, oak)
    square = _render(client, me, cedar, size=(1080, 1080),
                     finished=datetime.now(UTC) - timedelta(days=10))  # fmt: skip
    _render(client, me, oak, kind=JobKind.RENDER_PREVIEW)
    _render(client, me, oak, status=JobStatus.FAILED)
    other = Account(client)
    _render(client, other, other.project())

    def found(**params: Any) -> dict[str, Any]:
        response = me.get("/api/v1/media", params=params)
        assert response.status_code == 200, response.text
        return dict(response.json())

    everything = found()
    assert everything["total"] == 5, "3 photos and 2 finished videos; no preview, no failure"
    assert everything["items"][0]["id"] == vertical, "newest first"
    assert everything["items"][-1]["id"] == square
    videos = found(kind="video")
    assert [i["id"] for i in videos["items"]] == [vertical, square]
    first = videos["items"][0]
    assert first["source"] == "render" and first["kind"] == "video"
    assert first["content_type"] == "video/mp4" and first["url"]
    assert first["address"] == LISTING_FACTS["address"] and first["project_id"] == oak["id"]
    assert first["render"] == {"job_id": vertical, "aspect": "9:16", "width": 1080,
                               "height": 1920, "duration_s": 15.0}  # fmt: skip
    assert videos["items"][1]["render"]["aspect"] == "1:1"
    photos = found(kind="photo")
    assert photos["total"] == 3 and {i["source"] for i in photos["items"]} == {"upload"}
    assert [i["id"] for i in found(kind="video", q="cedar")["items"]] == [square]
    assert [i["id"] for i in found(kind="video", project=oak["id"])["items"]] == [vertical]
    assert found(room="kitchen")["total"] == 0, "a finished video has no room"
    today = datetime.now(UTC).date()
    recent = found(kind="video", **{"from": str(today - timedelta(days=1))})
    assert [i["id"] for i in recent["items"]] == [vertical]
    paged = [found(limit=2, offset=n)["items"] for n in (0, 2, 4)]
    assert sorted(i["id"] for page in paged for i in page) == sorted(
        [*oak_ids, vertical, square, *(i["id"] for i in photos["items"] if i["id"] not in oak_ids)]
    )
    assert me.get("/api/v1/media", params={"kind": "song"}).status_code == 422

    theirs = other.get("/api/v1/media").json()
    assert theirs["total"] == 1 and theirs["items"][0]["id"] not in {vertical, square}
    assert other.get("/api/v1/media", params={"project": oak["id"]}).json()["total"] == 0

    page = me.get("/library", params={"kind": "video"})
    assert page.status_code == 200
    assert page.text.count("<video") == 2 and "<img" not in page.text
    assert "finished video · 9:16 · 15 s" in page.text and "1:1" in page.text
    assert me.get("/library", params={"kind": "photo"}).text.count("<img") == 3
