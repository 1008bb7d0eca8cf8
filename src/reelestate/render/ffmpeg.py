"""How FFmpeg is run (where it lives is decided in `reelestate.core.media_tools`).

Every FFmpeg invocation of the engine goes through `run_ffmpeg` or `FFmpegPipe`, so
errors become typed `RenderError`s with the useful end of stderr, cancellation kills the
process, and no caller builds a shell string.
"""

from __future__ import annotations

import contextlib
import fcntl
import subprocess
import threading
from collections import deque
from collections.abc import Sequence
from types import TracebackType
from typing import IO

from reelestate.core.errors import RenderCancelledError, RenderError
from reelestate.core.media_tools import FFmpegTools, find_tools
from reelestate.render.page_lending import lend, pipe_capacity


class CancelToken:
    """A flag a job sets to stop a render; checked between frames and while FFmpeg runs."""

    def __init__(self) -> None:
        self._event = threading.Event()

    def cancel(self) -> None:
        self._event.set()

    @property
    def cancelled(self) -> bool:
        return self._event.is_set()

    def raise_if_cancelled(self) -> None:
        if self._event.is_set():
            raise RenderCancelledError("The render was cancelled.")


def escape_filter_value(value: str) -> str:
    """Escape a value (a path) for use inside an FFmpeg filter argument.

    Two levels apply: the option value inside the filter (`:` `\\` `'`), then the
    filtergraph itself (`,` `;` `[` `]` `\\` `'`).
    """
    level1 = value.replace("\\", "\\\\").replace(":", "\\:").replace("'", "\\'")
    out = []
    for ch in level1:
        if ch in "\\',;[]":
            out.append("\\" + ch)
        else:
            out.append(ch)
    return "".join(out)


def _stderr_summary(lines: Sequence[str]) -> str:
    useful = [ln.strip() for ln in lines if ln.strip()]
    return " | ".join(useful[-4:])[:600]


def run_ffmpeg(
    args: Sequence[str],
    *,
    cancel: CancelToken | None = None,
    timeout: float | None = None,
    binary: str | None = None,
) -> str:
    """Run ffmpeg (or `binary`) with `args`; return its stderr, raise `RenderError` if it fails."""
    exe = binary or find_tools().ffmpeg
    argv = [exe, *args]
    proc = subprocess.Popen(
        argv, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    waited = 0.0
    step = 0.1
    while True:
        try:
            stdout, stderr = proc.communicate(timeout=step)
            break
        except subprocess.TimeoutExpired:
            waited += step
            if cancel is not None and cancel.cancelled:
                proc.kill()
                proc.communicate()
                raise RenderCancelledError("The render was cancelled.") from None
            if timeout is not None and waited > timeout:
                proc.kill()
                proc.communicate()
                raise RenderError(
                    f"FFmpeg took longer than {timeout:.0f} s and was stopped."
                ) from None
    text = stderr.decode("utf-8", "replace")
    if proc.returncode != 0:
        raise RenderError(f"FFmpeg failed: {_stderr_summary(text.splitlines())}")
    del stdout
    return text


PIPE_BYTES = 1 << 20
"""A frame pipe's buffer: 1 MiB (Linux's default ceiling for unprivileged processes) instead of
64 KiB, so a 3 MB frame crosses in three wake-ups of the encoder instead of fifty."""


def _widen_pipe(fd: int) -> None:
    set_size = getattr(fcntl, "F_SETPIPE_SZ", None)  # Linux only
    if set_size is None:
        return
    with contextlib.suppress(OSError):
        fcntl.fcntl(fd, set_size, PIPE_BYTES)


class FFmpegPipe:
    """An ffmpeg process that reads raw frames on stdin; a context manager that always reaps it.

    Leaving the block with an exception kills the process, so a failed render never leaves
    an encoder running or a half-written file treated as finished.
    """

    def __init__(self, args: Sequence[str], *, binary: str | None = None) -> None:
        self._argv = [binary or find_tools().ffmpeg, *args]
        self._proc: subprocess.Popen[bytes] | None = None
        self._stderr: deque[str] = deque(maxlen=40)
        self._reader: threading.Thread | None = None

    def __enter__(self) -> FFmpegPipe:
        self._proc = subprocess.Popen(
            self._argv,
            stdin=subprocess.PIPE,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            bufsize=0,
        )
        assert self._proc.stdin is not None
        _widen_pipe(self._proc.stdin.fileno())
        stderr = self._proc.stderr
        assert stderr is not None
        self._reader = threading.Thread(target=self._drain, args=(stderr,), daemon=True)
        self._reader.start()
        return self

    def _drain(self, stream: IO[bytes]) -> None:
        for raw in stream:
            self._stderr.append(raw.decode("utf-8", "replace"))

    def write(self, data: bytes | memoryview) -> None:
        """Copy `data` into the pipe; the caller may change it as soon as this returns."""
        assert self._proc is not None and self._proc.stdin is not None
        try:
            self._proc.stdin.write(data)
        except BrokenPipeError as exc:
            raise self._stopped_early() from exc

    def lend(self, frame: memoryview) -> None:
        """Put `frame` in the pipe without copying it where the system can (`page_lending`).

        The frame's memory must stay unchanged until `capacity` more bytes have been lent or
        written after it; `page_lending.buffers_in_rotation` says how many frames that takes.
        """
        assert self._proc is not None and self._proc.stdin is not None
        try:
            if not lend(self._proc.stdin.fileno(), frame):
                self._proc.stdin.write(frame)
        except BrokenPipeError as exc:
            raise self._stopped_early() from exc
        except OSError as exc:
            raise RenderError(f"Frames could not be handed to FFmpeg: {exc.strerror}.") from exc

    @property
    def capacity(self) -> int:
        """Bytes the frame pipe holds at most."""
        assert self._proc is not None and self._proc.stdin is not None
        return pipe_capacity(self._proc.stdin.fileno())

    def _stopped_early(self) -> RenderError:
        assert self._proc is not None
        self._proc.wait()
        self._release()
        return RenderError(f"FFmpeg stopped early: {_stderr_summary(list(self._stderr))}")

    def close(self) -> None:
        """Finish the stream and wait for ffmpeg; raises if it failed."""
        assert self._proc is not None and self._proc.stdin is not None
        with contextlib.suppress(BrokenPipeError):
            self._proc.stdin.close()
        code = self._proc.wait()
        self._release()
        if code != 0:
            raise RenderError(f"FFmpeg failed: {_stderr_summary(list(self._stderr))}")

    def kill(self) -> None:
        if self._proc is None:
            return
        if self._proc.poll() is None:
            self._proc.kill()
        self._proc.wait()
        self._release()

    def _release(self) -> None:
        """Close our ends of the pipes once the process has gone."""
        assert self._proc is not None
        if self._proc.stdin is not None:
            with contextlib.suppress(BrokenPipeError, OSError):
                self._proc.stdin.close()
        if self._reader is not None:
            self._reader.join(timeout=5)
        if self._proc.stderr is not None:
            self._proc.stderr.close()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if exc_type is not None:
            self.kill()
        elif self._proc is not None and self._proc.poll() is None:
            self.close()


__all__ = [
    "CancelToken",
    "FFmpegPipe",
    "FFmpegTools",
    "escape_filter_value",
    "find_tools",
    "run_ffmpeg",
]


def binary_version(path: str) -> str:
    """First line of `ffmpeg -version`, for reports and benchmarks."""
    out = subprocess.run([path, "-version"], capture_output=True, text=True, check=False).stdout
    return out.splitlines()[0] if out else "unknown"
