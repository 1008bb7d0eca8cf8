"""Finding 1: decompression bombs. A few kilobytes that declare a gigantic canvas are refused
from their header (422 on upload) before any pixel is decoded, in every format we read, with a
per-call limit: Pillow's process-wide limit is never switched off."""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path

import pytest
from PIL import Image
from starlette.testclient import TestClient

from reelestate.core.errors import PhotoError
from reelestate.core.imaging import exif_orientation, load_photo
from tests.security.bomb_files import (
    jpeg_declaring,
    png_declaring,
    tiff_declaring,
    webp_declaring,
)
from tests.security.conftest import new_member

BOMBS: list[tuple[str, Callable[[int, int], bytes], int, int]] = [
    ("bomb.png", png_declaring, 60_000, 60_000),
    ("big.png", png_declaring, 12_000, 12_000),
    ("wide.png", png_declaring, 9_000, 8_000),
    ("bomb.jpg", jpeg_declaring, 65_000, 65_000),
    ("bomb.webp", webp_declaring, 16_384, 16_384),
    ("bomb.tif", tiff_declaring, 20_000, 20_000),
    ("wide.tif", tiff_declaring, 9_000, 8_000),
]


@pytest.mark.parametrize(("name", "make", "width", "height"), BOMBS)
def test_a_file_declaring_a_huge_canvas_is_refused_before_decoding(
    tmp_path: Path, name: str, make: Callable[[int, int], bytes], width: int, height: int
) -> None:
    limit = Image.MAX_IMAGE_PIXELS
    path = tmp_path / name
    path.write_bytes(make(width, height))
    assert path.stat().st_size < 500_000
    with pytest.raises(PhotoError, match="too large"):
        load_photo(path, max_side=256)
    assert limit == Image.MAX_IMAGE_PIXELS  # the process-wide limit is never touched


def test_the_limit_is_per_call(tmp_path: Path) -> None:
    path = tmp_path / "photo.png"
    Image.new("RGB", (400, 300), (10, 20, 30)).save(path)
    assert load_photo(path, max_pixels=400 * 300).width == 400
    with pytest.raises(PhotoError, match="400x300"):
        load_photo(path, max_pixels=400 * 300 - 1)


def test_a_large_jpeg_is_still_read_at_reduced_size(tmp_path: Path) -> None:
    """JPEG's reduced-size decoding keeps a 12-megapixel photo within a 2-megapixel limit."""
    path = tmp_path / "panorama.jpg"
    Image.new("RGB", (4000, 3000), (200, 180, 160)).save(path, quality=50)
    decoded = load_photo(path, max_side=256, max_pixels=2_000_000)
    assert (decoded.original_width, decoded.width) == (4000, 256)


def test_exif_orientation_is_read_without_decoding_the_image(tmp_path: Path) -> None:
    path = tmp_path / "rotated.png"
    exif = Image.Exif()
    exif[0x0112] = 6
    Image.new("RGB", (320, 240), (1, 2, 3)).save(path, exif=exif.tobytes())
    with Image.open(path) as img:
        assert exif_orientation(img) == 6
        assert img.tile, "the pixels were decoded to read the orientation"
    decoded = load_photo(path)
    assert decoded.rotated_by_exif
    assert (decoded.width, decoded.height) == (240, 320)


@pytest.mark.parametrize(("name", "make", "width", "height"), [BOMBS[0], BOMBS[1], BOMBS[3]])
def test_an_uploaded_bomb_gets_a_422_problem(
    api: TestClient, name: str, make: Callable[[int, int], bytes], width: int, height: int
) -> None:
    me = new_member(api)
    project = me.call("POST", "/api/v1/projects", json={"title": "Oak St"}).json()["id"]
    kind = "image/png" if name.endswith(".png") else "image/jpeg"
    answer = me.call(
        "POST",
        f"/api/v1/projects/{project}/media",
        files=[("files", (name, io.BytesIO(make(width, height)), kind))],
    )
    assert answer.status_code == 422, answer.text
    assert answer.headers["content-type"].startswith("application/problem+json")
    assert "too large" in answer.json()["title"]
    assert me.call("GET", f"/api/v1/projects/{project}/media").json() == []
