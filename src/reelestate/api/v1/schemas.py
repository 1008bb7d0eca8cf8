"""What the REST API takes and returns (pydantic models: the OpenAPI schema is built from them)."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Any, Generic, Literal, TypeVar

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, field_validator

from reelestate.core.errors import ReelEstateError
from reelestate.core.jobs import JobKind, JobStatus
from reelestate.core.styles import Style
from reelestate.providers.tts.base import VoiceStyle
from reelestate.providers.tts.narrator import parse_voice_choice
from reelestate.storage.models import MediaKind, ProjectStatus, Role

T = TypeVar("T")


def _printable(value: str) -> str:
    if "\x00" in value:
        raise ValueError("must not contain NUL characters")
    return value


def _clean_json(value: Any, depth: int = 0) -> Any:
    if depth > 8:
        raise ValueError("is nested too deeply")
    if isinstance(value, str):
        return _printable(value)
    if isinstance(value, dict):
        return {_printable(str(k)): _clean_json(v, depth + 1) for k, v in value.items()}
    if isinstance(value, list):
        return [_clean_json(v, depth + 1) for v in value]
    return value


def _facts(value: dict[str, Any]) -> dict[str, Any]:
    cleaned: dict[str, Any] = _clean_json(value)
    if len(str(cleaned)) > 20_000:
        raise ValueError("are too long (20,000 characters at most)")
    return cleaned


Text = Annotated[str, AfterValidator(_printable)]
Facts = Annotated[dict[str, Any], AfterValidator(_facts)]


class _In(BaseModel):
    model_config = ConfigDict(extra="forbid")


class _Out(BaseModel):
    model_config = ConfigDict(from_attributes=True)


class Problem(BaseModel):
    """An error (`application/problem+json`)."""

    type: str
    title: str
    status: int
    code: str
    detail: str | None = None
    hint: str | None = None


class Page(BaseModel, Generic[T]):
    items: list[T]
    total: int
    offset: int
    limit: int
    next_offset: int | None


# -- auth ----------------------------------------------------------------------------------


class LoginRequest(_In):
    email: Annotated[Text, Field(max_length=254)]
    password: Annotated[Text, Field(max_length=256)]
    organization_id: uuid.UUID | None = None
    """Sign in to this organisation (default: the first one the person joined)."""


class RefreshRequest(_In):
    refresh_token: Annotated[Text, Field(max_length=4096)]


class SignupRequest(_In):
    email: Annotated[Text, Field(max_length=254)]
    password: Annotated[Text, Field(min_length=10, max_length=256)]
    organization_name: Annotated[Text, Field(min_length=1, max_length=120)]
    display_name: Annotated[Text, Field(max_length=120)] | None = None


class Notice(BaseModel):
    """An answer that says what happens next and nothing more."""

    detail: str


class TokenRequest(_In):
    token: Annotated[Text, Field(max_length=200)]


class ResetRequest(_In):
    email: Annotated[Text, Field(max_length=254)]


class NewPasswordRequest(_In):
    token: Annotated[Text, Field(max_length=200)]
    password: Annotated[Text, Field(min_length=10, max_length=256)]


class RoleChange(_In):
    role: Literal["member", "admin"]


class OwnerChange(_In):
    user_id: uuid.UUID


class AuditOut(BaseModel):
    id: uuid.UUID
    actor_id: uuid.UUID | None
    action: str
    target_id: uuid.UUID | None
    detail: dict[str, Any]
    created_at: datetime


class AcceptInvitationRequest(_In):
    token: Annotated[Text, Field(max_length=200)]
    password: Annotated[Text, Field(max_length=256)]
    display_name: Annotated[Text, Field(max_length=120)] | None = None


# -- people and organisations --------------------------------------------------------------


class UserOut(_Out):
    id: uuid.UUID
    email: str
    display_name: str | None


class OrganizationOut(_Out):
    id: uuid.UUID
    name: str
    slug: str


class MembershipOut(BaseModel):
    organization_id: uuid.UUID
    role: Role


class MeOut(BaseModel):
    user: UserOut
    organization: OrganizationOut
    role: Role
    memberships: list[MembershipOut]


class MemberOut(BaseModel):
    user_id: uuid.UUID
    email: str
    display_name: str | None
    role: Role


class InvitationIn(_In):
    email: Annotated[Text, Field(max_length=254)]
    role: Literal["admin", "member"] = "member"


class InvitationOut(_Out):
    id: uuid.UUID
    email: str
    role: Role
    expires_at: datetime
    accepted_at: datetime | None


class InvitationCreated(BaseModel):
    invitation: InvitationOut
    token: str
    accept_url: str


class ApiKeyIn(_In):
    name: Annotated[Text, Field(min_length=1, max_length=80)]


class ApiKeyOut(_Out):
    id: uuid.UUID
    name: str
    prefix: str
    created_at: datetime
    revoked_at: datetime | None


class ApiKeyCreated(BaseModel):
    key: ApiKeyOut
    secret: str
    """Shown once; store it now."""


class CreditEntryOut(BaseModel):
    seq: int
    kind: str
    credits: int
    """Change in available credits (negative when taken)."""
    reserved: int
    debt: int
    balance_after: int
    reason: str | None
    source: str | None
    job_id: uuid.UUID | None
    created_at: datetime


class CreditsOut(BaseModel):
    balance: int
    """Credits available now (not reserved by a job in progress)."""
    available: int
    reserved: int
    debt: int
    """Credits spent and then refunded; new renders wait until a purchase pays it."""
    plan: str | None
    plan_status: str | None
    renews_at: datetime | None
    entries: list[CreditEntryOut]
    """The latest 50, newest first."""


class PackOut(BaseModel):
    id: str
    credits: int
    amount: int
    """In the currency's smallest unit (cents)."""
    currency: str


class PlanOut(BaseModel):
    id: str
    credits_per_month: int
    amount: int
    currency: str
    interval: str


class BillingCatalogueOut(BaseModel):
    packs: list[PackOut]
    plans: list[PlanOut]


class CheckoutIn(_In):
    pack: Annotated[str, Field(min_length=1, max_length=48)] | None = None
    plan: Annotated[str, Field(min_length=1, max_length=48)] | None = None


class UrlOut(BaseModel):
    url: str


class WebhookReceipt(BaseModel):
    received: bool
    outcome: str
    credits: int = 0


# -- brand kits ----------------------------------------------------------------------------

Colour = Annotated[str, Field(pattern=r"^#[0-9A-Fa-f]{6}$")]


class BrandKitIn(_In):
    name: Annotated[Text, Field(min_length=1, max_length=80)]
    primary_color: Colour = "#1F3A5F"
    accent_color: Colour = "#F2B134"
    text_color: Colour = "#FFFFFF"
    agent_name: Annotated[Text, Field(max_length=80)] | None = None
    agent_phone: Annotated[Text, Field(max_length=40)] | None = None
    intro_card: bool = True
    outro_card: bool = True
    voice: Annotated[Text, Field(min_length=1, max_length=80)] | None = None
    """The narrator for the kit's videos: `elevenlabs:VOICE`, `openai:VOICE` or `espeak:VOICE`."""
    voice_model: Annotated[Text, Field(min_length=1, max_length=80)] | None = None
    """The provider's model id (`eleven_multilingual_v2`, `gpt-4o-mini-tts`)."""
    voice_style: VoiceStyle | None = None

    @field_validator("voice")
    @classmethod
    def _known_provider(cls, value: str | None) -> str | None:
        if value is not None:
            try:
                parse_voice_choice(value)
            except ReelEstateError as exc:
                raise ValueError(str(exc)) from None
        return value


class MusicTrackOut(BaseModel):
    """A checked music track: what it is, how long and how loud, and a short-lived link."""

    name: str
    duration_seconds: float
    loudness_lufs: float
    codec: str
    container: str
    sample_rate: int
    channels: int
    size_bytes: int
    url: str


class BrandKitOut(BaseModel):
    id: uuid.UUID
    name: str
    primary_color: str
    accent_color: str
    text_color: str
    agent_name: str | None
    agent_phone: str | None
    intro_card: bool
    outro_card: bool
    logo_url: str | None
    presenter_photo_url: str | None = None
    """The agent's headshot the talking presenter is made from (one frontal face)."""
    voice: str | None = None
    voice_model: str | None = None
    voice_style: VoiceStyle | None = None
    music: MusicTrackOut | None = None
    """The kit's music bed: storyboards planned for its projects play it instead of a mood."""


# -- projects and media --------------------------------------------------------------------


class ProjectIn(_In):
    title: Annotated[Text, Field(min_length=1, max_length=160)]
    facts: Facts = {}
    brand_kit_id: uuid.UUID | None = None


class ProjectPatch(_In):
    title: Annotated[Text, Field(min_length=1, max_length=160)] | None = None
    brand_kit_id: uuid.UUID | None = None
    clear_brand_kit: bool = False


class ProjectOut(_Out):
    id: uuid.UUID
    title: str
    facts: dict[str, Any]
    status: ProjectStatus
    brand_kit_id: uuid.UUID | None
    created_at: datetime


class MediaOut(BaseModel):
    id: uuid.UUID
    kind: MediaKind
    filename: str | None
    content_type: str
    size_bytes: int
    sha256: str
    analysis: dict[str, Any] | None
    url: str


class MediaUploadOut(BaseModel):
    items: list[MediaOut]


# -- storyboards ---------------------------------------------------------------------------


class StoryboardIn(_In):
    length_seconds: Annotated[float, Field(ge=10, le=90)] = 30.0
    style: Style = "modern"
    title: Annotated[Text, Field(max_length=160)] | None = None


class SceneOut(BaseModel):
    number: int
    photo: str
    room: str
    duration: float
    motion: str
    caption: str | None
    ai_model: str | None = None
    """The video model asked to generate this scene's motion, if any."""


class StoryboardVersionOut(BaseModel):
    id: uuid.UUID
    version: int
    author: str
    reason: str | None
    created_at: datetime
    total_seconds: float
    aspect: str
    style: str | None
    music_track: str | None = None
    """The name of the user's own music track, when the version plays one."""
    voice: str | None = None
    """The narrator: its provider and voice (`elevenlabs:Rachel`, `espeak:en-us`)."""
    ai_cost_estimate_usd: float = 0.0
    """Expected provider cost of the scenes with generated motion, before approval."""
    scenes: list[SceneOut]


class StoryboardOut(BaseModel):
    id: uuid.UUID
    project_id: uuid.UUID
    title: str | None
    current_version: int
    current: StoryboardVersionOut | None


class OperationsIn(_In):
    operations: Annotated[list[dict[str, Any]], Field(min_length=1, max_length=20)]
    """Revision operations, e.g. `{"op": "swap", "scene": 1, "with_scene": 2}`."""
    reason: Annotated[Text, Field(max_length=400)] | None = None


class ApproveIn(_In):
    preview: bool = False
    """Render at preview size (quick and cheap) instead of the final profile."""


# -- render jobs ---------------------------------------------------------------------------


class InfographicIn(_In):
    """A facts card to render: the card's fields, with the hero photo and the logo named by
    the id of a file uploaded to the organisation (`photo_media_id`, `logo_media_id`)."""

    facts: dict[str, Any]
    brand: dict[str, Any] = {}
    photo_media_id: uuid.UUID | None = None
    logo_media_id: uuid.UUID | None = None
    aspect: Literal["9:16", "1:1", "4:5", "16:9"] = "9:16"
    duration: float = Field(default=8.0, ge=6, le=10)
    music: str | None = "warm"
    preview: bool = False


class RenderJobIn(_In):
    """`kind=render_video` (default) renders a stored storyboard version; `render_infographic`
    renders the facts card described by `infographic`."""

    kind: Literal["render_video", "render_infographic"] = "render_video"
    storyboard_version_id: uuid.UUID | None = None
    preview: bool = False
    infographic: InfographicIn | None = None


class RenderJobOut(BaseModel):
    id: uuid.UUID
    kind: JobKind
    status: JobStatus
    stage: str
    percent: float
    attempts: int
    error_code: str | None
    error_message: str | None
    project_id: uuid.UUID | None
    storyboard_version_id: uuid.UUID | None
    credits: int
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None
    downloads: dict[str, str] = {}
    """Short-lived URLs of the outputs (video, subtitles, thumbnail, contact sheet) once the job
    succeeded."""


class HealthOut(BaseModel):
    status: Literal["ok", "degraded"]
    checks: dict[str, str] = {}
