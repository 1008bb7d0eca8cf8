from __future__ import annotations

from pathlib import Path

from reelestate.render.captions import ass_header
from reelestate.render.encode import concat_list, mux_args, segment_args
from reelestate.render.ffmpeg import escape_filter_value, run_ffmpeg
from reelestate.render.layout import caption_layout
from reelestate.render.spec import BrandKit


def test_single_clip_args_write_one_mp4_with_bt709_tags() -> None:
    args = segment_args(
        width=540, height=960, fps=30, profile="preview", out=Path("/w/run-%03d.mp4")
    )
    assert args[-1] == "/w/run-000.mp4"
    assert args[args.index("-preset") + 1] == "ultrafast"
    assert "-profile:v" not in args
    assert args[args.index("-colorspace") + 1] == "bt709"
    assert "-vf" not in args


def test_split_args_force_idr_frames_exactly_at_the_boundaries() -> None:
    args = segment_args(
        width=1080,
        height=1920,
        fps=30,
        profile="final",
        out=Path("/w/run-%03d.mp4"),
        subtitles=Path("/w/it's: a [test].ass"),
        fonts_dir=Path("/fonts"),
        split_at=[75, 150],
    )
    assert args[args.index("-force_key_frames") + 1] == "expr:eq(n,75)+eq(n,150)"
    assert args[args.index("-segment_frames") + 1] == "75,150"
    assert args[args.index("-profile:v") + 1] == "high"
    graph = args[args.index("-vf") + 1]
    # The path is escaped for the filter graph: no bare quote, colon, or bracket survives.
    assert "it\\\\\\'s\\\\: a \\[test\\].ass" in graph
    assert args[-1] == "/w/run-%03d.mp4"


def test_concat_list_quotes_paths_and_mux_copies_streams() -> None:
    listing = concat_list([Path("/c/a.mp4"), Path("/c/it's.mp4")])
    assert listing.splitlines() == [
        "ffconcat version 1.0",
        "file '/c/a.mp4'",
        "file '/c/it'\\''s.mp4'",
    ]
    args = mux_args(segments_list=Path("/w/l"), audio=Path("/w/a.m4a"), out=Path("/o/v.mp4"))
    assert args[args.index("-c") + 1] == "copy"
    assert "+faststart" in args


def test_escaped_path_opens_in_ffmpeg(tmp_path: Path) -> None:
    folder = tmp_path / "we ird"
    folder.mkdir()
    ass = folder / "it's: a [test].ass"
    layout = caption_layout("1:1", 64, 64, BrandKit())
    ass.write_text(ass_header(layout), encoding="utf-8")
    graph = f"ass=filename={escape_filter_value(str(ass))}"
    run_ffmpeg(
        ["-f", "lavfi", "-i", "color=s=64x64", "-frames:v", "1", "-vf", graph, "-f", "null", "-"]
    )
