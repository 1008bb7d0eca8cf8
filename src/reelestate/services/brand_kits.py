"""A brand kit's data as storyboards and renders use it.

A kit is stored as one JSON document: the render's `BrandKit` fields (files as blob keys of the
organisation), plus what belongs to the storyboard instead (its music, its voice).
"""

from __future__ import annotations

import uuid
from typing import Any

from reelestate.render.spec import BrandKit
from reelestate.storage.blobs import check_key
from reelestate.storage.context import TenantContext
from reelestate.storage.db import Database
from reelestate.storage.repositories.content import BrandKitsRepository

FILE_FIELDS = ("logo", "font")
KIT_ONLY_FIELDS = ("music", "voice", "voice_model", "voice_style", "presenter_photo")
"""Kit data that is not part of the render's `BrandKit` (it goes into the storyboard)."""


def brand_data(ctx: TenantContext, brand: dict[str, Any]) -> dict[str, Any]:
    """A stored brand kit as a spec's `brand`: only the organisation's own files survive."""
    skip = (*FILE_FIELDS, *KIT_ONLY_FIELDS)
    data = BrandKit.model_validate({k: v for k, v in brand.items() if k not in skip})
    out = data.model_dump(mode="json")
    for name in FILE_FIELDS:
        key = brand.get(name)
        if isinstance(key, str) and key:
            out[name] = check_key(ctx, key)
    return out


def kit_voice(brand: dict[str, Any] | None) -> dict[str, Any]:
    """The storyboard voice settings a brand kit asks for (none: the default voice)."""
    if not brand or not brand.get("voice"):
        return {}
    return {
        "voice": brand["voice"],
        "voice_model": brand.get("voice_model"),
        "voice_style": brand.get("voice_style"),
    }


def kit_data(db: Database, ctx: TenantContext, kit_id: uuid.UUID | None) -> dict[str, Any] | None:
    """The data of the project's kit (`None`: the project has none)."""
    return None if kit_id is None else BrandKitsRepository(db).get(ctx, kit_id).data
