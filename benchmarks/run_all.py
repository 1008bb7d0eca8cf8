"""`make bench`: the render engine against its baselines, in one run, written to RESULTS.md.

Workload: a 30 s 1080x1920 30 fps video from 12 photos with captions, espeak-ng narration and
a ducked music bed. Every figure is a ratio measured in this one run on this machine.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path

import psutil

from benchmarks import baselines, jitter
from benchmarks.measure import Measurement, measured, timed
from reelestate.render.captions import build_cues
from reelestate.render.engine import RenderResult, render_video
from reelestate.render.ffmpeg import binary_version, find_tools
from reelestate.render.spec import RenderSpec, parse_spec

ROOT = Path(__file__).resolve().parent.parent
PHOTOS = sorted((ROOT / "tests" / "fixtures" / "photos").glob("house*/*.jpg"))
REPEATS = 3
"""Rounds of final, floor and preview; the report takes each one's median."""
MOTIONS = ["zoom_in", "pan_right", "zoom_out", "pan_left", "zoom_in", "static"]
NARRATION = (
    "Welcome to three homes worth seeing this week. Each one offers bright rooms, practical "
    "kitchens and calm bedrooms. Step inside the first kitchen, with a gas range and plenty of "
    "counter space. The bedrooms are quiet and full of natural light. Bathrooms are clean and "
    "simple. Call today to schedule a private showing of any of these homes."
)


def workload(photos: list[Path], seconds_per_photo: float = 2.5) -> RenderSpec:
    scenes = [
        {
            "photo": str(p),
            "duration": seconds_per_photo,
            "motion": {"kind": MOTIONS[i % len(MOTIONS)]},
            "caption": p.stem.capitalize(),
            "transition": {"kind": "crossfade", "duration": 0.5},
        }
        for i, p in enumerate(photos)
    ]
    return parse_spec(
        {
            "scenes": scenes,
            "narration": {"text": NARRATION, "offset": 0.3},
            "music": {"mood": "warm"},
            "brand": {"name": "Harbor & Pine Realty", "intro_card": False, "outro_card": False},
            "facts": {"price": 529000, "beds": 3, "baths": 2, "area_sqft": 1826},
        }
    )


def _render(spec: RenderSpec, out: Path, cache: Path) -> tuple[Measurement, RenderResult]:
    holder: list[RenderResult] = []
    with measured() as m:
        holder.append(render_video(spec, out, cache_dir=cache))
    return m, holder[0]


def _floor(video: Path, spec: RenderSpec, work: Path) -> Measurement:
    """libx264 `veryfast` alone on `video`'s decoded frames (the decode is not timed)."""
    raw = baselines.encode_floor(video, work)
    w, h = spec.size
    try:
        return timed(
            lambda: subprocess.run(
                baselines.floor_command(raw, w, h, spec.fps, work / "floor.mp4"), check=True
            )
        )
    finally:
        raw.unlink()


def _median(measurements: list[Measurement]) -> Measurement:
    return sorted(measurements, key=lambda m: m.seconds)[len(measurements) // 2]


def run(work: Path, *, moviepy: bool, repeats: int = REPEATS) -> dict[str, object]:
    spec = workload(PHOTOS)
    preview_spec = spec.model_copy(update={"profile": "preview"})
    finals: list[tuple[Measurement, RenderResult]] = []
    floors: list[Measurement] = []
    previews: list[tuple[Measurement, RenderResult]] = []
    # Rounds of final, floor and preview, each render on a cold cache: a machine that slows
    # for a moment (shared cores) moves one round, and the medians below leave it out.
    for i in range(repeats):
        finals.append(_render(spec, work / f"final-{i}", work / f"cache-final-{i}"))
        floors.append(_floor(finals[-1][1].video, spec, work))
        previews.append(_render(preview_spec, work / f"preview-{i}", work / f"cache-preview-{i}"))
    final_m = _median([m for m, _ in finals])
    final = next(r for m, r in finals if m is final_m)
    preview_m = _median([m for m, _ in previews])
    preview = next(r for m, r in previews if m is preview_m)
    floor_m = _median(floors)
    # One scene changed: a new caption on the sixth photo, with the first round's warm cache.
    changed_scenes = list(spec.scenes)
    changed_scenes[5] = changed_scenes[5].model_copy(update={"caption": "Sunlit room"})
    changed = spec.model_copy(update={"scenes": changed_scenes})
    change_m, change_result = _render(changed, work / "changed", work / "cache-final-0")
    zoompan_m = timed(
        lambda: subprocess.run(baselines.zoompan_command(spec, work / "zoompan.mp4"), check=True)
    )

    results: dict[str, object] = {
        "rounds": repeats,
        "final_runs_s": [round(m.seconds, 2) for m, _ in finals],
        "floor_runs_s": [round(m.seconds, 2) for m in floors],
        "preview_runs_s": [round(m.seconds, 2) for m, _ in previews],
        "final_s": final_m.seconds,
        "final_cpu_s": round(final_m.cpu_seconds, 2),
        "final_peak_rss_mb": max(m.peak_rss_mb for m, _ in finals),
        "final_stage_s": final.timings,
        "floor_s": floor_m.seconds,
        "floor_cpu_s": round(floor_m.cpu_seconds, 2),
        "zoompan_s": zoompan_m.seconds,
        "zoompan_cpu_s": round(zoompan_m.cpu_seconds, 2),
        "preview_s": preview_m.seconds,
        "preview_cpu_s": round(preview_m.cpu_seconds, 2),
        "preview_stage_s": preview.timings,
        "one_scene_change_s": change_m.seconds,
        "one_scene_change_cpu_s": round(change_m.cpu_seconds, 2),
        "one_scene_change_stage_s": change_result.timings,
        "one_scene_change_clips_rendered": change_result.segments_rendered,
        "clips": final.segments_rendered,
        "jitter_ours_px": _stats(jitter.ours()),
        "jitter_zoompan_px": _stats(jitter.zoompan(work)),
    }
    if moviepy:
        assert final.narration is not None
        cues = build_cues(final.narration.words, offset=0.3, max_chars=24)
        captions = [(c.start, c.end, c.text) for c in cues]
        music = next((work / "cache-final-0" / "music").glob("*.wav"))
        moviepy_m = timed(
            lambda: baselines.moviepy_render(
                spec, final.narration.audio, music, captions, work / "moviepy.mp4"
            )  # type: ignore[union-attr]
        )
        results["moviepy_s"] = moviepy_m.seconds
        results["moviepy_peak_rss_mb"] = moviepy_m.peak_rss_mb
    return results


def _stats(values: object) -> dict[str, float]:
    import numpy as np  # noqa: PLC0415

    arr = np.asarray(values)
    return {"mean": round(float(arr.mean()), 4), "max": round(float(arr.max()), 4)}


def _row(name: str, value: float, limit: float, *, at_most: bool = True) -> str:
    """A figure against its target: `at_most` (≤ limit) or at least (≥ limit)."""
    ok = value <= limit if at_most else value >= limit
    gap = abs(value - limit)
    verdict = "met" if ok else f"MISSED by {gap:.3g} ({gap / limit:.0%} of the target)"
    return f"| {name} | {value:.3g} | {'≤' if at_most else '≥'} {limit:g} | {verdict} |"


def _slowest(stages: object) -> str:
    """The stage that holds most of a render's time, for a missed figure's row."""
    if not isinstance(stages, dict):
        return "?"
    parts = {k: v for k, v in stages.items() if k != "total" and not k.startswith("frames_")}
    name = max(parts, key=lambda k: parts[k])
    held = f"{name} {parts[name]:.1f} s of {stages.get('total', 0):.1f} s"
    loop = {k: v for k, v in stages.items() if k.startswith("frames_")}
    if name != "frames" or not loop:
        return held
    top = sorted(loop, key=lambda k: -loop[k])[:2]
    # frames_write is the pipe into FFmpeg: time spent there is time waiting on the encoder.
    return (
        held + " (" + ", ".join(f"{k.removeprefix('frames_')} {loop[k]:.1f} s" for k in top) + ")"
    )


def write_report(results: dict[str, object], path: Path) -> str:
    final = float(results["final_s"])  # type: ignore[arg-type]
    floor = float(results["floor_s"])  # type: ignore[arg-type]
    zoompan = float(results["zoompan_s"])  # type: ignore[arg-type]
    preview = float(results["preview_s"])  # type: ignore[arg-type]
    change = float(results["one_scene_change_s"])  # type: ignore[arg-type]
    rss = float(results["final_peak_rss_mb"])  # type: ignore[arg-type]
    jit = results["jitter_ours_px"]
    jit_zp = results["jitter_zoompan_px"]
    assert isinstance(jit, dict) and isinstance(jit_zp, dict)
    rows = [
        _row("final / libx264 veryfast floor (x)", final / floor, 1.3),
        _row("zoompan / final (x faster)", zoompan / final, 1.15, at_most=False),
        _row("preview / final (x)", preview / final, 0.15),
        _row("preview wall (s)", preview, 4.0),
        _row("one-scene change / full render (x)", change / final, 0.15),
        _row("peak RSS, all processes (MB)", rss, 700),
        _row("Ken Burns jitter, max (px)", float(jit["max"]), 0.1),
    ]
    holders = [
        f"- final: {_slowest(results.get('final_stage_s'))}",
        f"- preview: {_slowest(results.get('preview_stage_s'))}",
        f"- one-scene change: {_slowest(results.get('one_scene_change_stage_s'))}",
    ]
    if "moviepy_s" in results:
        ratio = float(results["moviepy_s"]) / final  # type: ignore[arg-type]
        rows.insert(1, _row("MoviePy 2 / final (x faster)", ratio, 10, at_most=False))
    cpu = platform.processor() or platform.machine()
    text = "\n".join(
        [
            "# Render benchmarks",
            "",
            f"Run {datetime.now(UTC):%Y-%m-%d %H:%M} UTC on {cpu}, {psutil.cpu_count()} cores, "
            f"{psutil.virtual_memory().total / 2**30:.0f} GiB, Python {platform.python_version()}, "
            f"{binary_version(find_tools().ffmpeg)}.",
            "",
            f"Load average (1 min) before/after the run: {results.get('load_before', '?')} / "
            f"{results.get('load_after', '?')} (other work on the machine skews the ratios).",
            "",
            "Workload: 30 s, 1080x1920, 30 fps, 12 photos, crossfades, burned captions, espeak-ng "
            "narration, ducked music, loudness-normalised; every number below comes from one run",
            f"of `make bench`: {results.get('rounds', 1)} rounds of final, floor and preview, each",
            "render on a cold cache, and each figure the median of its rounds (all rounds are in",
            "the raw figures).",
            "",
            "| measure | value | target | |",
            "|---|---|---|---|",
            *rows,
            "",
            "The stage that holds most of each render's time (engine timers; the frame loop's",
            "parts are in the raw figures as `frames_*`, and `python -m benchmarks.profile_render`",
            "writes the full profile to PROFILE.md):",
            "",
            *holders,
            "",
            "What each figure compares: `final` is the whole render (narration, music bed,",
            "mix, frames, captions, overlays, join, probe, contact sheet); the floor is libx264",
            "`veryfast` alone on the final's decoded frames; zoompan is FFmpeg's zoompan on the",
            "same photos (video only: no captions, transitions or audio); MoviePy renders the same",
            "storyboard with captions and audio. The preview renders at 15 fps and 540x960 with",
            "`ultrafast` and a draft soundtrack (AAC at 128 kb/s, levelled in one pass); the",
            "one-scene change re-renders with a warm cache after one caption changed. Where our",
            "render trails the floor, the cost is the work beside the encoder on the same two",
            "cores: drawing each frame in Python (warps of zoom shots, sub-pixel shifts of pans,",
            "transition blends, overlays while they move; frames reach the encoder's pipe without",
            "a copy), the soundtrack (music bed, mix, level check, AAC, loudness measure) and the",
            "serial ends (narration and photo checks before the first frame; join, probe and",
            "cover after the last). On a busy machine the encoder slows too and these ratios look",
            "better than on an idle one.",
            "",
            "Raw figures (seconds unless named):",
            "",
            "```json",
            json.dumps(results, indent=2),
            "```",
            "",
        ]
    )
    path.write_text(text, encoding="utf-8")
    return text


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--no-moviepy", action="store_true", help="skip the slow MoviePy baseline")
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "RESULTS.md")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="reelestate-bench-"))
    try:
        before = round(os.getloadavg()[0], 2)
        results = run(work, moviepy=not args.no_moviepy)
        results["load_before"] = before
        results["load_after"] = round(os.getloadavg()[0], 2)
        print(write_report(results, args.out))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    sys.exit(0)


if __name__ == "__main__":
    main()
