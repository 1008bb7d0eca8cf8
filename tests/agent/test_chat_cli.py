"""`reelestate chat` scripted from lines, rendering for real (preview size, short video)."""

from __future__ import annotations

import io
import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import pytest
from typer.testing import CliRunner

from reelestate.agent.runner import Runner
from reelestate.cli import app
from reelestate.cli.chat_cmd import photo_paths, run_chat
from reelestate.core.settings import get_settings
from reelestate.render.probe import ffprobe_json
from tests.agent.helpers import FACTS, LISTING1, FileNameAnalyser


@asynccontextmanager
async def real_runner() -> AsyncIterator[Runner]:
    async with Runner.open(
        get_settings(), analyser=FileNameAnalyser(), final_profile="preview", default_length=12
    ) as runner:
        yield runner


def size_of(path: Path) -> int:
    return path.stat().st_size


def test_photo_paths_expand_folders_in_order() -> None:
    paths = photo_paths([str(LISTING1)])
    assert [p.name for p in paths][:2] == ["1-frontal.jpg", "2-kitchen.jpg"]
    assert len(paths) == 6


@pytest.mark.slow
async def test_scripted_chat_ends_with_a_rendered_video() -> None:
    out = io.StringIO()
    revisions = ["swap 2 and 3", "put the kitchen first", "calmer music"]
    lines = [f"photos {LISTING1}", FACTS, *revisions, "/approve", "/quit", "never read"]
    await run_chat(lines, out, real_runner, thread="cli-1", user="ann")
    text = out.getvalue()
    assert "question> To make the video I still need the address" in text
    for number in (1, 2, 3, 4):
        assert f"storyboard> version {number}:" in text
    assert "music calm" in text
    assert "approval> Render the final video from storyboard version 4" in text
    assert re.search(r"final \[#+\]\s+100\.0% done", text)
    video = Path(re.findall(r"^video> (.+)$", text, re.MULTILINE)[-1])
    assert video.is_absolute()
    assert size_of(video) > 0
    probe = ffprobe_json(video)
    streams = {s["codec_type"]: s for s in probe["streams"]}
    assert streams["video"]["codec_name"] == "h264" and streams["audio"]["codec_name"] == "aac"
    assert (streams["video"]["width"], streams["video"]["height"]) == (540, 960)
    assert "never read" not in text

    again = io.StringIO()
    await run_chat(["/quit"], again, real_runner, thread="cli-1", user="ann")
    assert "approval>" not in again.getvalue(), "a delivered video waits for nothing"


def test_chat_command_reports_setup_errors_plainly(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(
        "reelestate.agent.runner.importlib.import_module",
        lambda name: (_ for _ in ()).throw(ImportError(name)),
    )
    result = CliRunner().invoke(app, ["chat"], input="hello\n")
    assert result.exit_code == 1
    assert "Photo analysis is not installed" in result.output
