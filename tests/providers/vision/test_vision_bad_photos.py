"""Every kind of bad upload through `analyse`: clear reasons, and the rest of the batch kept."""

from __future__ import annotations

import struct
import zlib
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from reelestate.core.errors import PhotoError
from reelestate.providers.vision.embedded import EmbeddedPhotoAnalyser
from reelestate.tools.analyse import AnalysisReport, analyse_photos

KITCHEN = Path(__file__).parents[2] / "fixtures" / "photos" / "house5" / "kitchen.jpg"
BEDROOM = Path(__file__).parents[2] / "fixtures" / "photos" / "house5" / "bedroom.jpg"


def _chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))


def _png_header(width: int, height: int) -> bytes:
    """A PNG that announces a huge 8-bit grey image, as a decompression bomb does."""
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    pixels = zlib.compress(b"\x00" * (width + 1) * 4)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _chunk(b"IHDR", header)
        + _chunk(b"IDAT", pixels)
        + _chunk(b"IEND", b"")
    )


def _size(path: Path) -> tuple[int, int]:
    with Image.open(path) as img:
        return img.size


@pytest.fixture(scope="module")
def uploads(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    folder = tmp_path_factory.mktemp("bad")
    good = Image.open(KITCHEN).convert("RGB")
    data = KITCHEN.read_bytes()
    (folder / "corrupt.jpg").write_bytes(data[: len(data) // 3])
    (folder / "empty.jpg").write_bytes(b"")
    good.convert("CMYK").save(folder / "cmyk.jpg", "JPEG", quality=90)
    gray16 = (np.asarray(good.convert("L"), dtype=np.uint16) * 257).astype(np.uint16)
    Image.fromarray(gray16).save(folder / "deep.png")
    exif = Image.Exif()
    exif[0x0112] = 6
    good.save(folder / "rotated.jpg", "JPEG", quality=90, exif=exif.tobytes())
    wide = Image.new("RGB", (20_000, 1_200), (120, 130, 140))
    wide.paste(good.resize((1_800, 1_200)), (9_000, 0))
    wide.save(folder / "panorama.jpg", "JPEG", quality=80)
    (folder / "giant.png").write_bytes(_png_header(20_000, 8_000))
    good.resize((50, 50)).save(folder / "tiny.jpg", "JPEG")
    (folder / "notes.txt").write_text("not a photo")
    return [
        BEDROOM,
        folder / "corrupt.jpg",
        folder / "empty.jpg",
        folder / "cmyk.jpg",
        folder / "deep.png",
        folder / "rotated.jpg",
        folder / "panorama.jpg",
        folder / "giant.png",
        folder / "tiny.jpg",
        folder / "missing.jpg",
        folder / "notes.txt",
    ]


@pytest.fixture(scope="module")
def report(uploads: list[Path]) -> AnalysisReport:
    return analyse_photos(uploads, analyser=EmbeddedPhotoAnalyser())


def _row(report: AnalysisReport, name: str) -> dict[str, object]:
    return next(r for r in report.rows() if Path(str(r["path"])).name == name)


def test_every_upload_gets_a_row_in_input_order(
    report: AnalysisReport, uploads: list[Path]
) -> None:
    rows = report.rows()
    assert [Path(str(r["path"])).name for r in rows] == [p.name for p in uploads]
    assert [r["index"] for r in rows] == list(range(len(uploads)))


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("corrupt.jpg", "corrupt.jpg is damaged or incomplete"),
        ("empty.jpg", "empty.jpg is empty (0 bytes)"),
        ("giant.png", "giant.png is too large to process"),
        ("missing.jpg", "Photo not found: missing.jpg"),
        ("notes.txt", "notes.txt is not a photo we can read"),
    ],
)
def test_unreadable_uploads_fail_with_a_reason_naming_the_file(
    report: AnalysisReport, name: str, expected: str
) -> None:
    row = _row(report, name)
    assert row["width"] is None
    reasons = row["reject_reasons"]
    assert isinstance(reasons, list)
    assert len(reasons) == 1
    assert reasons[0].startswith(expected)
    assert row["error_code"] == "invalid_photo"


def test_readable_odd_formats_are_analysed(report: AnalysisReport) -> None:
    by_name = {r.path.name: r for r in report.results}
    assert {
        "bedroom.jpg",
        "cmyk.jpg",
        "deep.png",
        "rotated.jpg",
        "panorama.jpg",
        "tiny.jpg",
    } == set(by_name)
    assert (by_name["cmyk.jpg"].width, by_name["cmyk.jpg"].height) == _size(KITCHEN)
    assert by_name["deep.png"].room_confidence > 0
    assert by_name["deep.png"].sharpness > 50
    rotated = by_name["rotated.jpg"]
    width, height = _size(KITCHEN)
    assert (rotated.width, rotated.height, rotated.orientation) == (height, width, "portrait")
    assert (by_name["panorama.jpg"].width, by_name["panorama.jpg"].height) == (20_000, 1_200)


def test_a_tiny_photo_is_kept_with_its_size_as_the_reason(report: AnalysisReport) -> None:
    tiny = next(r for r in report.results if r.path.name == "tiny.jpg")
    assert "too small: 50x50, need 400 on the short side" in tiny.reject_reasons
    assert not tiny.usable


def test_copies_of_one_photo_in_other_formats_are_duplicates(report: AnalysisReport) -> None:
    by_name = {r.path.name: r for r in report.results}
    cmyk, deep = by_name["cmyk.jpg"], by_name["deep.png"]
    assert {cmyk.duplicate_of, deep.duplicate_of} in ({None, deep.index}, {None, cmyk.index})
    assert by_name["bedroom.jpg"].duplicate_of is None
    assert by_name["bedroom.jpg"].usable


def test_strict_analysis_raises_for_the_first_bad_photo(uploads: list[Path]) -> None:
    with pytest.raises(PhotoError, match=r"corrupt\.jpg is damaged"):
        EmbeddedPhotoAnalyser().analyse(uploads[:3])


def test_strict_analysis_of_good_photos_returns_one_result_each() -> None:
    results = EmbeddedPhotoAnalyser().analyse([BEDROOM, KITCHEN])
    assert [r.index for r in results] == [0, 1]
    assert all(r.usable for r in results)
