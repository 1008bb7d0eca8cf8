"""What users would otherwise pick, run on the same storyboard: FFmpeg zoompan and MoviePy 2."""

from __future__ import annotations

import subprocess
from pathlib import Path

import numpy as np

from reelestate.core.imaging import load_photo
from reelestate.render.ffmpeg import find_tools
from reelestate.render.fonts import BOLD
from reelestate.render.spec import RenderSpec


def encode_floor(video: Path, work: Path) -> Path:
    """Decode our output to raw frames (untimed); the caller times `floor_command` on them."""
    raw = work / "frames.yuv"
    subprocess.run(
        [
            find_tools().ffmpeg,
            "-loglevel",
            "error",
            "-y",
            "-i",
            str(video),
            "-f",
            "rawvideo",
            "-pix_fmt",
            "yuv420p",
            str(raw),
        ],
        check=True,
    )
    return raw


def floor_command(raw: Path, width: int, height: int, fps: int, out: Path) -> list[str]:
    return [
        find_tools().ffmpeg, "-loglevel", "error", "-y",
        "-f", "rawvideo", "-pix_fmt", "yuv420p", "-s", f"{width}x{height}",
        "-framerate", str(fps), "-i", str(raw),
        "-c:v", "libx264", "-preset", "veryfast", "-crf", "20", "-profile:v", "high",
        "-pix_fmt", "yuv420p", str(out),
    ]  # fmt: skip


def zoompan_command(spec: RenderSpec, out: Path) -> list[str]:
    """Each photo cropped to the frame's aspect at 2x, then zoompan, then concatenated."""
    w, h = spec.size
    args = [find_tools().ffmpeg, "-loglevel", "error", "-y"]
    parts = []
    for i, scene in enumerate(spec.scenes):
        frames = round(scene.duration * spec.fps)
        args += ["-i", str(scene.photo)]
        parts.append(
            f"[{i}:v]scale={2 * w}:{2 * h}:force_original_aspect_ratio=increase,"
            f"crop={2 * w}:{2 * h},"
            f"zoompan=z='min(zoom+0.0015,1.12)':x='iw/2-(iw/zoom/2)':y='ih/2-(ih/zoom/2)'"
            f":d={frames}:s={w}x{h}:fps={spec.fps},"
            f"setsar=1[v{i}]"
        )
    joined = "".join(f"[v{i}]" for i in range(len(spec.scenes)))
    graph = ";".join(parts) + f";{joined}concat=n={len(spec.scenes)}:v=1:a=0[out]"
    args += [
        "-filter_complex",
        graph,
        "-map",
        "[out]",
        "-c:v",
        "libx264",
        "-preset",
        "veryfast",
        "-crf",
        "20",
        str(out),
    ]
    return args


def _cover(rgb: np.ndarray, w: int, h: int) -> np.ndarray:  # type: ignore[type-arg]
    import cv2  # noqa: PLC0415

    ih, iw = rgb.shape[:2]
    scale = max(w / iw, h / ih)
    resized = cv2.resize(rgb, (round(iw * scale), round(ih * scale)), interpolation=cv2.INTER_CUBIC)
    y0 = (resized.shape[0] - h) // 2
    x0 = (resized.shape[1] - w) // 2
    return np.ascontiguousarray(resized[y0 : y0 + h, x0 : x0 + w])


def moviepy_render(
    spec: RenderSpec, voice: Path, music: Path, captions: list[tuple[float, float, str]], out: Path
) -> None:
    """The storyboard as MoviePy 2 tools build it: per-frame resize zooms, crossfades, TextClips."""
    from moviepy import (  # noqa: PLC0415
        AudioFileClip,
        CompositeAudioClip,
        CompositeVideoClip,
        ImageClip,
        TextClip,
        concatenate_videoclips,
        vfx,
    )

    w, h = spec.size
    clips = []
    for i, scene in enumerate(spec.scenes):
        photo = _cover(load_photo(scene.photo).rgb, w, h)
        duration = scene.duration + (0.5 if i else 0.0)
        zoom = (
            ImageClip(photo).with_duration(duration).resized(lambda t, d=duration: 1 + 0.12 * t / d)
        )
        shot = CompositeVideoClip([zoom.with_position("center")], size=(w, h)).with_duration(
            duration
        )
        if i:
            shot = shot.with_effects([vfx.CrossFadeIn(0.5)])
        clips.append(shot)
    video = concatenate_videoclips(clips, method="compose", padding=-0.5)
    texts = [
        TextClip(
            font=str(BOLD),
            text=text,
            font_size=62,
            color="white",
            stroke_color="black",
            stroke_width=4,
        )
        .with_start(start)
        .with_duration(end - start)
        .with_position(("center", int(h * 0.62)))
        for start, end, text in captions
    ]
    final = CompositeVideoClip([video, *texts], size=(w, h))
    voice_clip = AudioFileClip(str(voice)).with_start(0.3)
    music_clip = AudioFileClip(str(music)).with_volume_scaled(0.25)
    final = final.with_audio(
        CompositeAudioClip([music_clip, voice_clip]).with_duration(final.duration)
    )
    final.write_videofile(
        str(out),
        fps=spec.fps,
        codec="libx264",
        preset="veryfast",
        audio_codec="aac",
        logger=None,
        threads=2,
    )
