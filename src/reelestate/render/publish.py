"""The last step: join clips and audio, probe the result, and only then hand files out."""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from reelestate.core.errors import OutputValidationError
from reelestate.render.audio import Loudness, measure_loudness
from reelestate.render.contact_sheet import CONTACT_SHEET_NAME, write_contact_sheet
from reelestate.render.encode import concat_list, mux_args
from reelestate.render.ffmpeg import CancelToken, run_ffmpeg
from reelestate.render.probe import ExpectedVideo, check_report, inspect_video
from reelestate.render.progress import ProgressReporter
from reelestate.render.soundtrack import Soundtrack
from reelestate.render.spec import RenderSpec
from reelestate.render.timeline import Timeline

TRUE_PEAK_LIMIT = -1.0


def validate_output(
    spec: RenderSpec,
    timeline: Timeline,
    video: Path,
    sound: Soundtrack,
    mixed: Loudness | None,
    cancel: CancelToken | None,
) -> Loudness | None:
    """Probe the joined file; raise with every problem found.

    The final's loudness is the mix's measurement (the join copies that stream unchanged),
    measured again here only when no measurement was kept; previews are not held to it.
    """
    w, h = spec.size
    expected = ExpectedVideo(
        width=w,
        height=h,
        fps=spec.frame_rate,
        frames=timeline.total_frames,
        require_high_profile=spec.profile == "final",
    )
    problems = check_report(inspect_video(video), expected)
    if spec.profile != "final":
        loudness = None
    elif mixed is not None:
        loudness = mixed
    else:
        loudness = measure_loudness(video, cancel=cancel)
    if loudness is not None and (sound.voice is not None or sound.music is not None):
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


def publish(
    spec: RenderSpec,
    timeline: Timeline,
    *,
    clips: list[Path],
    stills: list[Path] | None = None,
    sound: Soundtrack,
    mixed: Loudness | None,
    srt_text: str,
    thumbnail: Callable[[Path], None],
    work: Path,
    out_dir: Path,
    cancel: CancelToken | None,
    progress: ProgressReporter,
    lap: Callable[[str], None] = lambda _name: None,
) -> tuple[dict[str, Path], Loudness | None]:
    """Join clips and audio, write captions and thumbnail, probe, draw the contact sheet of
    the probed file; rename only if all is well. `lap(stage)` is called as each step ends."""
    final = {
        "video": out_dir / "video.mp4",
        "srt": out_dir / "video.srt",
        "thumb": out_dir / "thumbnail.jpg",
        "sheet": out_dir / CONTACT_SHEET_NAME,
    }
    temps = {name: path.with_name(f".{path.name}.part") for name, path in final.items()}
    progress.stage("mux")
    list_path = work / "segments.ffconcat"
    list_path.write_text(concat_list(clips), encoding="utf-8")
    try:
        # The cover is drawn while FFmpeg joins: the join is I/O and a process, the cover a
        # frame's worth of pixels, and neither needs the other.
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="cover") as pool:
            cover = pool.submit(thumbnail, temps["thumb"])
            run_ffmpeg(
                mux_args(segments_list=list_path, audio=sound.audio, out=temps["video"]),
                cancel=cancel,
            )
            lap("mux")
            temps["srt"].write_text(srt_text, encoding="utf-8")
            cover.result()
            lap("thumbnail")
        progress.stage("probe")
        loudness = validate_output(spec, timeline, temps["video"], sound, mixed, cancel)
        lap("probe")
        write_contact_sheet(
            temps["video"],
            timeline,
            temps["sheet"],
            size=spec.size,
            work=work,
            cancel=cancel,
            stills=stills,
        )
        lap("contact_sheet")
        for name in ("srt", "thumb", "sheet", "video"):
            temps[name].replace(final[name])
    finally:
        for leftover in temps.values():
            leftover.unlink(missing_ok=True)
    return final, loudness
