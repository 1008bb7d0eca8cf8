"""Which encoder writes the clips: chosen from FFmpeg's list and the GPU's presence alone."""

from __future__ import annotations

from pathlib import Path

from reelestate.render.encode import segment_args
from reelestate.render.video_codec import choose_codec, codec_args, lists_encoder

LISTING = """Encoders:
 V..... = Video
 ------
 V....D libx264              libx264 H.264 / AVC / MPEG-4 AVC / MPEG-4 part 10 (codec h264)
 V....D h264_nvenc           NVIDIA NVENC H.264 encoder (codec h264)
 A....D aac                  AAC (Advanced Audio Coding)
"""
WITHOUT_NVENC = "\n".join(line for line in LISTING.splitlines() if "nvenc" not in line)


def test_nvenc_needs_both_the_encoder_and_a_cuda_device() -> None:
    assert choose_codec(LISTING, cuda_device=True) == "h264_nvenc"
    assert choose_codec(LISTING, cuda_device=False) == "libx264"
    assert choose_codec(WITHOUT_NVENC, cuda_device=True) == "libx264"
    assert choose_codec("", cuda_device=True) == "libx264"
    # A description that mentions NVENC is not the encoder itself.
    assert not lists_encoder(" V....D h264_vaapi  like h264_nvenc but not", "h264_nvenc")


def test_both_encoders_write_the_same_stream_shape() -> None:
    for codec in ("libx264", "h264_nvenc"):
        args = segment_args(
            width=1080,
            height=1920,
            fps=30,
            profile="final",
            out=Path("/w/run-%03d.mp4"),
            split_at=[75],
            codec=codec,
        )
        assert args[args.index("-c:v") + 1] == codec
        assert args[args.index("-profile:v") + 1] == "high"
        assert args[args.index("-pix_fmt", args.index("-c:v")) + 1] == "yuv420p"
        assert args[args.index("-colorspace") + 1] == "bt709"
        assert args[args.index("-color_primaries") + 1] == "bt709"
        assert args[args.index("-forced-idr") + 1] == "1"
        assert args[args.index("-force_key_frames") + 1] == "expr:eq(n,75)"
    assert codec_args("libx264", "preview")[:4] == ["-c:v", "libx264", "-preset", "ultrafast"]
    assert codec_args("h264_nvenc", "final")[:4] == ["-c:v", "h264_nvenc", "-preset", "p4"]
