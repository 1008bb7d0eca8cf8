"""The chat over its own wire protocol (HTTP sign-in, socket.io): photos and facts in,
storyboard with preview and buttons, approval, live progress, the video and its downloads,
plain-language errors, and history kept per organisation."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from tests.support.web import ChatServer
from tests.web.chat_client import ChatClient, actions, elements, messages
from tests.web.helpers import FACTS, PASSWORD, listing_photos, sign_up


async def test_wrong_password_is_refused(chat_server: ChatServer) -> None:
    client = ChatClient(chat_server.base)
    try:
        assert await client.sign_in(chat_server.admin_email, "not the password") == 401
        assert client.token is None
    finally:
        await client.close()


async def test_too_few_photos_get_a_plain_answer(chat_server: ChatServer) -> None:
    client = ChatClient(chat_server.base)
    try:
        assert await client.sign_in(chat_server.admin_email, chat_server.admin_password) == 200
        await client.connect()
        refs = await client.upload(listing_photos()[:3])
        texts = messages(await client.say("here you go", refs))
        assert any("at least 5 photos" in t and "Drop 2 more" in t for t in texts)
        assert not any("Traceback" in t for t in texts)
    finally:
        await client.close()


async def test_photos_to_video_over_socketio(chat_server: ChatServer, tmp_path: Path) -> None:
    client = ChatClient(chat_server.base)
    blurry = tmp_path / "6-blurry-kitchen.jpg"
    shutil.copyfile(listing_photos()[1], blurry)
    try:
        assert await client.sign_in(chat_server.admin_email, chat_server.admin_password) == 200
        await client.connect()
        assert any(e == "chat_settings" for e, _ in client.events)
        refs = await client.upload([*listing_photos()[:5], blurry])
        turn = await client.say(FACTS, refs)
        assert any(t.startswith("**Left out 1 photo**") for t in messages(turn))
        assert "left-out.png" in {e["name"] for e in elements(turn)}
        texts = messages(turn)
        assert any(t.startswith("### Storyboard v1") for t in texts)
        assert any("Rendering the preview" in t for t in texts)
        shown = {e["name"] for e in elements(turn)}
        assert "storyboard-v1.png" in shown
        assert "preview-v1.mp4" in shown
        buttons = {a["label"]: a for a in actions(turn)}
        assert {"Approve", "Revise", "Shorter", "Change music", "Square", "Vertical"} <= set(
            buttons
        )

        shorter = await client.click(buttons["Shorter"])
        assert "make it shorter" in messages(shorter)
        assert any(t.startswith("### Storyboard v2") for t in messages(shorter))
        styled = await client.change_settings(
            {"style": "luxury", "voice": "American", "music": "calm", "aspect": "9:16 vertical",
             "length": 15, "captions": False, "brand_kit": "No brand kit"},
            expect="### Storyboard v3",
        )  # fmt: skip
        assert any("luxury style" in t for t in messages(styled))
        buttons = {a["label"]: a for a in actions(styled)}

        final = await client.click(buttons["Approve"])
        progress = [
            int(m.group(1))
            for t in messages(final)
            if (m := re.search(r"Rendering the final video:\*\* (\d+)%", t))
        ]
        assert len(set(progress)) >= 2
        assert progress == sorted(progress)
        assert progress[-1] == 100
        names = {e["name"] for e in elements(final)}
        assert {"listing-v3.mp4", "listing-v3.srt", "listing-v3-thumbnail.jpg"} <= names
        assert any(t.startswith("**Your video is ready:**") for t in messages(final))
    finally:
        await client.close()


async def test_history_is_kept_per_organisation(chat_server: ChatServer) -> None:
    import httpx  # noqa: PLC0415

    with httpx.Client(base_url=chat_server.base) as http:
        sign_up(http.post, chat_server.settings.outbox_dir, "other@example.com")
    admin, other = ChatClient(chat_server.base), ChatClient(chat_server.base)
    try:
        await admin.sign_in(chat_server.admin_email, chat_server.admin_password)
        await other.sign_in("other@example.com", PASSWORD)
        await admin.connect()
        await admin.say("hello there")
        listed = await admin.http.post(
            "/chat/project/threads",
            json={"pagination": {"first": 20}, "filter": {}},
        )
        assert listed.status_code == 200, listed.text
        mine = [t["id"] for t in listed.json()["data"]]
        assert mine
        theirs = await other.http.post(
            "/chat/project/threads",
            json={"pagination": {"first": 20}, "filter": {}},
        )
        assert theirs.json()["data"] == []
        peek = await other.http.get(f"/chat/project/thread/{mine[0]}")
        assert peek.status_code in {401, 403, 404}
    finally:
        await admin.close()
        await other.close()
