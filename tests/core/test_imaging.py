from __future__ import annotations

import tracemalloc
from pathlib import Path

import numpy as np
import pytest

from reelestate.core.errors import PhotoError
from reelestate.core.imaging import load_photo
from tests import photo_factory as pf


def test_real_photo_decodes_upright_rgb() -> None:
    photo = load_photo(pf.real_photo())
    assert photo.rgb.dtype == np.uint8 and photo.rgb.shape == (533, 800, 3)
    assert photo.format == "JPEG" and not photo.rotated_by_exif


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (pf.corrupt_jpeg, "damaged or incomplete"),
        (pf.empty_file, "empty (0 bytes)"),
        (pf.not_an_image, "not a photo we can read"),
        (pf.tiny, "too small: 50x50"),
    ],
)
def test_bad_photos_raise_clear_errors(tmp_path: Path, make, message: str) -> None:  # type: ignore[no-untyped-def]
    path = make(tmp_path)
    with pytest.raises(PhotoError) as info:
        load_photo(path)
    assert message in info.value.message
    assert path.name in info.value.message
    assert info.value.hint


def test_missing_photo_names_the_file(tmp_path: Path) -> None:
    with pytest.raises(PhotoError, match=r"Photo not found: gone\.jpg"):
        load_photo(tmp_path / "gone.jpg")
    with pytest.raises(PhotoError, match="not a file"):
        load_photo(tmp_path)


def test_cmyk_16bit_and_alpha_become_rgb(tmp_path: Path) -> None:
    cmyk = load_photo(pf.cmyk_jpeg(tmp_path))
    assert cmyk.rgb.shape[2] == 3
    reference = load_photo(pf.real_photo()).rgb.astype(int)
    assert abs(cmyk.rgb.astype(int).mean() - reference.mean()) < 20
    deep = load_photo(pf.png16(tmp_path))
    assert deep.rgb.shape == (480, 640, 3)
    assert deep.rgb[0, 0, 0] == 0 and deep.rgb[0, -1, 0] == 255
    alpha = load_photo(pf.rgba_png(tmp_path))
    assert alpha.rgb.shape[2] == 3
    assert alpha.rgb.mean() > reference.mean()  # flattened onto white


def test_exif_rotation_is_applied(tmp_path: Path) -> None:
    photo = load_photo(pf.exif_rotated(tmp_path))
    assert photo.rotated_by_exif
    assert photo.height > photo.width
    assert (photo.original_width, photo.original_height) == (533, 800)


def test_huge_photo_is_decoded_downscaled_without_a_full_size_copy(tmp_path: Path) -> None:
    path = pf.huge_jpeg(tmp_path)
    tracemalloc.start()
    photo = load_photo(path, max_side=3840)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert max(photo.width, photo.height) <= 3840
    assert photo.original_width == 20_000
    assert peak < 200 * 1024 * 1024  # a full 20,000 x 10,000 RGB decode would need 600 MB
