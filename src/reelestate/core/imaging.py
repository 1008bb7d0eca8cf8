"""Safe decoding of user photos into RGB arrays.

Agents upload whatever their phone or MLS export gives them: CMYK JPEGs, 16-bit PNGs,
palette images with transparency, EXIF-rotated shots, 20,000-pixel panoramas and broken
files. Everything that reads a photo goes through `load_photo`, so each of those cases is
handled once and fails with a message that names the file and what to do.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt
from PIL import Image, JpegImagePlugin, UnidentifiedImageError

from reelestate.core.errors import PhotoError

RGBArray = npt.NDArray[np.uint8]

PHOTO_SUFFIXES = frozenset(
    {".jpg", ".jpeg", ".png", ".webp", ".heic", ".heif", ".tif", ".tiff", ".bmp"}
)
"""The photo files `load_photo` decodes (HEIC/HEIF with the optional plugin), by suffix."""

MIN_SHORT_SIDE = 240
"""Below this a photo cannot fill even a preview frame without visible blocks."""

MAX_DECODED_PIXELS = 50_000_000
"""The default per-call limit on the pixels one decode may produce (about 150 MB as RGB).

It is checked against the size the file's header declares (after JPEG's reduced-size decoding
is chosen) before a single pixel is decoded, so a small file that declares a huge canvas (a
decompression bomb) costs nothing. Pillow's own process-wide limit is left as it is: it still
refuses what is far beyond any photo when the file is opened."""

_HEIF_REGISTERED = False


def _register_heif() -> None:
    global _HEIF_REGISTERED  # noqa: PLW0603 - one-time plugin registration
    if _HEIF_REGISTERED:
        return
    try:
        from pillow_heif import register_heif_opener  # type: ignore[import-not-found]  # noqa: PLC0415
    except ImportError:  # pragma: no cover - optional plugin
        pass
    else:  # pragma: no cover - depends on the optional plugin
        register_heif_opener()
    _HEIF_REGISTERED = True


@dataclass(frozen=True)
class DecodedPhoto:
    """A photo as upright 8-bit RGB, with what we learned while decoding it."""

    path: Path
    rgb: RGBArray
    original_width: int
    original_height: int
    format: str
    rotated_by_exif: bool

    @property
    def width(self) -> int:
        return int(self.rgb.shape[1])

    @property
    def height(self) -> int:
        return int(self.rgb.shape[0])


def _check_file(path: Path) -> None:
    if not path.exists():
        raise PhotoError(
            f"Photo not found: {path.name}.", hint="Check the file path and upload it again."
        )
    if not path.is_file():
        raise PhotoError(f"{path.name} is not a file.", hint="Pass a photo, not a folder.")
    if path.stat().st_size == 0:
        raise PhotoError(f"{path.name} is empty (0 bytes).", hint="Upload the photo again.")


def _to_rgb(img: Image.Image) -> Image.Image:
    """Any PIL mode to 8-bit RGB; transparency is flattened onto white like a printed page."""
    mode = img.mode
    if mode == "RGB":
        return img
    if mode in {"I;16", "I;16B", "I;16L", "I;16N", "I"}:
        arr = np.asarray(img).astype(np.uint32)
        peak = int(arr.max()) if arr.size else 0
        shift = 8 if peak > 255 else 0
        gray = np.clip(arr >> shift, 0, 255).astype(np.uint8)
        return Image.fromarray(gray).convert("RGB")
    if mode == "F":
        arr32 = np.asarray(img, dtype=np.float32)
        hi = float(arr32.max()) or 1.0
        return Image.fromarray((np.clip(arr32 / hi, 0, 1) * 255).astype(np.uint8)).convert("RGB")
    if mode == "P" and "transparency" in img.info:
        img = img.convert("RGBA")
        mode = "RGBA"
    if mode in {"RGBA", "LA", "PA", "RGBa", "La"}:
        rgba = img.convert("RGBA")
        background = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        return Image.alpha_composite(background, rgba).convert("RGB")
    return img.convert("RGB")


def load_photo(
    path: Path,
    *,
    max_side: int | None = None,
    min_short_side: int = MIN_SHORT_SIDE,
    max_pixels: int = MAX_DECODED_PIXELS,
) -> DecodedPhoto:
    """Decode `path` upright as RGB, at most `max_side` on its long side when given.

    JPEGs are decoded at reduced size by the DCT scaler, so a 20,000-pixel photo never
    occupies memory at full size. Anything that would decode to more than `max_pixels` is
    refused from its header, before decoding.
    """
    path = Path(path)
    _check_file(path)
    _register_heif()
    try:
        with _open(path) as img:
            return _decode(
                path, img, max_side=max_side, min_short_side=min_short_side, max_pixels=max_pixels
            )
    except PhotoError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        # Pillow's own check when the file is opened: far beyond any photo.
        raise _too_large(path, None) from exc
    except UnidentifiedImageError as exc:
        raise PhotoError(
            f"{path.name} is not a photo we can read.",
            hint="Use JPEG, PNG, WebP or HEIC.",
        ) from exc
    except (OSError, SyntaxError, ValueError) as exc:
        raise PhotoError(
            f"{path.name} is damaged or incomplete and cannot be decoded.",
            hint="Export or upload the photo again.",
        ) from exc


def _open(path: Path) -> Image.Image:
    """The file's header, parsed; no pixel is decoded yet.

    A JPEG is opened by its own plugin, without `Image.open`'s process-wide pixel check: it can
    be decoded at 1/2 to 1/8 of its size, so its declared size alone says nothing about the
    memory it needs (a 200-megapixel panorama decodes to 25 megapixels); `_decode` checks the
    reduced size against the per-call limit. Every other format keeps Pillow's check as a
    backstop to ours."""
    with path.open("rb") as fh:
        magic = fh.read(3)
    if magic == b"\xff\xd8\xff":
        return JpegImagePlugin.JpegImageFile(str(path))
    return Image.open(path)


def _too_large(path: Path, size: tuple[int, int] | None) -> PhotoError:
    shown = f": {size[0]}x{size[1]} pixels" if size else ""
    return PhotoError(
        f"{path.name} is too large to process{shown}.",
        hint="Export it as a JPEG of at most 8,000 pixels on the long side.",
    )


def exif_orientation(img: Image.Image) -> int:
    """The EXIF orientation (1 to 8) from the file's metadata, without decoding any pixels.

    Pillow's `getexif` decodes a whole PNG to look for an eXIf chunk after the image data, so
    for PNG only a chunk before the image data (where the specification puts it) is read."""
    if img.format == "PNG":
        raw = img.info.get("exif")
        exif = Image.Exif()
        if isinstance(raw, bytes):
            exif.load(raw)
    else:
        exif = img.getexif()
    value = exif.get(0x0112, 1)
    return value if isinstance(value, int) and 1 <= value <= 8 else 1


_TRANSPOSE_FOR_ORIENTATION = {
    2: Image.Transpose.FLIP_LEFT_RIGHT,
    3: Image.Transpose.ROTATE_180,
    4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE,
    6: Image.Transpose.ROTATE_270,
    7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_90,
}
"""What `ImageOps.exif_transpose` does, from the orientation read before decoding."""


def _decode(
    path: Path, img: Image.Image, *, max_side: int | None, min_short_side: int, max_pixels: int
) -> DecodedPhoto:
    original_w, original_h = img.size
    fmt = img.format or "unknown"
    if max_side is not None and fmt == "JPEG":
        img.draft(img.mode, (max_side, max_side))  # header only: picks the DCT scale
    if img.size[0] * img.size[1] > max_pixels:
        raise _too_large(path, (original_w, original_h))
    orientation = exif_orientation(img)
    img.load()
    rotated = orientation != 1
    if rotated and orientation in (5, 6, 7, 8):
        original_w, original_h = original_h, original_w
    if min(original_w, original_h) < min_short_side:
        raise PhotoError(
            f"{path.name} is too small: {original_w}x{original_h}.",
            hint=f"Use a photo at least {min_short_side} pixels on its short side.",
        )
    method = _TRANSPOSE_FOR_ORIENTATION.get(orientation)
    upright = img.transpose(method) if method is not None else img
    rgb_img = _to_rgb(upright)
    width, height = rgb_img.size
    if max_side is not None and max(width, height) > max_side:
        scale = max_side / max(width, height)
        rgb_img = rgb_img.resize(
            (max(1, round(width * scale)), max(1, round(height * scale))),
            Image.Resampling.LANCZOS,
        )
    rgb = np.ascontiguousarray(np.asarray(rgb_img, dtype=np.uint8))
    return DecodedPhoto(
        path=path,
        rgb=rgb,
        original_width=original_w,
        original_height=original_h,
        format=fmt,
        rotated_by_exif=rotated,
    )
