"""The music track check on real files: what it accepts (by probing, not by name) and the
reason it gives for everything it refuses."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from reelestate.core.errors import MusicTrackError, UnsupportedMediaError
from reelestate.providers.music.uploaded import MB, MusicTrackInfo, _audio_stream, check_music_track
from tests import music_files as mf


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("tracks")


@pytest.fixture(scope="module")
def mp3(folder: Path) -> Path:
    return mf.music(folder / "good.mp3", 14.0)


@pytest.mark.parametrize(
    ("name", "extra", "codec", "container", "content_type", "suffix"),
    [
        ("song.wav", (), "pcm_s16le", "wav", "audio/wav", ".wav"),
        ("song.ogg", ("-c:a", "libvorbis"), "vorbis", "ogg", "audio/ogg", ".ogg"),
        ("song.opus", ("-c:a", "libopus"), "opus", "ogg", "audio/ogg", ".ogg"),
        ("song.m4a", ("-c:a", "aac"), "aac", "mp4", "audio/mp4", ".m4a"),
        ("song.flac", (), "flac", "flac", "audio/flac", ".flac"),
    ],
)
def test_each_supported_format_is_described(
    folder: Path,
    name: str,
    extra: tuple[str, ...],
    codec: str,
    container: str,
    content_type: str,
    suffix: str,
) -> None:
    path = mf.music(folder / name, 12.0, extra=extra)
    info = check_music_track(path)
    assert (info.codec, info.container, info.content_type, info.suffix) == (
        codec,
        container,
        content_type,
        suffix,
    )
    assert 11.9 <= info.duration_seconds <= 12.1
    assert info.channels == 2 and info.sample_rate in {44100, 48000}
    assert -30 < info.loudness_lufs < -5
    assert info.size_bytes == path.stat().st_size


def test_an_mp3_is_measured(mp3: Path) -> None:
    info = check_music_track(mp3)
    assert isinstance(info, MusicTrackInfo)
    assert (info.codec, info.content_type, info.sample_rate) == ("mp3", "audio/mpeg", 44100)
    assert 13.9 <= info.duration_seconds <= 14.1
    assert -20 < info.loudness_lufs < -10
    assert info.peak_dbfs < 0


def test_the_type_is_decided_by_probing_not_by_the_extension(mp3: Path, folder: Path) -> None:
    disguised = shutil.copyfile(mp3, folder / "actually-an-mp3.wav")
    info = check_music_track(disguised)
    assert (info.container, info.suffix) == ("mp3", ".mp3")


def test_a_loud_and_a_quiet_track_measure_apart(folder: Path) -> None:
    loud = check_music_track(mf.music(folder / "loud.wav", 11.0, volume_db=12))
    quiet = check_music_track(mf.music(folder / "quiet.wav", 11.0, volume_db=-8))
    assert loud.loudness_lufs - quiet.loudness_lufs == pytest.approx(20, abs=1)


def test_a_four_second_track_is_too_short(folder: Path) -> None:
    with pytest.raises(MusicTrackError, match="is 4 s long; music beds need at least 10 s"):
        check_music_track(mf.music(folder / "jingle.mp3", 4.0))


def test_a_track_over_fifteen_minutes_is_too_long(folder: Path) -> None:
    long = mf.music(folder / "long.wav", 910.0, extra=("-ar", "8000", "-ac", "1"))
    with pytest.raises(MusicTrackError, match="15 min 10 s long; music beds can be at most 15 min"):
        check_music_track(long)


def test_a_silent_track_is_refused(folder: Path) -> None:
    with pytest.raises(MusicTrackError, match="This track is silent") as caught:
        check_music_track(mf.silence(folder / "silence.wav"))
    assert caught.value.hint and "right file" in caught.value.hint


def test_an_almost_silent_track_is_refused(folder: Path) -> None:
    whisper = mf.music(folder / "whisper.wav", 11.0, volume_db=-45)
    with pytest.raises(MusicTrackError, match="almost silent"):
        check_music_track(whisper)


def test_a_video_without_sound_has_no_audio_track(folder: Path) -> None:
    with pytest.raises(MusicTrackError, match="This file has no audio track") as caught:
        check_music_track(mf.video_only(folder / "tour.mp4"))
    assert not isinstance(caught.value, UnsupportedMediaError)


def test_a_video_with_sound_is_not_a_music_track(folder: Path) -> None:
    with pytest.raises(UnsupportedMediaError, match="This file is a video"):
        check_music_track(mf.video_with_sound(folder / "clip.mp4"))


def test_a_text_file_renamed_mp3_is_not_audio(folder: Path) -> None:
    with pytest.raises(UnsupportedMediaError, match="not audio we can read") as caught:
        check_music_track(mf.text_as_mp3(folder / "lyrics.mp3"))
    assert caught.value.hint and "MP3" in caught.value.hint


def test_random_bytes_are_not_audio(folder: Path) -> None:
    noise = folder / "corrupt.mp3"
    noise.write_bytes(os.urandom(40_000))
    with pytest.raises(UnsupportedMediaError):
        check_music_track(noise)


def test_bytes_ffprobe_takes_for_a_raw_video_stream_are_not_audio() -> None:
    """Random bytes are sometimes probed as a bare H.263 stream: damaged, not a silent video."""
    probed = {
        "streams": [{"index": 0, "codec_name": "h263", "codec_type": "video"}],
        "format": {"format_name": "h263", "nb_streams": 1},
    }
    with pytest.raises(UnsupportedMediaError, match="not audio we can read"):
        _audio_stream(probed)


def test_a_cut_off_download_is_damaged(mp3: Path, folder: Path) -> None:
    cut = mf.truncated(mp3, folder / "cut.mp3")
    with pytest.raises(MusicTrackError, match=r"damaged or incomplete: only .* of its 14 s"):
        check_music_track(cut)


def test_another_container_is_refused_by_name(folder: Path) -> None:
    mka = mf.music(folder / "song.mka", 11.0, extra=("-c:a", "libopus"))
    with pytest.raises(UnsupportedMediaError, match="Matroska"):
        check_music_track(mka)


def test_size_limits_and_missing_files(mp3: Path, folder: Path) -> None:
    with pytest.raises(MusicTrackError, match="music tracks can be at most 0 MB"):
        check_music_track(mp3, max_bytes=MB // 10)
    empty = folder / "empty.mp3"
    empty.write_bytes(b"")
    with pytest.raises(MusicTrackError, match="This file is empty"):
        check_music_track(empty)
    with pytest.raises(MusicTrackError, match="missing"):
        check_music_track(folder / "nowhere.mp3")
