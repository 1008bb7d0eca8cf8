"""The bot against a fake Bot API: linking, unlinked chats, voice, batches, duplicates, chats."""

from __future__ import annotations

import asyncio
from pathlib import Path

from tests.agent.helpers import FACTS, RecordingRenderer, listing_photos
from tests.bots import updates
from tests.bots.harness import ANN, BEN, STRANGER, bot_under_test


async def test_unlinked_chat_gets_linking_help_and_nothing_runs(tmp_path: Path) -> None:
    renderer = RecordingRenderer()
    async with bot_under_test(tmp_path, renderer) as t:
        t.send(updates.text(STRANGER, "/start"))
        t.send(updates.text(STRANGER, FACTS))
        t.send_photos(STRANGER, listing_photos()[:5], group="g1")
        await t.api.wait_for(lambda: len(t.texts(STRANGER)) >= 3)
        await asyncio.sleep(0.6)  # longer than the album wait: no batch may start
        texts = t.texts(STRANGER)
        assert all("not linked" in text for text in texts)
        assert not t.api.calls_of("getFile"), "nothing downloaded for an unlinked chat"
        assert renderer.requests == []


async def test_link_code_from_settings_links_the_chat(tmp_path: Path) -> None:
    async with bot_under_test(tmp_path, RecordingRenderer()) as t:
        accounts = t.bot.channel.accounts
        ann = accounts.account(ANN)
        assert ann is not None
        code = accounts.issue_code(ann.context)  # type: ignore[attr-defined]
        t.send(updates.text(STRANGER, "/start WRONGCODE"))
        await t.wait_for_text(STRANGER, "unknown or has expired")
        t.send(updates.text(STRANGER, f"/start {code.lower()}"))
        await t.wait_for_text(STRANGER, "Linked to ann@oak\\.example")
        assert accounts.account(STRANGER) is not None
        t.send(updates.text(STRANGER + 1, f"/start {code}"))
        await t.wait_for_text(STRANGER + 1, "unknown or has expired")


async def test_voice_gets_a_polite_text_answer(tmp_path: Path) -> None:
    async with bot_under_test(tmp_path, RecordingRenderer()) as t:
        t.send(updates.voice(ANN))
        await t.wait_for_text(ANN, "voice messages")


async def test_too_few_photos_are_kept_until_the_set_is_complete(tmp_path: Path) -> None:
    renderer = RecordingRenderer()
    async with bot_under_test(tmp_path, renderer) as t:
        photos = listing_photos()
        t.send_photos(ANN, photos[:3], group="a", as_files=False)
        await t.wait_for_text(ANN, "Got 3 photos\\. A video needs 5 to 40: send at least 2 more")
        t.send_photos(ANN, photos[3:6], group="b", as_files=False)
        await t.wait_for_text(ANN, "Got 6 photos, analysing")
        await t.wait_for_text(ANN, "address")
        assert len(t.api.calls_of("getFile")) == 6
        state = await t.bot.channel.runner.state(f"tg-{ANN}")
        assert len(state["photos"]) == 6


async def test_the_photo_limits_come_from_the_settings(tmp_path: Path) -> None:
    env = {"REELESTATE_MIN_PHOTOS": 4, "REELESTATE_MAX_PHOTOS": 5}
    async with bot_under_test(tmp_path, RecordingRenderer(), env=env) as t:
        photos = listing_photos()
        t.send_photos(ANN, photos[:3], group="a", as_files=False)
        await t.wait_for_text(ANN, "Got 3 photos\\. A video needs 4 to 5: send at least 1 more")
        t.send_photos(ANN, photos[3:6], group="b", as_files=False)
        await t.wait_for_text(ANN, "That's 6 photos; a video uses at most 5")
        assert not t.api.calls_of("getFile")
        t.send(updates.text(ANN, "/help"))
        await t.wait_for_text(ANN, "Send 4 to 5 photos of the property")


async def test_album_split_across_two_bursts_is_one_batch(tmp_path: Path) -> None:
    async with bot_under_test(tmp_path, RecordingRenderer(), album_wait_s=0.8) as t:
        photos = listing_photos()
        extra = [p for p in photos for _ in range(2)]  # 12 photos: an album of 10 and one of 2
        hosted = []
        for i, path in enumerate(extra):
            hosted.append((t.api.host_file(path.read_bytes(), f"{i}-{path.name}"), path.name))
        for file, name in hosted[:10]:
            t.send(updates.document(ANN, file, f"{file['file_id']}-{name}", "first"))
        await asyncio.sleep(0.3)
        for file, name in hosted[10:]:
            t.send(updates.document(ANN, file, f"{file['file_id']}-{name}", "second"))
        await t.wait_for_text(ANN, "analysing")
        await t.wait_for_text(ANN, "address")
        got = [text for text in t.texts(ANN) if "analysing" in text]
        assert got == ["Got 12 photos, analysing\\.\\.\\."]


async def test_text_right_after_photos_is_handled_after_them(tmp_path: Path) -> None:
    async with bot_under_test(tmp_path, RecordingRenderer(), album_wait_s=30) as t:
        t.send_photos(ANN, listing_photos(), group="g")
        t.send(updates.text(ANN, FACTS))
        await t.wait_for_text(ANN, "Storyboard v1")
        texts = t.texts(ANN)
        first_storyboard = next(i for i, x in enumerate(texts) if "analysing" in x)
        assert first_storyboard == 0, texts[:3]


async def test_duplicate_delivery_is_processed_once(tmp_path: Path) -> None:
    async with bot_under_test(tmp_path, RecordingRenderer()) as t:
        update = updates.text(ANN, "/help")
        update_id = t.api.next_update_id()
        t.send({"update_id": update_id, **update})
        t.send({"update_id": update_id, **update})
        await t.api.wait_for(lambda: t.bot.processor.duplicates == 1)
        await t.wait_for_text(ANN, "Commands:")
        assert len([x for x in t.texts(ANN) if "Commands:" in x]) == 1


async def test_two_chats_at_once_do_not_block_each_other(tmp_path: Path) -> None:
    renderer = RecordingRenderer()
    async with bot_under_test(tmp_path, renderer) as t:
        t.send_photos(ANN, listing_photos(), group="ann")
        t.send_photos(BEN, listing_photos(), group="ben", as_files=False)
        t.send(updates.text(ANN, FACTS))
        t.send(updates.text(BEN, "3 bed 2 bath, $700,000, 2,000 sq ft, 9 Elm St, Austin TX"))
        await t.wait_for_text(ANN, "Storyboard v1")
        await t.wait_for_text(BEN, "Storyboard v1")
        assert any("9 Elm St" in x or "Elm" in x for x in t.texts(BEN)) or renderer.requests
        ann_thread = await t.bot.channel.runner.state(f"tg-{ANN}")
        ben_thread = await t.bot.channel.runner.state(f"tg-{BEN}")
        assert ann_thread["photos"] != ben_thread["photos"]
        assert {a.chat_id for a in t.api.calls_of("sendMediaGroup")} == {ANN, BEN}


async def test_buttons_and_commands_reach_the_runner(tmp_path: Path) -> None:
    renderer = RecordingRenderer()
    async with bot_under_test(tmp_path, renderer) as t:
        t.send_photos(ANN, listing_photos(), group="g")
        t.send(updates.text(ANN, FACTS))
        await t.wait_for_text(ANN, "Render the final video from storyboard version 1")
        t.send(updates.button(ANN, "say:shorter", message_id=1))
        await t.wait_for_text(ANN, "Render the final video from storyboard version 2")
        t.send(updates.button(ANN, "music", message_id=1))
        await t.api.wait_for(lambda: any("Which music" in x for x in t.texts(ANN)))
        t.send(updates.button(ANN, "mood:calm", message_id=1))
        await t.wait_for_text(ANN, "Render the final video from storyboard version 3")
        t.send(updates.button(ANN, "revise", message_id=1))
        await t.wait_for_text(ANN, "Tell me what to change")
        t.send(updates.button(ANN, "approve:1", message_id=1))
        await t.wait_for_text(ANN, "no longer waiting for approval")
        assert renderer.finals == [], "a stale button renders nothing"
        t.send(updates.text(ANN, "/versions"))
        await t.wait_for_text(ANN, "version 3")
        t.send(updates.text(ANN, "/undo"))
        t.send(updates.text(ANN, "/status"))
        t.send(updates.text(ANN, "/new"))
        await t.wait_for_text(ANN, "New video started")
        account = t.bot.channel.accounts.account(ANN)
        assert account is not None and account.conversation is not None
        assert account.conversation.startswith(f"tg-{ANN}-")
        state = await t.bot.channel.runner.state(account.conversation)
        assert not state.get("photos")
        t.send(updates.text(ANN, "/start"))
        await t.api.wait_for(lambda: sum("Send 5 to 40" in x for x in t.texts(ANN)) >= 1)


async def test_other_files_and_too_many_photos_get_clear_answers(tmp_path: Path) -> None:
    renderer = RecordingRenderer()
    async with bot_under_test(tmp_path, renderer) as t:
        pdf = t.api.host_file(b"%PDF-1.4", "listing.pdf")
        update = updates.document(ANN, pdf, "listing.pdf")
        update["message"]["document"]["mime_type"] = "application/pdf"
        t.send(update)
        await t.wait_for_text(ANN, "listing\\.pdf is not one")
        big = {**t.api.host_file(b"x", "huge.jpg"), "file_size": 30 * 1024 * 1024}
        t.send(updates.document(ANN, big, "huge.jpg"))
        await t.wait_for_text(ANN, "huge\\.jpg is 30 MB; the bot can fetch files up to 20 MB")
        photos = listing_photos()
        for i in range(41):
            path = photos[i % len(photos)]
            t.send(
                updates.document(
                    ANN, t.api.host_file(path.read_bytes(), path.name), f"{i}-{path.name}"
                )
            )
        await t.wait_for_text(ANN, "That's 41 photos; a video uses at most 40")
        assert not t.api.calls_of("getFile")
