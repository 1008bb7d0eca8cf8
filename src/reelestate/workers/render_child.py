"""The render runs in a child process, so cancelling or losing a worker kills FFmpeg with it.

Parent and child speak JSON lines on the child's stdout: `progress` (a `RenderProgress`), then
`result` (a `RenderResult`) or `error`.
The child watches its stdin: when it closes (the parent cancelled, or died, even by SIGKILL) it
cancels the render, which stops FFmpeg, and exits. Output files are written by the engine
atomically, and the parent uploads them only after a `result` line.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib
import json
import os
import queue
import subprocess
import sys
import threading
from collections import deque
from collections.abc import Callable
from pathlib import Path
from typing import IO, Any

from reelestate.core.errors import (
    ConfigurationError,
    FeatureUnavailableError,
    InvalidInputError,
    InvalidSpecError,
    PhotoError,
    ReelEstateError,
    RenderCancelledError,
    RenderError,
)
from reelestate.render.ffmpeg import CancelToken
from reelestate.render.progress import RenderProgress
from reelestate.render.result import RenderResult
from reelestate.render.spec import RenderSpec

_ERRORS: dict[str, type[ReelEstateError]] = {
    cls.code: cls
    for cls in (
        InvalidSpecError,
        PhotoError,
        FeatureUnavailableError,
        ConfigurationError,
        RenderCancelledError,
        InvalidInputError,
    )
}
_PARENT_GONE_EXIT_S = 15.0


ProgressCallback = Callable[[RenderProgress], None]


def load_engine(path: str) -> Callable[..., Any]:
    module_name, _, attr = path.partition(":")
    try:
        return getattr(importlib.import_module(module_name), attr or "render_video")  # type: ignore[no-any-return]
    except (ImportError, AttributeError) as exc:
        raise ConfigurationError(
            f"The render engine {path!r} cannot be loaded: {exc}.",
            hint="Check REELESTATE_RENDER_ENGINE and the installation.",
        ) from exc


# -- parent side ----------------------------------------------------------------------------


def _pump(stream: IO[bytes], sink: queue.Queue[dict[str, Any] | None]) -> None:
    for raw in stream:
        try:
            message = json.loads(raw)
        except ValueError:
            continue
        if isinstance(message, dict):
            sink.put(message)
    sink.put(None)


def _drain(stream: IO[bytes], tail: deque[str]) -> None:
    for raw in stream:
        tail.append(raw.decode("utf-8", "replace").rstrip())


def _error_from(message: dict[str, Any]) -> ReelEstateError:
    code = str(message.get("code", "render_failed"))
    cls = _ERRORS.get(code)
    if cls is None:
        cls = InvalidInputError if message.get("user_error") else RenderError
    error = cls(str(message.get("message", "The render failed.")), hint=message.get("hint"))
    return error


def run_render_subprocess(
    spec: RenderSpec,
    out_dir: Path,
    *,
    engine: str,
    cache_dir: Path,
    cancel: CancelToken,
    on_progress: ProgressCallback | None = None,
    kill_after_s: float = 10.0,
) -> RenderResult:
    """Render `spec` in a child process; raises the engine's errors, typed as it raised them."""
    out_dir.mkdir(parents=True, exist_ok=True)
    spec_path = out_dir.parent / f"{out_dir.name}.spec.json"
    spec_path.write_text(spec.model_dump_json(), encoding="utf-8")
    argv = [
        sys.executable, "-m", "reelestate.workers.render_child",
        "--spec", str(spec_path), "--out", str(out_dir),
        "--engine", engine, "--cache", str(cache_dir),
    ]  # fmt: skip
    proc = subprocess.Popen(
        argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    assert proc.stdout is not None and proc.stderr is not None and proc.stdin is not None
    messages: queue.Queue[dict[str, Any] | None] = queue.Queue()
    stderr_tail: deque[str] = deque(maxlen=20)
    readers = [
        threading.Thread(target=_pump, args=(proc.stdout, messages), daemon=True),
        threading.Thread(target=_drain, args=(proc.stderr, stderr_tail), daemon=True),
    ]
    for reader in readers:
        reader.start()
    final: dict[str, Any] | None = None
    try:
        while True:
            if cancel.cancelled:
                proc.stdin.close()  # the child cancels its render and exits
                try:
                    proc.wait(timeout=kill_after_s)
                except subprocess.TimeoutExpired:
                    proc.kill()
                raise RenderCancelledError("The render was cancelled.")
            try:
                message = messages.get(timeout=0.1)
            except queue.Empty:
                continue
            if message is None:
                break
            if message.get("type") == "progress" and on_progress is not None:
                on_progress(RenderProgress.model_validate(message))
            elif message.get("type") in ("result", "error"):
                final = message
        proc.wait()
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        for reader in readers:
            reader.join(timeout=2)
        for stream in (proc.stdin, proc.stdout, proc.stderr):
            with contextlib.suppress(OSError):
                stream.close()
        spec_path.unlink(missing_ok=True)
    if final is not None and final["type"] == "result":
        return RenderResult.model_validate(final)
    if final is not None:
        raise _error_from(final)
    detail = " | ".join(list(stderr_tail)[-3:])[:400]
    raise RenderError(f"The render process stopped unexpectedly (exit {proc.returncode}). {detail}")


# -- child side -----------------------------------------------------------------------------


def _watch_parent(cancel: CancelToken) -> None:
    """Block on stdin; EOF means the parent cancelled or died: stop the render, then exit."""
    sys.stdin.buffer.read()
    cancel.cancel()
    timer = threading.Timer(_PARENT_GONE_EXIT_S, os._exit, args=(3,))
    timer.daemon = True
    timer.start()


def main(argv: list[str] | None = None, *, watch_parent: bool = True) -> int:
    parser = argparse.ArgumentParser(prog="reelestate-render-process")
    parser.add_argument("--spec", type=Path, required=True)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--engine", required=True)
    parser.add_argument("--cache", type=Path, required=True)
    args = parser.parse_args(argv)
    lock = threading.Lock()

    def emit(message: dict[str, Any]) -> None:
        with lock:
            sys.stdout.write(json.dumps(message) + "\n")
            sys.stdout.flush()

    cancel = CancelToken()
    if watch_parent:
        threading.Thread(target=_watch_parent, args=(cancel,), daemon=True).start()

    def progress(event: RenderProgress) -> None:
        emit({"type": "progress", **event.model_dump(mode="json")})

    try:
        spec = RenderSpec.model_validate_json(args.spec.read_text(encoding="utf-8"))
        render = load_engine(args.engine)
        result = RenderResult.model_validate(
            render(spec, args.out, on_progress=progress, cancel=cancel, cache_dir=args.cache)
        )
    except ReelEstateError as exc:
        emit({"type": "error", "user_error": exc.user_error, **exc.to_dict()})
        return 1
    except Exception as exc:
        emit({"type": "error", "code": "render_failed", "message": f"The render failed: {exc}"})
        return 1
    emit({"type": "result", **result.model_dump(mode="json")})
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
