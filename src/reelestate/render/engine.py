"""The render engine: a `RenderSpec` in, a probed MP4 + SRT + thumbnail out.

Stages: check every input first (so a bad photo fails in a second, not after a minute of
encoding), narration and music, the audio mix, one cached clip per shot, a stream-copy
join with the audio, then a probe. Outputs are written under temporary names and renamed
only after the probe passes, so a crash or a kill never leaves a `video.mp4` behind.
"""

from __future__ import annotations

import os
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from PIL import Image

from reelestate.core.errors import (
    InvalidSpecError,
    PhotoError,
)
from reelestate.core.imaging import load_photo
from reelestate.providers.tts.base import TextToSpeech
from reelestate.render.captions import (
    CaptionLayout,
    Cue,
    ass_events,
    ass_header,
    build_cues,
    srt_document,
)
from reelestate.render.colour import yuv420_to_rgb
from reelestate.render.contact_sheet import sheet_tiles, tile_size
from reelestate.render.ffmpeg import CancelToken, find_tools
from reelestate.render.fonts import DEFAULT_FAMILY, FONT_SUFFIXES, FONTS_DIR, family_name
from reelestate.render.frames import FrameBuffer
from reelestate.render.layout import caption_layout
from reelestate.render.opencv_threads import single_threaded_opencv
from reelestate.render.overlays import blend_overlay, load_logo
from reelestate.render.progress import ProgressHandler, ProgressReporter, RenderProgress
from reelestate.render.publish import publish
from reelestate.render.result import RenderResult
from reelestate.render.segments import (
    SegmentRenderer,
    ShotJob,
    ShotOverlay,
    SourceLoader,
    draw_frame,
    segment_key,
    still_path,
)
from reelestate.render.shot_text import paged_shots, render_size, shot_overlays, title_cues
from reelestate.render.soundtrack import prepare_soundtrack
from reelestate.render.spec import RenderSpec
from reelestate.render.timeline import Shot, Timeline, build_timeline
from reelestate.render.video_codec import VideoCodec, detect_codec

__all__ = ["RenderProgress", "RenderResult", "render_video"]


def check_inputs(spec: RenderSpec) -> dict[Path, tuple[int, int]]:
    """Decode every photo and the logo before any work; report every bad one at once.

    Returns the size each photo's shots will work from, which decides their layout."""
    problems: list[PhotoError] = []
    sizes: dict[Path, tuple[int, int]] = {}

    def size_of(path: Path) -> tuple[int, int] | PhotoError:
        try:
            return render_size(load_photo(path, max_side=512), spec)
        except PhotoError as exc:
            return exc

    paths = list(dict.fromkeys(s.photo for s in spec.scenes))
    # Decoding releases the GIL: the photos are checked on every core, before any frame.
    with ThreadPoolExecutor(max_workers=max(1, min(len(paths), os.cpu_count() or 1))) as pool:
        for path, outcome in zip(paths, pool.map(size_of, paths), strict=True):
            if isinstance(outcome, PhotoError):
                problems.append(outcome)
            else:
                sizes[path] = outcome
    if problems:
        first = problems[0]
        if len(problems) == 1:
            raise first
        names = "; ".join(p.message for p in problems[:5])
        raise PhotoError(f"{len(problems)} photos cannot be used: {names}", hint=first.hint)
    if spec.brand.logo is not None and not spec.flags.unbranded:
        load_logo(spec.brand.logo)
    return sizes


def _fonts_dir(spec: RenderSpec, work: Path) -> tuple[Path, str | None]:
    if spec.brand.font is None:
        return FONTS_DIR, None
    if not spec.brand.font.exists():
        raise InvalidSpecError(f"Brand font not found: {spec.brand.font.name}.")
    fonts = work / "fonts"
    fonts.mkdir(exist_ok=True)
    for src in [*sorted(FONTS_DIR.iterdir()), spec.brand.font]:
        if src.suffix.lower() not in FONT_SUFFIXES:
            continue
        (fonts / src.name).write_bytes(src.read_bytes())
    return fonts, family_name(spec.brand.font)


def _write_thumbnail(
    spec: RenderSpec,
    timeline: Timeline,
    loader: SourceLoader,
    overlays: dict[int, list[ShotOverlay]],
    out: Path,
) -> None:
    # The cold open (the hero photo with the address and the price) is the cover when there is one.
    shot: Shot = next((s for s in timeline.shots if s.kind != "outro"), timeline.shots[0])
    w, h = spec.size
    frame = FrameBuffer(w, h)
    middle = (shot.visible_start + shot.end_frame - 1) // 2
    draw_frame(loader.get(shot), shot, middle, frame)
    for item in overlays[shot.index]:
        blend_overlay(frame, item.overlay)
    Image.fromarray(yuv420_to_rgb(*frame.planes())).save(out, format="JPEG", quality=90)


@dataclass
class _Clips:
    paths: list[Path]
    rendered: int
    reused: int


def _render_clips(
    spec: RenderSpec,
    timeline: Timeline,
    *,
    cues: list[Cue],
    layout: CaptionLayout,
    overlays: dict[int, list[ShotOverlay]],
    paged: set[int],
    renderer: SegmentRenderer,
    clips_dir: Path,
    work: Path,
    progress: ProgressReporter,
) -> _Clips:
    """One clip per shot; shots without a cached clip are encoded in consecutive runs."""

    def events(shot: Shot, origin: float) -> str:
        window = (timeline.seconds(shot.start_frame), timeline.seconds(shot.end_frame))
        return ass_events(cues, window=window, origin=origin, panel=shot.index in paged)

    memo: dict[Path, str] = {}
    result = _Clips(paths=[], rendered=0, reused=0)
    tiles = sheet_tiles(timeline)
    stills = {shot.index: tile.frame for shot, tile in zip(timeline.shots, tiles, strict=True)}
    runs: list[list[ShotJob]] = []
    progress.stage("frames")
    previous_missing = False
    for i, shot in enumerate(timeline.shots):
        nxt = timeline.shots[i + 1] if i + 1 < len(timeline.shots) else None
        next_overlays = overlays[nxt.index] if nxt else []
        own = events(shot, timeline.seconds(shot.start_frame))
        ass_text = ass_header(layout) + own if own else None
        key = segment_key(
            shot, nxt, spec, overlays[shot.index], next_overlays, ass_text, memo, renderer.codec
        )
        clip = clips_dir / f"{key}.mp4"
        result.paths.append(clip)
        if clip.exists():
            result.reused += 1
            progress.frames(shot.frames)
            previous_missing = False
            continue
        job = ShotJob(shot, nxt, overlays[shot.index], next_overlays, clip, stills[shot.index])
        if previous_missing:
            runs[-1].append(job)
        else:
            runs.append([job])
        previous_missing = True
    for run in runs:
        start = timeline.seconds(run[0].shot.start_frame)
        text = "".join(events(job.shot, start) for job in run)
        ass_path = None
        if text:
            ass_path = work / f"run-{run[0].shot.index:03d}.ass"
            ass_path.write_text(ass_header(layout) + text, encoding="utf-8")
        renderer.render_run(run, ass_path, work, progress.frames)
        result.rendered += len(run)
    return result


class _Stopwatch:
    """Seconds spent in each stage, for the job report and the benchmarks."""

    def __init__(self) -> None:
        self.started = self.clock = time.perf_counter()
        self.timings: dict[str, float] = {}

    def lap(self, name: str) -> None:
        now = time.perf_counter()
        self.timings[name] = round(now - self.clock, 3)
        self.clock = now

    def add(self, prefix: str, seconds: dict[str, float]) -> None:
        """Parts of a stage measured elsewhere (the frame loop's), under `prefix_part`."""
        for name, value in seconds.items():
            self.timings[f"{prefix}_{name}"] = round(value, 3)

    def total(self) -> dict[str, float]:
        return {**self.timings, "total": round(time.perf_counter() - self.started, 3)}


def render_video(
    spec: RenderSpec,
    out_dir: Path,
    *,
    on_progress: ProgressHandler | None = None,
    cancel: CancelToken | None = None,
    cache_dir: Path,
    tts: TextToSpeech | None = None,
    codec: VideoCodec | None = None,
) -> RenderResult:
    """Render `spec` into `out_dir` as video.mp4, video.srt, thumbnail.jpg, contact-sheet.jpg.

    `codec`: the H.264 encoder; None picks NVENC where this machine has it, else libx264."""
    watch = _Stopwatch()
    cache = Path(cache_dir).resolve()
    for folder in (out_dir, cache / "clips", cache / "audio"):
        folder.mkdir(parents=True, exist_ok=True)
    timeline = build_timeline(spec)
    progress = ProgressReporter(on_progress, timeline.total_frames)
    progress.stage("prepare")
    sizes = check_inputs(spec)
    paged = paged_shots(spec, timeline, sizes)
    watch.lap("prepare")
    sound = prepare_soundtrack(spec, timeline, cache, progress, tts, cancel)
    watch.lap("voice_and_music")
    w, h = spec.size
    with tempfile.TemporaryDirectory(dir=cache, prefix="render-") as tmp:
        work = Path(tmp)
        fonts_dir, family = _fonts_dir(spec, work)
        layout = caption_layout(spec.aspect, w, h, spec.brand, family or DEFAULT_FAMILY)
        narration_cues = build_cues(
            sound.words, offset=sound.voice_start, max_chars=layout.max_chars
        )
        titles = title_cues(timeline, paged)
        overlays = shot_overlays(spec, timeline, paged)
        loader = SourceLoader(spec, (w, h))
        renderer = SegmentRenderer(
            spec=spec,
            sources=loader,
            fonts_dir=fonts_dir,
            cancel=cancel,
            codec=codec or detect_codec(find_tools().ffmpeg),
            still_size=tile_size(w, h),
        )
        try:
            with single_threaded_opencv():
                clips = _render_clips(
                    spec,
                    timeline,
                    cues=[*narration_cues, *titles] if spec.flags.captions else [],
                    layout=layout,
                    overlays=overlays,
                    paged=paged,
                    renderer=renderer,
                    clips_dir=cache / "clips",
                    work=work,
                    progress=progress,
                )
            watch.lap("frames")
            watch.add("frames", renderer.stage_seconds)
            mixed = sound.wait()
            watch.lap("audio_wait")
            final, loudness = publish(
                spec,
                timeline,
                clips=clips.paths,
                stills=[still_path(clip) for clip in clips.paths],
                sound=sound,
                mixed=mixed,
                srt_text=srt_document(narration_cues or titles),
                thumbnail=lambda path: _write_thumbnail(spec, timeline, loader, overlays, path),
                work=work,
                out_dir=out_dir,
                cancel=cancel,
                progress=progress,
                lap=watch.lap,
            )
        finally:
            loader.close()
    progress.stage("done", 1.0)
    return RenderResult(
        video=final["video"],
        subtitles=final["srt"],
        thumbnail=final["thumb"],
        contact_sheet=final["sheet"],
        duration=timeline.duration,
        width=w,
        height=h,
        fps=spec.frame_rate,
        frames=timeline.total_frames,
        loudness_lufs=loudness.integrated_lufs if loudness else None,
        true_peak_dbtp=loudness.true_peak_dbtp if loudness else None,
        segments_rendered=clips.rendered,
        segments_reused=clips.reused,
        narration=sound.narration,
        voice_start=sound.voice_start if sound.voice is not None else None,
        timings=watch.total(),
        notes=tuple(sound.narration.notes) if sound.narration else (),
    )
