"""Settings read once from the environment.

Every part of the system that talks to the outside world picks its real implementation
when the matching setting is present and its embedded default otherwise, so the same
object decides "PostgreSQL or SQLite", "S3 or a local folder", "fal or Ken Burns".
"""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

MIN_PHOTOS = 5
"""Fewer usable photos than this cannot fill a video (REELESTATE_MIN_PHOTOS by default)."""
MAX_PHOTOS = 40
"""The most photos one video takes (REELESTATE_MAX_PHOTOS by default)."""
DEFAULT_AI_VIDEO_MODEL = "kling-1.6-standard"


def usable_cores() -> int:
    """The cores this process may run on (its CPU affinity, which containers narrow)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


class Settings(BaseSettings):
    """Process-wide configuration; secrets stay `SecretStr` so they never print."""

    model_config = SettingsConfigDict(env_file=None, extra="ignore", populate_by_name=True)

    data_dir: Path = Field(default=Path(".reelestate"), alias="REELESTATE_DATA_DIR")
    log_level: str = Field(default="INFO", alias="REELESTATE_LOG_LEVEL")
    ffmpeg_binary: str | None = Field(default=None, alias="REELESTATE_FFMPEG")
    ffprobe_binary: str | None = Field(default=None, alias="REELESTATE_FFPROBE")
    max_image_pixels: int = Field(default=50_000_000, alias="REELESTATE_MAX_IMAGE_PIXELS")
    espeak_library: str = Field(default="libespeak-ng.so.1", alias="REELESTATE_ESPEAK_LIBRARY")

    database_url: str | None = Field(default=None, alias="DATABASE_URL")
    redis_url: str | None = Field(default=None, alias="REDIS_URL")
    s3_bucket: str | None = Field(default=None, alias="S3_BUCKET")
    s3_endpoint_url: str | None = Field(default=None, alias="S3_ENDPOINT_URL")
    cdn_base_url: str | None = Field(default=None, alias="CDN_BASE_URL")
    openai_api_key: SecretStr | None = Field(default=None, alias="OPENAI_API_KEY")
    openai_base_url: str | None = Field(default=None, alias="OPENAI_BASE_URL")
    llm_model: str = Field(default="gpt-4o-mini", alias="REELESTATE_LLM_MODEL")
    llm_timeout_s: float = Field(default=30.0, gt=0, alias="REELESTATE_LLM_TIMEOUT")
    openai_vision_model: str = Field(default="gpt-4o-mini", alias="OPENAI_VISION_MODEL")
    openai_transcribe_model: str = Field(
        default="gpt-4o-mini-transcribe", alias="OPENAI_TRANSCRIBE_MODEL"
    )
    """Speech-to-text model at the OpenAI-compatible server (`whisper-1` on most local ones)."""
    transcribe_voice: bool = Field(default=True, alias="REELESTATE_TRANSCRIBE_VOICE")
    """Transcribe voice messages when an OpenAI-compatible server is configured; false makes
    the bot ask for typed text even then (a server without an audio endpoint, say)."""
    transcribe_timeout_s: float = Field(default=60.0, gt=0, alias="REELESTATE_TRANSCRIBE_TIMEOUT")
    elevenlabs_api_key: SecretStr | None = Field(default=None, alias="ELEVENLABS_API_KEY")
    elevenlabs_base_url: str | None = Field(default=None, alias="ELEVENLABS_BASE_URL")
    tts_timeout_s: float = Field(default=60.0, gt=0, alias="REELESTATE_TTS_TIMEOUT")
    """Seconds one narration request (ElevenLabs, OpenAI) may take before it counts as failed."""
    tts_attempts: int = Field(default=3, ge=1, le=10, alias="REELESTATE_TTS_ATTEMPTS")
    """Tries per narration provider for a retryable failure (429, 5xx, timeout) before falling
    back to the next voice."""
    elevenlabs_voice: str = Field(
        default="JBFqnCBsd6RMkjVDRZzb", alias="REELESTATE_ELEVENLABS_VOICE"
    )
    """The ElevenLabs voice (id or name) used when none is asked for or when falling back."""
    elevenlabs_model: str = Field(
        default="eleven_multilingual_v2", alias="REELESTATE_ELEVENLABS_MODEL"
    )
    elevenlabs_usd_per_1k_chars: float = Field(
        default=0.10, ge=0, alias="REELESTATE_ELEVENLABS_USD_PER_1K_CHARS"
    )
    """ElevenLabs' API price for Multilingual v2/v3 (Flash/Turbo is half); set your plan's rate."""
    openai_tts_voice: str = Field(default="alloy", alias="REELESTATE_OPENAI_TTS_VOICE")
    openai_tts_model: str = Field(default="gpt-4o-mini-tts", alias="REELESTATE_OPENAI_TTS_MODEL")
    openai_tts_usd_per_1m_chars: float = Field(
        default=15.0, ge=0, alias="REELESTATE_OPENAI_TTS_USD_PER_1M_CHARS"
    )
    """OpenAI's `tts-1` price; `gpt-4o-mini-tts` (billed by tokens) comes to about the same."""
    fal_key: SecretStr | None = Field(default=None, alias="FAL_KEY")
    fal_timeout_s: float = Field(default=600.0, gt=1, alias="REELESTATE_FAL_TIMEOUT")
    """Longest one generated clip may take, upload to download; fal-client itself waits forever."""
    fal_base_url: str | None = Field(default=None, alias="REELESTATE_FAL_BASE_URL")
    """One base URL for fal's queue, run, REST and CDN hosts (a self-hosted gateway, or a fake
    server in tests). fal-client has no base-URL argument, and `FAL_RUN_HOST` moves only the
    queue and run calls, not uploads; unset, the real fal hosts are used."""
    fal_upload: Literal["storage", "data_url"] = Field(
        default="storage", alias="REELESTATE_FAL_UPLOAD"
    )
    """How a photo reaches fal: uploaded to fal storage, or inlined as a `data:` URL."""
    fal_webhooks: bool = Field(default=True, alias="REELESTATE_FAL_WEBHOOKS")
    """Ask fal to call `{REELESTATE_PUBLIC_URL}/api/v1/webhooks/fal` when a clip is done (status
    is still polled slowly as a backstop); off, or without a public URL, status is polled."""
    fal_webhook_jwks_url: str = Field(
        default="https://rest.alpha.fal.ai/.well-known/jwks.json",
        alias="REELESTATE_FAL_WEBHOOK_JWKS_URL",
    )
    """Where fal publishes the ED25519 public keys its webhook signatures are checked against."""
    fal_max_clip_mb: int = Field(default=200, ge=1, alias="REELESTATE_FAL_MAX_CLIP_MB")
    did_api_key: SecretStr | None = Field(default=None, alias="DID_API_KEY")
    """D-ID's key exactly as D-ID Studio shows it; sent as `Authorization: Basic <key>`."""
    did_base_url: str = Field(default="https://api.d-id.com", alias="DID_BASE_URL")
    heygen_api_key: SecretStr | None = Field(default=None, alias="HEYGEN_API_KEY")
    heygen_base_url: str = Field(default="https://api.heygen.com", alias="HEYGEN_BASE_URL")
    heygen_upload_url: str = Field(default="https://upload.heygen.com", alias="HEYGEN_UPLOAD_URL")
    """HeyGen takes uploads (the photo, the voice) on a host of their own."""
    avatar_timeout_s: float = Field(default=600.0, gt=0, alias="REELESTATE_AVATAR_TIMEOUT")
    """Longest one presenter clip may take at D-ID or HeyGen, upload to download."""
    avatar_poll_s: float = Field(default=3.0, gt=0, alias="REELESTATE_AVATAR_POLL_S")
    """Seconds between status checks of a presenter clip."""
    video_models_file: Path | None = Field(default=None, alias="REELESTATE_VIDEO_MODELS")
    """A JSON file that replaces the built-in image-to-video model registry."""
    telegram_bot_token: SecretStr | None = Field(default=None, alias="TELEGRAM_BOT_TOKEN")
    telegram_api_base_url: str | None = Field(default=None, alias="TELEGRAM_API_BASE_URL")
    """A self-hosted Bot API server; the bot calls `{base}/bot<token>/<method>`."""
    telegram_local_mode: bool = Field(default=False, alias="TELEGRAM_LOCAL_MODE")
    """True when that server runs with `--local`: uploads up to 2000 MB instead of 50 MB."""
    telegram_webhook_url: str | None = Field(default=None, alias="TELEGRAM_WEBHOOK_URL")
    telegram_webhook_secret: SecretStr | None = Field(default=None, alias="TELEGRAM_WEBHOOK_SECRET")
    """Checked against `X-Telegram-Bot-Api-Secret-Token`; derived from the token when unset."""
    telegram_album_wait_s: float = Field(default=1.5, gt=0, alias="TELEGRAM_ALBUM_WAIT_S")
    """How long the bot waits after a photo for more photos of the same batch."""
    public_base_url: str | None = Field(default=None, alias="REELESTATE_PUBLIC_URL")
    """Where the web app is reachable from outside; makes relative download links absolute."""
    jwt_secret: SecretStr | None = Field(default=None, alias="REELESTATE_JWT_SECRET")

    database_admin_url: str | None = Field(default=None, alias="DATABASE_ADMIN_URL")
    """Owner connection used only by migrations; `DATABASE_URL` is used when unset."""
    database_app_role: str | None = Field(default="reelestate_app", alias="REELESTATE_DB_APP_ROLE")
    """PostgreSQL role the application switches to on every connection (row-level security applies
    to it); empty to use the login role as it is."""
    blob_url_secret: SecretStr | None = Field(default=None, alias="REELESTATE_BLOB_URL_SECRET")
    s3_region: str = Field(default="us-east-1", alias="S3_REGION")
    render_engine: str = Field(
        default="reelestate.render.engine:render_video", alias="REELESTATE_RENDER_ENGINE"
    )
    """Import path (`module:function`) of the render function a render job runs."""
    cpu_concurrency: int = Field(
        default_factory=usable_cores, ge=1, alias="REELESTATE_CPU_CONCURRENCY"
    )
    """CPU jobs a worker runs at once: one per core by default, since a render keeps about one
    core busy on average (x264's threads wait on the frames drawn beside them)."""
    gpu_concurrency: int = Field(default=4, ge=1, alias="REELESTATE_GPU_CONCURRENCY")
    render_queue: Literal["cpu", "gpu"] = Field(default="cpu", alias="REELESTATE_RENDER_QUEUE")
    """Where final renders are queued: `gpu` where GPU workers encode with NVENC."""
    job_heartbeat_s: float = Field(default=2.0, gt=0, alias="REELESTATE_JOB_HEARTBEAT_S")
    job_stale_after_s: float = Field(default=30.0, gt=0, alias="REELESTATE_JOB_STALE_AFTER_S")
    """A running job whose heartbeat is older than this is taken to have lost its worker."""
    job_recovery_interval_s: float = Field(
        default=10.0, gt=0, alias="REELESTATE_JOB_RECOVERY_INTERVAL_S"
    )
    job_retry_base_s: float = Field(default=5.0, ge=0, alias="REELESTATE_JOB_RETRY_BASE_S")
    job_max_attempts: int = Field(default=3, ge=1, alias="REELESTATE_JOB_MAX_ATTEMPTS")
    worker_health_port: int | None = Field(
        default=None, ge=1, le=65535, alias="REELESTATE_WORKER_HEALTH_PORT"
    )
    """Where `reelestate worker` answers `/healthz` and `/readyz`; unset: no health port."""
    otel_exporter_otlp_endpoint: str | None = Field(
        default=None, alias="OTEL_EXPORTER_OTLP_ENDPOINT"
    )
    """An OTLP/HTTP collector (`http://otel-collector:4318`): traces of requests, jobs and
    provider calls go there; unset, tracing is off."""
    worker_health_host: str = Field(default="0.0.0.0", alias="REELESTATE_WORKER_HEALTH_HOST")  # noqa: S104 - probes come from the orchestrator

    admin_email: str = Field(default="admin@reelestate.local", alias="REELESTATE_ADMIN_EMAIL")
    """The first admin, created in the local organisation when the app starts on an empty
    database."""
    admin_password: SecretStr | None = Field(default=None, alias="REELESTATE_ADMIN_PASSWORD")
    """The first admin's password; a random one is made (and printed once) when unset."""
    access_token_ttl_s: int = Field(default=900, ge=30, alias="REELESTATE_ACCESS_TOKEN_TTL_S")
    refresh_token_ttl_s: int = Field(
        default=30 * 86400, ge=60, alias="REELESTATE_REFRESH_TOKEN_TTL_S"
    )
    login_attempts_per_window: int = Field(default=10, ge=1, alias="REELESTATE_LOGIN_LIMIT")
    signups_per_hour: int = Field(default=20, ge=1, alias="REELESTATE_SIGNUP_LIMIT")
    """Sign-ups and invitation acceptances from one address per hour."""
    trusted_proxies: str = Field(default="", alias="REELESTATE_TRUSTED_PROXIES")
    """Comma-separated addresses or networks of the reverse proxies whose `X-Forwarded-For` is
    believed; from anyone else the header is ignored and the connection's address counts."""
    oauth_google_client_id: str | None = Field(default=None, alias="OAUTH_GOOGLE_CLIENT_ID")
    """Turns on "Sign in with Google" (OpenID Connect) together with the secret below."""
    oauth_google_client_secret: SecretStr | None = Field(
        default=None, alias="OAUTH_GOOGLE_CLIENT_SECRET"
    )
    oidc_issuer: str = Field(default="https://accounts.google.com", alias="REELESTATE_OIDC_ISSUER")
    """The OpenID provider; its `/.well-known/openid-configuration` names every endpoint."""
    smtp_url: SecretStr | None = Field(default=None, alias="SMTP_URL")
    """`smtp://user:pass@host:587?starttls=require` or `smtps://...:465`; unset, every mail is
    written as an `.eml` file under `<data dir>/outbox/` and its link logged."""
    mail_from: str = Field(
        default="ReelEstate Studio <no-reply@reelestate.local>", alias="REELESTATE_MAIL_FROM"
    )
    renders_per_hour: int = Field(default=60, ge=1, alias="REELESTATE_RENDER_LIMIT")
    signup_credits: int = Field(default=50, ge=0, alias="REELESTATE_SIGNUP_CREDITS")
    stripe_secret_key: SecretStr | None = Field(default=None, alias="STRIPE_SECRET_KEY")
    """Turns billing on (Checkout, the customer portal); unset, billing endpoints answer 503."""
    stripe_webhook_secret: SecretStr | None = Field(default=None, alias="STRIPE_WEBHOOK_SECRET")
    """The endpoint's signing secret (`whsec_...`) Stripe's webhook signatures are checked with."""
    stripe_api_base: str | None = Field(default=None, alias="STRIPE_API_BASE")
    """Another Stripe API host (a Stripe-compatible server on this machine, say)."""
    stripe_timeout_s: float = Field(default=20.0, gt=0, le=120, alias="REELESTATE_STRIPE_TIMEOUT")
    stripe_attempts: int = Field(default=3, ge=1, le=6, alias="REELESTATE_STRIPE_ATTEMPTS")
    """Tries per Stripe call for a dropped connection, a 429 or a 5xx (the same idempotency key
    each time, so a retried purchase is one purchase)."""
    billing_catalogue_file: Path | None = Field(default=None, alias="REELESTATE_BILLING_CATALOGUE")
    """A JSON file that replaces the built-in credit packs and plans."""
    min_photos: int = Field(default=MIN_PHOTOS, ge=1, alias="REELESTATE_MIN_PHOTOS")
    max_photos: int = Field(default=MAX_PHOTOS, ge=1, alias="REELESTATE_MAX_PHOTOS")
    max_photo_mb: int = Field(default=25, ge=1, le=40, alias="REELESTATE_MAX_PHOTO_MB")
    max_music_mb: int = Field(default=100, ge=1, le=200, alias="REELESTATE_MAX_MUSIC_MB")
    """The largest music track accepted (a 15-minute WAV is about 160 MB; MP3 far less)."""
    final_profile: str = Field(default="final", alias="REELESTATE_FINAL_PROFILE")
    """`final`, or `preview` to render finished videos at preview size (tests, slow machines)."""
    video_length_s: float = Field(default=30.0, ge=5, le=120, alias="REELESTATE_VIDEO_LENGTH_S")
    """The length a new video aims at when the user does not say."""
    video_gen_attempts: int = Field(default=3, ge=1, le=10, alias="REELESTATE_VIDEO_GEN_ATTEMPTS")
    """Tries per AI clip (a 429, a 5xx, a dropped connection) before the scene falls back."""
    video_gen_concurrency: int = Field(
        default=2, ge=1, le=16, alias="REELESTATE_VIDEO_GEN_CONCURRENCY"
    )
    """AI clips generated at once by one process (`reelestate make`, direct chat renders)."""
    ai_video_model: str = Field(default=DEFAULT_AI_VIDEO_MODEL, alias="REELESTATE_AI_VIDEO_MODEL")
    """The model used when someone asks for AI motion without naming one."""

    shutdown_grace_s: float = Field(default=20.0, gt=0, le=300, alias="REELESTATE_SHUTDOWN_GRACE_S")
    """After SIGTERM, how long requests (and a worker's or bot's hand-back) may take before the
    rest is ended; below Kubernetes' 30 s so the process exits before it is killed."""
    blob_gc_grace_s: float = Field(default=86_400.0, ge=0, alias="REELESTATE_BLOB_GC_GRACE_S")
    """How old a stored file no row references must be before it is collected: long enough
    for every write that stores a file and then records it (uploads, renders) to finish."""
    blob_gc_interval_s: float = Field(default=3_600.0, ge=0, alias="REELESTATE_BLOB_GC_INTERVAL_S")
    """How often the web app and workers collect unreferenced files (0 turns it off)."""

    secrets_key: SecretStr | None = Field(default=None, alias="REELESTATE_SECRETS_KEY")
    """Encrypts stored third-party tokens (Facebook Page tokens); default: a key made once and
    kept in the data dir. Every process of one installation needs the same key."""
    meta_graph_url: str = Field(default="https://graph.facebook.com", alias="META_GRAPH_URL")
    """Where the Graph API answers: Meta, or a local server standing in for it."""
    meta_graph_version: str = Field(
        default="v23.0", pattern=r"^v\d+\.\d+$", alias="META_GRAPH_VERSION"
    )
    """The Graph API version every call names; pinned so a Meta release cannot change replies."""
    meta_timeout_s: float = Field(default=30.0, gt=0, alias="META_GRAPH_TIMEOUT")
    meta_app_id: str | None = Field(default=None, alias="META_APP_ID")
    """The Meta app that asks people to connect their Page (Facebook Login); none: operators
    connect Pages with `reelestate social connect`."""
    meta_app_secret: SecretStr | None = Field(default=None, alias="META_APP_SECRET")
    meta_login_url: str = Field(default="https://www.facebook.com", alias="META_LOGIN_URL")
    """Where the Facebook Login dialog is (`{url}/{version}/dialog/oauth`)."""
    publish_poll_s: float = Field(default=5.0, gt=0, alias="REELESTATE_PUBLISH_POLL_S")
    """How often an Instagram container's processing is asked about while publishing."""
    publish_wait_s: float = Field(default=300.0, gt=0, alias="REELESTATE_PUBLISH_WAIT_S")
    """How long Meta may take to process one video before the attempt is retried later."""
    publish_url_ttl_s: int = Field(default=86_400, ge=600, alias="REELESTATE_PUBLISH_URL_TTL_S")
    """Life of the signed video URL handed to Meta: long enough for it to fetch the file."""
    publish_interval_s: float = Field(default=30.0, gt=0, alias="REELESTATE_PUBLISH_INTERVAL_S")
    """How often the embedded scheduler looks for due posts (arq's cron runs every 30 s)."""
    insights_interval_s: float = Field(
        default=21_600.0, ge=0, alias="REELESTATE_INSIGHTS_INTERVAL_S"
    )
    """How often insights of posts younger than 30 days are pulled (0 turns it off)."""

    @property
    def outbox_dir(self) -> Path:
        """Where mail goes as `.eml` files when no SMTP server is configured."""
        return self.data_dir / "outbox"

    @property
    def cache_dir(self) -> Path:
        """Where reusable intermediate results (clips, narration, music beds) live."""
        return self.data_dir / "cache"

    @property
    def scratch_dir(self) -> Path:
        """Temporary files of requests in flight (uploads, planning): swept at start-up."""
        return self.data_dir / "tmp"

    @property
    def blobs_dir(self) -> Path:
        """The embedded blob store's folder."""
        return self.data_dir / "blobs"

    @property
    def effective_database_url(self) -> str:
        """`DATABASE_URL`, or the embedded SQLite file when it is unset."""
        if self.database_url:
            return self.database_url
        return f"sqlite:///{self.sqlite_path.resolve()}"

    @property
    def sqlite_path(self) -> Path:
        """The embedded database file."""
        return self.data_dir / "reelestate.sqlite3"


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The one settings object of this process, read on first use."""
    return Settings()
