"""Audio bytes from a provider in, a clean 16-bit mono WAV on disk out.

Streaming servers (OpenAI's among them) write a WAV header before they know the length and
put 0xFFFFFFFF in the size fields, which `wave` trusts; the chunks are walked by hand here
and a `data` chunk that claims more than was sent simply runs to the end of the bytes.
"""

from __future__ import annotations

import os
import struct
import wave
from pathlib import Path

import numpy as np
import numpy.typing as npt

from reelestate.core.errors import ProviderError

_PCM = 1
_EXTENSIBLE = 0xFFFE


def pcm16_samples(data: bytes) -> npt.NDArray[np.int16]:
    """Raw little-endian 16-bit mono PCM (ElevenLabs' `pcm_*` formats) as samples."""
    usable = len(data) - len(data) % 2
    return np.frombuffer(data[:usable], dtype="<i2").astype(np.int16)


def _chunks(data: bytes) -> dict[bytes, bytes]:
    out: dict[bytes, bytes] = {}
    pos = 12
    while pos + 8 <= len(data):
        tag, size = data[pos : pos + 4], struct.unpack_from("<I", data, pos + 4)[0]
        body = data[pos + 8 : pos + 8 + size]
        out.setdefault(tag, body)
        if tag == b"data":
            break
        pos += 8 + size + (size & 1)
    return out


def decode_wav(data: bytes, *, source: str) -> tuple[npt.NDArray[np.int16], int]:
    """(mono 16-bit samples, sample rate) of a PCM WAV; several channels are averaged."""
    if len(data) < 12 or data[:4] != b"RIFF" or data[8:12] != b"WAVE":
        raise ProviderError(f"{source} sent audio that is not a WAV file.")
    chunks = _chunks(data)
    fmt, body = chunks.get(b"fmt "), chunks.get(b"data")
    if fmt is None or body is None or len(fmt) < 16:
        raise ProviderError(f"{source} sent a WAV file without audio.")
    tag, channels, rate, _, _, bits = struct.unpack_from("<HHIIHH", fmt)
    if tag not in (_PCM, _EXTENSIBLE) or bits != 16 or channels < 1 or rate <= 0:
        raise ProviderError(
            f"{source} sent {bits}-bit audio (format {tag}); only 16-bit PCM is read."
        )
    frames = len(body) // (2 * channels)
    raw = np.frombuffer(body[: frames * 2 * channels], dtype="<i2").reshape(frames, channels)
    mono = raw.mean(axis=1) if channels > 1 else raw[:, 0]
    return mono.astype(np.int16), int(rate)


def write_wav(path: Path, samples: npt.NDArray[np.int16], sample_rate: int) -> None:
    """Write 16-bit mono atomically: readers never see half a file, even across processes."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        with wave.open(str(tmp), "wb") as out:
            out.setnchannels(1)
            out.setsampwidth(2)
            out.setframerate(sample_rate)
            out.writeframes(samples.astype("<i2").tobytes())
        tmp.replace(path)
    finally:
        tmp.unlink(missing_ok=True)


def write_bytes(path: Path, data: bytes) -> None:
    """Write a file atomically (temporary name, then rename)."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        tmp.write_bytes(data)
        tmp.replace(path)
    finally:
        tmp.unlink(missing_ok=True)
