"""The embedded espeak-ng voice: real synthesis, timings checked against the audio itself."""

from __future__ import annotations

import json
import threading
import wave
from pathlib import Path

import numpy as np
import numpy.typing as npt
import pytest

from reelestate.core.errors import ConfigurationError, InvalidInputError
from reelestate.providers.tts.base import Narration, TextToSpeech
from reelestate.providers.tts.espeak import EspeakTTS, cache_stem, list_voices

LISTING = (
    "Welcome home to 42 Maple Drive, priced at $585,000. "
    "Sunlit kitchen, three bedrooms and a quiet garden. Book your visit today!"
)


def read_wav(path: Path) -> tuple[npt.NDArray[np.float64], int]:
    with wave.open(str(path), "rb") as wav:
        assert wav.getnchannels() == 1
        assert wav.getsampwidth() == 2
        rate = wav.getframerate()
        data = np.frombuffer(wav.readframes(wav.getnframes()), dtype="<i2")
    return data.astype(np.float64) / 32768.0, rate


@pytest.fixture(scope="module")
def listing(tmp_path_factory: pytest.TempPathFactory) -> Narration:
    return EspeakTTS().synthesize(LISTING, voice="en-us", out_dir=tmp_path_factory.mktemp("tts"))


def test_satisfies_the_voice_protocol() -> None:
    tts: TextToSpeech = EspeakTTS()
    assert tts.name == "espeak"


def test_one_timing_per_input_word_with_the_users_spelling(listing: Narration) -> None:
    assert [w.word for w in listing.words] == LISTING.split()
    assert "$585,000." in [w.word for w in listing.words]


def test_timings_are_monotonic_and_inside_the_audio(listing: Narration) -> None:
    samples, rate = read_wav(listing.audio)
    assert listing.duration == pytest.approx(len(samples) / rate)
    assert listing.provider == "espeak" and listing.voice == "en-us"
    for word in listing.words:
        assert 0 <= word.start < word.end <= listing.duration
    starts = [w.start for w in listing.words]
    assert starts == sorted(starts)
    assert all(
        a.end <= b.start + 1e-9 for a, b in zip(listing.words, listing.words[1:], strict=False)
    )
    assert listing.words[-1].end > listing.duration - 0.5


def test_each_word_starts_where_there_is_sound(listing: Narration) -> None:
    samples, rate = read_wav(listing.audio)
    floor = np.sqrt(np.mean(samples**2)) * 0.1
    voiced = 0
    for word in listing.words:
        lo = int(word.start * rate)
        window = samples[lo : lo + int(0.08 * rate)]
        voiced += bool(np.sqrt(np.mean(window**2)) > floor)
    assert voiced >= 0.9 * len(listing.words)


def test_the_pause_between_sentences_is_not_part_of_a_word(listing: Narration) -> None:
    samples, rate = read_wav(listing.audio)
    drive = next(w for w in listing.words if w.word == "$585,000.")
    after = next(w for w in listing.words if w.word == "Sunlit")
    gap = samples[int(drive.end * rate) + int(0.03 * rate) : int(after.start * rate)]
    assert after.start > drive.end
    assert np.sqrt(np.mean(gap**2)) < 0.01


def test_numbers_and_currency_are_one_word(tmp_path: Path) -> None:
    text = "Now $1,250,000 or 3.5 baths and 2,400 sq ft"
    narration = EspeakTTS().synthesize(text, voice="en-us", out_dir=tmp_path)
    assert [w.word for w in narration.words] == text.split()
    price = narration.words[1]
    assert price.end - price.start > 0.8  # "one million two hundred fifty thousand dollars"


def test_a_cached_narration_is_returned_without_speaking(tmp_path: Path) -> None:
    first = EspeakTTS().synthesize("Open house on Sunday.", voice="en-us", out_dir=tmp_path)
    mtime = first.audio.stat().st_mtime_ns
    # A library that cannot load proves the second answer comes from the cache.
    again = EspeakTTS(library="libnot-espeak.so.9").synthesize(
        "Open house on Sunday.", voice="en-us", out_dir=tmp_path
    )
    assert again == first
    assert again.audio.stat().st_mtime_ns == mtime
    assert first.audio.name == cache_stem("en-us", 1.0, "Open house on Sunday.") + ".wav"


def test_a_damaged_sidecar_is_remade(tmp_path: Path) -> None:
    first = EspeakTTS().synthesize("Fresh paint.", voice="en-us", out_dir=tmp_path)
    sidecar = first.audio.with_suffix(".json")
    sidecar.write_text("{not json", encoding="utf-8")
    again = EspeakTTS().synthesize("Fresh paint.", voice="en-us", out_dir=tmp_path)
    assert [w.word for w in again.words] == ["Fresh", "paint."]
    assert json.loads(sidecar.read_text(encoding="utf-8"))["voice"] == "en-us"


def test_the_cache_key_follows_voice_rate_and_text() -> None:
    base = cache_stem("en-us", 1.0, "Hello")
    assert base != cache_stem("en-gb", 1.0, "Hello")
    assert base != cache_stem("en-us", 1.2, "Hello")
    assert base != cache_stem("en-us", 1.0, "Hello!")


def test_a_faster_rate_is_shorter(tmp_path: Path) -> None:
    text = "A bright corner lot with a two car garage and mature trees."
    slow = EspeakTTS().synthesize(text, voice="en-us", out_dir=tmp_path, rate=0.8)
    fast = EspeakTTS().synthesize(text, voice="en-us", out_dir=tmp_path, rate=1.6)
    assert fast.duration < slow.duration * 0.7
    assert fast.words_per_minute == 264 and slow.words_per_minute == 132


@pytest.mark.parametrize(
    "text",
    [
        "Cosy loft 🏠✨ near the park 🌳!",
        "שלום עולם, welcome مرحبا",
        r"Caption {\fs200} injection }{ and \N breaks",
        "Wow!!! ... (really?) — yes; 100% sure & done",
        "Tabs\tand\nnew lines\x00and a null",
    ],
)
def test_unusual_text_is_spoken_or_skipped(tmp_path: Path, text: str) -> None:
    narration = EspeakTTS().synthesize(text, voice="en-us", out_dir=tmp_path)
    assert narration.words
    tokens = text.replace("\x00", " ").split()
    for word in narration.words:
        assert all(part in tokens for part in word.word.split(" "))
    assert narration.words[-1].end <= narration.duration


@pytest.mark.parametrize("text", ["", "   \n\t ", "—", "x" * 5001])
def test_text_with_nothing_to_say_is_refused(tmp_path: Path, text: str) -> None:
    with pytest.raises(InvalidInputError):
        EspeakTTS().synthesize(text, voice="en-us", out_dir=tmp_path)


def test_an_unknown_voice_names_itself_and_suggests_others(tmp_path: Path) -> None:
    with pytest.raises(InvalidInputError) as caught:
        EspeakTTS().synthesize("Hello there.", voice="en-zz-robot", out_dir=tmp_path)
    assert "en-zz-robot" in caught.value.message
    assert caught.value.hint is not None and "en-us" in caught.value.hint
    with pytest.raises(InvalidInputError):
        EspeakTTS().synthesize("Hello there.", voice="en;rm -rf", out_dir=tmp_path)


def test_a_rate_out_of_range_is_refused(tmp_path: Path) -> None:
    with pytest.raises(InvalidInputError, match="rate"):
        EspeakTTS().synthesize("Hello.", voice="en-us", out_dir=tmp_path, rate=3.0)


def test_a_missing_library_says_how_to_install_it(tmp_path: Path) -> None:
    with pytest.raises(ConfigurationError) as caught:
        EspeakTTS(library="libnot-espeak.so.9").synthesize(
            "Hello.", voice="en-us", out_dir=tmp_path
        )
    assert caught.value.hint is not None and "apt-get install" in caught.value.hint


def test_voices_are_listed_with_usable_names(tmp_path: Path) -> None:
    voices = {v.name: v for v in list_voices()}
    assert "en-us" in voices and "fr" in voices
    assert "English" in voices["en-us"].description
    assert "fr-fr" in voices["fr"].languages
    for name in ("fr", "fr-fr", "en-gb+f3"):  # a voice name, a language, a variant
        narration = EspeakTTS().synthesize("Bonjour et bienvenue.", voice=name, out_dir=tmp_path)
        assert [w.word for w in narration.words] == ["Bonjour", "et", "bienvenue."]


def test_concurrent_calls_do_not_mix_their_audio(tmp_path: Path) -> None:
    texts = [f"Listing number {i} has a lovely garden and a new roof." for i in range(4)]
    alone = [EspeakTTS().synthesize(t, voice="en-us", out_dir=tmp_path / "a") for t in texts]
    results: dict[int, Narration] = {}

    def speak(i: int) -> None:
        results[i] = EspeakTTS().synthesize(texts[i], voice="en-us", out_dir=tmp_path / "b")

    threads = [threading.Thread(target=speak, args=(i,)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    # espeak adds a little random flutter, so equal inputs give near, not identical, timings.
    for i, narration in enumerate(alone):
        assert [w.word for w in results[i].words] == texts[i].split()
        for together, apart in zip(results[i].words, narration.words, strict=True):
            assert together.start == pytest.approx(apart.start, abs=0.02)
        assert results[i].duration == pytest.approx(narration.duration, abs=0.05)
