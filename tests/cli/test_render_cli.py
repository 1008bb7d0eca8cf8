from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from reelestate.cli import app
from tests.render.helpers import small_spec

runner = CliRunner()


def _storyboard(tmp_path: Path, **extra: object) -> Path:
    path = tmp_path / "storyboard.json"
    path.write_text(small_spec(**extra).model_dump_json(), encoding="utf-8")
    return path


def test_render_writes_outputs_and_prints_the_video_path(tmp_path: Path) -> None:
    result = runner.invoke(
        app,
        [
            "render",
            str(_storyboard(tmp_path)),
            "--out",
            str(tmp_path / "out"),
            "--preview",
            "--aspect",
            "1:1",
        ],
    )
    assert result.exit_code == 0, result.output
    assert str((tmp_path / "out" / "video.mp4").resolve()) in result.output
    assert "540x540" in result.output
    assert (tmp_path / "out" / "video.srt").exists()


def test_unknown_aspect_is_a_clear_error(tmp_path: Path) -> None:
    result = runner.invoke(
        app,
        ["render", str(_storyboard(tmp_path)), "--out", str(tmp_path / "out"), "--aspect", "3:2"],
    )
    assert result.exit_code == 2
    assert "Unknown aspect '3:2'" in result.output
    assert "Traceback" not in result.output


def test_invalid_storyboard_names_the_field(tmp_path: Path) -> None:
    path = tmp_path / "bad.json"
    data = json.loads(small_spec().model_dump_json())
    data["scenes"][0]["duration"] = 0
    path.write_text(json.dumps(data), encoding="utf-8")
    result = runner.invoke(app, ["render", str(path), "--out", str(tmp_path / "out")])
    assert result.exit_code == 2
    assert "scenes.0.duration" in result.output
    assert not (tmp_path / "out").exists()
