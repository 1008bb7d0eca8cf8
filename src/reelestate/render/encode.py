"""FFmpeg argument lists for the video side, as pure functions of their inputs."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from reelestate.render.ffmpeg import escape_filter_value
from reelestate.render.spec import Profile
from reelestate.render.video_codec import VideoCodec, codec_args

COLOUR_TAGS = [
    "-colorspace",
    "bt709",
    "-color_primaries",
    "bt709",
    "-color_trc",
    "bt709",
    "-color_range",
    "tv",
]


@dataclass(frozen=True)
class FrameTap:
    """Frames copied out of the encoder's input, captions burned in, as small RGB stills.

    The contact sheet's tiles are taken here, while the frames go by, instead of decoding the
    finished video again; a tap costs a scale of a dozen frames.
    """

    frames: tuple[int, ...]
    """Frame numbers within the encoded run."""
    width: int
    height: int
    out: Path
    """Raw rgb24 stills, one after another, in frame order."""


def _tap_graph(head: str, tap: FrameTap) -> str:
    select = "+".join(f"eq(n\\,{n})" for n in sorted(set(tap.frames)))
    chain = f"[0:v]{head}," if head else "[0:v]"
    return (
        f"{chain}split=2[enc][tap];[tap]select={select},"
        f"scale={tap.width}:{tap.height}:flags=area:in_color_matrix=bt709,format=rgb24[stills]"
    )


def segment_args(
    *,
    width: int,
    height: int,
    fps: int,
    profile: Profile,
    out: Path,
    subtitles: Path | None = None,
    fonts_dir: Path | None = None,
    split_at: list[int] | None = None,
    tap: FrameTap | None = None,
    codec: VideoCodec = "libx264",
) -> list[str]:
    """Raw yuv420p frames on stdin -> H.264 clips, captions burned in by libass.

    With `split_at` (frame numbers), `out` is a `%03d` pattern: an IDR frame is forced at each
    split and the segment muxer starts a new clip there, each with timestamps from zero.
    With `tap`, the frames it names are also written as stills (see `FrameTap`). `codec` is the
    H.264 encoder (`video_codec.detect_codec`); both write the same stream shape.
    """
    args = [
        "-hide_banner", "-loglevel", "error", "-nostdin", "-y",
        "-f", "rawvideo", "-pix_fmt", "yuv420p", "-s", f"{width}x{height}", "-framerate", str(fps),
        "-i", "pipe:0",
    ]  # fmt: skip
    graph = ""
    if subtitles is not None:
        graph = "setparams=colorspace=bt709:color_primaries=bt709:color_trc=bt709:range=tv,"
        graph += f"ass=filename={escape_filter_value(str(subtitles))}"
        if fonts_dir is not None:
            graph += f":fontsdir={escape_filter_value(str(fonts_dir))}"
    if tap is not None:
        args += ["-filter_complex", _tap_graph(graph, tap)]
        args += ["-map", "[stills]", "-fps_mode", "passthrough", "-f", "rawvideo", str(tap.out)]
        args += ["-map", "[enc]"]
    elif graph:
        args += ["-vf", graph]
    args += codec_args(codec, profile)
    args += ["-pix_fmt", "yuv420p", "-g", str(fps * 2), *COLOUR_TAGS, "-an"]
    if not split_at:
        return [*args, "-f", "mp4", str(out).replace("%03d", "000")]
    keyframes = "+".join(f"eq(n,{n})" for n in split_at)
    return [
        *args,
        "-force_key_frames", f"expr:{keyframes}", "-forced-idr", "1",
        # Left on, the shift for B-frame delay lands in the first clip alone and the joined
        # video grows by two frames; off, every clip starts at zero with an edit list.
        "-avoid_negative_ts", "disabled",
        "-f", "segment", "-segment_format", "mp4",
        "-segment_frames", ",".join(str(n) for n in split_at),
        "-reset_timestamps", "1", str(out),
    ]  # fmt: skip


def concat_list(segments: list[Path]) -> str:
    """An FFmpeg concat-demuxer list; quotes in paths escaped the way the demuxer reads them."""
    lines = ["ffconcat version 1.0"]
    for seg in segments:
        quoted = str(seg).replace("'", "'\\''")
        lines.append(f"file '{quoted}'")
    return "\n".join(lines) + "\n"


def mux_args(*, segments_list: Path, audio: Path, out: Path) -> list[str]:
    """Join the segments without re-encoding, add the mixed audio, moov atom first."""
    return [
        "-hide_banner", "-loglevel", "error", "-nostdin", "-y",
        "-f", "concat", "-safe", "0", "-i", str(segments_list),
        "-i", str(audio),
        "-map", "0:v:0", "-map", "1:a:0",
        "-c", "copy", *COLOUR_TAGS,
        "-movflags", "+faststart", "-f", "mp4", str(out),
    ]  # fmt: skip
