"""`reelestate serve` (and `reelestate worker`) as real child processes a test can signal."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import httpx

from tests.support.services import free_port

REPO = Path(__file__).parents[2]
ADMIN = ("admin@reelestate.local", "fault-suite-password")
FAKE_ENGINE = "tests.workers.fake_engine:render_video"


def child_env(data_dir: Path, **extra: str) -> dict[str, str]:
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(REPO / "src"), str(REPO)]),
        "REELESTATE_DATA_DIR": str(data_dir),
        "REELESTATE_ADMIN_PASSWORD": ADMIN[1],
        "REELESTATE_RENDER_ENGINE": FAKE_ENGINE,
        "REELESTATE_FINAL_PROFILE": "preview",
        "REELESTATE_SHUTDOWN_GRACE_S": "2",
        "REELESTATE_JOB_HEARTBEAT_S": "0.2",
        "REELESTATE_JOB_STALE_AFTER_S": "1.5",
        "REELESTATE_JOB_RECOVERY_INTERVAL_S": "0.3",
        "REELESTATE_JOB_RETRY_BASE_S": "0.1",
        "REELESTATE_LOG_LEVEL": "WARNING",
    }
    for name in ("DATABASE_URL", "REDIS_URL", "S3_BUCKET"):
        env.pop(name, None)
    env.update(extra)
    return env


class Served:
    """One `reelestate serve` process; `url` once it answers `/healthz`."""

    def __init__(self, env: dict[str, str], *args: str) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = Path(env["REELESTATE_DATA_DIR"]).with_suffix(f".serve-{self.port}.log")
        self.log.parent.mkdir(parents=True, exist_ok=True)
        with self.log.open("wb") as out:
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "reelestate.cli", "serve", "--host", "127.0.0.1",
                 "--port", str(self.port), *args],
                env=env, stdout=out, stderr=subprocess.STDOUT,
            )  # fmt: skip
        self._wait_ready()

    def _wait_ready(self) -> None:
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"serve exited: {self.log.read_text()[-3000:]}")
            try:
                if httpx.get(f"{self.url}/healthz", timeout=1).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.1)
        raise RuntimeError("serve did not start")

    def token(self) -> str:
        answer = httpx.post(
            f"{self.url}/api/v1/auth/login",
            json={"email": ADMIN[0], "password": ADMIN[1]},
            timeout=10,
        )
        answer.raise_for_status()
        return str(answer.json()["access_token"])

    def signal(self, sig: int) -> None:
        self.proc.send_signal(sig)

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGKILL)
        self.proc.wait()


def run_cli(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "reelestate.cli", *args],
        env=env, capture_output=True, text=True, timeout=120, check=True,
    )  # fmt: skip


def json_of(answer: httpx.Response) -> Any:
    return answer.json()
