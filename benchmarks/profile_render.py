"""Where a render's time goes: per stage, per frame, and who uses the two cores.

    python -m benchmarks.profile_render                 # the `make bench` workload, final profile
    python -m benchmarks.profile_render --photos 4      # a shorter run

Three looks at the same storyboard (the 12-photo workload of `run_all`), written to PROFILE.md:

1. A plain render with the engine's own stage and frame-loop timers, and the CPU seconds of this
   process (frames drawn in Python) against its children (x264 and the other FFmpeg steps).
2. The same render under cProfile: the native calls that the frame loop spends its time in
   (warps, blends, pipe writes) and the text drawing done once per render.
3. Per frame, outside the encoder: luma and chroma warps timed apart, a crossfade, the overlays of
   a framed shot, one pipe write to a process that discards it, and x264 alone on the frames.

Thread counts: OpenCV's pool and the peak thread count of the encoder process while it runs.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import platform
import pstats
import resource
import shutil
import statistics
import subprocess
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import cv2
import numpy as np
import psutil

from benchmarks.run_all import PHOTOS, workload
from reelestate.render.camera import inverse_map
from reelestate.render.engine import RenderResult, check_inputs, render_video
from reelestate.render.ffmpeg import FFmpegPipe, binary_version, find_tools
from reelestate.render.frames import FrameBuffer, _shift_into
from reelestate.render.overlays import blend_overlay
from reelestate.render.segments import SourceLoader, draw_frame, overlay_state
from reelestate.render.shot_source import ShotSource
from reelestate.render.shot_text import paged_shots, shot_overlays
from reelestate.render.spec import RenderSpec
from reelestate.render.timeline import build_timeline
from reelestate.render.transitions import blend

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "benchmarks" / "PROFILE.md"
SAMPLE_FRAMES = 60

NATIVE_CALLS = {
    "<warpAffine>": "warps of zooms (Y, U, V planes)",
    "_shift_into": "sub-pixel shifts of pans and stills (Y, U, V planes)",
    "<addWeighted>": "weighted sums (shifts and transition blends)",
    "<blendLinear>": "overlay blends (OpenCV)",
    "blend_overlay": "overlay blends, all",
    "method 'copyto'": "page copies",
    "splice": "frames lent to the pipe (incl. waiting for x264)",
    "method 'write' of '_io.FileIO'": "pipe writes where lending is refused",
    "close": "encoder drain",
    "render_shot_frame": "shot frame drawing, all",
    "prepare_shot": "shot preparation (resize, colour)",
    "load_photo": "photo decoding",
    "shot_overlays": "text and panel overlays, drawn once",
    "run_ffmpeg": "FFmpeg steps (mux, probe, sheet, audio)",
}


@contextmanager
def encoder_threads() -> Iterator[list[int]]:
    """Sample the thread count of this process's ffmpeg children; yields [peak]."""
    peak = [0]
    stop = threading.Event()

    def sample() -> None:
        me = psutil.Process()
        while not stop.wait(0.1):
            for child in me.children(recursive=True):
                try:
                    if child.name().startswith("ffmpeg"):
                        peak[0] = max(peak[0], child.num_threads())
                except psutil.Error:
                    continue

    thread = threading.Thread(target=sample, daemon=True)
    thread.start()
    try:
        yield peak
    finally:
        stop.set()
        thread.join()


def _cpu() -> tuple[float, float]:
    me = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime, kids.ru_utime + kids.ru_stime


def plain_render(spec: RenderSpec, work: Path) -> dict[str, object]:
    cpu_self, cpu_kids = _cpu()
    start = time.perf_counter()
    with encoder_threads() as peak:
        result = render_video(spec, work / "plain", cache_dir=work / "cache-plain")
    wall = time.perf_counter() - start
    after_self, after_kids = _cpu()
    return {
        "wall_s": round(wall, 2),
        "timings": result.timings,
        "cpu_python_s": round(after_self - cpu_self, 2),
        "cpu_children_s": round(after_kids - cpu_kids, 2),
        "encoder_threads_peak": peak[0],
        "frames": result.frames,
        "result": result,
    }


def profiled_render(spec: RenderSpec, work: Path) -> list[tuple[str, str, float, float, int]]:
    profiler = cProfile.Profile()
    profiler.enable()
    render_video(spec, work / "profiled", cache_dir=work / "cache-profiled")
    profiler.disable()
    stats = pstats.Stats(profiler)
    rows = []
    table = stats.stats  # type: ignore[attr-defined]
    for needle, label in NATIVE_CALLS.items():
        tottime = cumtime = 0.0
        calls = 0
        for (filename, _line, name), (_cc, nc, tt, ct, _callers) in table.items():
            hit = needle in name if needle.startswith(("<", "method")) else name == needle
            if needle == "close":
                hit = name == "close" and filename.endswith("ffmpeg.py")
            if hit:
                tottime += tt
                cumtime += ct
                calls += nc
        rows.append((needle, label, round(tottime, 2), round(cumtime, 2), calls))
    return rows


def _median_ms(fn: Callable[[], object], repeat: int = SAMPLE_FRAMES) -> str:
    """Median wall and CPU milliseconds of `fn` (CPU counts every thread of this process, so it
    holds still when other work shares the machine)."""
    fn()
    walls, cpus = [], []
    for _ in range(repeat):
        start, cpu = time.perf_counter(), time.process_time()
        fn()
        walls.append(time.perf_counter() - start)
        cpus.append(time.process_time() - cpu)
    return f"{statistics.median(walls) * 1000:.2f} / {statistics.median(cpus) * 1000:.2f}"


def per_frame(spec: RenderSpec) -> dict[str, str]:
    """Milliseconds per frame for each piece of the loop, measured apart on this workload."""
    w, h = spec.size
    timeline = build_timeline(spec)
    sizes = check_inputs(spec)
    paged = paged_shots(spec, timeline, sizes)
    overlays = shot_overlays(spec, timeline, paged)
    loader = SourceLoader(spec, (w, h))
    shots = timeline.shots
    first, second = shots[0], shots[1]
    frame = FrameBuffer(w, h)
    other = FrameBuffer(w, h)
    mixed = FrameBuffer(w, h)
    black = FrameBuffer(w, h)
    black.fill_black()
    source = loader.get(first)
    assert isinstance(source, ShotSource)
    mid = (first.start_frame + first.end_frame) // 2
    out: dict[str, str] = {}
    out["draw_frame"] = _median_ms(lambda: draw_frame(source, first, mid, frame))
    window = source.path.at(0.5)
    box = source.framing.box if source.framing else None
    y_dst = frame.y[box.y : box.bottom, box.x : box.right] if box else frame.y
    c_dst = frame.u[box.y // 2 : box.bottom // 2, box.x // 2 : box.right // 2] if box else frame.u
    yh, yw = y_dst.shape
    flags = cv2.INTER_LINEAR | cv2.WARP_INVERSE_MAP
    a, tx, ty = inverse_map(window, yw, yh, 1.0)
    luma = np.array([[a, 0.0, tx], [0.0, a, ty]])
    a, tx, ty = inverse_map(window, yw, yh, 0.5)
    chroma = np.array([[a, 0.0, tx], [0.0, a, ty]])
    out["warp_luma"] = _median_ms(
        lambda: cv2.warpAffine(source.y, luma, (yw, yh), dst=y_dst, flags=flags)
    )
    out["warp_chroma_both"] = _median_ms(
        lambda: [
            cv2.warpAffine(p, chroma, (yw // 2, yh // 2), dst=c_dst, flags=flags)
            for p in (source.u, source.v)
        ]
    )
    # A pan's frame: the same box moved by a fraction of a pixel each way.
    assert _shift_into(source.y, 0.37, 0.61, y_dst), "the sample shift reads outside the photo"
    out["shift_luma"] = _median_ms(lambda: _shift_into(source.y, 0.37, 0.61, y_dst))
    out["framed_page_copy"] = _median_ms(lambda: np.copyto(frame.data, other.data))
    draw_frame(loader.get(second), second, second.start_frame, other)
    out["crossfade"] = _median_ms(
        lambda: blend("crossfade", frame, other, alpha=0.5, out=mixed, black=black)
    )
    items = overlays[first.index]

    def composite() -> None:
        for item in items:
            opacity, dy = overlay_state(item, first, mid, spec.fps, h)
            blend_overlay(frame, item.overlay, opacity, dy=dy)

    out["overlays_first_shot"] = _median_ms(composite)
    out["overlay_count_first_shot"] = str(len(items))
    loader.close()
    sink = ["-hide_banner", "-loglevel", "error", "-f", "rawvideo", "-pix_fmt", "yuv420p"]
    sink += ["-s", f"{w}x{h}", "-i", "pipe:0", "-f", "null", "-"]
    with FFmpegPipe(sink) as pipe:
        out["pipe_write"] = _median_ms(lambda: pipe.write(frame.data.data))
        out["pipe_lend"] = _median_ms(lambda: pipe.lend(frame.data.data))
        pipe.close()
    return out


def encoder_alone(video: Path, spec: RenderSpec, work: Path) -> dict[str, float]:
    """x264 `veryfast` on the first frames of the rendered video, decoded to a file first."""
    ffmpeg = find_tools().ffmpeg
    raw = work / "sample.yuv"
    frames = 150
    decode = [ffmpeg, "-loglevel", "error", "-y", "-i", str(video), "-frames:v", str(frames)]
    subprocess.run([*decode, "-f", "rawvideo", "-pix_fmt", "yuv420p", str(raw)], check=True)
    w, h = spec.size
    result: dict[str, float] = {}
    for threads in ("auto", "1", "2"):
        args = [ffmpeg, "-loglevel", "error", "-y", "-f", "rawvideo", "-pix_fmt", "yuv420p"]
        args += ["-s", f"{w}x{h}", "-framerate", str(spec.fps), "-i", str(raw)]
        args += ["-c:v", "libx264", "-preset", "veryfast", "-crf", "20"]
        args += ["-threads", "0" if threads == "auto" else threads, "-f", "null", "-"]
        _, kids = _cpu()
        start = time.perf_counter()
        subprocess.run(args, check=True)
        wall = time.perf_counter() - start
        _, kids_after = _cpu()
        result[f"x264_ms_per_frame_threads_{threads}"] = round(wall / frames * 1000, 2)
        result[f"x264_cpu_ms_per_frame_threads_{threads}"] = round(
            (kids_after - kids) / frames * 1000, 2
        )
    raw.unlink()
    return result


def _table(rows: list[tuple[object, ...]], header: tuple[str, ...]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
    return lines


def report(
    spec: RenderSpec,
    plain: dict[str, object],
    calls: list[tuple[str, str, float, float, int]],
    frame_ms: dict[str, str],
    x264: dict[str, float],
) -> str:
    result = plain["result"]
    assert isinstance(result, RenderResult)
    timings = plain["timings"]
    assert isinstance(timings, dict)
    frames = int(plain["frames"])  # type: ignore[call-overload]
    wall = float(plain["wall_s"])  # type: ignore[arg-type]
    py = float(plain["cpu_python_s"])  # type: ignore[arg-type]
    kids = float(plain["cpu_children_s"])  # type: ignore[arg-type]
    cores = psutil.cpu_count() or 1
    w, h = spec.size
    stage_rows = [(k, v, f"{100 * v / timings['total']:.0f} %") for k, v in timings.items()]
    loop_rows = [
        (k.removeprefix("frames_"), v, round(v / frames * 1000, 2))
        for k, v in timings.items()
        if k.startswith("frames_")
    ]
    lines = [
        "# Render profile",
        "",
        f"`python -m benchmarks.profile_render` on {platform.machine()}, {cores} cores, "
        f"{binary_version(find_tools().ffmpeg)}; load average (1 min) "
        f"{os.getloadavg()[0]:.2f} at the end. Workload: {len(spec.scenes)} photos, "
        f"{w}x{h}, {spec.frame_rate} fps, {frames} frames, profile `{spec.profile}`. One run; on a "
        "shared machine the absolute times move by tens of percent, the shares less.",
        "",
        "## Stages of one render (engine timers)",
        "",
        *_table(stage_rows, ("stage", "seconds", "share")),
        "",
        f"Wall {wall:.1f} s. CPU: this process (frames drawn in Python) {py:.1f} s, child "
        f"processes (x264 and the other FFmpeg steps) {kids:.1f} s; together "
        f"{(py + kids) / wall:.2f} of the {cores} cores over the render.",
        "",
        "## The frame loop, per part (engine timers)",
        "",
        *_table(loop_rows, ("part", "seconds", "ms / frame")),
        "",
        "`write` is the time the loop is blocked handing a frame to the encoder: mostly x264",
        "not yet ready for the next frame, so it measures how far the encoder trails the loop.",
        "",
        "## Under cProfile (a second render, cold cache)",
        "",
        *_table(calls, ("call", "what", "own s", "cumulative s", "calls")),
        "",
        "## Per frame, measured apart (median of "
        f"{SAMPLE_FRAMES}, milliseconds, first shot of the workload)",
        "",
        *_table(list(frame_ms.items()), ("piece", "ms wall / CPU")),
        "",
        "## x264 alone on 150 frames of the output (veryfast, crf 20)",
        "",
        *_table(list(x264.items()), ("figure", "ms")),
        "",
        "## Threads",
        "",
        f"- OpenCV pool: one thread while frames are drawn (`render.opencv_threads`), "
        f"{cv2.getNumThreads()} otherwise ({cv2.getNumberOfCPUs()} CPUs seen).",
        f"- Encoder process: peak {plain['encoder_threads_peak']} threads during the render.",
        "",
    ]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--photos", type=int, default=len(PHOTOS))
    parser.add_argument("--preview", action="store_true", help="profile the preview instead")
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args()
    spec = workload(PHOTOS[: args.photos])
    if args.preview:
        spec = spec.model_copy(update={"profile": "preview"})
    work = Path(tempfile.mkdtemp(prefix="reelestate-profile-"))
    try:
        plain = plain_render(spec, work)
        calls = profiled_render(spec, work)
        frame_ms = per_frame(spec)
        result = plain["result"]
        assert isinstance(result, RenderResult)
        x264 = encoder_alone(result.video, spec, work)
        text = report(spec, plain, calls, frame_ms, x264)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    args.out.write_text(text, encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()
