"""One real render, probed the way a platform would check it."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from reelestate.render.audio import measure_loudness
from reelestate.render.captions import build_cues
from reelestate.render.engine import render_video
from reelestate.render.layout import caption_layout, captions_rect
from reelestate.render.probe import inspect_video, top_level_atoms
from reelestate.render.progress import RenderProgress
from reelestate.render.result import RenderResult
from reelestate.render.spec import BrandKit
from tests.render.helpers import ffmpeg_filter_log, frame_at, parse_srt, small_spec


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> tuple[RenderResult, list[RenderProgress]]:
    events: list[RenderProgress] = []
    out = tmp_path_factory.mktemp("render")
    result = render_video(
        small_spec(), out / "out", cache_dir=out / "cache", on_progress=events.append
    )
    return result, events


def test_streams_size_rate_tags_and_faststart(
    rendered: tuple[RenderResult, list[RenderProgress]],
) -> None:
    result, _ = rendered
    report = inspect_video(result.video)
    assert (report.width, report.height) == (1080, 1920)
    assert report.fps == 30
    assert report.profile == "High" and report.pix_fmt == "yuv420p"
    assert report.colour == ("bt709", "bt709", "bt709")
    assert report.audio_rate == 48000 and report.audio_channels == 2
    assert report.faststart
    assert top_level_atoms(result.video).index("moov") < top_level_atoms(result.video).index("mdat")
    assert result.frames == round(9.0 * 30)
    assert abs(report.video_duration - 9.0) <= 1 / 30
    assert abs(report.audio_duration - report.video_duration) <= 1 / 30
    assert result.thumbnail.stat().st_size > 10_000
    # What did not go as asked travels with the result: the narration's own notes.
    assert result.notes == (tuple(result.narration.notes) if result.narration else ())


def test_loudness_is_normalised(rendered: tuple[RenderResult, list[RenderProgress]]) -> None:
    result, _ = rendered
    loud = measure_loudness(result.video)
    assert abs(loud.integrated_lufs + 14) <= 1.0
    assert loud.true_peak_dbtp <= -1.0 + 0.05


def test_no_black_or_frozen_stretches_beyond_transitions(
    rendered: tuple[RenderResult, list[RenderProgress]],
) -> None:
    result, _ = rendered
    log = ffmpeg_filter_log(
        result.video, "blackdetect=d=0.4:pix_th=0.1,freezedetect=n=0.0005:d=0.8"
    )
    assert "black_start" not in log
    assert "freeze_start" not in log


def test_srt_cues_are_the_word_timings(rendered: tuple[RenderResult, list[RenderProgress]]) -> None:
    result, _ = rendered
    assert result.narration is not None
    max_chars = caption_layout("9:16", 1080, 1920, BrandKit()).max_chars
    expected = build_cues(result.narration.words, offset=0.3, max_chars=max_chars)
    cues = parse_srt(result.subtitles.read_text(encoding="utf-8"))
    assert len(cues) == len(expected)
    for (start, end, text), cue in zip(cues, expected, strict=True):
        assert start == pytest.approx(cue.start, abs=0.0015)
        assert end == pytest.approx(cue.end, abs=0.0015)
        assert text == cue.text
    assert "Three bedrooms" in cues[0][2]


def _caption_band(frame: np.ndarray) -> np.ndarray:  # type: ignore[type-arg]
    h, w = frame.shape[:2]
    band = captions_rect("9:16", w, h)
    return frame[band.y : band.bottom]


def test_captions_show_during_their_cue_and_not_outside(
    rendered: tuple[RenderResult, list[RenderProgress]],
) -> None:
    result, _ = rendered
    cues = parse_srt(result.subtitles.read_text(encoding="utf-8"))
    start, end, _ = cues[0]
    during = _caption_band(frame_at(result.video, (start + end) / 2)).astype(int)
    before = _caption_band(frame_at(result.video, 0.1)).astype(int)

    # Caption text: bright glyphs next to dark outlines, i.e. many strong local edges.
    def edges(band: np.ndarray) -> int:  # type: ignore[type-arg]
        lum = band.mean(axis=2)
        return int((np.abs(np.diff(lum, axis=1)) > 120).sum())

    assert edges(during) > 200
    assert edges(before) < 50
    after_all = _caption_band(frame_at(result.video, 5.0)).astype(int)
    assert edges(after_all) < 50


def test_progress_runs_to_done_with_every_frame(
    rendered: tuple[RenderResult, list[RenderProgress]],
) -> None:
    result, events = rendered
    percents = [e.percent for e in events]
    assert percents == sorted(percents)
    assert events[-1].stage == "done" and events[-1].percent == 100
    assert max(e.frames_done for e in events) == result.frames
    assert {"prepare", "voice", "audio", "frames", "mux", "probe"} <= {e.stage for e in events}


def test_second_render_reuses_every_clip_and_one_change_renders_few(tmp_path: Path) -> None:
    spec = small_spec(profile="preview")
    first = render_video(spec, tmp_path / "a", cache_dir=tmp_path / "cache")
    again = render_video(spec, tmp_path / "b", cache_dir=tmp_path / "cache")
    assert again.segments_rendered == 0 and again.segments_reused == first.segments_rendered
    scenes = list(spec.scenes)
    scenes[2] = scenes[2].model_copy(update={"caption": "Bedroom"})
    changed = render_video(
        spec.model_copy(update={"scenes": scenes}), tmp_path / "c", cache_dir=tmp_path / "cache"
    )
    # The title is on the framed scene's top panel, under the street it shares with the scene
    # before, which now holds the street into it instead of fading it: two clips, no more.
    assert changed.segments_rendered == 2
    assert changed.segments_reused == first.segments_rendered - 2


def test_a_rerender_reuses_the_measured_soundtrack(
    rendered: tuple[RenderResult, list[RenderProgress]], tmp_path: Path
) -> None:
    first, _ = rendered
    cache = first.video.parent.parent / "cache"
    again = render_video(small_spec(), tmp_path / "again", cache_dir=cache)
    assert again.segments_rendered == 0
    assert again.loudness_lufs == first.loudness_lufs
    assert again.true_peak_dbtp == first.true_peak_dbtp
    assert abs(measure_loudness(again.video).integrated_lufs - (again.loudness_lufs or 0)) < 0.2
