"""Talking presenters: D-ID and HeyGen when they have keys, the portrait presenter always.

`avatar_generators(settings, choice)` gives the generators to try, in the fallback order of
the integration notes: the one asked for, then HeyGen when D-ID was asked for and HeyGen is
configured, then the embedded portrait presenter, which never needs a key.
"""

from __future__ import annotations

from pydantic import SecretStr

from reelestate.core.presenter_names import AvatarProviderName
from reelestate.core.settings import Settings
from reelestate.providers.avatar.base import (
    AvatarClip,
    AvatarGenerator,
    AvatarLayout,
    AvatarRequest,
    estimate_avatar_cost,
)
from reelestate.providers.avatar.did import DidAvatarGenerator
from reelestate.providers.avatar.face import FaceBox, check_presenter_photo
from reelestate.providers.avatar.heygen import HeyGenAvatarGenerator
from reelestate.providers.avatar.portrait import PortraitPresenter

__all__ = [
    "AvatarClip",
    "AvatarGenerator",
    "AvatarLayout",
    "AvatarProviderName",
    "AvatarRequest",
    "FaceBox",
    "check_presenter_photo",
    "estimate_avatar_cost",
    "fallback_chain",
    "lip_sync_providers",
]


def _key(secret: object) -> str | None:
    value = secret.get_secret_value() if secret is not None else ""  # type: ignore[attr-defined]
    return value or None


def lip_sync_providers(settings: Settings) -> tuple[AvatarProviderName, ...]:
    """The lip-synced presenter services that have a key, in the order they are tried."""
    keys: tuple[tuple[AvatarProviderName, SecretStr | None], ...] = (
        ("did", settings.did_api_key),
        ("heygen", settings.heygen_api_key),
    )
    return tuple(name for name, key in keys if _key(key))


def fallback_chain(
    settings: Settings, choice: AvatarProviderName
) -> list[tuple[AvatarProviderName, AvatarGenerator | None]]:
    """(name, generator) to try in order; a None generator is one that has no key."""
    did_key, heygen_key = _key(settings.did_api_key), _key(settings.heygen_api_key)
    did = (
        DidAvatarGenerator(
            did_key,
            base_url=settings.did_base_url,
            timeout_s=settings.avatar_timeout_s,
            poll_interval_s=settings.avatar_poll_s,
        )
        if did_key
        else None
    )
    heygen = (
        HeyGenAvatarGenerator(
            heygen_key,
            base_url=settings.heygen_base_url,
            upload_url=settings.heygen_upload_url,
            timeout_s=settings.avatar_timeout_s,
            poll_interval_s=settings.avatar_poll_s,
        )
        if heygen_key
        else None
    )
    chain: list[tuple[AvatarProviderName, AvatarGenerator | None]] = []
    if choice == "did":
        chain.append(("did", did))
        if heygen is not None:
            chain.append(("heygen", heygen))
    elif choice == "heygen":
        chain.append(("heygen", heygen))
    chain.append(("portrait", PortraitPresenter()))
    return chain
