"""Bad and awkward photos, made on the fly so the repository carries no odd binaries."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from PIL import Image

from tests.conftest import PHOTOS


def real_photo() -> Path:
    return PHOTOS / "house107" / "kitchen.jpg"


def corrupt_jpeg(folder: Path) -> Path:
    data = real_photo().read_bytes()
    path = folder / "corrupt.jpg"
    path.write_bytes(data[: len(data) // 3])
    return path


def empty_file(folder: Path) -> Path:
    path = folder / "empty.jpg"
    path.write_bytes(b"")
    return path


def not_an_image(folder: Path) -> Path:
    path = folder / "notes.jpg"
    path.write_text("this is a text file with a .jpg name")
    return path


def cmyk_jpeg(folder: Path) -> Path:
    path = folder / "cmyk.jpg"
    Image.open(real_photo()).convert("CMYK").save(path, quality=90)
    return path


def png16(folder: Path) -> Path:
    path = folder / "deep.png"
    ramp = (
        np.linspace(0, 65535, 640, dtype=np.uint32)[None, :] * np.ones((480, 1), np.uint32)
    ).astype(np.uint16)
    Image.fromarray(ramp).save(path)
    return path


def rgba_png(folder: Path) -> Path:
    path = folder / "alpha.png"
    img = Image.open(real_photo()).convert("RGBA")
    img.putalpha(128)
    img.save(path)
    return path


def exif_rotated(folder: Path) -> Path:
    """Stored landscape, tagged orientation 6 (rotate 90° to view): upright it is portrait."""
    path = folder / "rotated.jpg"
    img = Image.open(real_photo()).convert("RGB")
    exif = Image.Exif()
    exif[0x0112] = 6
    img.save(path, exif=exif.tobytes(), quality=90)
    return path


def huge_jpeg(folder: Path, long_side: int = 20_000) -> Path:
    path = folder / "huge.jpg"
    small = Image.open(real_photo()).convert("RGB").resize((500, 250))
    small.resize((long_side, long_side // 2), Image.Resampling.NEAREST).save(path, quality=70)
    return path


def tiny(folder: Path) -> Path:
    path = folder / "tiny.jpg"
    Image.new("RGB", (50, 50), (200, 100, 50)).save(path)
    return path
