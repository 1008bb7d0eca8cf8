"""WAV bytes from a provider, read without trusting a streamed header."""

from __future__ import annotations

import io
import struct
import wave
from pathlib import Path

import numpy as np
import pytest

from reelestate.core.errors import ProviderError
from reelestate.providers.tts.audio_io import decode_wav, pcm16_samples, write_wav
from reelestate.providers.tts.narration_cache import load_narration, narration_stem
from tests.providers.fakes.speech_material import streamed_wav


def wav_bytes(frames: np.ndarray, rate: int, channels: int) -> bytes:
    out = io.BytesIO()
    with wave.open(out, "wb") as wav:
        wav.setnchannels(channels)
        wav.setsampwidth(2)
        wav.setframerate(rate)
        wav.writeframes(frames.astype("<i2").tobytes())
    return out.getvalue()


def test_a_streamed_header_is_read_to_the_end_of_the_bytes() -> None:
    samples = (np.sin(np.arange(2400) / 5) * 8000).astype(np.int16)
    decoded, rate = decode_wav(streamed_wav(samples, 24_000), source="Test")
    assert rate == 24_000 and np.array_equal(decoded, samples)


def test_stereo_is_mixed_to_mono_and_extra_chunks_are_skipped() -> None:
    stereo = np.array([[100, 300], [-200, 200], [50, 50]], dtype=np.int16)
    data = bytearray(wav_bytes(stereo.reshape(-1), 16_000, 2))
    extra = b"LIST" + struct.pack("<I", 3) + b"abc\0"
    data[12:12] = extra
    struct.pack_into("<I", data, 4, len(data) - 8)
    decoded, rate = decode_wav(bytes(data), source="Test")
    assert rate == 16_000 and decoded.tolist() == [200, 0, 50]


@pytest.mark.parametrize(
    "data",
    [
        b"ID3 not a wav at all",
        b"RIFF\0\0\0\0WAVE",
        # 8 bits per sample instead of 16:
        wav_bytes(np.zeros(4, dtype=np.int16), 8000, 1).replace(b"\x10\x00data", b"\x08\x00data"),
    ],
)
def test_unreadable_audio_is_a_provider_error(data: bytes) -> None:
    with pytest.raises(ProviderError, match="Test sent"):
        decode_wav(data, source="Test")


def test_raw_pcm_ignores_a_trailing_odd_byte() -> None:
    assert pcm16_samples(b"\x01\x00\xff\xff\x07").tolist() == [1, -1]


def test_a_damaged_cache_entry_is_a_miss(tmp_path: Path) -> None:
    stem = narration_stem("openai", "alloy", "tts-1", "Hi.", None, 1.0)
    assert load_narration(tmp_path, stem) is None
    write_wav(tmp_path / f"{stem}.wav", np.zeros(100, dtype=np.int16), 8000)
    (tmp_path / f"{stem}.json").write_text("{not json", encoding="utf-8")
    assert load_narration(tmp_path, stem) is None
    (tmp_path / f"{stem}.json").write_text('{"format": 0}', encoding="utf-8")
    assert load_narration(tmp_path, stem) is None
    assert stem != narration_stem("openai", "alloy", "tts-1", "Hi.", None, 1.1)
