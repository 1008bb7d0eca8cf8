"""`reelestate --version` and the versions in `providers check`: what two machines compare."""

from __future__ import annotations

import json
from importlib.metadata import version
from pathlib import Path

import pytest
from typer.testing import CliRunner

from reelestate.cli import app
from reelestate.cli.diagnostics import versions
from reelestate.cli.diagnostics.versions import NOT_INSTALLED, library_versions, tool_version
from reelestate.core.settings import get_settings


def test_version_lists_the_product_the_libraries_and_ffmpeg() -> None:
    result = CliRunner().invoke(app, ["--version"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert f"numpy {version('numpy')}" in lines
    assert f"opencv {version('opencv-python-headless')}" in lines
    assert f"onnxruntime {version('onnxruntime')}" in lines
    assert lines[0].startswith("python 3.11")
    assert lines[-1].startswith("ffmpeg version ")


def test_a_library_that_is_absent_says_so(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(versions, "DISTRIBUTIONS", (("ghost", "no-such-distribution-x"),))
    assert library_versions()["ghost"] == NOT_INSTALLED


def test_tool_version_explains_a_binary_that_fails(tmp_path: Path) -> None:
    failing = tmp_path / "ffmpeg"
    failing.write_text("#!/bin/sh\nexit 3\n", encoding="utf-8")
    failing.chmod(0o755)
    assert tool_version(str(failing), 5.0) == (False, f"{failing} -version failed (exit 3)")
    assert tool_version(str(tmp_path / "missing"), 5.0)[0] is False


def test_providers_check_reports_the_versions(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("REELESTATE_DATA_DIR", str(tmp_path))
    get_settings.cache_clear()
    result = CliRunner().invoke(app, ["providers", "check", "--json", "--timeout", "2"])
    get_settings.cache_clear()
    report = json.loads(result.output)
    assert report["versions"]["numpy"] == version("numpy")
    assert report["versions"]["python"].startswith("3.11")
