"""Helpers for the web tests: a fresh organisation per test, photos, waiting on jobs."""

from __future__ import annotations

import time
import uuid
from pathlib import Path
from typing import Any

from starlette.testclient import TestClient

from tests.agent.helpers import FACTS, listing_photos
from tests.support.mail import link, token_of, wait_for_mail

PASSWORD = "correct horse battery"
LISTING_FACTS = {
    "address": "12 Oak St, Paso Robles CA",
    "price": 529000,
    "beds": 3,
    "baths": 2,
    "area_sqft": 1826,
    "highlights": ["new roof"],
}
__all__ = ["FACTS", "LISTING_FACTS", "PASSWORD", "Account", "listing_photos", "sign_up"]


def sign_up(
    post: Any, outbox: Path, email: str, *, organization_name: str = "Oak Realty"
) -> dict[str, Any]:
    """Sign up through the mailed link, as a person does; returns the token pair."""
    response = post(
        "/api/v1/auth/signup",
        json={"email": email, "password": PASSWORD, "organization_name": organization_name},
    )
    assert response.status_code == 202, response.text
    url = link(wait_for_mail(outbox, email), "/verify-email")
    verified = post("/api/v1/auth/verify-email", json={"token": token_of(url)})
    assert verified.status_code == 200, verified.text
    return dict(verified.json())


def outbox_of(client: TestClient) -> Path:
    return Path(client.app.state.services.settings.outbox_dir)  # type: ignore[attr-defined]


class Account:
    """A person who signed up (so a fresh organisation they own) and their bearer header."""

    def __init__(
        self, client: TestClient, *, email: str | None = None, outbox: Path | None = None
    ) -> None:
        """`outbox`: where the app writes its mail (default: the in-process app's own)."""
        self.client = client
        self.email = email or f"agent-{uuid.uuid4().hex[:8]}@example.com"
        self.tokens: dict[str, Any] = sign_up(client.post, outbox or outbox_of(client), self.email)

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.tokens['access_token']}"}

    def get(self, url: str, **kw: Any) -> Any:
        return self.client.get(url, headers={**self.headers, **kw.pop("headers", {})}, **kw)

    def post(self, url: str, **kw: Any) -> Any:
        return self.client.post(url, headers={**self.headers, **kw.pop("headers", {})}, **kw)

    def put(self, url: str, **kw: Any) -> Any:
        return self.client.put(url, headers={**self.headers, **kw.pop("headers", {})}, **kw)

    def patch(self, url: str, **kw: Any) -> Any:
        return self.client.patch(url, headers={**self.headers, **kw.pop("headers", {})}, **kw)

    def delete(self, url: str, **kw: Any) -> Any:
        return self.client.delete(url, headers={**self.headers, **kw.pop("headers", {})}, **kw)

    def project(self, **facts: Any) -> dict[str, Any]:
        response = self.post(
            "/api/v1/projects", json={"title": "Oak St", "facts": facts or LISTING_FACTS}
        )
        assert response.status_code == 201, response.text
        return dict(response.json())

    def upload(self, project_id: str, photos: list[Path]) -> Any:
        files = [("files", (p.name, p.read_bytes(), "image/jpeg")) for p in photos]
        return self.post(f"/api/v1/projects/{project_id}/media", files=files)

    def wait_job(self, job_id: str, timeout: float = 60.0) -> dict[str, Any]:
        deadline = time.monotonic() + timeout
        while True:
            job = self.get(f"/api/v1/render-jobs/{job_id}").json()
            if job["status"] in {"succeeded", "failed", "cancelled"}:
                return dict(job)
            assert time.monotonic() < deadline, job
            time.sleep(0.1)
