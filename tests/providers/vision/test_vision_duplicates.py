"""Copies of one photo (re-encoded, resized, cropped) group; different photos do not."""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image

from reelestate.providers.vision.base import PhotoBatch
from reelestate.providers.vision.embedded import EmbeddedPhotoAnalyser

PHOTOS = Path(__file__).parents[2] / "fixtures" / "photos"


def _save(img: Image.Image, path: Path, quality: int = 90) -> Path:
    img.save(path, "JPEG", quality=quality)
    return path


@pytest.fixture(scope="module")
def batch(tmp_path_factory: pytest.TempPathFactory) -> tuple[list[Path], PhotoBatch]:
    folder = tmp_path_factory.mktemp("dups")
    original = Image.open(PHOTOS / "house3" / "kitchen.jpg").convert("RGB")
    w, h = original.size
    paths = [
        _save(
            original.resize((w * 3 // 5, h * 3 // 5), Image.Resampling.LANCZOS),
            folder / "small.jpg",
        ),
        PHOTOS / "house3" / "kitchen.jpg",
        _save(original, folder / "reencoded.jpg", quality=35),
        _save(original.crop((w // 20, h // 20, w - w // 20, h - h // 20)), folder / "cropped.jpg"),
        _save(original.crop((w * 8 // 100, 0, w, h)), folder / "cropped-left.jpg"),
        PHOTOS / "house3" / "bedroom.jpg",
        PHOTOS / "house5" / "kitchen.jpg",
        PHOTOS / "house107" / "kitchen.jpg",
        PHOTOS / "house3" / "bathroom.jpg",
    ]
    return paths, EmbeddedPhotoAnalyser().analyse_batch(paths)


def test_resized_and_cropped_copies_point_to_the_larger_original(
    batch: tuple[list[Path], PhotoBatch],
) -> None:
    _, result = batch
    by_name = {r.path.name: r for r in result.results if r.path.parent.name != "house3"}
    assert by_name["small.jpg"].duplicate_of is not None
    kept = result.results[by_name["small.jpg"].duplicate_of]
    assert kept.width * kept.height > by_name["small.jpg"].width * by_name["small.jpg"].height
    for name in ("small.jpg", "cropped.jpg", "cropped-left.jpg"):
        assert by_name[name].duplicate_of == kept.index
        assert f"duplicate of {kept.index} ({kept.path.name})" in by_name[name].reject_reasons
    assert kept.duplicate_of is None


def test_a_re_encoded_copy_groups_and_the_sharper_one_is_kept(
    batch: tuple[list[Path], PhotoBatch],
) -> None:
    _, result = batch
    original, reencoded = result.results[1], result.results[2]
    pair = sorted([original, reencoded], key=lambda r: r.sharpness)
    assert pair[0].duplicate_of == pair[1].index
    assert pair[1].duplicate_of is None or pair[1].duplicate_of in (0, 1, 2, 3, 4)
    group = {r.index for r in result.results[:5]}
    assert {r.duplicate_of for r in result.results[:5]} - {None} < group


def test_different_photos_even_of_one_house_or_room_type_stay_apart(
    batch: tuple[list[Path], PhotoBatch],
) -> None:
    _, result = batch
    for analysis in result.results[5:]:
        assert analysis.duplicate_of is None
        assert not any(r.startswith("duplicate") for r in analysis.reject_reasons)
    assert len({r.phash for r in result.results[5:]}) == 4


def test_exactly_one_photo_of_the_copied_group_is_kept(
    batch: tuple[list[Path], PhotoBatch],
) -> None:
    _, result = batch
    kept = [r for r in result.results[:5] if r.duplicate_of is None]
    assert len(kept) == 1
