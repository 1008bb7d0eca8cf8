"""A logo attached to the first-time brand question: refused with the reason, or kept and stored
as the first brand kit's logo where renders read it."""

from __future__ import annotations

from pathlib import Path

from PIL import Image

from reelestate.chat_ui.onboarding import QUESTIONS, Onboarding
from reelestate.services.brand_kits import brand_data
from reelestate.services.kit_logo import FIELD, LIMIT_MB, store_logo
from reelestate.storage.blobs import LocalBlobStore
from reelestate.storage.blobs.base import org_prefix
from reelestate.storage.db import Database
from tests.storage.factories import new_org
from tests.support.fixtures import sqlite_db, sqlite_settings

__all__ = ["sqlite_db", "sqlite_settings"]


def _image(path: Path, size: int = 64, fmt: str | None = None) -> Path:
    Image.new("RGB", (size, size), (200, 30, 30)).save(path, format=fmt)
    return path


def _at_brand_step() -> Onboarding:
    onboarding = Onboarding()
    onboarding.answer("Oak Realty")
    onboarding.answer("Ann Lee, 555-0100")
    assert onboarding.step == "brand"
    return onboarding


def test_a_logo_with_colours_becomes_the_kits_logo(sqlite_db: Database, tmp_path: Path) -> None:
    onboarding = _at_brand_step()
    refusals = {
        "notes.png": "is not a photo we can read",
        "tiny.png": "too small",
        "anim.png": "is not a PNG, JPEG or WebP image",
        "huge.png": f"larger than {LIMIT_MB} MB",
    }
    (tmp_path / "notes.png").write_text("not an image")
    _image(tmp_path / "tiny.png", size=8)
    _image(tmp_path / "anim.png", fmt="GIF")
    (tmp_path / "huge.png").write_bytes(b"\0" * (LIMIT_MB * 1024 * 1024 + 1))
    for name, reason in refusals.items():
        said = onboarding.answer("#1f3a5f", [(name, tmp_path / name)])
        assert said is not None and name in said and reason in said
        assert said.endswith(QUESTIONS["brand"]) and onboarding.step == "brand"
    assert onboarding.logo is None and "primary_color" not in onboarding.answers

    logo = _image(tmp_path / "upload-1234", fmt="PNG")
    assert onboarding.answer("#1f3a5f #f2b134", [("Oak logo.png", logo)]) == QUESTIONS["voice"]
    assert onboarding.answer("skip") is not None and onboarding.answer("skip") is None
    assert onboarding.logo is not None and onboarding.logo.content_type == "image/png"
    assert "logo Oak logo.png" in onboarding.summary()
    assert "colours #1F3A5F #F2B134" in onboarding.summary()

    blobs = LocalBlobStore(tmp_path / "blobs", b"k" * 32)
    ctx = new_org(sqlite_db)
    _, data = onboarding.kit()
    data[FIELD] = store_logo(blobs, ctx, onboarding.logo, gc_grace_s=86_400)
    assert data[FIELD].startswith(org_prefix(ctx) + "media/") and data[FIELD].endswith(".png")
    assert blobs.read_bytes(ctx, data[FIELD]) == logo.read_bytes()
    assert brand_data(ctx, data)["logo"] == data[FIELD]


def test_skip_keeps_an_attached_logo_and_skips_only_the_colours(tmp_path: Path) -> None:
    onboarding = _at_brand_step()
    logo = _image(tmp_path / "mark.webp", fmt="WEBP")
    assert onboarding.answer("skip", [("mark.webp", logo)]) == QUESTIONS["voice"]
    assert onboarding.logo is not None and onboarding.logo.content_type == "image/webp"
    assert "primary_color" not in onboarding.answers

    plain = _at_brand_step()
    assert plain.answer("skip") == QUESTIONS["voice"] and plain.logo is None
    assert "logo" not in plain.summary()
