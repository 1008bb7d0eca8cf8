"""REST: a brand kit's presenter photo, face-checked on arrival and refused with the reason."""

from __future__ import annotations

from pathlib import Path

import pytest
from starlette.testclient import TestClient

from tests.providers.avatar.material import headshot
from tests.web.helpers import Account

# Kit storage is the same code on both databases (covered on PostgreSQL by the brand kit tests).
pytestmark = pytest.mark.parametrize("client", ["sqlite"], indirect=True)


def test_a_presenter_photo_needs_one_face(client: TestClient, tmp_path: Path) -> None:
    me, other = Account(client), Account(client)
    kit = me.post("/api/v1/brand-kits", json={"name": "Oak Realty"}).json()
    assert kit["presenter_photo_url"] is None
    url = f"/api/v1/brand-kits/{kit['id']}/presenter-photo"
    two = headshot(tmp_path / "two.jpg", faces=2).read_bytes()
    refused = me.post(url, files={"file": ("team.jpg", two, "image/jpeg")})
    assert refused.status_code == 422
    assert "team.jpg shows 2 faces" in refused.text
    none = headshot(tmp_path / "none.jpg", faces=0).read_bytes()
    assert "no face" in me.post(url, files={"file": ("wall.jpg", none, "image/jpeg")}).text
    face = headshot(tmp_path / "face.jpg").read_bytes()
    assert other.post(url, files={"file": ("me.jpg", face, "image/jpeg")}).status_code == 404
    stored = me.post(url, files={"file": ("me.jpg", face, "image/jpeg")})
    assert stored.status_code == 200, stored.text
    assert client.get(stored.json()["presenter_photo_url"]).content == face
    kept = me.put(f"/api/v1/brand-kits/{kit['id']}", json={"name": "Oak Realty"}).json()
    assert kept["presenter_photo_url"] is not None  # survives an update of the kit
    assert me.delete(url).json()["presenter_photo_url"] is None
