"""An uploaded track made into a video's bed: looped with crossfades, levelled, cached."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from reelestate.core.errors import InvalidSpecError
from reelestate.render.audio import LoudnormParams, build_mix_args
from reelestate.render.engine import render_video
from reelestate.render.loudness import measure_loudness
from reelestate.render.music_bed import (
    MAX_GAIN_DB,
    REFERENCE_LUFS,
    build_loop_args,
    level_gain,
    prepare_uploaded_bed,
)
from reelestate.render.probe import ffprobe_json
from tests import music_files as mf
from tests.render.helpers import small_spec
from tests.render.test_audio_mix import decode


def test_the_loop_builder_keeps_paths_out_of_the_graph() -> None:
    track = Path("/no such dir/it's [a]; song:1.mp3")
    args = build_loop_args(track, 12.0, 30.0, Path("/out/bed.wav"))
    graph = args[args.index("-filter_complex") + 1]
    assert "song" not in graph and "/" not in graph
    copies = args.count(f"file:{track}")
    assert copies == 4  # 12 + 3 * 10.5 s covers 30 s with a copy to spare
    assert graph.count("acrossfade=d=1.500") == copies - 1
    assert "atrim=end=30.0000" in graph
    assert args[-1] == "file:/out/bed.wav"


def test_the_level_gain_is_bounded() -> None:
    assert level_gain(REFERENCE_LUFS) == 0
    assert level_gain(-23.0) == pytest.approx(10.0)
    assert level_gain(-60.0) == MAX_GAIN_DB
    assert level_gain(10.0) == -MAX_GAIN_DB
    assert level_gain(-70.0) == 0.0


def test_the_music_fades_in_so_a_loud_first_beat_does_not_click() -> None:
    args = build_mix_args(
        voice=None,
        voice_offset=0,
        music=Path("m.mp3"),
        music_volume_db=-16,
        duck=True,
        duration=20,
        out=Path("o.m4a"),
        loudnorm=LoudnormParams(),
    )
    assert "afade=t=in:d=0.5000" in args[args.index("-filter_complex") + 1]


def test_a_short_track_is_looped_to_the_video_length_without_a_gap(tmp_path: Path) -> None:
    track = mf.music(tmp_path / "short.mp3", 12.0)
    bed = prepare_uploaded_bed(track, "digest-a", 30.0, tmp_path / "cache", None)
    assert bed.path != track and bed.path.parent == tmp_path / "cache"
    assert float(ffprobe_json(bed.path)["format"]["duration"]) == pytest.approx(30.0, abs=0.05)
    samples = decode(bed.path)
    second = len(samples) // 30
    levels = [
        float(np.sqrt(np.mean(samples[i * second : (i + 1) * second] ** 2))) for i in range(30)
    ]
    assert min(levels) > 0.25 * float(np.median(levels)), levels
    measured = measure_loudness(bed.path).integrated_lufs
    assert measured + bed.gain_db == pytest.approx(REFERENCE_LUFS, abs=1.0)

    made = bed.path.stat().st_mtime_ns
    again = prepare_uploaded_bed(track, "digest-a", 30.0, tmp_path / "cache", None)
    assert again == bed and bed.path.stat().st_mtime_ns == made


def test_a_long_track_is_used_as_it_is_and_levelled_on_the_part_that_plays(
    tmp_path: Path,
) -> None:
    loud = mf.music(tmp_path / "loud.wav", 25.0, volume_db=12)
    quiet = mf.music(tmp_path / "quiet.wav", 25.0, volume_db=-8)
    loud_bed = prepare_uploaded_bed(loud, "loud", 15.0, tmp_path / "cache", None)
    quiet_bed = prepare_uploaded_bed(quiet, "quiet", 15.0, tmp_path / "cache", None)
    assert (loud_bed.path, quiet_bed.path) == (loud, quiet)
    assert quiet_bed.gain_db - loud_bed.gain_db == pytest.approx(20.0, abs=1.0)
    assert loud_bed.gain_db < 0 < quiet_bed.gain_db


def test_an_unreadable_track_is_a_spec_error(tmp_path: Path) -> None:
    text = mf.text_as_mp3(tmp_path / "lyrics.mp3")
    with pytest.raises(InvalidSpecError, match=r"lyrics\.mp3 cannot be read"):
        prepare_uploaded_bed(text, "text", 20.0, tmp_path / "cache", None)


def test_a_render_whose_track_is_gone_says_so_and_leaves_nothing(tmp_path: Path) -> None:
    spec = small_spec(profile="preview", music={"path": str(tmp_path / "gone.mp3")})
    with pytest.raises(InvalidSpecError, match=r"Music track not found: gone\.mp3"):
        render_video(spec, tmp_path / "out", cache_dir=tmp_path / "c")
    assert not (tmp_path / "out").exists() or not list((tmp_path / "out").iterdir())
