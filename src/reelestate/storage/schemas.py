"""Pydantic views of rows: what repositories hand to the layers above (never live ORM objects)."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict

from reelestate.core.jobs import EngineStage
from reelestate.storage.models import (
    Channel,
    JobKind,
    JobQueue,
    JobStatus,
    LedgerKind,
    MediaKind,
    ProjectStatus,
    PublicationStatus,
    Role,
)


class _View(BaseModel):
    model_config = ConfigDict(from_attributes=True, frozen=True)


class OrganizationView(_View):
    id: uuid.UUID
    name: str
    slug: str
    created_at: datetime
    time_zone: str = "UTC"


class UserView(_View):
    id: uuid.UUID
    email: str
    display_name: str | None


class MembershipView(_View):
    id: uuid.UUID
    organization_id: uuid.UUID
    user_id: uuid.UUID
    role: Role


class ApiKeyView(_View):
    id: uuid.UUID
    organization_id: uuid.UUID
    name: str
    prefix: str
    created_at: datetime
    revoked_at: datetime | None
    created_by: uuid.UUID | None = None


class BrandKitView(_View):
    id: uuid.UUID
    organization_id: uuid.UUID
    name: str
    data: dict[str, Any]


class ProjectView(_View):
    id: uuid.UUID
    organization_id: uuid.UUID
    title: str
    facts: dict[str, Any]
    status: ProjectStatus
    brand_kit_id: uuid.UUID | None
    created_at: datetime


class MediaView(_View):
    id: uuid.UUID
    organization_id: uuid.UUID
    project_id: uuid.UUID | None
    kind: MediaKind
    blob_key: str
    content_type: str
    size_bytes: int
    sha256: str
    filename: str | None
    analysis: dict[str, Any] | None


class StoryboardView(_View):
    id: uuid.UUID
    organization_id: uuid.UUID
    project_id: uuid.UUID
    title: str | None
    current_version: int


class StoryboardVersionView(_View):
    id: uuid.UUID
    organization_id: uuid.UUID
    storyboard_id: uuid.UUID
    version: int
    spec: dict[str, Any]
    author: str
    reason: str | None
    created_at: datetime
    plan: dict[str, Any] | None = None


class RenderJobView(_View):
    id: uuid.UUID
    organization_id: uuid.UUID
    kind: JobKind
    queue: JobQueue
    status: JobStatus
    stage: str
    percent: float
    attempts: int
    max_attempts: int
    error_code: str | None
    error_message: str | None
    outputs: dict[str, Any] | None
    payload: dict[str, Any]
    input_hash: str
    idempotency_key: str | None
    credits: int
    project_id: uuid.UUID | None
    storyboard_version_id: uuid.UUID | None
    cancel_requested: bool
    dispatch_count: int
    heartbeat_at: datetime | None
    run_after: datetime | None
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None


class JobEventView(_View):
    """One event of a job; `seq` is 1, 2, 3... per job, so `seq` is a resume cursor."""

    organization_id: uuid.UUID
    job_id: uuid.UUID
    seq: int
    type: str
    status: str
    stage: str
    render_stage: EngineStage | None = None
    """The engine's stage while the job renders; `stage` is then `render`."""
    percent: float
    attempt: int
    message: str | None
    data: dict[str, Any] | None
    created_at: datetime

    @property
    def terminal(self) -> bool:
        return JobStatus(self.status).terminal


class CreditEntryView(_View):
    seq: int
    kind: LedgerKind
    available_delta: int
    reserved_delta: int
    available_after: int
    reserved_after: int
    debt_delta: int
    debt_after: int
    job_id: uuid.UUID | None
    note: str | None
    source: str | None
    created_at: datetime


class CreditBalance(_View):
    available: int
    reserved: int
    debt: int = 0
    """Credits spent and then refunded; new renders wait until it is paid."""


class BillingAccountView(_View):
    stripe_customer_id: str | None
    plan_id: str | None
    plan_status: str | None
    subscription_id: str | None
    renews_at: datetime | None


class Lease(_View):
    """Proof that one worker runs one attempt of a job; every later write must present it."""

    org_id: uuid.UUID
    job_id: uuid.UUID
    token: uuid.UUID
    attempt: int
    kind: JobKind


class RecoverableJob(_View):
    job_id: uuid.UUID
    organization_id: uuid.UUID
    queue: JobQueue
    status: JobStatus
    dispatch_count: int


class QueueStat(_View):
    queue: JobQueue
    status: JobStatus
    jobs: int
    oldest: datetime | None


class SocialAccountView(_View):
    """A connected Page; the token stays sealed here and is opened only where it is sent."""

    id: uuid.UUID
    organization_id: uuid.UUID
    page_id: str
    page_name: str | None
    instagram_id: str | None
    page_token_sealed: str
    needs_reconnect: bool
    connected_at: datetime


class PublicationView(_View):
    id: uuid.UUID
    organization_id: uuid.UUID
    channel: Channel
    status: PublicationStatus
    scheduled_at: datetime | None
    caption: str
    title: str
    render_job_id: uuid.UUID | None
    project_id: uuid.UUID | None
    video_key: str
    cover_key: str | None
    container_id: str | None
    remote_id: str | None
    claim_token: uuid.UUID | None
    job_id: uuid.UUID | None
    attempts: int
    error_code: str | None
    error_message: str | None
    published_at: datetime | None
    created_at: datetime


class MetricPoint(_View):
    publication_id: uuid.UUID
    taken_at: datetime
    metric: str
    value: float
