"""`reelestate analyse` as a person runs it: a table, or JSON for scripts."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from reelestate.cli import app
from reelestate.core.settings import get_settings

HOUSE = Path(__file__).parents[1] / "fixtures" / "photos" / "house5"
REQUIRED = {
    "path",
    "width",
    "height",
    "room",
    "room_confidence",
    "sharpness",
    "exposure",
    "duplicate_of",
    "focal_point",
    "reject_reasons",
}


@pytest.fixture(autouse=True)
def no_llm_key(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    get_settings.cache_clear()


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    target = tmp_path_factory.mktemp("listing")
    for photo in HOUSE.glob("*.jpg"):
        shutil.copy(photo, target / photo.name)
    shutil.copy(HOUSE / "kitchen.jpg", target / "kitchen-copy.jpg")
    (target / "broken.jpg").write_bytes(b"\xff\xd8\xff\xe0 not really a jpeg")
    (target / "readme.txt").write_text("ignored: not a photo suffix")
    return target


def test_json_lists_every_photo_of_a_folder_with_the_required_fields(folder: Path) -> None:
    result = CliRunner().invoke(app, ["analyse", str(folder), "--json"])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    names = [Path(r["path"]).name for r in rows]
    assert names == sorted(p.name for p in folder.glob("*.jpg"))
    for row in rows:
        assert row.keys() >= REQUIRED
    by_name = {Path(r["path"]).name: r for r in rows}
    assert by_name["kitchen.jpg"]["room"] == "kitchen"
    assert 0 <= by_name["kitchen.jpg"]["focal_point"]["x"] <= 1
    copy = by_name["kitchen-copy.jpg"]
    assert (
        copy["duplicate_of"] == by_name["kitchen.jpg"]["index"]
        or by_name["kitchen.jpg"]["duplicate_of"] == copy["index"]
    )
    assert by_name["broken.jpg"]["reject_reasons"][0].startswith("broken.jpg is")
    assert by_name["bedroom.jpg"]["reject_reasons"] == []


def test_the_table_names_each_photo_and_its_verdict(folder: Path) -> None:
    result = CliRunner().invoke(
        app,
        ["analyse", str(folder / "kitchen.jpg"), str(folder / "broken.jpg")],
        env={"COLUMNS": "200"},
    )
    assert result.exit_code == 0, result.output
    assert "kitchen.jpg" in result.stdout
    assert "usable" in result.stdout
    assert "broken.jpg is damaged or incomplete" in result.stdout
    assert "1 of 2 photos usable." in result.stdout


def test_a_folder_without_photos_is_an_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["analyse", str(tmp_path)])
    assert result.exit_code == 2
    assert "No photos found" in result.output
