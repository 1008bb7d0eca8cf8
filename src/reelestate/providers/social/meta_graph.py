"""The Meta Graph API over plain httpx: Instagram Reels, Facebook Page Reels, insights.

Every call names the pinned version (`{base}/{version}/{path}`), sends the token in the
`Authorization: OAuth` header (never in a URL that could be logged) and goes through the
product's retry policy: throttling and Meta's transient errors are tried again, an expired token
or a refusal is not.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import httpx

from reelestate.core.errors import ProviderError, ProviderRejectedError, ProviderTimeoutError
from reelestate.core.retry import RetryPolicy, retry_sync
from reelestate.providers.social.base import (
    ContainerState,
    PageReelUpload,
    PublishingQuota,
    SocialAccount,
)
from reelestate.providers.social.graph_errors import graph_error

INSTAGRAM_METRICS = (
    "views",
    "reach",
    "likes",
    "comments",
    "shares",
    "saved",
    "total_interactions",
)
"""Current Instagram media metrics; a deprecated name (plays, impressions) fails the whole call."""
FACEBOOK_METRICS = ("blue_reels_play_count", "post_impressions_unique", "post_video_view_time")


class MetaGraphClient:
    """One client per process; thread-safe as httpx.Client is."""

    def __init__(
        self,
        base_url: str,
        version: str,
        *,
        timeout_s: float = 30.0,
        policy: RetryPolicy | None = None,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        self._root = f"{base_url.rstrip('/')}/{version}"
        self._policy = policy or RetryPolicy(attempts=4, base_delay_s=2.0, max_delay_s=60.0)
        self._http = httpx.Client(timeout=timeout_s, transport=transport)

    def close(self) -> None:
        self._http.close()

    def _call(
        self,
        method: str,
        url_or_path: str,
        account: SocialAccount | None,
        *,
        data: dict[str, str] | None = None,
        params: dict[str, str] | None = None,
        headers: dict[str, str] | None = None,
    ) -> dict[str, Any]:
        """One Graph call with `account`'s token (None: a call that carries its credentials
        in the form, as the OAuth token exchanges do)."""
        url = url_or_path if "://" in url_or_path else f"{self._root}/{url_or_path}"
        auth = (
            {"Authorization": f"OAuth {account.page_token.get_secret_value()}"} if account else {}
        )

        def attempt() -> dict[str, Any]:
            try:
                reply = self._http.request(
                    method, url, data=data, params=params, headers={**auth, **(headers or {})}
                )
            except httpx.TimeoutException as exc:
                raise ProviderTimeoutError("Meta did not answer in time.") from exc
            except httpx.TransportError as exc:
                raise ProviderError(f"Meta could not be reached ({type(exc).__name__}).") from exc
            if reply.status_code >= 400:
                raise graph_error(reply.status_code, reply.content, reply.headers)
            try:
                body = reply.json()
            except ValueError as exc:
                raise ProviderError("Meta answered with something that is not JSON.") from exc
            if isinstance(body, dict) and "error" in body:
                raise graph_error(reply.status_code, reply.content, reply.headers)
            if not isinstance(body, dict):
                raise ProviderError("Meta answered with an unexpected shape.")
            return body

        return retry_sync(attempt, self._policy)

    def call(
        self,
        method: str,
        path: str,
        account: SocialAccount | None,
        *,
        data: dict[str, str] | None = None,
        params: dict[str, str] | None = None,
    ) -> dict[str, Any]:
        """A Graph call outside the publishing steps (Facebook Login's exchanges)."""
        return self._call(method, path, account, data=data, params=params)

    @staticmethod
    def _instagram(account: SocialAccount) -> str:
        if not account.instagram_id:
            raise ProviderRejectedError(
                "No Instagram professional account is linked to this Page.",
                hint="Link it to the Page in Meta Business Suite, then reconnect.",
            )
        return account.instagram_id

    def create_reel_container(
        self,
        account: SocialAccount,
        *,
        video_url: str,
        caption: str,
        cover_url: str | None = None,
    ) -> str:
        form = {
            "media_type": "REELS",
            "video_url": video_url,
            "caption": caption,
            "share_to_feed": "true",
        }
        if cover_url:
            form["cover_url"] = cover_url
        body = self._call("POST", f"{self._instagram(account)}/media", account, data=form)
        return str(body["id"])

    def container_state(self, account: SocialAccount, container_id: str) -> ContainerState:
        body = self._call("GET", container_id, account, params={"fields": "status_code,status"})
        return ContainerState.model_validate(body)

    def publish_container(self, account: SocialAccount, container_id: str) -> str:
        body = self._call(
            "POST",
            f"{self._instagram(account)}/media_publish",
            account,
            data={"creation_id": container_id},
        )
        return str(body["id"])

    def publishing_quota(self, account: SocialAccount) -> PublishingQuota:
        body = self._call(
            "GET",
            f"{self._instagram(account)}/content_publishing_limit",
            account,
            params={"fields": "quota_usage,config"},
        )
        rows = body.get("data") or [{}]
        row = rows[0]
        total = int((row.get("config") or {}).get("quota_total", 100))
        return PublishingQuota(used=int(row.get("quota_usage", 0)), total=total)

    def start_page_reel(self, account: SocialAccount) -> PageReelUpload:
        body = self._call(
            "POST", f"{account.page_id}/video_reels", account, data={"upload_phase": "start"}
        )
        return PageReelUpload(video_id=str(body["video_id"]), upload_url=str(body["upload_url"]))

    def upload_page_reel(self, account: SocialAccount, upload_url: str, file_url: str) -> None:
        self._call("POST", upload_url, account, headers={"file_url": file_url})

    def page_reel_published(self, account: SocialAccount, video_id: str) -> bool:
        body = self._call("GET", video_id, account, params={"fields": "status"})
        phase = ((body.get("status") or {}).get("publishing_phase")) or {}
        return phase.get("status") == "complete"

    def finish_page_reel(
        self,
        account: SocialAccount,
        video_id: str,
        *,
        description: str,
        publish_at: datetime | None = None,
    ) -> None:
        form = {
            "upload_phase": "finish",
            "video_id": video_id,
            "description": description,
            "video_state": "PUBLISHED",
        }
        if publish_at is not None:
            form["video_state"] = "SCHEDULED"
            form["scheduled_publish_time"] = str(int(publish_at.timestamp()))
        self._call("POST", f"{account.page_id}/video_reels", account, data=form)

    def _insights(
        self, account: SocialAccount, path: str, metrics: tuple[str, ...]
    ) -> dict[str, float]:
        body = self._call("GET", path, account, params={"metric": ",".join(metrics)})
        found: dict[str, float] = {}
        for row in body.get("data") or []:
            values = row.get("values") or []
            if values and isinstance(values[-1].get("value"), int | float):
                found[str(row["name"])] = float(values[-1]["value"])
        return found

    def media_insights(self, account: SocialAccount, media_id: str) -> dict[str, float]:
        return self._insights(account, f"{media_id}/insights", INSTAGRAM_METRICS)

    def video_insights(self, account: SocialAccount, video_id: str) -> dict[str, float]:
        return self._insights(account, f"{video_id}/video_insights", FACEBOOK_METRICS)
