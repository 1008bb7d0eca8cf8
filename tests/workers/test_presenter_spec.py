"""A storyboard's presenter between the conversation and the render: the brand kit's photo
kept as its blob key when the spec is stored, fetched with the other files for the worker, and
the presenter's notes carried back from a job's outputs; in this process the engine's render
gets the presenter with its fallback said plainly."""

from __future__ import annotations

from pathlib import Path

from reelestate.agent.backends.base import InProcessRenderBackend, RenderRequest
from reelestate.core.settings import get_settings
from reelestate.render.present import with_presenter
from reelestate.render.presenter_clips import PORTRAIT_NOTE
from reelestate.render.spec import parse_spec
from reelestate.services.brand_kits import brand_data
from reelestate.services.storyboards import store_rendered_spec
from reelestate.storage.blobs import LocalBlobStore, blob_key
from reelestate.storage.db import Database
from reelestate.workers.assets import fetch_spec_files
from reelestate.workers.render_video import render_result
from tests.providers.avatar.material import headshot, voice
from tests.storage.factories import new_org
from tests.workers.conftest import PHOTO


def test_the_kits_photo_is_stored_as_its_key_and_fetched_for_the_worker(
    tmp_path: Path, sqlite_db: Database
) -> None:
    ctx = new_org(sqlite_db)
    blobs = LocalBlobStore(tmp_path / "blobs", b"k" * 32)
    face = headshot(tmp_path / "me.jpg")
    key = blob_key(ctx, "media", "presenter.jpg")
    blobs.put_file(ctx, key, face, "image/jpeg")
    spec = parse_spec(
        {
            "scenes": [{"photo": str(PHOTO), "duration": 1.0}],
            "presenter": {"photo": key, "provider": "did", "layout": "intro"},
        }
    )
    kit = {"primary_color": "#112233", "presenter_photo": key}
    version = store_rendered_spec(
        sqlite_db,
        blobs,
        ctx,
        spec,
        project_id=None,
        brand=kit,
        captions=None,
        author="chat",
        reason="final render",
    )
    assert version.spec["presenter"] == {"photo": key, "provider": "did", "layout": "intro"}
    assert "presenter_photo" not in brand_data(ctx, kit), "a kit field, not a render one"
    local = fetch_spec_files(version.spec, ctx, blobs, tmp_path / "work", preview=False)
    assert local.presenter is not None and local.presenter.layout == "intro"
    assert local.presenter.photo.read_bytes() == face.read_bytes()


def test_a_jobs_presenter_notes_come_back_with_its_result(tmp_path: Path) -> None:
    files = {n: tmp_path / n for n in ("video", "subtitles", "thumbnail")}
    outputs = {
        "duration": 3.0,
        "presenter": {"provider": "portrait", "notes": ["Presenter: D-ID failed: 401.", "x"]},
    }
    result = render_result(outputs, files)
    assert result.notes == ("Presenter: D-ID failed: 401.", "x")


async def test_the_in_process_render_puts_the_presenter_on(tmp_path: Path) -> None:
    settings = get_settings()
    spec = parse_spec(
        {
            "profile": "preview",
            "scenes": [
                {"photo": str(PHOTO), "duration": 1.5, "motion": {"kind": "static"}},
                {"photo": str(PHOTO), "duration": 1.5, "motion": {"kind": "static"}},
            ],
            "voice": {"audio": str(voice(tmp_path / "voice.wav", seconds=1.5))},
            "music": None,
            "brand": {"intro_card": False, "outro_card": False},
            "presenter": {"photo": str(headshot(tmp_path / "me.jpg")), "provider": "did"},
        }
    )
    backend = InProcessRenderBackend(settings)
    request = RenderRequest(job_id="p1", kind="final", spec=spec, out_dir=tmp_path / "out")
    result = await backend.render(request, lambda _: None)
    assert PORTRAIT_NOTE in result.notes, "the portrait default is said plainly"
    assert any("D-ID is not configured" in note for note in result.notes)
    assert not any("could not be added" in note for note in result.notes)

    gone = spec.model_copy(
        update={
            "presenter": spec.presenter.model_copy(  # type: ignore[union-attr]
                update={"photo": tmp_path / "missing.jpg"}
            )
        }
    )
    kept, outcome = with_presenter(result, gone, settings, tmp_path / "w")
    assert outcome is not None and outcome.provider is None
    assert "The video has no presenter." in kept.notes
