"""Session fixtures for publishing: one tiny Reel-shaped MP4, a file server, the Graph server."""

from __future__ import annotations

import functools
import shutil
import subprocess
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from reelestate.core.retry import RetryPolicy
from reelestate.providers.social.meta_graph import MetaGraphClient
from tests.support.fake_graph import FakeGraphApi

FAST = RetryPolicy(attempts=3, base_delay_s=0.01, max_delay_s=0.05, jitter=0)


def _make_video(path: Path, size: str, seconds: float) -> Path:
    ffmpeg = shutil.which("ffmpeg") or "ffmpeg"
    subprocess.run(
        [
            ffmpeg, "-v", "error", "-y",
            "-f", "lavfi", "-i", f"color=c=navy:s={size}:r=24:d={seconds}",
            "-f", "lavfi", "-i", f"sine=frequency=440:sample_rate=48000:duration={seconds}",
            "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p",
            "-c:a", "aac", "-b:a", "64k", "-shortest", "-movflags", "+faststart", str(path),
        ],
        check=True,
    )  # fmt: skip
    return path


@pytest.fixture(scope="session")
def media_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("reels")
    _make_video(folder / "reel.mp4", "180x320", 3.2)
    _make_video(folder / "wide.mp4", "320x180", 3.2)
    return folder


@pytest.fixture(scope="session")
def reel_video(media_dir: Path) -> Path:
    return media_dir / "reel.mp4"


@pytest.fixture(scope="session")
def file_server(media_dir: Path) -> Iterator[str]:
    """A plain HTTP server of the test videos, as a CDN would serve them."""

    class Quiet(SimpleHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(Quiet, directory=str(media_dir))
    )
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()
    thread.join()


@pytest.fixture(scope="module")
def graph_server() -> Iterator[FakeGraphApi]:
    with FakeGraphApi().running() as server:
        yield server


@pytest.fixture
def graph(graph_server: FakeGraphApi) -> Iterator[FakeGraphApi]:
    """The module's server, its scripted faults and records cleared for each test."""
    graph_server.graph_faults.clear()
    graph_server.requests.clear()
    graph_server.published.clear()
    graph_server.next_container_final = None
    yield graph_server


@pytest.fixture
def client(graph: FakeGraphApi) -> Iterator[MetaGraphClient]:
    meta = MetaGraphClient(graph.base_url, "v23.0", timeout_s=10, policy=FAST)
    yield meta
    meta.close()
