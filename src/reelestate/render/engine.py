"""The render engine: a `RenderSpec` in, a probed MP4 + SRT + thumbnail out.

Stages: check every input first (so a bad photo fails in a second, not after a minute of
encoding), narration and music, the audio mix, one cached clip per shot, a stream-copy
join with the audio, then a probe. Outputs are written under temporary names and renamed
only after the probe passes, so a crash or a kill never leaves a `video.mp4` behind.
"""

from __future__ import annotations

import hashlib
import json
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from PIL import Image
from pydantic import BaseModel

from reelestate.core.errors import (
    InvalidSpecError,
    OutputValidationError,
    PhotoError,
)
from reelestate.core.imaging import load_photo
from reelestate.core.settings import get_settings
from reelestate.providers.music.procedural import make_music_bed
from reelestate.providers.tts.base import Narration, TextToSpeech, WordTiming
from reelestate.providers.tts.espeak import EspeakTTS
from reelestate.render.audio import Loudness, measure_loudness, mix_audio
from reelestate.render.captions import (
    CaptionLayout,
    Cue,
    ass_events,
    ass_header,
    build_cues,
    srt_document,
)
from reelestate.render.colour import yuv420_to_rgb
from reelestate.render.encode import concat_list, mux_args
from reelestate.render.ffmpeg import CancelToken, run_ffmpeg
from reelestate.render.fonts import DEFAULT_FAMILY, FONTS_DIR, family_name
from reelestate.render.frames import FrameBuffer, render_shot_frame
from reelestate.render.layout import caption_layout
from reelestate.render.overlays import (
    blend_overlay,
    disclosure_overlay,
    load_logo,
    logo_overlay,
    lower_third,
)
from reelestate.render.probe import ExpectedVideo, check_report, ffprobe_json, inspect_video
from reelestate.render.progress import ProgressHandler, RenderProgress, Stage, progress_event
from reelestate.render.segments import (
    SegmentRenderer,
    ShotOverlay,
    SourceLoader,
    file_digest,
    segment_key,
)
from reelestate.render.spec import RenderSpec
from reelestate.render.timeline import Shot, Timeline, build_timeline

__all__ = ["RenderProgress", "RenderResult", "render_video"]

TRUE_PEAK_LIMIT = -1.0


class RenderResult(BaseModel):
    video: Path
    subtitles: Path
    thumbnail: Path
    duration: float
    width: int
    height: int
    fps: int
    frames: int
    loudness_lufs: float
    true_peak_dbtp: float
    segments_rendered: int
    segments_reused: int
    narration: Narration | None = None
    timings: dict[str, float] = {}


class _Progress:
    def __init__(self, handler: ProgressHandler | None, total_frames: int) -> None:
        self.handler = handler
        self.total = total_frames
        self.done = 0

    def stage(self, stage: Stage, fraction: float = 0.0, message: str = "") -> None:
        if self.handler is not None:
            self.handler(
                progress_event(
                    stage, fraction, frames_done=self.done, frames_total=self.total, message=message
                )
            )

    def frames(self, count: int = 1) -> None:
        self.done += count
        if self.handler is not None and (self.done % 5 == 0 or self.done == self.total):
            self.stage("frames", self.done / max(1, self.total))


def check_inputs(spec: RenderSpec) -> None:
    """Decode every photo and the logo before any work; report every bad one at once."""
    problems: list[PhotoError] = []
    for path in dict.fromkeys(s.photo for s in spec.scenes):
        try:
            load_photo(path, max_side=512)
        except PhotoError as exc:
            problems.append(exc)
    if problems:
        first = problems[0]
        if len(problems) == 1:
            raise first
        names = "; ".join(p.message for p in problems[:5])
        raise PhotoError(f"{len(problems)} photos cannot be used: {names}", hint=first.hint)
    if spec.brand.logo is not None and not spec.flags.unbranded:
        load_logo(spec.brand.logo)


def _audio_duration(path: Path) -> float:
    try:
        return float(ffprobe_json(path)["format"]["duration"])
    except (OutputValidationError, KeyError, ValueError) as exc:
        raise InvalidSpecError(
            f"The voice track {path.name} cannot be read.", hint="Upload it again as WAV or MP3."
        ) from exc


def _narration(
    spec: RenderSpec, cache: Path, tts: TextToSpeech | None
) -> tuple[Path | None, list[WordTiming], float, float, Narration | None]:
    """(audio, words, offset, duration, narration) of the voice, synthesising it when asked."""
    if spec.voice is not None:
        if not spec.voice.audio.exists():
            raise InvalidSpecError(f"Voice track not found: {spec.voice.audio.name}.")
        return (
            spec.voice.audio,
            list(spec.voice.words),
            spec.voice.offset,
            _audio_duration(spec.voice.audio),
            None,
        )
    if spec.narration is not None:
        engine = tts or EspeakTTS()
        narration = engine.synthesize(
            spec.narration.text,
            voice=spec.narration.voice,
            out_dir=cache / "narration",
            rate=spec.narration.rate,
        )
        return (
            narration.audio,
            list(narration.words),
            spec.narration.offset,
            narration.duration,
            narration,
        )
    return None, [], 0.0, 0.0, None


def _title_cues(timeline: Timeline) -> list[Cue]:
    cues = []
    for shot in timeline.shots:
        if shot.caption:
            start = timeline.seconds(shot.start_frame) + 0.2
            end = timeline.seconds(shot.end_frame - shot.transition_frames) - 0.1
            if end > start:
                word = WordTiming(word=shot.caption, start=start, end=end)
                cues.append(Cue(words=(word,), start=start, end=end, style="Title"))
    return cues


def _shot_overlays(spec: RenderSpec, timeline: Timeline) -> dict[int, list[ShotOverlay]]:
    w, h = spec.size
    branded = not spec.flags.unbranded
    logo = logo_overlay(spec.aspect, w, h, spec.brand) if branded else None
    facts = lower_third(spec.aspect, w, h, spec.facts, spec.brand) if spec.facts else None
    disclosure = disclosure_overlay(spec.aspect, w, h) if spec.flags.ai_disclosure else None
    result: dict[int, list[ShotOverlay]] = {}
    for shot in timeline.shots:
        items: list[ShotOverlay] = []
        if shot.kind == "photo":
            if logo is not None:
                items.append(ShotOverlay(logo, fade=False))
            if shot.overlay == "lower_third" and facts is not None:
                items.append(ShotOverlay(facts, fade=True))
            if shot.ai_generated and disclosure is not None:
                items.append(ShotOverlay(disclosure, fade=False))
        result[shot.index] = items
    return result


def _fonts_dir(spec: RenderSpec, work: Path) -> tuple[Path, str | None]:
    if spec.brand.font is None:
        return FONTS_DIR, None
    if not spec.brand.font.exists():
        raise InvalidSpecError(f"Brand font not found: {spec.brand.font.name}.")
    fonts = work / "fonts"
    fonts.mkdir(exist_ok=True)
    for src in [*FONTS_DIR.glob("*.ttf"), spec.brand.font]:
        (fonts / src.name).write_bytes(src.read_bytes())
    return fonts, family_name(spec.brand.font)


def _audio_key(parts: dict[str, object]) -> str:
    return hashlib.sha256(json.dumps(parts, sort_keys=True, default=str).encode()).hexdigest()[:32]


def _write_thumbnail(
    spec: RenderSpec,
    timeline: Timeline,
    loader: SourceLoader,
    overlays: dict[int, list[ShotOverlay]],
    out: Path,
) -> None:
    shot: Shot = next((s for s in timeline.shots if s.kind == "photo"), timeline.shots[0])
    w, h = spec.size
    frame = FrameBuffer(w, h)
    render_shot_frame(loader.get(shot), 0.5, frame)
    for item in overlays[shot.index]:
        blend_overlay(frame, item.overlay)
    Image.fromarray(yuv420_to_rgb(*frame.planes())).save(out, format="JPEG", quality=90)


@dataclass(frozen=True)
class _Sound:
    audio: Path
    voice: Path | None
    music: Path | None
    words: list[WordTiming]
    voice_start: float
    narration: Narration | None


def _prepare_sound(
    spec: RenderSpec,
    timeline: Timeline,
    cache: Path,
    progress: _Progress,
    tts: TextToSpeech | None,
    cancel: CancelToken | None,
) -> _Sound:
    """Narration, music bed and their mix, each reused from the cache when unchanged."""
    progress.stage("voice")
    voice, words, voice_offset, voice_length, narration = _narration(spec, cache, tts)
    voice_start = timeline.voice_start + voice_offset
    if voice is not None and voice_start + voice_length > timeline.duration + 0.05:
        over = voice_start + voice_length - timeline.duration
        raise InvalidSpecError(
            f"The narration runs {voice_length:.1f} s from {voice_start:.1f} s, past the end of "
            f"the {timeline.duration:.1f} s video.",
            hint=f"Shorten the script or make the scenes {over:.1f} s longer in total.",
        )
    progress.stage("music")
    music: Path | None = None
    if spec.music is not None:
        bed_name = f"{spec.music.mood}-{timeline.total_frames}-{spec.fps}.wav"
        music = spec.music.path or make_music_bed(
            spec.music.mood, timeline.duration, cache / "music" / bed_name
        )
        if not music.exists():
            raise InvalidSpecError(f"Music track not found: {music.name}.")
    progress.stage("audio")
    memo: dict[Path, str] = {}
    key = _audio_key(
        {
            "voice": file_digest(voice, memo) if voice else None,
            "voice_start": round(voice_start, 4),
            "music": file_digest(music, memo) if music else None,
            "music_db": spec.music.volume_db if spec.music else None,
            "duck": spec.music.duck if spec.music else None,
            "frames": timeline.total_frames,
            "fps": spec.fps,
        }
    )
    audio = cache / "audio" / f"{key}.m4a"
    if not audio.exists():
        mix_audio(
            voice=voice,
            voice_offset=voice_start,
            music=music,
            music_volume_db=spec.music.volume_db if spec.music else -16.0,
            duck=spec.music.duck if spec.music else False,
            duration=timeline.duration,
            out=audio,
            cancel=cancel,
        )
    return _Sound(audio, voice, music, words, voice_start, narration)


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
    renderer: SegmentRenderer,
    clips_dir: Path,
    work: Path,
    progress: _Progress,
) -> _Clips:
    """One clip per shot, rendered only when no clip with the same key exists."""
    memo: dict[Path, str] = {}
    result = _Clips(paths=[], rendered=0, reused=0)
    progress.stage("frames")
    for i, shot in enumerate(timeline.shots):
        nxt = timeline.shots[i + 1] if i + 1 < len(timeline.shots) else None
        next_overlays = overlays[nxt.index] if nxt else []
        window = (timeline.seconds(shot.start_frame), timeline.seconds(shot.end_frame))
        events = ass_events(cues, window=window)
        ass_text = ass_header(layout) + events if events else None
        key = segment_key(shot, nxt, spec, overlays[shot.index], next_overlays, ass_text, memo)
        clip = clips_dir / f"{key}.mp4"
        result.paths.append(clip)
        if clip.exists():
            result.reused += 1
            progress.frames(shot.frames)
            continue
        ass_path = None
        if ass_text is not None:
            ass_path = work / f"shot-{i:03d}.ass"
            ass_path.write_text(ass_text, encoding="utf-8")
        renderer.render(
            shot, nxt, overlays[shot.index], next_overlays, ass_path, clip, progress.frames
        )
        result.rendered += 1
    return result


def _validate(
    spec: RenderSpec, timeline: Timeline, video: Path, sound: _Sound, cancel: CancelToken | None
) -> Loudness:
    """Probe the joined file; raise with every problem found."""
    w, h = spec.size
    expected = ExpectedVideo(
        width=w,
        height=h,
        fps=spec.fps,
        frames=timeline.total_frames,
        require_high_profile=spec.profile == "final",
    )
    problems = check_report(inspect_video(video), expected)
    loudness = measure_loudness(video, cancel=cancel)
    if sound.voice is not None or sound.music is not None:
        if abs(loudness.integrated_lufs + 14.0) > 1.0:
            problems.append(f"loudness {loudness.integrated_lufs:.1f} LUFS, expected -14 ±1")
        if loudness.true_peak_dbtp > TRUE_PEAK_LIMIT + 0.05:
            problems.append(
                f"true peak {loudness.true_peak_dbtp:.1f} dBTP, limit {TRUE_PEAK_LIMIT}"
            )
    if problems:
        raise OutputValidationError(
            "The rendered video failed its checks: " + "; ".join(problems) + "."
        )
    return loudness


def render_video(
    spec: RenderSpec,
    out_dir: Path,
    *,
    on_progress: ProgressHandler | None = None,
    cancel: CancelToken | None = None,
    cache_dir: Path | None = None,
    tts: TextToSpeech | None = None,
) -> RenderResult:
    """Render `spec` into `out_dir` as video.mp4, video.srt and thumbnail.jpg."""
    timings: dict[str, float] = {}
    started = clock = time.perf_counter()

    def lap(name: str) -> None:
        nonlocal clock
        now = time.perf_counter()
        timings[name] = round(now - clock, 3)
        clock = now

    cache = Path(cache_dir or get_settings().cache_dir)
    clips_dir = cache / "clips"
    for folder in (out_dir, clips_dir, cache / "audio"):
        folder.mkdir(parents=True, exist_ok=True)
    timeline = build_timeline(spec)
    progress = _Progress(on_progress, timeline.total_frames)
    progress.stage("prepare")
    check_inputs(spec)
    lap("prepare")
    sound = _prepare_sound(spec, timeline, cache, progress, tts, cancel)
    lap("audio")

    w, h = spec.size
    final = {"video": out_dir / "video.mp4", "srt": out_dir / "video.srt"}
    final["thumb"] = out_dir / "thumbnail.jpg"
    temps = {name: path.with_name(f".{path.name}.part") for name, path in final.items()}
    with tempfile.TemporaryDirectory(dir=cache, prefix="render-") as tmp:
        work = Path(tmp)
        fonts_dir, family = _fonts_dir(spec, work)
        layout = caption_layout(spec.aspect, w, h, spec.brand, family or DEFAULT_FAMILY)
        narration_cues = build_cues(
            sound.words, offset=sound.voice_start, max_chars=layout.max_chars
        )
        title_cues = _title_cues(timeline)
        overlays = _shot_overlays(spec, timeline)
        loader = SourceLoader(spec, (w, h))
        clips = _render_clips(
            spec,
            timeline,
            cues=[*narration_cues, *title_cues] if spec.flags.captions else [],
            layout=layout,
            overlays=overlays,
            renderer=SegmentRenderer(spec=spec, sources=loader, fonts_dir=fonts_dir, cancel=cancel),
            clips_dir=clips_dir,
            work=work,
            progress=progress,
        )
        lap("frames")
        progress.stage("mux")
        list_path = work / "segments.ffconcat"
        list_path.write_text(concat_list(clips.paths), encoding="utf-8")
        try:
            run_ffmpeg(
                mux_args(segments_list=list_path, audio=sound.audio, out=temps["video"]),
                cancel=cancel,
            )
            temps["srt"].write_text(srt_document(narration_cues or title_cues), encoding="utf-8")
            _write_thumbnail(spec, timeline, loader, overlays, temps["thumb"])
            lap("mux")
            progress.stage("probe")
            loudness = _validate(spec, timeline, temps["video"], sound, cancel)
            for name in ("srt", "thumb", "video"):
                temps[name].replace(final[name])
        finally:
            for leftover in temps.values():
                leftover.unlink(missing_ok=True)
    lap("probe")
    timings["total"] = round(time.perf_counter() - started, 3)
    progress.stage("done", 1.0)
    return RenderResult(
        video=final["video"],
        subtitles=final["srt"],
        thumbnail=final["thumb"],
        duration=timeline.duration,
        width=w,
        height=h,
        fps=spec.fps,
        frames=timeline.total_frames,
        loudness_lufs=loudness.integrated_lufs,
        true_peak_dbtp=loudness.true_peak_dbtp,
        segments_rendered=clips.rendered,
        segments_reused=clips.reused,
        narration=sound.narration,
        timings=timings,
    )
