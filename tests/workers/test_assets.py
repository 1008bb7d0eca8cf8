from __future__ import annotations

import uuid
from pathlib import Path

import pytest

from reelestate.core.errors import BlobRejectedError
from reelestate.render.spec import parse_spec
from reelestate.storage.blobs import LocalBlobStore
from reelestate.storage.db import Database
from reelestate.storage.repositories.content import MediaRepository
from reelestate.workers.assets import fetch_spec_files, file_fields, store_spec_files
from tests.storage.factories import new_org
from tests.workers.conftest import PHOTO


def test_spec_files_go_to_the_blob_store_once_and_come_back_as_local_paths(
    tmp_path: Path, sqlite_db: Database
) -> None:
    ctx = new_org(sqlite_db)
    blobs = LocalBlobStore(tmp_path / "blobs", b"k" * 32)
    spec = parse_spec(
        {
            "scenes": [
                {"photo": str(PHOTO), "duration": 1.0},
                {"photo": str(PHOTO), "duration": 1.0},
            ],
            "brand": {"logo": str(PHOTO)},
        }
    )
    data, media_ids = store_spec_files(spec, ctx, blobs, MediaRepository(sqlite_db))
    keys = {str(c[f]) for c, f in file_fields(data)}
    assert len(keys) == 1 and next(iter(keys)).startswith(f"org/{ctx.org_id}/media/")
    assert media_ids[0] is not None and media_ids[0] == media_ids[1]
    local = fetch_spec_files(data, ctx, blobs, tmp_path / "work", preview=True)
    assert local.profile == "preview"
    assert local.scenes[0].photo.read_bytes() == PHOTO.read_bytes()
    assert local.brand.logo is not None and local.brand.logo.is_file()
    assert str(data["scenes"][0]["photo"]).startswith("org/")  # the stored spec is unchanged

    mallory = new_org(sqlite_db)
    with pytest.raises(BlobRejectedError):
        fetch_spec_files(data, mallory, blobs, tmp_path / "stolen", preview=False)
    planted = {**data, "scenes": [{"photo": "/etc/passwd", "duration": 1.0}]}
    with pytest.raises(BlobRejectedError):
        fetch_spec_files(planted, ctx, blobs, tmp_path / "x", preview=False)
    assert not (tmp_path / "stolen").exists()
    assert uuid.UUID(str(ctx.org_id))
