"""Typed SQLAlchemy models; `Base.metadata` is what the migrations create."""

from reelestate.storage.models import chat as chat
from reelestate.storage.models.base import TENANT_TABLES, Base, utcnow
from reelestate.storage.models.billing import BillingAccount, BillingEvent
from reelestate.storage.models.content import (
    BrandKitRow,
    Media,
    MediaKind,
    Project,
    ProjectStatus,
    SceneRow,
    Storyboard,
    StoryboardVersionRow,
)
from reelestate.storage.models.credits import CreditEntry, LedgerKind
from reelestate.storage.models.jobs import JobEventRow, JobKind, JobQueue, JobStatus, RenderJob
from reelestate.storage.models.social import (
    SOCIAL_TABLES,
    Channel,
    PublicationMetricRow,
    PublicationRow,
    PublicationStatus,
    SocialAccountRow,
)
from reelestate.storage.models.telegram import TELEGRAM_TABLES, TelegramLink, TelegramLinkCode
from reelestate.storage.models.tenancy import (
    ACCOUNT_TENANT_TABLES,
    AccountToken,
    ApiKey,
    AuditEvent,
    Invitation,
    Membership,
    Organization,
    RefreshToken,
    Role,
    User,
)

__all__ = [
    "ACCOUNT_TENANT_TABLES",
    "SOCIAL_TABLES",
    "TELEGRAM_TABLES",
    "TENANT_TABLES",
    "AccountToken",
    "ApiKey",
    "AuditEvent",
    "Base",
    "BillingAccount",
    "BillingEvent",
    "BrandKitRow",
    "Channel",
    "CreditEntry",
    "Invitation",
    "JobEventRow",
    "JobKind",
    "JobQueue",
    "JobStatus",
    "LedgerKind",
    "Media",
    "MediaKind",
    "Membership",
    "Organization",
    "Project",
    "ProjectStatus",
    "PublicationMetricRow",
    "PublicationRow",
    "PublicationStatus",
    "RefreshToken",
    "RenderJob",
    "Role",
    "SceneRow",
    "SocialAccountRow",
    "Storyboard",
    "StoryboardVersionRow",
    "TelegramLink",
    "TelegramLinkCode",
    "User",
    "utcnow",
]
