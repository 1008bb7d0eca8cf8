"""What publishing needs from a social network, whichever client speaks to it.

The calls are the network's own steps (create a container, ask how it is, publish it), so the
caller can store what each step returned and resume after a crash instead of starting over.
"""

from __future__ import annotations

from datetime import datetime
from typing import Literal, Protocol

from pydantic import BaseModel, ConfigDict, SecretStr

ContainerStatus = Literal["IN_PROGRESS", "FINISHED", "ERROR", "EXPIRED", "PUBLISHED"]


class SocialAccount(BaseModel):
    """A connected Facebook Page and, when linked, its Instagram professional account."""

    model_config = ConfigDict(frozen=True)

    page_id: str
    page_token: SecretStr
    instagram_id: str | None = None


class ContainerState(BaseModel):
    status_code: ContainerStatus
    status: str | None = None
    """Meta's own words, e.g. "Error: Media upload has failed with error code 2207026"."""


class PublishingQuota(BaseModel):
    used: int
    total: int

    @property
    def left(self) -> int:
        return max(self.total - self.used, 0)


class PageReelUpload(BaseModel):
    video_id: str
    upload_url: str


class SocialPublisher(Protocol):
    def create_reel_container(
        self,
        account: SocialAccount,
        *,
        video_url: str,
        caption: str,
        cover_url: str | None = None,
    ) -> str:
        """Instagram: start a Reel container that Meta fills by fetching `video_url`."""
        ...

    def container_state(self, account: SocialAccount, container_id: str) -> ContainerState: ...

    def publish_container(self, account: SocialAccount, container_id: str) -> str:
        """Instagram: publish a FINISHED container; returns the media id."""
        ...

    def publishing_quota(self, account: SocialAccount) -> PublishingQuota: ...

    def start_page_reel(self, account: SocialAccount) -> PageReelUpload: ...

    def upload_page_reel(self, account: SocialAccount, upload_url: str, file_url: str) -> None: ...

    def page_reel_published(self, account: SocialAccount, video_id: str) -> bool:
        """Whether the Page video's publishing phase has completed (used when resuming)."""
        ...

    def finish_page_reel(
        self,
        account: SocialAccount,
        video_id: str,
        *,
        description: str,
        publish_at: datetime | None = None,
    ) -> None: ...

    def media_insights(self, account: SocialAccount, media_id: str) -> dict[str, float]: ...

    def video_insights(self, account: SocialAccount, video_id: str) -> dict[str, float]: ...
