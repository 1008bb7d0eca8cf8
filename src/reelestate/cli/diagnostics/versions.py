"""The versions that decide what a render or a classification looks like.

Installs come from a lock, so two machines should print the same lines; when a video or a room
label differs between them, this is the first thing to compare.
"""

from __future__ import annotations

import platform
import subprocess
from importlib.metadata import PackageNotFoundError, version

from reelestate.core.errors import ConfigurationError
from reelestate.core.media_tools import find_tools

NOT_INSTALLED = "not installed"

DISTRIBUTIONS: tuple[tuple[str, str], ...] = (
    ("reelestate", "reelestate-studio"),
    ("numpy", "numpy"),
    ("opencv", "opencv-python-headless"),
    ("onnxruntime", "onnxruntime"),
    ("pillow", "pillow"),
    ("torch", "torch"),
    ("pydantic", "pydantic"),
    ("langgraph", "langgraph"),
    ("chainlit", "chainlit"),
)
"""(shown name, distribution): the product, then the libraries whose releases change its output."""


def library_versions() -> dict[str, str]:
    """Python and each distribution above, `not installed` where absent (torch is only there
    for training)."""
    found = {"python": platform.python_version()}
    for shown, distribution in DISTRIBUTIONS:
        try:
            found[shown] = version(distribution)
        except PackageNotFoundError:
            found[shown] = NOT_INSTALLED
    return found


def tool_version(path: str, timeout_s: float) -> tuple[bool, str]:
    """Whether `path -version` answered, and its first line without the copyright."""
    try:
        done = subprocess.run(
            [path, "-version"], capture_output=True, text=True, timeout=timeout_s, check=False
        )
    except subprocess.TimeoutExpired:
        return False, f"{path} -version timed out"
    except OSError as exc:
        return False, f"{path}: {type(exc).__name__}"
    line = done.stdout.splitlines()[0] if done.stdout else ""
    if done.returncode != 0 or not line:
        return False, f"{path} -version failed (exit {done.returncode})"
    return True, line.split(" Copyright")[0]


def ffmpeg_version(timeout_s: float = 5.0) -> str:
    """The first line of the FFmpeg this process renders with, or why there is none."""
    try:
        tools = find_tools()
    except ConfigurationError as exc:
        return exc.message
    return tool_version(tools.ffmpeg, timeout_s)[1]
