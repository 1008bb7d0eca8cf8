"""The procedural music bed: exact length, safe levels, soft spectrum, deterministic, cached."""

from __future__ import annotations

import math
import wave
from pathlib import Path

import numpy as np
import numpy.typing as npt
import pytest

from reelestate.core.errors import InvalidInputError
from reelestate.providers.music.moods import MOODS
from reelestate.providers.music.procedural import bed_file_name, make_music_bed
from reelestate.render.spec import MusicMood

RATE = 48000


def read_stereo(path: Path) -> npt.NDArray[np.float64]:
    with wave.open(str(path), "rb") as wav:
        assert (wav.getnchannels(), wav.getsampwidth(), wav.getframerate()) == (2, 2, RATE)
        data = np.frombuffer(wav.readframes(wav.getnframes()), dtype="<i2")
    return data.reshape(-1, 2).astype(np.float64) / 32768.0


def dbfs(x: npt.NDArray[np.float64]) -> float:
    return 20 * math.log10(max(float(np.sqrt(np.mean(x**2))), 1e-12))


def test_every_spec_mood_has_a_style() -> None:
    assert set(MOODS) == set(MusicMood.__args__)  # type: ignore[attr-defined]


@pytest.mark.parametrize("mood", sorted(MOODS))
def test_each_mood_is_audible_unclipped_and_soft(tmp_path: Path, mood: str) -> None:
    path = make_music_bed(mood, 12.34, tmp_path / "bed.wav")
    audio = read_stereo(path)
    assert len(audio) == round(12.34 * RATE)
    peak_db = 20 * math.log10(float(np.abs(audio).max()))
    assert -4.0 < peak_db < -1.0
    body = audio[2 * RATE : 10 * RATE]
    assert dbfs(body) > -24.0
    mono = body.mean(axis=1)
    power = np.abs(np.fft.rfft(mono)) ** 2
    freqs = np.fft.rfftfreq(len(mono), 1 / RATE)
    assert power[freqs < 4000].sum() / power.sum() > 0.99
    assert power[freqs < 120].sum() / power.sum() < 0.5  # audible on a phone speaker
    assert not np.allclose(audio[:, 0], audio[:, 1])  # a real stereo image


def test_the_bed_fades_in_and_out(tmp_path: Path) -> None:
    audio = read_stereo(make_music_bed("warm", 10.0, tmp_path / "bed.wav"))
    middle = dbfs(audio[4 * RATE : 6 * RATE])
    assert dbfs(audio[: RATE // 10]) < middle - 20
    assert dbfs(audio[-RATE // 10 :]) < middle - 20
    assert np.abs(audio[0]).max() < 1e-3 and np.abs(audio[-1]).max() < 1e-3


def test_the_same_inputs_give_the_same_bytes(tmp_path: Path) -> None:
    a = make_music_bed("upbeat", 5.0, tmp_path / "a.wav", seed=7).read_bytes()
    b = make_music_bed("upbeat", 5.0, tmp_path / "b.wav", seed=7).read_bytes()
    c = make_music_bed("upbeat", 5.0, tmp_path / "c.wav", seed=8).read_bytes()
    d = make_music_bed("calm", 5.0, tmp_path / "d.wav", seed=7).read_bytes()
    assert a == b
    assert a != c and a != d


def test_a_folder_caches_the_bed_by_its_inputs(tmp_path: Path) -> None:
    first = make_music_bed("elegant", 3.0, tmp_path)
    assert first.parent == tmp_path
    assert first.name == bed_file_name("elegant", 3.0, sample_rate=RATE, seed=0)
    stamp = first.stat().st_mtime_ns
    assert make_music_bed("elegant", 3.0, tmp_path) == first
    assert first.stat().st_mtime_ns == stamp
    assert make_music_bed("elegant", 3.5, tmp_path) != first
    assert len(list(tmp_path.iterdir())) == 2


def test_a_named_file_is_reused_when_present(tmp_path: Path) -> None:
    path = make_music_bed("calm", 2.0, tmp_path / "calm-60-30.wav")
    stamp = path.stat().st_mtime_ns
    assert make_music_bed("calm", 2.0, tmp_path / "calm-60-30.wav") == path
    assert path.stat().st_mtime_ns == stamp


def test_short_beds_and_other_rates_keep_their_exact_length(tmp_path: Path) -> None:
    path = make_music_bed("minimal", 0.3, tmp_path / "short.wav", sample_rate=44100)
    with wave.open(str(path), "rb") as wav:
        assert wav.getframerate() == 44100
        assert wav.getnframes() == round(0.3 * 44100)


def test_an_unknown_mood_lists_the_real_ones(tmp_path: Path) -> None:
    with pytest.raises(InvalidInputError) as caught:
        make_music_bed("spooky", 5.0, tmp_path)
    assert "spooky" in caught.value.message
    assert caught.value.hint is not None and "calm" in caught.value.hint


@pytest.mark.parametrize("duration", [0.0, -1.0, math.nan, math.inf, 10_000.0])
def test_an_impossible_duration_is_refused(tmp_path: Path, duration: float) -> None:
    with pytest.raises(InvalidInputError):
        make_music_bed("calm", duration, tmp_path)


def test_an_impossible_sample_rate_is_refused(tmp_path: Path) -> None:
    with pytest.raises(InvalidInputError):
        make_music_bed("calm", 2.0, tmp_path, sample_rate=100)
