"""docker-compose.yml's services as processes on 127.0.0.1: the compose file's own command
lines and environment (with `.env.example` as the `.env`), the service names rewritten to the
addresses of a private PostgreSQL cluster, a private redis-server and moto in MinIO's place."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import httpx
import yaml

from tests.support.services import free_port

REPO = Path(__file__).resolve().parents[2]
COMPOSE = REPO / "docker-compose.yml"
ENV_EXAMPLE = REPO / ".env.example"
_VARIABLE = re.compile(r"\$\{(?P<name>[A-Z0-9_]+)(?::-(?P<default>[^}]*))?\}")


def load_compose() -> dict[str, Any]:
    return dict(yaml.safe_load(COMPOSE.read_text(encoding="utf-8")))


def env_file(path: Path) -> dict[str, str]:
    """`NAME=value` lines, as compose reads an env file (comments and blanks skipped)."""
    values = {}
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if line and not line.startswith("#") and "=" in line:
            name, value = line.split("=", 1)
            values[name.strip()] = value.strip()
    return values


def interpolate(value: str, variables: dict[str, str]) -> str:
    """Compose's `${NAME}` and `${NAME:-default}`, and `$$` for a literal dollar."""

    def one(match: re.Match[str]) -> str:
        found = variables.get(match["name"])
        return found if found else (match["default"] or "")

    return _VARIABLE.sub(one, value).replace("$$", "$")


class ComposeService:
    """One service of the compose file run as `python -m reelestate.cli <command>`."""

    def __init__(
        self,
        name: str,
        hosts: dict[str, str],
        overrides: dict[str, str],
        *,
        port: int | None = None,
    ) -> None:
        spec = load_compose()["services"][name]
        dotenv = env_file(ENV_EXAMPLE)
        environment = {**dotenv}
        for key, value in spec.get("environment", {}).items():
            environment[key] = str(value)
        for key, raw in list(environment.items()):
            value = interpolate(raw, dotenv)
            for service_host, local in hosts.items():
                value = value.replace(service_host, local)
            environment[key] = value
        environment.update(overrides)
        self.name = name
        self.env = {
            **{k: v for k, v in os.environ.items() if not _is_setting(k)},
            "PYTHONPATH": os.pathsep.join([str(REPO / "src"), str(REPO)]),
            **environment,
        }
        self.port = port
        self.argv = [_local(arg, port) for arg in spec["command"]]
        self.proc: subprocess.Popen[bytes] | None = None
        self.log = Path(environment["REELESTATE_DATA_DIR"]) / f"{name}-{port or 0}.log"

    def run(self, timeout: float = 120) -> None:
        """Run to completion (a one-shot service such as the migrations)."""
        done = subprocess.run(
            [sys.executable, "-m", "reelestate.cli", *self.argv],
            env=self.env, capture_output=True, text=True, timeout=timeout, check=False,
        )  # fmt: skip
        assert done.returncode == 0, done.stderr[-3000:]

    def start(self) -> None:
        self.log.parent.mkdir(parents=True, exist_ok=True)
        with self.log.open("wb") as out:
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "reelestate.cli", *self.argv],
                env=self.env, stdout=out, stderr=subprocess.STDOUT,
            )  # fmt: skip

    def wait_http(self, url: str, within_s: float = 180) -> None:
        deadline = time.monotonic() + within_s
        while time.monotonic() < deadline:
            assert self.proc is not None
            if self.proc.poll() is not None:
                raise AssertionError(f"{self.name} exited: {self.log.read_text()[-3000:]}")
            try:
                if httpx.get(url, timeout=1).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.1)
        raise AssertionError(f"{self.name} did not answer {url}: {self.log.read_text()[-3000:]}")

    def terminate(self) -> None:
        """SIGTERM, as `docker compose down` sends; `stop` waits for the exit."""
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)

    def stop(self) -> None:
        self.terminate()
        if self.proc is not None:
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


def _is_setting(name: str) -> bool:
    return name.startswith(("REELESTATE_", "DATABASE_", "REDIS_", "S3_", "AWS_", "OTEL_"))


def _local(arg: str, port: int | None) -> str:
    if arg == "0.0.0.0":
        return "127.0.0.1"
    if arg == "8000" and port is not None:
        return str(port)
    return arg


__all__ = ["ComposeService", "env_file", "free_port", "interpolate", "load_compose"]
