"""Where the FFmpeg binaries live, for every layer that reads or writes media.

Both the render engine and the providers that check uploaded media (music beds) need the
same ffmpeg and ffprobe, chosen the same way, so the lookup lives here rather than in render.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from functools import lru_cache

from reelestate.core.errors import ConfigurationError
from reelestate.core.settings import get_settings


@dataclass(frozen=True)
class FFmpegTools:
    """Paths of the ffmpeg and ffprobe binaries this process uses."""

    ffmpeg: str
    ffprobe: str


@lru_cache(maxsize=1)
def find_tools() -> FFmpegTools:
    """System FFmpeg first; imageio-ffmpeg's bundled binary when the system has none."""
    settings = get_settings()
    ffmpeg = settings.ffmpeg_binary or shutil.which("ffmpeg")
    if ffmpeg is None:
        try:
            import imageio_ffmpeg  # noqa: PLC0415 - optional fallback, imported only when needed

            ffmpeg = str(imageio_ffmpeg.get_ffmpeg_exe())
        except (ImportError, RuntimeError) as exc:  # pragma: no cover - depends on the machine
            raise ConfigurationError(
                "FFmpeg is not installed.", hint="Install it with: apt-get install ffmpeg"
            ) from exc
    ffprobe = settings.ffprobe_binary or shutil.which("ffprobe")
    if ffprobe is None:  # pragma: no cover - depends on the machine
        raise ConfigurationError(
            "ffprobe is not installed; rendered files cannot be checked without it.",
            hint="Install it with: apt-get install ffmpeg",
        )
    return FFmpegTools(ffmpeg=ffmpeg, ffprobe=ffprobe)
