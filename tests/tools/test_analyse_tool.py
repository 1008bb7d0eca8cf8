"""The analyse tool: folder expansion and the analyser chosen from settings."""

from __future__ import annotations

from pathlib import Path

import pytest

from reelestate.core.settings import get_settings
from reelestate.providers.vision.factory import get_photo_analyser
from reelestate.tools.analyse import analyse_photos, expand_photo_paths

HOUSE = Path(__file__).parents[1] / "fixtures" / "photos" / "house107"


def test_folders_expand_to_their_photos_sorted_and_files_stay(tmp_path: Path) -> None:
    (tmp_path / "b.JPG").write_bytes(b"x")
    (tmp_path / "a.png").write_bytes(b"x")
    (tmp_path / "notes.md").write_text("x")
    (tmp_path / "sub").mkdir()
    named = tmp_path / "odd.name"
    assert expand_photo_paths([tmp_path, named]) == [tmp_path / "a.png", tmp_path / "b.JPG", named]


def test_a_folder_gives_its_bitmaps_too(tmp_path: Path) -> None:
    """BMP is decoded like any photo, so the folder search and the chat accept it alike."""
    (tmp_path / "scan.bmp").write_bytes(b"x")
    assert expand_photo_paths([tmp_path]) == [tmp_path / "scan.bmp"]


def test_without_a_key_the_embedded_analyser_answers(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    get_settings.cache_clear()
    report = analyse_photos([HOUSE], get_photo_analyser(get_settings()))
    assert len(report.results) == 4
    assert report.failures == []
    assert {r.analyser for r in report.results} == {"embedded"}
    assert {r.room for r in report.usable} <= {
        "exterior",
        "kitchen",
        "bedroom",
        "bathroom",
        "unsure",
    }
    assert [row["index"] for row in report.rows()] == [0, 1, 2, 3]
