"""Which H.264 encoder writes the clips: NVENC where a GPU can, libx264 everywhere else.

The choice is a pure function of what FFmpeg lists and whether a CUDA device is present
(`choose_codec`), so it is tested without a GPU; `detect_codec` gathers those facts once per
process, and only looks at FFmpeg when the machine has an NVIDIA device at all. Both encoders
write the same stream shape: High profile (finals), yuv420p, BT.709 tags, IDR frames where the
clips are cut; faststart is the join's job and does not depend on the encoder.
"""

from __future__ import annotations

import functools
import subprocess
from pathlib import Path
from typing import Literal

from reelestate.render.spec import Profile

VideoCodec = Literal["libx264", "h264_nvenc"]

_X264: dict[Profile, list[str]] = {
    "final": ["-preset", "veryfast", "-crf", "20", "-profile:v", "high"],
    "preview": ["-preset", "ultrafast", "-crf", "27"],
}
_NVENC: dict[Profile, list[str]] = {
    # Constant quality like x264's CRF; p4 is NVENC's balanced preset, p1 its fastest.
    "final": [
        *("-preset", "p4", "-tune", "hq", "-rc", "vbr", "-cq", "21", "-b:v", "0"),
        *("-profile:v", "high"),
    ],
    "preview": ["-preset", "p1", "-rc", "vbr", "-cq", "28", "-b:v", "0"],
}


def lists_encoder(listing: str, name: str) -> bool:
    """Whether `ffmpeg -encoders` output names the video encoder `name`."""
    for line in listing.splitlines():
        parts = line.split()
        if len(parts) >= 2 and parts[0].startswith("V") and parts[1] == name:
            return True
    return False


def choose_codec(encoders_listing: str, cuda_device: bool) -> VideoCodec:
    """NVENC when FFmpeg has it and a CUDA device is there, else libx264."""
    if cuda_device and lists_encoder(encoders_listing, "h264_nvenc"):
        return "h264_nvenc"
    return "libx264"


def codec_args(codec: VideoCodec, profile: Profile) -> list[str]:
    """The encoder and its quality options for a clip of `profile`."""
    options = _NVENC if codec == "h264_nvenc" else _X264
    return ["-c:v", codec, *options[profile]]


def cuda_device_present() -> bool:
    """An NVIDIA device node: without one there is no NVENC to ask FFmpeg about."""
    return any(Path("/dev").glob("nvidia[0-9]*"))


def _works(ffmpeg: str) -> bool:
    """Two frames through NVENC: a listed encoder can still lack a driver or a free session."""
    args = [ffmpeg, "-hide_banner", "-loglevel", "error", "-f", "lavfi"]
    args += ["-i", "color=c=black:s=256x256:r=30", "-frames:v", "2"]
    args += ["-c:v", "h264_nvenc", "-f", "null", "-"]
    try:
        return subprocess.run(args, capture_output=True, timeout=30, check=False).returncode == 0
    except (OSError, subprocess.TimeoutExpired):
        return False


@functools.cache
def detect_codec(ffmpeg: str) -> VideoCodec:
    """The encoder this machine renders with (checked once per process)."""
    if not cuda_device_present():
        return "libx264"
    try:
        listing = subprocess.run(
            [ffmpeg, "-hide_banner", "-encoders"],
            capture_output=True,
            text=True,
            timeout=30,
            check=False,
        ).stdout
    except (OSError, subprocess.TimeoutExpired):
        return "libx264"
    codec = choose_codec(listing, cuda_device=True)
    if codec == "h264_nvenc" and not _works(ffmpeg):
        return "libx264"
    return codec
