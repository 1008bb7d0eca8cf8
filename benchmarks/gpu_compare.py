"""NVENC against libx264: the same frames encoded by both, and the whole render with each.

    bash benchmarks/gpu.sh                 # checks the GPU and FFmpeg first, then runs this

1. The `make bench` workload (12 photos, 30 s, 1080x1920, 30 fps) rendered whole, once with each
   encoder, fresh caches, timed with the engine's stages.
2. The first 300 frames of the libx264 render decoded to raw, then encoded by libx264 (`veryfast`,
   CRF 20) and by NVENC (the engine's final settings): wall time per encoder, and SSIM of the
   NVENC stream against the libx264 stream of the same frames (target ≥ 0.95).

Writes benchmarks/results/gpu.json and prints a RESULTS.md section.
"""

from __future__ import annotations

import json
import platform
import re
import shutil
import subprocess
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from benchmarks.run_all import PHOTOS, workload
from reelestate.render.engine import render_video
from reelestate.render.ffmpeg import binary_version, find_tools
from reelestate.render.probe import inspect_video
from reelestate.render.video_codec import VideoCodec, codec_args, detect_codec

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "benchmarks" / "results" / "gpu.json"
SAMPLE_FRAMES = 300
SSIM_TARGET = 0.95


def whole_render(codec: VideoCodec, work: Path) -> dict[str, object]:
    spec = workload(PHOTOS)
    start = time.perf_counter()
    result = render_video(spec, work / codec, cache_dir=work / f"cache-{codec}", codec=codec)
    wall = time.perf_counter() - start
    report = inspect_video(result.video)
    return {
        "wall_s": round(wall, 2),
        "stages_s": result.timings,
        "profile": report.profile,
        "colour": list(report.colour),
        "faststart": report.faststart,
        "video": str(result.video),
    }


def encode(raw: Path, codec: VideoCodec, out: Path, size: tuple[int, int]) -> float:
    w, h = size
    args = [find_tools().ffmpeg, "-hide_banner", "-loglevel", "error", "-y"]
    args += ["-f", "rawvideo", "-pix_fmt", "yuv420p", "-s", f"{w}x{h}", "-framerate", "30"]
    args += ["-i", str(raw), *codec_args(codec, "final"), "-pix_fmt", "yuv420p", str(out)]
    start = time.perf_counter()
    subprocess.run(args, check=True)
    return round(time.perf_counter() - start, 2)


def ssim(a: Path, b: Path) -> float:
    args = [find_tools().ffmpeg, "-hide_banner", "-i", str(a), "-i", str(b)]
    args += ["-lavfi", "ssim", "-f", "null", "-"]
    text = subprocess.run(args, capture_output=True, text=True, check=True).stderr
    match = re.search(r"All:([0-9.]+)", text)
    if match is None:
        raise SystemExit(f"No SSIM in FFmpeg's output: {text[-400:]}")
    return round(float(match.group(1)), 4)


def run(work: Path) -> dict[str, object]:
    spec = workload(PHOTOS)
    renders = {codec: whole_render(codec, work) for codec in ("libx264", "h264_nvenc")}
    raw = work / "frames.yuv"
    decode = [find_tools().ffmpeg, "-loglevel", "error", "-y"]
    decode += ["-i", str(renders["libx264"]["video"]), "-frames:v", str(SAMPLE_FRAMES)]
    subprocess.run([*decode, "-f", "rawvideo", "-pix_fmt", "yuv420p", str(raw)], check=True)
    x264 = work / "x264.mp4"
    nvenc = work / "nvenc.mp4"
    same_frames = {
        "frames": SAMPLE_FRAMES,
        "libx264_s": encode(raw, "libx264", x264, spec.size),
        "h264_nvenc_s": encode(raw, "h264_nvenc", nvenc, spec.size),
        "ssim_nvenc_vs_x264": ssim(nvenc, x264),
        "libx264_bytes": x264.stat().st_size,
        "h264_nvenc_bytes": nvenc.stat().st_size,
    }
    return {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": f"{platform.machine()}, {platform.processor() or '?'}",
        "ffmpeg": binary_version(find_tools().ffmpeg),
        "detected_codec": detect_codec(find_tools().ffmpeg),
        "whole_render": renders,
        "same_frames": same_frames,
    }


def markdown(result: dict[str, object]) -> str:
    renders = result["whole_render"]
    frames = result["same_frames"]
    assert isinstance(renders, dict) and isinstance(frames, dict)
    score = float(frames["ssim_nvenc_vs_x264"])
    lines = [
        "## NVENC (`bash benchmarks/gpu.sh`)",
        "",
        f"{result['machine']}, {result['ffmpeg']}, {result['date']}; the engine detects "
        f"`{result['detected_codec']}` here. One run.",
        "",
        "| measure | libx264 | h264_nvenc |",
        "| --- | --- | --- |",
        f"| whole render, 12 photos, 30 s 1080x1920 (s) | {renders['libx264']['wall_s']} | "
        f"{renders['h264_nvenc']['wall_s']} |",
        f"| frames stage (s) | {renders['libx264']['stages_s'].get('frames')} | "
        f"{renders['h264_nvenc']['stages_s'].get('frames')} |",
        f"| {frames['frames']} raw frames encoded alone (s) | {frames['libx264_s']} | "
        f"{frames['h264_nvenc_s']} |",
        f"| bytes for those frames | {frames['libx264_bytes']} | {frames['h264_nvenc_bytes']} |",
        f"| H.264 profile, colour tags, faststart | {renders['libx264']['profile']}, "
        f"{renders['libx264']['colour']}, {renders['libx264']['faststart']} | "
        f"{renders['h264_nvenc']['profile']}, {renders['h264_nvenc']['colour']}, "
        f"{renders['h264_nvenc']['faststart']} |",
        "",
        f"SSIM of NVENC against libx264 on the same frames: {score} (target ≥ {SSIM_TARGET}: "
        f"{'met' if score >= SSIM_TARGET else 'MISSED'}).",
        "",
    ]
    return "\n".join(lines)


def main() -> None:
    work = Path(tempfile.mkdtemp(prefix="reelestate-gpu-"))
    try:
        result = run(work)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(result, indent=2, default=str) + "\n")
    print(markdown(result))


if __name__ == "__main__":
    main()
