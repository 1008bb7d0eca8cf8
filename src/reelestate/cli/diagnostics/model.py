"""The report's shape, and the rules that keep secrets out of it."""

from __future__ import annotations

import os
from urllib.parse import quote, unquote, urlsplit, urlunsplit

from pydantic import BaseModel, ConfigDict, Field, computed_field

from reelestate.core.logging import secrets_of
from reelestate.core.settings import Settings

SET, NOT_SET = "set", "not set"


class PartStatus(BaseModel):
    """One external part as this installation uses it."""

    model_config = ConfigDict(frozen=True)

    part: str
    implementation: str
    embedded: bool
    """True for the built-in default (SQLite, a local folder, Ken Burns...)."""
    configured: bool
    """True when the part is in use: its settings are present, or it is the built-in default."""
    reachable: bool | None = None
    """Whether it answered the check; None when it is not configured and so was not checked."""
    detail: str = ""
    settings: dict[str, str] = Field(default_factory=dict)
    """The settings it reads; keys show only "set"/"not set", URLs lose credentials and query."""

    @computed_field  # type: ignore[prop-decorator]
    @property
    def ok(self) -> bool:
        return not self.configured or self.reachable is True


class ProviderReport(BaseModel):
    model_config = ConfigDict(frozen=True)

    parts: list[PartStatus]
    versions: dict[str, str] = Field(default_factory=dict)
    """Python and the libraries that shape the output (`library_versions`)."""

    @computed_field  # type: ignore[prop-decorator]
    @property
    def ok(self) -> bool:
        """True when every configured part answered."""
        return all(part.ok for part in self.parts)


def key_state(value: object) -> str:
    return SET if value else NOT_SET


def safe_url(url: str | None) -> str:
    """`url` without user, password, query or fragment (any of which may carry a secret)."""
    if not url:
        return NOT_SET
    parts = urlsplit(url)
    if not parts.scheme:
        return "(unparseable URL)"
    host = parts.netloc.rsplit("@", 1)[-1]
    return urlunsplit((parts.scheme, host, parts.path, "", ""))


def _url_password(url: str | None) -> list[str]:
    if not url:
        return []
    try:
        password = urlsplit(url).password
    except ValueError:
        return []
    return [password, unquote(password), quote(password, safe="")] if password else []


def secret_values(settings: Settings) -> list[str]:
    """Every secret value this process knows of, as written and as it appears in URLs."""
    values = secrets_of(settings)
    values += _url_password(settings.database_url) + _url_password(settings.redis_url)
    values += _url_password(settings.database_admin_url)
    for name in ("AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN"):
        if os.environ.get(name):
            values.append(os.environ[name])
    return sorted({v for v in values if len(v) >= 4}, key=len, reverse=True)


def scrub(text: str, secrets: list[str]) -> str:
    for secret in secrets:
        text = text.replace(secret, "***")
    return text


def scrubbed(status: PartStatus, secrets: list[str]) -> PartStatus:
    """`status` with any secret value that slipped into it replaced by `***`."""
    return status.model_copy(
        update={
            "implementation": scrub(status.implementation, secrets),
            "detail": scrub(status.detail, secrets),
            "settings": {k: scrub(v, secrets) for k, v in status.settings.items()},
        }
    )
