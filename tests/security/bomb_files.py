"""Small files that declare huge images (decompression bombs), one per format we read."""

from __future__ import annotations

import io
import struct
import zlib

from PIL import Image


def png_declaring(width: int, height: int) -> bytes:
    """A PNG header for `width` x `height` RGB with a few rows of data (kilobytes on disk)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        crc = zlib.crc32(kind + data) & 0xFFFFFFFF
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    rows = zlib.compress(b"\x00" * (width * 3 + 1) * 4, 9)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", rows) + chunk(b"IEND", b"")
    )


def _small(fmt: str, **options: object) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (64, 64), (120, 90, 60)).save(out, fmt, **options)
    return out.getvalue()


def jpeg_declaring(width: int, height: int) -> bytes:
    """A 64x64 JPEG whose frame header (SOF0) claims `width` x `height`."""
    data = bytearray(_small("JPEG", quality=80))
    at = data.index(b"\xff\xc0")
    struct.pack_into(">HH", data, at + 5, height, width)
    return bytes(data)


def webp_declaring(width: int, height: int) -> bytes:
    """A lossless 64x64 WebP whose VP8L header claims `width` x `height` (at most 16384)."""
    data = bytearray(_small("WEBP", lossless=True))
    at = data.index(b"VP8L") + 8
    assert data[at] == 0x2F
    (bits,) = struct.unpack_from("<I", data, at + 1)
    bits = (bits & ~0x0FFFFFFF) | (width - 1) | ((height - 1) << 14)
    struct.pack_into("<I", data, at + 1, bits)
    return bytes(data)


def tiff_declaring(width: int, height: int) -> bytes:
    """An uncompressed 64x64 TIFF whose width and length tags claim `width` x `height`."""
    data = bytearray(_small("TIFF"))
    assert data[:2] == b"II"
    (ifd,) = struct.unpack_from("<I", data, 4)
    (count,) = struct.unpack_from("<H", data, ifd)
    for i in range(count):
        entry = ifd + 2 + 12 * i
        tag, kind = struct.unpack_from("<HH", data, entry)
        if tag in (256, 257):
            value = width if tag == 256 else height
            struct.pack_into("<H" if kind == 3 else "<I", data, entry + 8, value)
    return bytes(data)
