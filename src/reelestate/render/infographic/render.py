"""A facts card to files: `infographic.mp4` (H.264 + AAC, BT.709, faststart) and its PNG.

The same engine parts as a listing video: frames drawn in numpy, converted to BT.709 4:2:0 and
piped into FFmpeg; the sound is the embedded music bed with the optional voice line ducked
over it, mixed and normalised by the engine's audio mix. The file is probed before it is
renamed into place, so a failed render never leaves an `infographic.mp4` behind.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable
from pathlib import Path

from pydantic import BaseModel, ConfigDict

from reelestate.core.errors import OutputValidationError, RenderCancelledError
from reelestate.providers.music.procedural import make_music_bed
from reelestate.render.audio import mix_audio
from reelestate.render.colour import rgb_to_yuv420
from reelestate.render.encode import COLOUR_TAGS
from reelestate.render.ffmpeg import CancelToken, FFmpegPipe
from reelestate.render.infographic.painter import CardPainter
from reelestate.render.infographic.spec import InfographicSpec
from reelestate.render.probe import ExpectedVideo, check_report, inspect_video
from reelestate.render.video_codec import codec_args

VOICE_OFFSET_S = 0.6
MUSIC_DB = -16.0


class InfographicResult(BaseModel):
    """A finished card: its files and what the video measures."""

    model_config = ConfigDict(frozen=True)

    video: Path
    still: Path
    duration: float
    width: int
    height: int
    fps: int
    frames: int
    loudness_lufs: float | None = None


def encode_args(spec: InfographicSpec, audio: Path, out: Path) -> list[str]:
    """Raw yuv420p frames on stdin and the mixed audio -> one streamable MP4."""
    w, h = spec.size
    args = [
        "-hide_banner", "-loglevel", "error", "-nostdin", "-y",
        "-f", "rawvideo", "-pix_fmt", "yuv420p", "-s", f"{w}x{h}", "-framerate", str(spec.fps),
        "-i", "pipe:0", "-i", str(audio),
        "-map", "0:v", "-map", "1:a",
        *codec_args("libx264", spec.profile),
    ]  # fmt: skip
    args += ["-pix_fmt", "yuv420p", "-g", str(spec.fps * 2), *COLOUR_TAGS]
    args += ["-c:a", "aac", "-b:a", "160k", "-ar", "48000", "-shortest"]
    return [*args, "-movflags", "+faststart", "-f", "mp4", str(out)]


def _soundtrack(
    spec: InfographicSpec, voice: Path | None, work: Path, cancel: CancelToken | None
) -> tuple[Path, float | None]:
    frames = max(1, round(spec.duration * spec.fps))
    seconds = frames / spec.fps
    music = make_music_bed(spec.music, seconds, work / "music.wav") if spec.music else None
    out = work / "audio.m4a"
    loudness = mix_audio(
        voice=voice,
        voice_offset=VOICE_OFFSET_S,
        music=music,
        music_volume_db=MUSIC_DB,
        duck=True,
        duration=seconds,
        out=out,
        cancel=cancel,
        draft=spec.profile == "preview",
    )
    return out, loudness.integrated_lufs if loudness else None


def render_infographic(
    spec: InfographicSpec,
    out_dir: Path,
    *,
    voice: Path | None = None,
    work_dir: Path,
    cancel: CancelToken | None = None,
    on_frame: Callable[[int, int], None] | None = None,
) -> InfographicResult:
    """Render `spec` to `out_dir/infographic.mp4` and `out_dir/infographic.png`.

    `voice` is the spoken line already synthesised (the caller owns the voice provider).
    """
    painter = CardPainter(spec)  # loads the photo and the logo: bad inputs fail here
    out_dir.mkdir(parents=True, exist_ok=True)
    work = work_dir / f"infographic-{os.getpid()}-{uuid.uuid4().hex[:8]}"
    work.mkdir(parents=True)
    audio, lufs = _soundtrack(spec, voice, work, cancel)
    total = painter.frame_count
    tmp_video = out_dir / f".infographic.{uuid.uuid4().hex[:8]}.tmp.mp4"
    tmp_still = out_dir / f".infographic.{uuid.uuid4().hex[:8]}.tmp.png"
    try:
        with FFmpegPipe(encode_args(spec, audio, tmp_video)) as pipe:
            last = None
            for i in range(total):
                if cancel is not None and cancel.cancelled:
                    raise RenderCancelledError("The render was cancelled.")
                rgb = painter.frame(i)
                for plane in rgb_to_yuv420(rgb):
                    pipe.write(plane.tobytes())
                last = rgb
                if on_frame is not None:
                    on_frame(i + 1, total)
            pipe.close()
        assert last is not None
        from PIL import Image  # noqa: PLC0415 - only here

        Image.fromarray(last).save(tmp_still, format="PNG", optimize=True)
        w, h = spec.size
        report = inspect_video(tmp_video)
        problems = check_report(
            report,
            ExpectedVideo(
                width=w,
                height=h,
                fps=spec.fps,
                frames=total,
                require_high_profile=spec.profile == "final",
                loudness_target=None,
            ),
        )
        if problems:
            raise OutputValidationError(f"The facts card failed its checks: {'; '.join(problems)}.")
        video, still = out_dir / "infographic.mp4", out_dir / "infographic.png"
        tmp_video.replace(video)
        tmp_still.replace(still)
    finally:
        tmp_video.unlink(missing_ok=True)
        tmp_still.unlink(missing_ok=True)
        for f in work.iterdir():
            f.unlink(missing_ok=True)
        work.rmdir()
    return InfographicResult(
        video=video,
        still=still,
        duration=total / spec.fps,
        width=w,
        height=h,
        fps=spec.fps,
        frames=total,
        loudness_lufs=lufs,
    )
