"""Finding 14: the crashes a new user hits. `reelestate serve` on an empty data folder brings its
embedded database up itself and serves the sign-in page and a chat; a storyboard written by
`reelestate make` is submitted from any working directory; a storyboard naming a missing file
is a plain error, not a traceback. (A PostgreSQL database is never migrated implicitly:
test_production_roles.py.)"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from reelestate.cli import app
from reelestate.core.settings import get_settings
from reelestate.render.spec import RenderSpec
from reelestate.storage import migrate
from reelestate.tools.storyboard import write_render_spec
from tests.faults.serve import ADMIN, Served, child_env
from tests.web.chat_client import ChatClient, messages
from tests.workers.conftest import PHOTO

runner = CliRunner()


async def test_serve_on_an_empty_data_folder_signs_in_and_chats(tmp_path: Path) -> None:
    data = tmp_path / "fresh"
    assert not data.exists()
    server = Served(child_env(data))
    client = ChatClient(server.url)
    try:
        page = await client.http.get("/chat/login")
        assert page.status_code == 200 and '<div id="root">' in page.text
        assert await client.sign_in(*ADMIN) == 200
        await client.connect()
        said = messages(await client.say("hello"))
        assert said and not any("could not complete" in t for t in said), said
    finally:
        await client.close()
        server.proc.terminate()
        server.proc.wait(timeout=30)
    assert migrate.current_revision(get_settings().model_copy(
        update={"data_dir": data, "database_url": None, "database_admin_url": None}
    )) == migrate.head_revision()  # fmt: skip


@pytest.fixture
def cli_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    for name in ("DATABASE_URL", "DATABASE_ADMIN_URL", "REDIS_URL", "S3_BUCKET"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("REELESTATE_DATA_DIR", str(tmp_path / "data"))
    get_settings.cache_clear()
    migrate.upgrade(get_settings())
    yield tmp_path
    get_settings.cache_clear()


def test_a_made_storyboard_is_submitted_from_any_folder(
    cli_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    work = cli_home / "work"
    (work / "photos").mkdir(parents=True)
    shutil.copyfile(PHOTO, work / "photos" / "kitchen.jpg")
    (work / "voice.wav").write_bytes(b"RIFF0000WAVEfmt ")
    monkeypatch.chdir(work)  # `reelestate make` ran here, with paths relative to this folder
    spec = RenderSpec.model_validate({
        "title": "4 Harbour Row",
        "scenes": [{"photo": "photos/kitchen.jpg", "duration": 1.0}],
        "voice": {"audio": "voice.wav"},
    })  # fmt: skip
    storyboard = write_render_spec(spec, work / "out" / "storyboard.json")
    written = json.loads(storyboard.read_text())
    assert written["voice"]["audio"] == "../voice.wav"
    assert written["scenes"][0]["photo"] == "../photos/kitchen.jpg"

    elsewhere = cli_home / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    result = runner.invoke(app, ["jobs", "submit", str(storyboard), "--preview"])
    assert result.exit_code == 0, result.output
    assert len(result.output.splitlines()[0]) == 36  # the job id


def test_a_storyboard_naming_a_missing_file_is_a_plain_error(cli_home: Path) -> None:
    storyboard = cli_home / "storyboard.json"
    storyboard.write_text(json.dumps({
        "title": "4 Harbour Row",
        "scenes": [{"photo": str(PHOTO), "duration": 1.0}],
        "voice": {"audio": "narration/voice.wav"},
    }))  # fmt: skip
    result = runner.invoke(app, ["jobs", "submit", str(storyboard)])
    assert result.exit_code == 2, result.output
    said = " ".join(result.output.split())
    flat = "".join(result.output.split())  # the terminal wraps long paths anywhere
    assert "narration audio" in said and "narration/voice.wav" in flat, said
    assert f"relativepathsarereadfrom{cli_home}" in flat
    assert "Traceback" not in said
    assert result.exception is None or isinstance(result.exception, SystemExit)
