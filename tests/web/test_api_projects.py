"""Projects, facts, media uploads and brand kits; other organisations only ever see 404."""

from __future__ import annotations

import io

from PIL import Image
from starlette.testclient import TestClient

from tests.web.helpers import LISTING_FACTS, Account, listing_photos


def _png(size: tuple[int, int] = (64, 64)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (30, 60, 90)).save(out, "PNG")
    return out.getvalue()


def test_projects_crud_and_pagination(client: TestClient) -> None:
    me = Account(client)
    made = [me.project()["id"] for _ in range(3)]
    first = me.get("/api/v1/projects", params={"limit": 2}).json()
    assert first["total"] == 3
    assert len(first["items"]) == 2
    assert first["next_offset"] == 2
    rest = me.get("/api/v1/projects", params={"offset": 2, "limit": 2}).json()
    assert rest["next_offset"] is None
    assert {p["id"] for p in first["items"] + rest["items"]} == set(made)

    pid = made[0]
    renamed = me.patch(f"/api/v1/projects/{pid}", json={"title": "12 Oak Street"})
    assert renamed.json()["title"] == "12 Oak Street"
    facts = me.put(f"/api/v1/projects/{pid}/facts", json={**LISTING_FACTS, "beds": 4})
    assert facts.json()["facts"]["beds"] == 4
    assert me.get(f"/api/v1/projects/{pid}").json()["facts"]["beds"] == 4
    assert me.delete(f"/api/v1/projects/{pid}").status_code == 204
    assert me.get(f"/api/v1/projects/{pid}").status_code == 404


def test_other_organisations_get_404_never_data(client: TestClient) -> None:
    owner, other = Account(client), Account(client)
    pid = owner.project()["id"]
    upload = owner.upload(pid, listing_photos()[:1])
    media_id = upload.json()["items"][0]["id"]
    kit = owner.post("/api/v1/brand-kits", json={"name": "Oak"}).json()["id"]
    for method, url in [
        ("get", f"/api/v1/projects/{pid}"),
        ("patch", f"/api/v1/projects/{pid}"),
        ("delete", f"/api/v1/projects/{pid}"),
        ("get", f"/api/v1/projects/{pid}/media"),
        ("delete", f"/api/v1/projects/{pid}/media/{media_id}"),
        ("get", f"/api/v1/brand-kits/{kit}"),
        ("delete", f"/api/v1/brand-kits/{kit}"),
        ("post", f"/api/v1/projects/{pid}/storyboards"),
    ]:
        kwargs = {"json": {}} if method in {"patch", "post"} else {}
        response = getattr(other, method)(url, **kwargs)
        assert response.status_code == 404, (method, url, response.text)
        assert owner.email not in response.text
    assert other.get("/api/v1/projects").json()["total"] == 0
    # The owner still has everything.
    assert owner.get(f"/api/v1/projects/{pid}").status_code == 200
    assert len(owner.get(f"/api/v1/projects/{pid}/media").json()) == 1


def test_media_upload_list_and_delete(client: TestClient) -> None:
    me = Account(client)
    pid = me.project()["id"]
    response = me.upload(pid, listing_photos())
    assert response.status_code == 201, response.text
    items = response.json()["items"]
    assert len(items) == 6
    assert items[0]["content_type"] == "image/jpeg"
    photo = client.get(items[0]["url"])
    assert photo.status_code == 200
    assert photo.content == listing_photos()[0].read_bytes()
    assert me.delete(f"/api/v1/projects/{pid}/media/{items[0]['id']}").status_code == 204
    assert len(me.get(f"/api/v1/projects/{pid}/media").json()) == 5
    assert me.delete(f"/api/v1/projects/{pid}/media/{items[0]['id']}").status_code == 404


def test_the_same_photos_can_belong_to_two_projects(client: TestClient) -> None:
    me = Account(client)
    first, second = me.project()["id"], me.project()["id"]
    assert me.upload(first, listing_photos()).status_code == 201
    again = me.upload(second, listing_photos())
    assert again.status_code == 201, again.text
    assert len(me.get(f"/api/v1/projects/{second}/media").json()) == 6
    dropped = again.json()["items"][0]["id"]
    assert me.delete(f"/api/v1/projects/{second}/media/{dropped}").status_code == 204
    assert len(me.get(f"/api/v1/projects/{first}/media").json()) == 6  # untouched
    assert client.get(me.get(f"/api/v1/projects/{first}/media").json()[0]["url"]).status_code == 200


def test_upload_limits_and_bad_files(client: TestClient) -> None:
    me = Account(client)
    pid = me.project()["id"]
    fake = me.post(
        f"/api/v1/projects/{pid}/media",
        files=[("files", ("kitchen.jpg", b"this is not a photo", "image/jpeg"))],
    )
    assert fake.status_code == 422
    assert "kitchen.jpg" in fake.json()["title"]
    wrong_type = me.post(
        f"/api/v1/projects/{pid}/media",
        files=[("files", ("notes.txt", b"hello", "text/plain"))],
    )
    assert wrong_type.status_code == 422
    assert "text/plain" in wrong_type.json()["title"]
    too_many = me.upload(pid, listing_photos() + listing_photos()[:3])  # 9 > 8
    assert too_many.status_code == 422
    assert "limit is 8" in too_many.json()["title"]
    huge = me.post(
        f"/api/v1/projects/{pid}/media",
        files=[("files", ("big.png", _png() + b"\x00" * (3 * 1024 * 1024), "image/png"))],
    )
    assert huge.status_code == 422
    assert "larger than 2 MB" in huge.json()["title"]
    assert me.get(f"/api/v1/projects/{pid}/media").json() == []


def test_signed_media_urls_refuse_tampering(client: TestClient) -> None:
    me = Account(client)
    pid = me.project()["id"]
    url = me.upload(pid, listing_photos()[:1]).json()["items"][0]["url"]
    assert client.get(url).status_code == 200
    tampered = url.replace("signature=", "signature=0")
    assert client.get(tampered).status_code == 404
    other_key = url.replace("/media/", "/renders/")
    assert client.get(other_key).status_code == 404


def test_brand_kits_crud_and_logo(client: TestClient) -> None:
    me = Account(client)
    created = me.post(
        "/api/v1/brand-kits",
        json={"name": "Oak Realty", "primary_color": "#112233", "agent_name": "Sam Oak"},
    )
    assert created.status_code == 201, created.text
    kit = created.json()
    assert kit["primary_color"] == "#112233"
    assert kit["logo_url"] is None
    logo = me.post(
        f"/api/v1/brand-kits/{kit['id']}/logo", files={"file": ("logo.png", _png(), "image/png")}
    )
    assert logo.status_code == 200, logo.text
    assert client.get(logo.json()["logo_url"]).content[:8] == b"\x89PNG\r\n\x1a\n"
    updated = me.put(
        f"/api/v1/brand-kits/{kit['id']}", json={"name": "Oak Realty", "accent_color": "#abcdef"}
    ).json()
    assert updated["accent_color"] == "#ABCDEF"
    assert updated["logo_url"] is not None  # the logo survives an update
    bad = me.post(
        f"/api/v1/brand-kits/{kit['id']}/logo", files={"file": ("logo.png", b"nope", "image/png")}
    )
    assert bad.status_code == 422
    bad_colour = me.post("/api/v1/brand-kits", json={"name": "x", "primary_color": "blue"})
    assert bad_colour.status_code == 422
    assert [k["name"] for k in me.get("/api/v1/brand-kits").json()] == ["Oak Realty"]
    assert me.delete(f"/api/v1/brand-kits/{kit['id']}").status_code == 204
    assert me.get("/api/v1/brand-kits").json() == []


def test_health(client: TestClient) -> None:
    assert client.get("/healthz").json() == {"status": "ok", "checks": {}}
    ready = client.get("/readyz")
    assert ready.status_code == 200
    assert ready.json()["checks"] == {
        "database": "ok",
        "blobs": "ok",
        "ffmpeg": "ok",
        "queue": "ok",
    }
    spec = client.get("/api/v1/openapi.json").json()
    assert "/api/v1/render-jobs" in spec["paths"]
