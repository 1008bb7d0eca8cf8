"""The soundtrack mix, with real FFmpeg: loudness, ducking, exact length, clean failures."""

from __future__ import annotations

import subprocess
import wave
from dataclasses import replace
from pathlib import Path

import numpy as np
import numpy.typing as npt
import pytest

from reelestate.core.errors import InvalidInputError, RenderCancelledError, RenderError
from reelestate.providers.music.procedural import make_music_bed
from reelestate.providers.tts.espeak import EspeakTTS
from reelestate.render.audio import (
    Loudness,
    LoudnormParams,
    build_aac_args,
    build_measure_args,
    build_mix_args,
    mix_audio,
)
from reelestate.render.ffmpeg import CancelToken, find_tools

RATE = 48000
AAC_FRAME = 1024


def decode(path: Path) -> npt.NDArray[np.float64]:
    """The file's audio as mono float samples at 48 kHz."""
    raw = subprocess.run(
        [find_tools().ffmpeg, "-v", "error", "-i", str(path), "-f", "f32le", "-ac", "1", "-"],
        capture_output=True,
        check=True,
    ).stdout
    return np.frombuffer(raw, dtype="<f4").astype(np.float64)


def probe(path: Path) -> dict[str, str]:
    out = subprocess.run(
        [find_tools().ffprobe, "-v", "error", "-select_streams", "a:0", "-show_entries",
         "stream=codec_name,profile,sample_rate,channels,duration_ts", "-of",
         "default=noprint_wrappers=1", str(path)],
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    return dict(line.split("=", 1) for line in out.splitlines())


def write_tone(path: Path, parts: list[tuple[float, float, float]], rate: int = 44100) -> Path:
    """A mono WAV of (seconds, frequency, amplitude) parts; frequency 0 is silence."""
    chunks = []
    for seconds, freq, amp in parts:
        t = np.arange(int(seconds * rate)) / rate
        chunks.append(amp * np.sin(2 * np.pi * freq * t))
    pcm = (np.concatenate(chunks) * 32767).astype("<i2")
    with wave.open(str(path), "wb") as wav:
        wav.setnchannels(1)
        wav.setsampwidth(2)
        wav.setframerate(rate)
        wav.writeframes(pcm.tobytes())
    return path


def band_level(samples: npt.NDArray[np.float64], start: float, end: float, freq: float) -> float:
    """Amplitude of `freq` in the window [start, end) seconds."""
    window = samples[int(start * RATE) : int(end * RATE)]
    spectrum = np.abs(np.fft.rfft(window * np.hanning(len(window))))
    freqs = np.fft.rfftfreq(len(window), 1 / RATE)
    return float(spectrum[np.abs(freqs - freq) < 15].max())


@pytest.fixture(scope="module")
def voice(tmp_path_factory: pytest.TempPathFactory) -> Path:
    narration = EspeakTTS().synthesize(
        "Welcome to 42 Maple Drive. Three bedrooms, a sunny kitchen, and a garden.",
        voice="en-us",
        out_dir=tmp_path_factory.mktemp("voice"),
    )
    return narration.audio


@pytest.fixture(scope="module")
def bed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_music_bed("warm", 4.0, tmp_path_factory.mktemp("bed") / "bed.wav")


def assert_on_target(loudness: Loudness) -> None:
    assert abs(loudness.integrated_lufs - -14.0) <= 1.0, loudness
    assert loudness.true_peak_dbtp <= -1.0, loudness


def args_for(voice: Path | None, music: Path | None, **overrides: object) -> list[str]:
    options: dict[str, object] = {
        "voice": voice,
        "voice_offset": 0.5,
        "music": music,
        "music_volume_db": -16.0,
        "duck": True,
        "duration": 8.0,
        "out": Path("/nowhere/out.m4a"),
        "loudnorm": LoudnormParams(),
    }
    options.update(overrides)
    return build_mix_args(**options)  # type: ignore[arg-type]


def test_the_arg_builder_is_pure_and_keeps_paths_out_of_the_graph() -> None:
    voice = Path("/no such dir/it's [a]; voice:1.wav")
    music = Path("/other dir/m,usic=2.wav")
    first = args_for(voice, music)
    assert first == args_for(voice, music)
    assert not voice.parent.exists()
    graph = first[first.index("-filter_complex") + 1]
    for fragment in ("no such dir", "voice:1", "m,usic", "out.m4a", "/"):
        assert fragment not in graph
    assert first[first.index(f"file:{voice}") - 1] == "-i"
    assert first[first.index(f"file:{music}") - 3 : first.index(f"file:{music}")] == [
        "-stream_loop",
        "-1",
        "-i",
    ]
    assert first[-1] == "file:/nowhere/out.m4a"
    assert first[first.index("-c:a") + 1] == "aac" and first[first.index("-ar") + 1] == "48000"


def test_the_graph_follows_the_inputs() -> None:
    def graph(args: list[str]) -> str:
        return args[args.index("-filter_complex") + 1]

    both = graph(args_for(Path("v.wav"), Path("m.wav")))
    assert "sidechaincompress" in both and "asplit" in both and "normalize=0" in both
    assert "adelay=delays=24000S" in both and "atrim=end_sample=384000" in both
    assert "sidechaincompress" not in graph(args_for(Path("v.wav"), Path("m.wav"), duck=False))
    voice_only = graph(args_for(Path("v.wav"), None))
    assert "amix" not in voice_only and "loudnorm" in voice_only
    assert "adelay" not in graph(args_for(None, Path("m.wav")))
    silent = args_for(None, None)
    assert "anullsrc=r=48000:cl=stereo" in silent and "loudnorm" not in graph(silent)
    fits = LoudnormParams(measured_i=-20, measured_tp=-10, measured_lra=5, measured_thresh=-30)
    linear = graph(args_for(Path("v.wav"), None, loudnorm=fits))
    assert "measured_I=-20.00" in linear and "linear=true" in linear
    peaky = LoudnormParams(measured_i=-20, measured_tp=-3, measured_lra=5, measured_thresh=-30)
    limited = graph(args_for(Path("v.wav"), None, loudnorm=peaky))
    assert "loudnorm" not in limited
    assert "volume=6.00dB,aresample=192000" in limited and "alimiter=limit=0.7943" in limited
    first_pass = build_measure_args(
        voice=Path("v.wav"), voice_offset=0, music=None, music_volume_db=-16, duck=True, duration=3
    )
    assert "ebur128=peak=true" in graph(first_pass) and first_pass[-3:] == ["-f", "null", "-"]
    draft_pass = build_measure_args(
        voice=Path("v.wav"), voice_offset=0, music=None, music_volume_db=-16, duck=True,
        duration=3, draft=True,
    )  # fmt: skip
    assert "ebur128=peak=sample" in graph(draft_pass)
    levelled = args_for(
        Path("v.wav"), None, loudnorm=peaky, out=Path("/w/levelled.wav"), levelled_wav=True
    )
    assert graph(levelled).endswith("alimiter=limit=0.7943:level=0:latency=1:attack=1.5:release=80,"
        "aresample=48000,aformat=sample_fmts=fltp:channel_layouts=stereo,"
        "apad=whole_len=384000,atrim=end_sample=384000,afade=t=out:st=7.9700:d=0.0300,"
        "ebur128=peak=sample:framelog=verbose[out]")  # fmt: skip
    assert levelled[levelled.index("-c:a") + 1] == "pcm_f32le" and "aac" not in levelled
    assert levelled[-1] == "file:/w/levelled.wav"
    encode = build_aac_args(Path("/w/levelled.wav"), Path("/w/out.m4a"))
    assert (
        encode[encode.index("-i") + 1] == "file:/w/levelled.wav" and "-filter_complex" not in encode
    )
    assert encode[encode.index("-c:a") + 1] == "aac"
    assert encode[encode.index("-aac_coder") + 1] == "fast" and "-aac_pns" in encode
    assert encode[encode.index("-b:a") + 1] == "192k"
    assert encode[-1] == "file:/w/out.m4a"
    draft = args_for(Path("v.wav"), None, loudnorm=replace(peaky, draft=True))
    assert draft[draft.index("-b:a") + 1] == "128k" and draft[draft.index("-c:a") + 1] == "aac"


@pytest.mark.parametrize(
    "overrides",
    [
        {"duration": 0.0},
        {"duration": float("nan")},
        {"duration": 5000.0},
        {"voice_offset": -1.0},
        {"music_volume_db": 40.0},
    ],
)
def test_impossible_numbers_are_refused(overrides: dict[str, float]) -> None:
    with pytest.raises(InvalidInputError):
        args_for(Path("v.wav"), Path("m.wav"), **overrides)


def test_voice_and_music_meet_the_loudness_targets(voice: Path, bed: Path, tmp_path: Path) -> None:
    out = tmp_path / "mix.m4a"
    loudness = mix_audio(
        voice=voice, voice_offset=0.3, music=bed, music_volume_db=-16, duck=True,
        duration=6.0, out=out,
    )  # fmt: skip
    assert_on_target(loudness)
    info = probe(out)
    assert (info["codec_name"], info["profile"], info["sample_rate"], info["channels"]) == (
        "aac", "LC", "48000", "2",
    )  # fmt: skip
    assert abs(int(info["duration_ts"]) - 6 * RATE) <= AAC_FRAME
    assert abs(len(decode(out)) - 6 * RATE) <= AAC_FRAME
    assert [p.name for p in tmp_path.iterdir()] == ["mix.m4a"]


@pytest.mark.parametrize("which", ["voice", "music"])
def test_one_source_alone_meets_the_targets(
    voice: Path, bed: Path, tmp_path: Path, which: str
) -> None:
    loudness = mix_audio(
        voice=voice if which == "voice" else None,
        voice_offset=0.0,
        music=bed if which == "music" else None,
        music_volume_db=-16,
        duck=True,
        duration=5.0,
        out=tmp_path / "mix.m4a",
    )
    assert_on_target(loudness)


def test_no_voice_and_no_music_is_silence_of_the_right_length(tmp_path: Path) -> None:
    out = tmp_path / "silence.m4a"
    loudness = mix_audio(
        voice=None, voice_offset=0, music=None, music_volume_db=-16, duck=True,
        duration=2.5, out=out,
    )  # fmt: skip
    assert loudness.silent and loudness.true_peak_dbtp <= -100
    samples = decode(out)
    assert abs(len(samples) - 2.5 * RATE) <= AAC_FRAME
    assert np.abs(samples).max() < 1e-4


def test_music_ducks_under_the_voice_and_the_voice_starts_at_its_offset(tmp_path: Path) -> None:
    # Voice: a 1 kHz tone from 2 s to 4 s of its file; music: a steady 200 Hz tone (a long
    # file, so it is trimmed, not looped). Ducking shows as the 200 Hz level dropping while the
    # 1 kHz tone sounds, compared with the same mix without ducking.
    voice = write_tone(tmp_path / "v.wav", [(2.0, 0, 0), (2.0, 1000, 0.3), (1.0, 0, 0)])
    music = write_tone(tmp_path / "m.wav", [(12.0, 200, 0.5)])
    levels = {}
    for duck in (True, False):
        out = tmp_path / f"duck-{duck}.m4a"
        mix_audio(
            voice=voice, voice_offset=1.0, music=music, music_volume_db=-10, duck=duck,
            duration=10.0, out=out,
        )  # fmt: skip
        samples = decode(out)
        assert band_level(samples, 0.2, 2.8, 1000) < band_level(samples, 3.2, 4.8, 1000) / 30
        under_voice = band_level(samples, 3.5, 4.5, 200)
        alone = band_level(samples, 6.0, 7.0, 200)
        levels[duck] = 20 * np.log10(under_voice / alone)
        fading = band_level(samples, 9.2, 9.9, 200)  # the music fades out with the video
        assert fading < alone / 4
    assert abs(levels[False]) < 1.5
    assert levels[True] < levels[False] - 6


def test_a_voice_longer_than_the_video_is_cut(voice: Path, tmp_path: Path) -> None:
    out = tmp_path / "short.m4a"
    mix_audio(
        voice=voice, voice_offset=0.5, music=None, music_volume_db=-16, duck=True,
        duration=1.5, out=out,
    )  # fmt: skip
    samples = decode(out)
    assert abs(len(samples) - 1.5 * RATE) <= AAC_FRAME
    assert np.sqrt(np.mean(samples[int(0.6 * RATE) : int(1.4 * RATE)] ** 2)) > 0.01


@pytest.mark.parametrize(
    ("name", "content"),
    [("missing.wav", None), ("empty.wav", b""), ("text.wav", b"this is not audio at all\n" * 40)],
)
def test_an_unusable_music_file_is_the_users_error(
    tmp_path: Path, name: str, content: bytes | None
) -> None:
    music = tmp_path / name
    if content is not None:
        music.write_bytes(content)
    out = tmp_path / "mix.m4a"
    with pytest.raises(InvalidInputError) as caught:
        mix_audio(
            voice=None, voice_offset=0, music=music, music_volume_db=-16, duck=True,
            duration=3.0, out=out,
        )  # fmt: skip
    assert name in caught.value.message
    assert not out.exists()


def test_files_written_here_are_not_read_first(tmp_path: Path) -> None:
    music = tmp_path / "bed.wav"
    music.write_bytes(b"this is not audio at all\n" * 40)
    with pytest.raises(RenderError) as caught:
        mix_audio(
            voice=None, voice_offset=0, music=music, music_volume_db=-16, duck=True,
            duration=3.0, out=tmp_path / "mix.m4a", own_files=True,
        )  # fmt: skip
    # Not refused as the user's file: the check was skipped and the mix itself failed.
    assert not isinstance(caught.value, InvalidInputError)


def test_a_sound_file_with_no_samples_is_refused(tmp_path: Path) -> None:
    voice = write_tone(tmp_path / "nothing.wav", [(0.0, 0, 0)])
    with pytest.raises(InvalidInputError, match="no sound"):
        mix_audio(
            voice=voice, voice_offset=0, music=None, music_volume_db=-16, duck=True,
            duration=3.0, out=tmp_path / "mix.m4a",
        )  # fmt: skip


class CancelAfter(CancelToken):
    """Reports cancelled from the n-th look on: cancels a running FFmpeg without a clock."""

    def __init__(self, looks: int) -> None:
        super().__init__()
        self.looks = looks

    @property
    def cancelled(self) -> bool:
        self.looks -= 1
        return self.looks < 0 or super().cancelled


@pytest.mark.parametrize("looks", [0, 6])
def test_a_cancelled_mix_leaves_nothing_behind(bed: Path, tmp_path: Path, looks: int) -> None:
    out = tmp_path / "mix.m4a"
    with pytest.raises(RenderCancelledError):
        mix_audio(
            voice=None, voice_offset=0, music=bed, music_volume_db=-16, duck=True,
            duration=600.0, out=out, cancel=CancelAfter(looks),
        )  # fmt: skip
    assert list(tmp_path.iterdir()) == []
