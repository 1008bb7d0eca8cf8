"""A presenter photo sent in a conversation: kept in a brand kit, or refused with the reason."""

from __future__ import annotations

from pathlib import Path

import pytest

from reelestate.core.errors import PhotoError
from reelestate.services.presenter_photo import (
    DEFAULT_KIT,
    kit_presenter_key,
    set_presenter_photo,
)
from reelestate.storage.blobs import LocalBlobStore
from reelestate.storage.db import Database
from reelestate.storage.repositories.content import BrandKitsRepository
from tests.providers.avatar.material import headshot
from tests.storage.factories import new_org
from tests.support.fixtures import sqlite_db, sqlite_settings

__all__ = ["sqlite_db", "sqlite_settings"]


def test_the_photo_goes_to_the_chosen_kit_or_a_new_one(sqlite_db: Database, tmp_path: Path) -> None:
    blobs = LocalBlobStore(tmp_path / "blobs", b"k" * 32)
    ctx = new_org(sqlite_db)
    face = headshot(tmp_path / "me.jpg")
    said = set_presenter_photo(sqlite_db, blobs, ctx, face, name="me.jpg")
    [kit] = BrandKitsRepository(sqlite_db).all(ctx)
    assert kit.name == DEFAULT_KIT and DEFAULT_KIT in said
    key = kit_presenter_key(ctx, kit.data)
    assert key is not None and blobs.read_bytes(ctx, key) == face.read_bytes()

    other = BrandKitsRepository(sqlite_db).create(ctx, "Oak Realty", {})
    set_presenter_photo(sqlite_db, blobs, ctx, face, name="me.jpg", kit_name="Oak Realty")
    assert kit_presenter_key(ctx, BrandKitsRepository(sqlite_db).get(ctx, other.id).data)

    group = headshot(tmp_path / "team.jpg", faces=2)
    with pytest.raises(PhotoError, match=r"team photo\.jpg shows 2 faces"):
        set_presenter_photo(sqlite_db, blobs, ctx, group, name="team photo.jpg")
