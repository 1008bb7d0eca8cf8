"""One error hierarchy for the whole product.

Each error carries a stable `code` a channel can map (to an HTTP status, a chat button,
a Telegram reply) and a `message` written for the person who can fix the problem. Secrets
and stack traces never go into `message`.
"""

from __future__ import annotations

from typing import ClassVar


class ReelEstateError(Exception):
    """Base of every error the product raises on purpose."""

    code: ClassVar[str] = "internal_error"
    user_error: ClassVar[bool] = False
    """True when retrying the same input cannot help: the user has to change something."""

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return f"{self.message} {self.hint}" if self.hint else self.message

    def to_dict(self) -> dict[str, str]:
        """The error as a channel shows it."""
        out = {"code": self.code, "message": self.message}
        if self.hint:
            out["hint"] = self.hint
        return out


class InvalidInputError(ReelEstateError):
    """The user gave something we cannot use as it is."""

    code = "invalid_input"
    user_error = True


class InvalidSpecError(InvalidInputError):
    """A storyboard or render spec breaks a rule (durations, aspect, counts)."""

    code = "invalid_spec"


class InvalidRevisionError(InvalidInputError):
    """A storyboard change breaks a rule; `reasons` lists each one for the user."""

    code = "invalid_revision"

    def __init__(self, message: str, *, reasons: list[str], hint: str | None = None) -> None:
        super().__init__(message, hint=hint)
        self.reasons = list(reasons)


class PhotoError(InvalidInputError):
    """A photo cannot be read or used; the message names the file and why."""

    code = "invalid_photo"


class MusicTrackError(InvalidInputError):
    """An uploaded music track cannot be used as a bed (too short, silent, no audio...)."""

    code = "invalid_music"


class UnsupportedMediaError(MusicTrackError):
    """The file is not a kind of media we can decode at all (a text file, a damaged file)."""

    code = "unsupported_media"


class ConfigurationError(ReelEstateError):
    """The installation is missing something (a binary, a setting)."""

    code = "configuration_error"


class RenderError(ReelEstateError):
    """Rendering failed for a reason on our side; retrying may help."""

    code = "render_failed"


class OutputValidationError(RenderError):
    """A rendered file did not pass its probe; it was not handed out."""

    code = "output_invalid"


class ProviderError(ReelEstateError):
    """An external service failed or timed out; a fallback or retry may help."""

    code = "provider_failed"
    retryable: ClassVar[bool] = True
    """True when the same call may succeed later (a 5xx, a 429, a dropped connection)."""

    def __init__(
        self, message: str, *, hint: str | None = None, retry_after: float | None = None
    ) -> None:
        super().__init__(message, hint=hint)
        self.retry_after = retry_after
        """Seconds the service asked us to wait before trying again (a 429's `Retry-After`)."""


class ProviderTimeoutError(ProviderError):
    """The service did not answer, or did not finish, within the time we allow it."""

    code = "provider_timeout"


class ProviderRejectedError(ProviderError):
    """The service refused the request itself (a 4xx, a content flag): the same call fails again."""

    code = "provider_rejected"
    retryable = False


class ReconnectRequiredError(ProviderRejectedError):
    """A connected account's token expired or was revoked: only the person can reconnect it."""

    code = "reconnect_required"
    user_error = True


class PublishingLimitError(ProviderRejectedError):
    """The social account used up the posts its network allows in a moving day."""

    code = "publishing_limit"
    user_error = True


class ProviderNotConfiguredError(ProviderError):
    """The provider has no key or endpoint in the settings, so it cannot be called at all."""

    code = "provider_not_configured"
    retryable = False


class RenderCancelledError(ReelEstateError):
    """The render was cancelled before it finished."""

    code = "cancelled"


class NotFoundError(InvalidInputError):
    """The thing asked for does not exist or belongs to another organisation (never said which)."""

    code = "not_found"


class InsufficientCreditsError(InvalidInputError):
    """The organisation has too few credits left for this job."""

    code = "insufficient_credits"


class FeatureUnavailableError(InvalidInputError):
    """The product cannot do this yet; retrying will not help."""

    code = "not_available"


class BlobRejectedError(InvalidInputError):
    """A file was refused by the blob store (type, size or key)."""

    code = "blob_rejected"


class StorageError(ReelEstateError):
    """The database or blob store failed for a reason on our side; retrying may help."""

    code = "storage_failed"


class JobStateError(InvalidInputError):
    """The job is in a state that does not allow this (for example cancelling a finished job)."""

    code = "job_state"


class StaleVersionError(InvalidInputError):
    """A change was made against a version that is no longer the latest."""

    code = "stale_version"


class AuthenticationError(InvalidInputError):
    """The caller is not signed in, or the credentials are wrong or expired."""

    code = "unauthenticated"


class PermissionDeniedError(InvalidInputError):
    """Signed in, but this role may not do this in this organisation."""

    code = "forbidden"


class RateLimitedError(InvalidInputError):
    """Too many attempts in a short time; `retry_after` says when to try again."""

    code = "rate_limited"

    def __init__(self, message: str, *, retry_after: float, hint: str | None = None) -> None:
        super().__init__(message, hint=hint)
        self.retry_after = retry_after


class ConflictError(InvalidInputError):
    """The request contradicts what is already there (a reused idempotency key, say)."""

    code = "conflict"


class BillingNotConfiguredError(ConfigurationError):
    """Payments need Stripe keys this installation does not have."""

    code = "billing_not_configured"


class WebhookRejectedError(InvalidInputError):
    """A webhook delivery whose signature, age or body cannot be trusted; nothing was changed."""

    code = "webhook_rejected"


class CreditDebtError(InsufficientCreditsError):
    """A refund took back credits already spent; new renders wait until the debt is paid."""

    code = "credit_debt"
