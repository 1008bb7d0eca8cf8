"""A photo captioned "my presenter photo": face-checked and kept in the organisation's brand
kit, never taken as a listing photo; refused with the reason when it shows no single face."""

from __future__ import annotations

from pathlib import Path

from reelestate.bots.telegram.channel import thread_of
from reelestate.services.presenter_photo import kit_presenter_key
from reelestate.storage.db import open_database
from reelestate.storage.repositories.content import BrandKitsRepository
from tests.bots import updates
from tests.bots.harness import ANN, bot_under_test
from tests.providers.avatar.material import headshot


def _captioned(hosted: dict[str, object], name: str, caption: str) -> dict[str, object]:
    update = updates.document(ANN, hosted, name)
    update["message"]["caption"] = caption
    return update


async def test_a_captioned_headshot_becomes_the_presenter_photo(tmp_path: Path) -> None:
    group = headshot(tmp_path / "team.jpg", faces=2)
    face = headshot(tmp_path / "me.jpg")
    async with bot_under_test(tmp_path) as t:
        hosted = t.api.host_file(group.read_bytes(), group.name)
        t.send(_captioned(hosted, group.name, "use this as my presenter photo"))
        await t.wait_for_text(ANN, "2 faces")
        hosted = t.api.host_file(face.read_bytes(), face.name)
        t.send(_captioned(hosted, face.name, "use this as my presenter photo"))
        await t.wait_for_text(ANN, "is now the presenter photo")
        account = t.bot.channel.accounts.account(ANN)
        assert account is not None
        assert not (await t.bot.channel.runner.state(thread_of(account))).get("photos")
        db = open_database(t.settings)
        try:
            [kit] = BrandKitsRepository(db).all(account.context)
            key = kit_presenter_key(account.context, kit.data)
            assert key is not None and t.blobs.read_bytes(account.context, key) == face.read_bytes()
        finally:
            db.dispose()


async def test_the_presenter_and_a_card_for_instagram_in_the_bot(tmp_path: Path) -> None:
    face = headshot(tmp_path / "me.jpg")
    async with bot_under_test(tmp_path) as t:
        t.send(updates.text(ANN, "add me as a presenter in the corner"))
        await t.wait_for_text(ANN, "no presenter photo yet")
        hosted = t.api.host_file(face.read_bytes(), face.name)
        t.send(_captioned(hosted, face.name, "use this as my presenter photo"))
        await t.wait_for_text(ANN, "is now the presenter photo")
        t.send(updates.text(ANN, "add me as a presenter in the corner"))
        said = await t.wait_for_text(ANN, "presenter in a corner")
        assert "not a lip\\-synced avatar" in said, "the portrait default is said plainly"

        t.send(updates.text(ANN, "3 bed 2 bath, $529,000, 1,826 sq ft, 12 Oak St"))
        t.send(updates.text(ANN, "make an infographic for Instagram"))
        await t.wait_for_text(ANN, "Your facts card for the Instagram feed")
        await t.api.wait_for(lambda: bool(t.api.calls_of("sendDocument", ANN)))
        assert t.api.calls_of("sendVideo", ANN), "the card is sent as a video"
        [still] = t.api.calls_of("sendDocument", ANN)
        assert still.files and next(iter(still.files.values()))[:8] == b"\x89PNG\r\n\x1a\n"
